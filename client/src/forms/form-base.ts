/**
 * What catalog and document forms share: reading the object (or a copy of one, or a new
 * one), editing fields with the unsaved-changes mark, writing through the API with the
 * optimistic version, and server errors put where they belong — at a header field (red
 * outline and the message under it), at a tabular cell ("Table[3].Field", 1-based lines,
 * handed to the subclass), or over the form. The tab's title follows the object.
 */
import { html, LitElement, nothing } from "lit";
import { ApiError, get, parseFieldPath, post, put } from "../api.ts";
import { t } from "../i18n/index.ts";
import { allowed, objectMeta, type CatalogMeta, type DocumentMeta, type FieldMeta, type ObjectKind } from "../meta.ts";
import { announceChange, emit, objectKey } from "../shell/tabs.ts";
import type { FieldCtx } from "./fields.ts";
import { resolveRefs } from "../refs.ts";
import { renderTabularParts, tabularElement, type TabularHost } from "./tabular-section.ts";
import type { ComputedMap } from "../tabular/types.ts";
import { is, type KeyContext } from "../shell/keymap.ts";

export type Obj = Record<string, any>;

/** Fields a copy does not take from its original. */
const NOT_COPIED = ["id", "version", "number", "code", "posted", "signed", "deletionMark", "refs", "presentation"];

export abstract class FormBase extends LitElement {
  static override properties = {
    name: {},
    objectId: {},
    obj: { state: true },
    errors: { state: true },
    message: { state: true },
    info: { state: true },
    busy: { state: true },
    activeTable: { state: true },
    problems: { state: true },
  };

  abstract readonly kind: ObjectKind;
  name = "";
  objectId?: string;
  copyOf?: string;
  obj?: Obj;
  refs: Record<string, string> = {};
  errors: Record<string, string> = {};
  /** Fields whose text could not be read (kept until corrected; they block writing). */
  private unreadable = new Set<string>();
  /** The text of each unreadable field as the user typed it (shown, not the old value). */
  private badText: Record<string, string> = {};
  /**
   * The problems the banner lists (a refusal's every bad row, the unreadable fields), each with
   * the field it is about ("Table[3].Field" for a cell): fixing a field or a cell takes its
   * problem off, and the banner goes with the last one.
   */
  problems: { message: string; field?: string }[] = [];
  message = "";
  info = "";
  busy = false;
  dirty = false;
  /** Rows last handed to each tabular editor; edits live in `obj`. */
  shown: Record<string, Record<string, unknown>[]> = {};
  activeTable = "";

  get meta(): CatalogMeta | DocumentMeta {
    const m = objectMeta(this.kind, this.name);
    if (!m) throw new Error(`no ${this.kind} ${this.name} in the configuration`);
    return m;
  }

  /** Whether the user may write this object (its rights in the metadata); else the form is read-only. */
  get canWrite(): boolean {
    return allowed(this.meta, "write");
  }

