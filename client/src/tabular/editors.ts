/**
 * AG Grid cell editors of the tabular editor, one per kind of value:
 * - TextCellEditor: numbers (Russian decimals, kept to the column's scale), dates
 *   dd.mm.yyyy, strings. A text that does not parse turns the input red with the reason; if
 *   it is committed anyway, the old value stays and the error is reported at the cell.
 *   While typing a number, the value is handed to the host as a draft so computed columns
 *   of the row follow the keystrokes.
 * - EnumCellEditor: a select of the enum's synonyms.
 * - RefCellEditor: the type-ahead of <ref-input> inside a popup over the cell: ↑/↓ choose,
 *   Enter takes the highlighted item, F4 opens the full picker, Esc cancels.
 * Every editor gets {host: EditorHost} in cellEditorParams.
 */
import type { ICellEditorComp, ICellEditorParams } from "ag-grid-community";
import { t } from "../i18n/index.ts";
import { openPicker } from "../widgets/picker.ts";
import { TypeAhead, type RefItem } from "../widgets/ref-search.ts";
import { enumOf, type FieldMeta } from "../widgets/types.ts";
import type { EditorHost, GridRow } from "./types.ts";
import { editText, parseText } from "./values.ts";

export interface EditorParams extends ICellEditorParams<GridRow> {
  host: EditorHost;
  field: FieldMeta;
}

const INPUT_STYLE =
  "width:100%;height:100%;box-sizing:border-box;border:0;outline:none;padding:0 6px;font:inherit;background:#fffdf2";

/** A printable key that started the edit (the editor starts with it instead of the old text). */
const typedKey = (p: ICellEditorParams) => (p.eventKey && p.eventKey.length === 1 ? p.eventKey : null);

/** Focuses an editor's input: the caret after a typed first key, else the whole text selected. */
function focusInput(input: HTMLInputElement, p: ICellEditorParams): void {
  input.focus();
  if (typedKey(p)) input.setSelectionRange(input.value.length, input.value.length);
  else input.select();
}

export class TextCellEditor implements ICellEditorComp {
  private p!: EditorParams;
  private input!: HTMLInputElement;
  private value: unknown;
  private error: string | null = null;

  init(p: EditorParams): void {
    this.p = p;
    this.value = p.value;
    const input = (this.input = document.createElement("input"));
    input.className = "tp-editor";
    input.setAttribute("style", INPUT_STYLE + (p.field.type.kind === "number" ? ";text-align:right" : ""));
    const key = typedKey(p);
    input.value =
      key ??
      (p.eventKey === "Backspace" || p.eventKey === "Delete"
        ? ""
        : editText(p.field.type, p.value, p.host.presentations, p.host.metadata));
    input.addEventListener("input", () => this.check());
    if (key !== null || p.eventKey === "Backspace" || p.eventKey === "Delete") this.check();
  }

  private check() {
    const r = parseText(this.p.field, this.input.value, this.p.host.metadata);
    if ("error" in r) {
      this.error = r.error;
      this.input.style.background = "#fde2e2";
      this.input.style.boxShadow = "inset 0 0 0 1px #d33";
      this.input.title = r.error;
    } else {
      this.error = null;
      this.value = r.value;
      this.input.style.background = "#fffdf2";
      this.input.style.boxShadow = "";
      this.input.title = "";
    }
    if (this.p.field.type.kind === "number" && this.p.data)
      this.p.host.setDraft(this.p.data._rid, this.p.field.name, this.error ? undefined : this.value);
  }

  getGui(): HTMLElement {
    return this.input;
  }

  afterGuiAttached(): void {
    focusInput(this.input, this.p);
  }

  getValue(): unknown {
    return this.value;
  }

  isCancelAfterEnd(): boolean {
    if (this.p.data) this.p.host.setDraft(this.p.data._rid, this.p.field.name, undefined);
    if (this.error && this.p.data) this.p.host.reportError(this.p.data._rid, this.p.field.name, this.error);
    return this.error !== null;
  }

  destroy(): void {
    if (this.p?.data) this.p.host.setDraft(this.p.data._rid, this.p.field.name, undefined);
  }
}

export class EnumCellEditor implements ICellEditorComp {
  private select!: HTMLSelectElement;

  init(p: EditorParams): void {
    const ty = p.field.type;
    const values = ty.kind === "ref" ? (enumOf(p.host.metadata, ty.name)?.values ?? []) : [];
    const s = (this.select = document.createElement("select"));
    s.className = "tp-editor";
    s.setAttribute("style", INPUT_STYLE);
    if (!p.field.required || p.value === null || p.value === undefined) s.add(new Option("", ""));
    for (const v of values) s.add(new Option(v.synonym, v.name));
    s.value = p.value === null || p.value === undefined ? "" : String(p.value);
    const key = typedKey(p)?.toLocaleLowerCase("ru");
    if (key) {
      const v = values.find((x) => x.synonym.toLocaleLowerCase("ru").startsWith(key));
      if (v) s.value = v.name;
    }
    // ↑/↓ change the choice; they must not reach the grid (which would end the edit)
    s.addEventListener("keydown", (e) => {
      if (e.key === "ArrowUp" || e.key === "ArrowDown") e.stopPropagation();
    });
  }

