/**
 * F1: the keys of the current form, from the one table of bindings (keymap.ts) its handlers use
 * — a modal table «Клавиша — Команда» grouped by where the keys work (the list, the form, its
 * tabular parts, the whole window). Esc, Enter or «Закрыть» closes it.
 */
import { LitElement, css, html } from "lit";
import { t } from "../i18n/index.ts";
import { bindingsOf, type KeyContext } from "./keymap.ts";

export class KeyMapDialog extends LitElement {
  static override properties = { contexts: { attribute: false } };
  contexts: KeyContext[] = ["window"];

  static override styles = css`
    .backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.25); display: flex; align-items: center; justify-content: center; z-index: 1000; }
    .box { background: #fff; min-width: 380px; max-width: 600px; max-height: 80vh; overflow: auto; border: 1px solid #999; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.3); font: 13px Arial, sans-serif; }
    .title { background: #f2f2f2; padding: 6px 10px; font-weight: bold; border-bottom: 1px solid #ddd; }
    table { border-collapse: collapse; margin: 8px 12px; width: calc(100% - 24px); }
    th { text-align: left; padding: 8px 4px 2px; color: #555; font-weight: bold; border-bottom: 1px solid #ddd; }
    td { padding: 3px 4px; vertical-align: top; }
    td.keys { white-space: nowrap; width: 1%; padding-right: 16px; }
    kbd { font: 12px Consolas, monospace; border: 1px solid #bbb; border-radius: 3px; padding: 0 4px; background: #fafafa; }
    .buttons { display: flex; justify-content: flex-end; padding: 8px 10px; border-top: 1px solid #eee; }
    button { font: inherit; padding: 3px 14px; border: 1px solid #c9a227; background: #fce08a; font-weight: bold; border-radius: 2px; cursor: pointer; }
  `;

  override render() {
    return html`<div class="backdrop" @keydown=${this.onKey} @click=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div class="box" role="dialog" aria-modal="true" aria-label=${t("keys.title")}>
        <div class="title">${t("keys.title")}</div>
        <table>
          ${this.contexts.map((c) => {
            const rows = bindingsOf([c]);
            return rows.length
              ? html`<tr><th colspan="2" data-context=${c}>${t(`keys.context.${c}`)}</th></tr>
                  ${rows.map(
                    (b) =>
                      html`<tr class="binding" data-context=${c}><td class="keys">${b.keys.map((k, i) => html`${i ? ", " : ""}<kbd>${k}</kbd>`)}</td><td>${t(b.label)}</td></tr>`,
                  )}`
              : "";
          })}
        </table>
        <div class="buttons"><button data-cmd="close" @click=${() => this.close()}>${t("keys.close")}</button></div>
      </div>
    </div>`;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>("button")?.focus();
  }

  private onKey(e: KeyboardEvent): void {
    e.stopPropagation();
    if (e.key === "Escape" || e.key === "Enter" || e.key === "F1") {
      e.preventDefault();
      this.close();
    }
  }

  close(): void {
    const back = this.returnFocus;
    this.remove();
    back?.focus?.();
  }

  private returnFocus?: HTMLElement;

  /** Shows the map of the contexts; the focus goes back where it was when it closes. */
  static show(contexts: KeyContext[]): KeyMapDialog {
    document.querySelector<KeyMapDialog>("key-map-dialog")?.close();
    const d = new KeyMapDialog();
    d.contexts = contexts;
    let active = document.activeElement as HTMLElement | null;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement as HTMLElement;
    d.returnFocus = active ?? undefined;
    document.body.appendChild(d);
    return d;
  }
}
customElements.define("key-map-dialog", KeyMapDialog);
