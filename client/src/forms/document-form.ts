/**
 * The document form, generic from metadata: Номер and Дата, the header attributes by type,
 * the tabular parts (tabs when several), Комментарий, and the commands Провести и закрыть
 * (Ctrl+Enter), Записать (Ctrl+S), Провести, Отменить проведение, Движения (the register
 * records in their own tab), Закрыть. The title names the document with its number, date and
 * posted state («Вид документа 000000001 от 25.11.2011 (проведен)»). A configuration's custom
 * form (forms/custom.ts) may extend it and override field() and afterTables().
 */
import { html, nothing } from "lit";
import { post } from "../api.ts";
import { t } from "../i18n/index.ts";
import { formatDate } from "../../../server/format.ts";
import { allowed, type DocumentMeta, type FieldMeta } from "../meta.ts";
import { commonStyles } from "../styles.ts";
import { announceChange, emit, movementsKey } from "../shell/tabs.ts";
import { FormBase, type Obj } from "./form-base.ts";
import { is } from "../shell/keymap.ts";
import { fieldInput, fieldRow } from "./fields.ts";
import { formStyles } from "./form-styles.ts";
import { signedIcon } from "../signatures/icon.ts";
import { nowMoment } from "../../../server/calendar.ts";
import { formPanels } from "../workflow/form-panels.ts";

export class DocumentForm extends FormBase {
  static override styles = [commonStyles, formStyles];
  readonly kind = "document" as const;

  get doc(): DocumentMeta {
    return this.meta as DocumentMeta;
  }

  protected override blank(): Obj {
    return { ...super.blank(), date: nowMoment(), comment: "" };
  }

  caption(): string {
    const m = this.doc;
    if (!this.objectId || !this.obj) return t("form.titleNew", { what: m.synonym });
    const state = this.obj.deletionMark
      ? t("doc.stateDeleted")
      : this.obj.posted
        ? t("doc.statePosted")
        : t("doc.stateDraft");
    return (
      t("doc.title", { what: m.synonym, number: this.obj.number ?? "", date: formatDate(this.obj.date) }) +
      ` (${state})`
    );
  }

  private sys(name: string, key: string): FieldMeta {
    const f = this.doc.system.find((x) => x.name === name)!;
    return { ...f, synonym: t(key) };
  }

  shortcut(e: KeyboardEvent): boolean {
    if (is("docOk", e)) void this.postAndClose();
    else void this.write();
    return true;
  }

  async postAndClose(): Promise<void> {
    if (await this.write({ post: this.doc.posts })) this.closeSaved();
  }

  async postDoc(): Promise<void> {
    if (await this.write({ post: true })) this.info = t("doc.posted");
  }

  /** Отменить проведение: writes pending changes first, then unposts. */
  async unpost(): Promise<void> {
    if (this.dirty && !(await this.write())) return;
    if (!this.objectId) return;
    this.busy = true;
    try {
      this.accept(await post<Obj>(`${this.apiPath}/${this.objectId}/unpost`));
      this.info = t("doc.unposted");
      this.message = "";
      announceChange(this.kind, this.name);
      this.announce();
    } catch (e) {
      this.showError(e);
    } finally {
      this.busy = false;
    }
  }

  /** One header attribute (caption and input); a custom form overrides it for some fields. */
  protected field(f: FieldMeta): unknown {
    // the workflow's status changes only by its transitions (the status panel)
    return fieldRow(this.ctx(f, f.name === this.doc.workflow?.statusField));
  }

  /** What a custom form shows between the tabular parts and Комментарий (commands, progress). */
  protected afterTables(): unknown {
    return nothing;
  }

  movements(): void {
    if (this.objectId) emit(this, "open-tab", { key: movementsKey(this.name, this.objectId) });
  }

  override render() {
    if (!this.obj) return this.loadingView();
    const m = this.doc;
    const posted = this.obj.posted === true;
    const canPost = allowed(m, "post");
    const number = this.sys("number", "field.number");
    const date = this.sys("date", "field.date");
    return html`
      <h1 class="title">${this.caption()}${this.dirty ? " *" : ""}${this.obj.signed ? html` <span class="signed-mark" title=${t("doc.signed")}>${signedIcon()} ${t("doc.signed")}</span>` : ""}</h1>
      <div class="bar">
        ${this.canWrite && (!m.posts || canPost) ? html`<button class="cmd default" data-cmd="post-close" ?disabled=${this.busy} @click=${() => this.postAndClose()}>${t(m.posts ? "doc.postAndClose" : "form.writeAndClose")}</button>` : ""}
        ${this.canWrite ? html`<button class="cmd" data-cmd="write" ?disabled=${this.busy} @click=${() => this.write()}>${t("form.write")}</button>` : ""}
        ${m.posts && canPost && this.canWrite ? html`<button class="cmd" data-cmd="post" ?disabled=${this.busy} @click=${() => this.postDoc()}>${t("doc.post")}</button>` : ""}
        ${m.posts && posted && canPost ? html`<button class="cmd" data-cmd="unpost" ?disabled=${this.busy} @click=${() => this.unpost()}>${t("doc.unpost")}</button>` : ""}
        ${
          m.registers.length
            ? html`<button class="cmd" data-cmd="movements" ?disabled=${!this.objectId} title=${this.objectId ? "" : t("doc.writeFirst")} @click=${() => this.movements()}>${t("doc.movements")}</button>`
            : ""
        }
        ${this.barEnd()}
      </div>
      ${this.banner()}
      ${this.info && !this.message ? html`<div class="message info">${this.info}</div>` : ""}
      <div class="head">
        <label for="f-number">${number.synonym}:</label>
        <div class="field ${this.errors.number ? "error" : ""}" data-field="number">
          ${fieldInput(this.ctx(number), "f-number")}${this.errors.number ? html`<span class="err">${this.errors.number}</span>` : ""}
        </div>
        <label for="f-date">${t("doc.from")}</label>
        <div class="field ${this.errors.date ? "error" : ""}" data-field="date">
          ${fieldInput(this.ctx(date), "f-date")}${this.errors.date ? html`<span class="err">${this.errors.date}</span>` : ""}
        </div>
        ${posted ? html`<span class="posted-state">✓ ${t("doc.statePosted")}</span>` : ""}
      </div>
      ${m.attributes.length ? html`<div class="fields">${m.attributes.map((f) => this.field(f))}</div>` : ""}
      ${this.tables()}
      ${this.afterTables()}
      ${formPanels(this)}
      <div class="footer ${this.errors.comment ? "error" : ""}" data-field="comment">
        <label for="f-comment">${t("field.comment")}:</label>
        <input id="f-comment" name="comment" .value=${String(this.obj.comment ?? "")} maxlength="1000" ?readonly=${!this.canWrite}
          @input=${(e: Event) => this.ctx(this.sys("comment", "field.comment")).set((e.target as HTMLInputElement).value)} />
        ${this.errors.comment ? html`<span class="err">${this.errors.comment}</span>` : ""}
      </div>
    `;
  }
}
customElements.define("document-form", DocumentForm);