  getGui(): HTMLElement {
    return this.select;
  }

  afterGuiAttached(): void {
    this.select.focus();
  }

  getValue(): unknown {
    return this.select.value === "" ? null : this.select.value;
  }
}

export class RefCellEditor implements ICellEditorComp {
  private p!: EditorParams;
  private gui!: HTMLDivElement;
  private input!: HTMLInputElement;
  private ta!: TypeAhead;
  private value: unknown;
  private presentation = "";
  private picking = false;
  private destroyed = false;

  init(p: EditorParams): void {
    this.p = p;
    this.value = p.value ?? null;
    this.presentation = p.value ? (p.host.presentations[String(p.value)] ?? "") : "";
    const ty = p.field.type;
    const gui = (this.gui = document.createElement("div"));
    gui.className = "tp-ref-editor";
    gui.setAttribute(
      "style",
      `position:relative;width:${p.column.getActualWidth()}px;height:${p.eGridCell.offsetHeight || 26}px;background:#fffdf2;border:1px solid #d7a81f;box-sizing:border-box;display:flex`,
    );
    const input = (this.input = document.createElement("input"));
    input.className = "tp-editor";
    input.setAttribute("style", INPUT_STYLE + ";flex:1;min-width:0;background:transparent");
    const btn = document.createElement("button");
    btn.type = "button";
    btn.tabIndex = -1;
    btn.textContent = "…";
    btn.title = t("ref.pick");
    btn.setAttribute(
      "style",
      "border:0;border-left:1px solid #ddd;background:#f2f2f2;cursor:pointer;padding:0 6px;font:inherit",
    );
    btn.addEventListener("mousedown", (e) => e.preventDefault());
    btn.addEventListener("click", () => void this.openFull());
    gui.append(input, btn);
    const kind = ty.kind === "ref" && ty.target === "document" ? "document" : "catalog";
    this.ta = new TypeAhead(input, gui, {
      kind,
      name: ty.kind === "ref" ? ty.name : "",
      onPick: (it) => this.take(it, true),
    });
    const key = typedKey(p);
    input.value = key ?? (p.eventKey === "Backspace" || p.eventKey === "Delete" ? "" : this.presentation);
    if (key) input.dispatchEvent(new Event("input"));
    input.addEventListener("keydown", (e) => void this.keydown(e));
  }

  private take(it: RefItem | null, stop: boolean) {
    this.value = it ? it.id : null;
    this.presentation = it ? it.presentation : "";
    if (it) this.p.host.rememberRef(it.id, it.presentation);
    this.input.value = this.presentation;
    if (stop) this.p.stopEditing();
  }

  private async keydown(e: KeyboardEvent) {
    if (e.key === "F4") {
      e.preventDefault();
      e.stopPropagation();
      await this.openFull();
      return;
    }
    if (this.ta.handleKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    const text = this.input.value;
    if (e.key === "Tab" && text !== this.presentation) {
      // take what the dropdown shows now; the grid then moves on
      if (!this.ta.pickHighlighted()) this.input.value = this.presentation;
      return;
    }
    if (e.key !== "Enter" || text === this.presentation) return;
    e.preventDefault();
    e.stopPropagation();
    if (text.trim() === "") return this.take(null, true);
    await this.ta.settle();
    if (!this.ta.pickHighlighted()) {
      this.input.style.background = "#fde2e2";
      this.input.title = t("tabular.err.notFound", { text });
    }
  }

  /** F4 or «…»: the full picker, its choice ends the edit. */
  async openFull(): Promise<void> {
    if (this.picking) return;
    const ty = this.p.field.type;
    if (ty.kind !== "ref") return;
    this.picking = true;
    this.ta.close();
    const typed = this.input.value !== this.presentation ? this.input.value.trim() : "";
    const [it] = await openPicker({
      catalog: ty.name,
      kind: ty.target === "document" ? "document" : "catalog",
      multi: false,
      search: typed || undefined,
    });
    this.picking = false;
    if (it && this.destroyed) {
      // the grid ended the edit while the picker was open: write the choice to the row
      this.p.host.rememberRef(it.id, it.presentation);
      this.p.node.setDataValue(this.p.column.getColId(), it.id);
    } else if (it) this.take(it, true);
    else if (!this.destroyed) this.input.focus();
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  isPopup(): boolean {
    return true;
  }

  afterGuiAttached(): void {
    focusInput(this.input, this.p);
  }

  getValue(): unknown {
    return this.value;
  }

  destroy(): void {
    this.destroyed = true;
    this.ta?.destroy();
  }
}
