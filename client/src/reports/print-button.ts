/**
 * «Печать» on object and document forms: the printed forms that apply to the object
 * (GET /api/reports?object=catalog.X, those the user may open). One form: a button; several: a
 * button with a menu of their titles. Choosing one opens the form's tab with the object as its
 * parameter (the manifest's appliesTo names which). Hidden for a new, unsaved object. Added to
 * every form through forms/form-base.ts addFormCommands.
 */
import { LitElement, css, html, nothing } from "lit";
import { t } from "../i18n/index.ts";
import { commonStyles } from "../styles.ts";
import { addFormCommands } from "../forms/form-base.ts";
import { emit } from "../shell/tabs.ts";
import { reportsFor, type ReportInfo } from "./api.ts";

/** The tab key of a form with parameter values ("report/<name>/<a=1&b=2>"). */
export function reportKey(name: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams(params).toString();
  return q ? `report/${name}/${q}` : `report/${name}`;
}

export class PrintButton extends LitElement {
  static override properties = { object: {}, objectId: {}, forms: { state: true }, open: { state: true } };
  static override styles = [
    commonStyles,
    css`
      :host { display: inline-block; position: relative; height: auto; }
      .menu { position: absolute; z-index: 20; top: 100%; left: 0; background: #fff; border: 1px solid #b3b3b3; box-shadow: 0 3px 10px rgba(0,0,0,.2); min-width: 260px; }
      .menu button { display: block; width: 100%; text-align: left; font: inherit; border: 0; background: none; padding: 5px 10px; cursor: pointer; }
      .menu button:hover { background: #fbeeb8; }
    `,
  ];

  object = "";
  objectId?: string;
  forms: ReportInfo[] = [];
  open = false;
  private loaded = "";

  override willUpdate(): void {
    if (this.object && this.loaded !== this.object) {
      this.loaded = this.object;
      reportsFor(this.object).then(
        (f) => (this.forms = f),
        () => (this.forms = []),
      );
    }
  }

  private choose(f: ReportInfo): void {
    this.open = false;
    const parameter = f.appliesTo.find((a) => a.object === this.object)?.parameter;
    if (!parameter || !this.objectId) return;
    emit(this, "open-tab", { key: reportKey(f.name, { [parameter]: this.objectId }) });
  }

  override render() {
    if (!this.objectId || !this.forms.length) return nothing;
    if (this.forms.length === 1) {
      const f = this.forms[0];
      return html`<button class="cmd" data-cmd="print" title=${f.title} @click=${() => this.choose(f)}>${t("report.print")}</button>`;
    }
    return html`<button class="cmd" data-cmd="print" title=${t("report.printMenu")} @click=${() => (this.open = !this.open)}>${t("report.print")} ▾</button>
      ${
        this.open
          ? html`<div class="menu" role="menu">
            ${this.forms.map((f) => html`<button role="menuitem" data-report=${f.name} @click=${() => this.choose(f)}>${f.title}</button>`)}
          </div>`
          : nothing
      }`;
  }
}
customElements.define("print-button", PrintButton);

addFormCommands(
  (form) => html`<print-button .object=${`${form.kind}.${form.name}`} .objectId=${form.objectId}></print-button>`,
);
