/**
 * The form of a catalog item, generic from metadata: code and name, the parent of a
 * hierarchical catalog, the attributes by type (fields.ts), the tabular parts, and the
 * commands Записать и закрыть, Записать, Закрыть (Ctrl+S writes, Ctrl+Enter writes and
 * closes). The title is «Name (Catalog)», or «Catalog (создание)» for a new item. A
 * configuration's custom form (forms/custom.ts) may extend it and override fields(), field()
 * and afterTables().
 */
import { html, nothing } from "lit";
import { t } from "../i18n/index.ts";
import type { CatalogMeta, FieldMeta } from "../meta.ts";
import { commonStyles } from "../styles.ts";
import { FormBase } from "./form-base.ts";
import { is } from "../shell/keymap.ts";
import { fieldRow } from "./fields.ts";
import { formStyles } from "./form-styles.ts";
import { formPanels } from "../workflow/form-panels.ts";

export class ObjectForm extends FormBase {
  static override styles = [commonStyles, formStyles];
  readonly kind = "catalog" as const;

  caption(): string {
    const m = this.meta;
    if (!this.objectId) return t("form.titleNew", { what: m.synonym });
    return `${this.obj?.name || this.obj?.code || ""} (${m.synonym})`;
  }

  /** Code, name and parent with their user names, then the attributes. */
  protected fields(): FieldMeta[] {
    const m = this.meta as CatalogMeta;
    const sys = (n: string, key: string): FieldMeta[] => {
      const f = m.system.find((x) => x.name === n);
      return f ? [{ ...f, synonym: t(key) }] : [];
    };
    const parent: FieldMeta[] = m.hierarchical
      ? [{ name: "parent", synonym: t("field.parent"), type: { kind: "ref", target: "catalog", name: m.name } }]
      : [];
    return [...sys("code", "field.code"), ...sys("name", "field.name"), ...parent, ...m.attributes];
  }

  /** One field (caption and input); a custom form overrides it for some fields. */
  protected field(f: FieldMeta): unknown {
    return fieldRow(this.ctx(f));
  }

  /** What a custom form shows below the fields and tabular parts. */
  protected afterTables(): unknown {
    return nothing;
  }

  shortcut(e: KeyboardEvent): boolean {
    if (is("formOk", e)) void this.writeAndClose();
    else void this.write();
    return true;
  }

  async writeAndClose(): Promise<void> {
    if (await this.write()) this.closeSaved();
  }

  override render() {
    if (!this.obj) return this.loadingView();
    return html`
      <h1 class="title">${this.caption()}${this.dirty ? " *" : ""}</h1>
      <div class="bar">
        ${
          this.canWrite
            ? html`<button class="cmd default" data-cmd="write-close" ?disabled=${this.busy} @click=${() => this.writeAndClose()}>${t("form.writeAndClose")}</button>
              <button class="cmd" data-cmd="write" ?disabled=${this.busy} @click=${() => this.write()}>${t("form.write")}</button>`
            : ""
        }
        ${this.barEnd()}
      </div>
      ${this.banner()}
      ${this.obj.deletionMark ? html`<div class="message info">${t("form.markedForDeletion")}</div>` : ""}
      <div class="fields">${this.fields().map((f) => this.field(f))}</div>
      ${this.tables()}
      ${this.afterTables()}
      ${formPanels(this)}
    `;
  }
}
customElements.define("object-form", ObjectForm);
