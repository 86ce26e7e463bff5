/**
 * The in-app modal question (never window.confirm): `ask(text, buttons)` shows a dialog over
 * the page and resolves with the value of the button pressed; Esc answers the last button
 * (the cancel), Enter the first. One dialog at a time; it lives in document.body.
 */
import { LitElement, css, html } from "lit";

export interface DialogButton {
  value: string;
  label: string;
}

export class ModalDialog extends LitElement {
  static override properties = { text: {}, heading: {}, buttons: { attribute: false } };
  text = "";
  heading = "";
  buttons: DialogButton[] = [];
  resolve?: (v: string) => void;

  static override styles = css`
    .backdrop { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.25); display: flex; align-items: center; justify-content: center; z-index: 1000; }
    .box { background: #fff; min-width: 340px; max-width: 560px; border: 1px solid #999; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.3); font: 13px Arial, sans-serif; }
    .title { background: #f2f2f2; padding: 6px 10px; font-weight: bold; border-bottom: 1px solid #ddd; }
    .text { padding: 16px 12px; white-space: pre-wrap; }
    .buttons { display: flex; gap: 6px; justify-content: flex-end; padding: 8px 10px; border-top: 1px solid #eee; }
    button { font: inherit; padding: 3px 14px; border: 1px solid #aaa; background: #f7f7f7; border-radius: 2px; cursor: pointer; }
    button:first-child { background: #fce08a; border-color: #c9a227; font-weight: bold; }
    button:focus { outline: 2px solid #4a90d9; }
  `;

  override render() {
    return html`<div class="backdrop" @keydown=${this.onKey}>
      <div class="box" role="dialog" aria-modal="true">
        ${this.heading ? html`<div class="title">${this.heading}</div>` : ""}
        <div class="text">${this.text}</div>
        <div class="buttons">
          ${this.buttons.map((b) => html`<button data-value=${b.value} @click=${() => this.answer(b.value)}>${b.label}</button>`)}
        </div>
      </div>
    </div>`;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLButtonElement>("button")?.focus();
  }

  private onKey(e: KeyboardEvent): void {
    e.stopPropagation();
    if (e.key === "Escape") this.answer(this.buttons[this.buttons.length - 1]?.value ?? "");
  }

  answer(v: string): void {
    this.remove();
    this.resolve?.(v);
  }
}
customElements.define("modal-dialog", ModalDialog);

/** Shows the question and resolves with the chosen button's value. */
export function ask(text: string, buttons: DialogButton[], heading = ""): Promise<string> {
  document.querySelector<ModalDialog>("modal-dialog")?.answer("");
  const d = new ModalDialog();
  d.text = text;
  d.heading = heading;
  d.buttons = buttons;
  return new Promise((resolve) => {
    d.resolve = resolve;
    document.body.appendChild(d);
  });
}