  protected get apiPath(): string {
    return `/${this.kind === "catalog" ? "catalogs" : "documents"}/${this.name}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("cell-fixed", this.onCellFixed);
    this.addEventListener("keydown", this.onEscCapture, true);
    this.addEventListener("keydown", this.onEsc);
    if (!this.obj) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("cell-fixed", this.onCellFixed);
    this.removeEventListener("keydown", this.onEscCapture, true);
    this.removeEventListener("keydown", this.onEsc);
  }

  /** Whether the Esc going down was meant for a cell being edited (which it cancels), not the form. */
  private escForCell = false;
  private onEscCapture = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    this.escForCell = e
      .composedPath()
      .some(
        (n) =>
          n instanceof HTMLElement && n.tagName === "TABULAR-PART" && (n as { isEditing?(): boolean }).isEditing?.(),
      );
  };

  /** Esc closes the form, as in 1C (the shell asks first when it has unsaved changes). */
  private onEsc = (e: KeyboardEvent) => {
    if (!is("formClose", e) || e.defaultPrevented || this.escForCell) return;
    e.preventDefault();
    this.close();
  };

  /**
   * A new object's form puts the focus in its first editable field (not the code or number the
   * platform hands out), else the first of the header: typing goes where the user looks.
   */
  protected async focusFirst(): Promise<void> {
    await this.updateComplete;
    const root = this.renderRoot as ShadowRoot;
    const editable = (el: HTMLElement) => {
      const x = el as HTMLElement & { readOnly?: boolean; disabled?: boolean };
      return !x.readOnly && !x.disabled && (el.tagName === "REF-INPUT" || el.tabIndex >= 0) && el.offsetParent !== null;
    };
    const pick = (sel: string) =>
      [...root.querySelectorAll<HTMLElement>(sel)].find(
        (el) => editable(el) && !["code", "number"].includes(el.getAttribute("name") ?? ""),
      );
    const el = pick(".fields input, .fields select, .fields ref-input") ?? pick(".head input");
    if (!el) return;
    if (el.tagName === "REF-INPUT") {
      await (el as LitElement).updateComplete;
      el.shadowRoot?.querySelector<HTMLInputElement>("input")?.focus();
    } else el.focus();
  }

  private onCellFixed = (e: Event) => {
    const d = (e as CustomEvent<{ table?: string; line: number; column: string }>).detail;
    if (d?.table) this.fixed(`${d.table}[${d.line}].${d.column}`);
  };

  /** A field or cell was corrected: its problem leaves the banner; the banner goes with the last. */
  protected fixed(field: string): void {
    if (!this.problems.length) return;
    const left = this.problems.filter((p) => p.field !== field);
    if (left.length === this.problems.length) return;
    this.problems = left;
    this.message = left.length ? left.map((p) => p.message).join("\n") : "";
  }

  /** The error banner: the message, or the list of every problem. */
  protected banner() {
    if (!this.message) return nothing;
    return this.problems.length > 1
      ? html`<div class="message" role="alert"><ul class="problems">${this.problems.map((p) => html`<li>${p.message}</li>`)}</ul></div>`
      : html`<div class="message" role="alert">${this.message}</div>`;
  }

  /** The object of a new form: empty attributes, empty tabular parts. */
  protected blank(): Obj {
    const o: Obj = {};
    for (const tp of this.meta.tabularParts) o[tp.name] = [];
    return o;
  }

  async load(): Promise<void> {
    try {
      if (this.objectId) this.accept(await get<Obj>(`${this.apiPath}/${this.objectId}`));
      else if (this.copyOf) {
        const src = await get<Obj>(`${this.apiPath}/${this.copyOf}`);
        const copy: Obj = { ...this.blank() };
        for (const [k, v] of Object.entries(src)) if (!NOT_COPIED.includes(k)) copy[k] = v;
        this.refs = { ...(src.refs ?? {}) };
        this.obj = copy;
        this.showRows();
        this.dirty = true;
      } else {
        this.obj = this.blank();
        this.showRows();
        this.dirty = false;
      }
    } catch (e) {
      this.message = (e as Error).message;
    }
    this.announce();
    if (!this.objectId && this.obj) void this.focusFirst();
  }

  /** Takes an object as the API returned it (after a read or a write). */
  protected accept(o: Obj): void {
    const { refs, ...rest } = o;
    this.refs = { ...this.refs, ...(refs ?? {}) };
    this.obj = rest;
    this.showRows();
    this.objectId = rest.id;
    this.dirty = false;
    this.errors = {};
    this.problems = [];
  }

  /** The keys F1 lists for this form (shell/keymap.ts): the form's, its tabular parts', the window's. */
  keyContexts(): KeyContext[] {
    const tables = this.meta.tabularParts.length > 0;
    return [this.kind === "document" ? "document" : "object", "form", ...(tables ? ["table" as const] : []), "window"];
  }

  /** The tab's and the form's title; `*` is added by the shell for unsaved changes. */
  abstract caption(): string;

  protected announce(): void {
    emit(this, "tab-title", { title: this.caption(), dirty: this.dirty });
  }

  /** Marks the form changed and tells the shell. */
  protected touched(): void {
    if (!this.dirty) {
      this.dirty = true;
      this.announce();
    }
    this.requestUpdate();
  }

  /** The binding of one header field to the object. */
  protected ctx(f: FieldMeta, readOnly = false): FieldCtx {
    return {
      field: f,
      value: this.obj?.[f.name],
      refs: this.refs,
      error: this.errors[f.name],
      text: this.badText[f.name],
      readOnly: readOnly || !this.canWrite,
      set: (value, presentation) => {
        this.obj = { ...this.obj, [f.name]: value };
        if (typeof value === "string" && presentation !== undefined) this.refs[value] = presentation;
        this.unreadable.delete(f.name);
        delete this.badText[f.name];
        if (this.errors[f.name])
          this.errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => k !== f.name));
        this.fixed(f.name);
        this.touched();
      },
      invalid: (message, text) => {
        this.unreadable.add(f.name);
        if (text !== undefined) this.badText[f.name] = text;
        this.errors = { ...this.errors, [f.name]: message };
        this.touched();
      },
    };
  }

  /** The body to send: the object without what reads add (presentations, posted and signed marks). */
  protected body(): Obj {
    const { refs: _r, presentation: _p, posted: _posted, signed: _s, ...rest } = this.obj ?? {};
    return rest;
  }

  /**
   * Writes the object (`?post=true` posts it too). Resolves true on success; on failure the
   * error is shown where it points and false is returned.
   */
  async write(opts: { post?: boolean } = {}): Promise<boolean> {
    if (!this.obj || this.busy || !this.canWrite) return false;
    if (this.unreadable.size) {
      this.problems = [...this.unreadable].map((f) => ({ message: this.errors[f] ?? t("form.fixErrors"), field: f }));
      this.message = this.problems.map((p) => p.message).join("\n");
      return false;
    }
    this.errors = {};
    this.problems = [];
    this.beforeWrite();
    this.busy = true;
    this.message = "";
    for (const tp of this.meta.tabularParts) tabularElement(this.renderRoot, tp.name)?.clearErrors?.();
    this.info = "";
    const wasNew = !this.objectId;
    try {
      const q = opts.post ? "?post=true" : "";
      const saved = this.objectId
        ? await put<Obj>(`${this.apiPath}/${this.objectId}${q}`, this.body())
        : await post<Obj>(`${this.apiPath}${q}`, this.body());
      this.accept(saved);
      if (wasNew) emit(this, "tab-key", { key: objectKey(this.kind, this.name, saved.id) });
      announceChange(this.kind, this.name);
      this.announce();
      return true;
    } catch (e) {
      this.showError(e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Hands the object's rows to the tabular editors (after a read, a write, a fill). */
  protected showRows(): void {
    this.shown = Object.fromEntries(
      this.meta.tabularParts.map((tp) => [tp.name, (this.obj?.[tp.name] as Record<string, unknown>[]) ?? []]),
    );
  }

  /** Commits a cell being edited and takes every editor's rows before the body is sent. */
  protected beforeWrite(): void {
    for (const tp of this.meta.tabularParts) {
      const el = tabularElement(this.renderRoot, tp.name);
      if (!el) continue;
      el.commitEdit?.();
      const rows = el.getRows?.();
      if (rows && this.obj) this.obj = { ...this.obj, [tp.name]: rows };
    }
  }

  /** A tabular cell named by the server ("Table[3].Field", 1-based): its tab, then the cell. */
  protected selectCell(table: string, line: number, column: string, message: string): void {
    this.markCell(table, line, column, message, true);
  }

  /** Marks a cell with its problem; `select` also shows its tab and focuses it. */
  private markCell(table: string, line: number, column: string, message: string, select: boolean): void {
    if (!this.meta.tabularParts.some((tp) => tp.name === table)) return;
    if (select) this.activeTable = table;
    void this.updateComplete.then(() => {
      const el = tabularElement(this.renderRoot, table);
      el?.showCellError?.(line - 1, column, message);
      if (select) el?.selectCell?.(line - 1, column);
    });
  }

  /** The tabular parts section of the form. */
  protected tables(readOnly = false) {
    const host: TabularHost = {
      parts: this.meta.tabularParts,
      shown: this.shown,
      refs: this.refs,
      activeTable: this.activeTable,
      readOnly: readOnly || !this.canWrite,
      onRows: (table, refs) => {
        if (refs) Object.assign(this.refs, refs);
        this.touched();
        this.rowsEdited(table);
      },
      computed: (table) => this.computed(table),
      onFill: (table) => void this.fill(table),
      onTab: (table) => (this.activeTable = table),
    };
    return renderTabularParts(host);
  }

  /**
   * A custom form's computed columns of a tabular part (recomputed as the user types; a computed
   * attribute is read-only and stored in the row). Return the same object every time.
   */
  protected computed(_table: string): ComputedMap | undefined {
    return undefined;
  }

  /** After every edit of a tabular part's rows (a custom form checks them as they are typed). */
  protected rowsEdited(_table: string): void {}

  /** Заполнить: the server's fill handler for a tabular part, from the form's current state. */
  async fill(table: string): Promise<void> {
    if (this.kind !== "document" || !this.obj) return;
    this.beforeWrite();
    const path = this.objectId ? `${this.apiPath}/${this.objectId}/fill/${table}` : `${this.apiPath}/fill/${table}`;
    try {
      const { rows } = await post<{ rows: Record<string, unknown>[] }>(path, this.body());
      const tp = this.meta.tabularParts.find((x) => x.name === table)!;
      this.refs = { ...this.refs, ...(await resolveRefs(tp.attributes, rows, this.refs)) };
      this.obj = { ...this.obj, [table]: rows };
      this.shown = { ...this.shown, [table]: rows };
      this.message = "";
      this.touched();
    } catch (e) {
      this.showError(e);
    }
  }

  protected showError(e: unknown): void {
    if (!(e instanceof ApiError)) {
      this.message = String((e as Error)?.message ?? e);
      return;
    }
    this.message = e.message;
    const all = e.problems?.length ? e.problems : [{ message: e.message, field: e.field }];
    this.problems = all.map((x) => ({ message: x.message, field: x.field ?? undefined }));
    // every problem at its field or cell; the first cell is selected
    all.forEach((x, i) => {
      const p = parseFieldPath(x.field ?? undefined);
      if (p.table && p.row !== undefined && p.column) this.markCell(p.table, p.row, p.column, x.message, i === 0);
      else if (p.field) this.errors = { ...this.errors, [p.field]: x.message };
    });
  }

  save(): Promise<boolean> {
    return this.write();
  }

  /** What the form shows until the object is read: «Загрузка…», or the error that stopped it. */
  protected loadingView() {
    return html`<div class="message ${this.message ? "" : "info"}">${this.message || t("common.loading")}</div>`;
  }

  /** The end of the command bar: the commands other parts add (addFormCommands), then Закрыть. */
  protected barEnd() {
    return html`${providers.length ? providers.map((p) => p(this)) : nothing}
      <span class="spacer"></span>
      <button class="cmd" data-cmd="close" @click=${() => this.close()}>${t("common.close")}</button>`;
  }

  /** Closes the tab (the shell asks about unsaved changes). */
  close(): void {
    emit(this, "close-tab");
  }

  /** After "write and close": closes without asking again. */
  protected closeSaved(): void {
    this.dirty = false;
    emit(this, "close-tab", { force: true });
  }
}

/**
 * Commands other parts of the client add to object and document forms (the printed forms'
 * «Печать», the «Подписать» of signed documents, …) without those forms knowing them: a part
 * registers a provider once (at import), and every form renders each provider's template in its
 * command bar, in the order they were added. A provider gets the form and returns a lit template
 * (usually one custom element that fetches what it needs), or `nothing`.
 */
export type FormCommandProvider = (form: FormBase) => unknown;

const providers: FormCommandProvider[] = [];

/** Adds a provider of commands to every object and document form. */
export function addFormCommands(p: FormCommandProvider): void {
  providers.push(p);
}
