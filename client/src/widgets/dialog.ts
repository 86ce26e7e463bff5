/**
 * In-app modal dialogs (never window.confirm): a dimmed backdrop over the page, a box with a
 * title, a body and buttons; Enter presses the default button, Esc the cancelling one, Tab
 * stays inside. `confirmDialog(text)` → Promise<boolean> asks a yes/no question (Да / Нет);
 * `openModal` is the shared frame the picker is built on. Each modal is a <app-modal> element
 * appended to document.body and removed when it closes.
 */
import { LitElement, css, html, type TemplateResult } from "lit";
import { t } from "../i18n/index.ts";

export class AppModal extends LitElement {
  static override properties = { heading: { type: String }, wide: { type: Boolean } };
  heading = "";
  wide = false;
  /** Called with the key when Enter or Escape is pressed inside the modal (and not handled). */
  onKey?: (e: KeyboardEvent) => void;

  static override styles = css`
    :host { position: fixed; inset: 0; z-index: 1000; display: flex; align-items: center; justify-content: center;
      background: rgba(0, 0, 0, 0.25); font: 13px/1.35 Arial, "Helvetica Neue", sans-serif; color: #333; }
    .box { background: #fff; border: 1px solid #a0a0a0; box-shadow: 0 6px 24px rgba(0, 0, 0, 0.3); border-radius: 3px;
      min-width: 320px; max-width: 90vw; max-height: 90vh; display: flex; flex-direction: column; }
    .box.wide { width: 760px; height: 520px; }
    .title { padding: 8px 12px; background: #f2f2f2; border-bottom: 1px solid #ddd; font-weight: bold; }
    .body { padding: 12px; flex: 1; min-height: 0; display: flex; flex-direction: column; }
    .buttons { padding: 8px 12px; display: flex; gap: 8px; justify-content: flex-end; border-top: 1px solid #eee; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("keydown", this.keydown);
  }

  private keydown = (e: KeyboardEvent) => {
    if (e.key === "Tab") this.trapTab(e);
    else if ((e.key === "Enter" || e.key === "Escape") && !e.defaultPrevented) this.onKey?.(e);
  };

  private trapTab(e: KeyboardEvent) {
    const focusables = [...this.querySelectorAll<HTMLElement>("button, input, select, [tabindex]")].filter(
      (x) => !x.hasAttribute("disabled"),
    );
    if (focusables.length === 0) return;
    const first = focusables[0],
      last = focusables[focusables.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && active === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  override render(): TemplateResult {
    return html`<div class="box ${this.wide ? "wide" : ""}" role="dialog" aria-modal="true" aria-label=${this.heading}>
      <div class="title">${this.heading}</div>
      <div class="body"><slot></slot></div>
      <div class="buttons"><slot name="buttons"></slot></div>
    </div>`;
  }
}
customElements.define("app-modal", AppModal);

const BUTTON_STYLE =
  "min-width:80px;padding:4px 12px;font:inherit;border:1px solid #a0a0a0;border-radius:3px;background:#f7f7f7;cursor:pointer";

/** A button for a modal's button row; `primary` is the default (bold, Enter). */
export function modalButton(text: string, primary: boolean, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.slot = "buttons";
  b.textContent = text;
  b.setAttribute("style", BUTTON_STYLE + (primary ? ";font-weight:bold;background:#fde9a0;border-color:#d7b44c" : ""));
  b.addEventListener("click", onClick);
  return b;
}

/** Mounts a modal on document.body; returns it and a close() that removes it. */
export function openModal(heading: string, opts: { wide?: boolean } = {}): { modal: AppModal; close: () => void } {
  const modal = document.createElement("app-modal") as AppModal;
  modal.heading = heading;
  modal.wide = opts.wide ?? false;
  const previous = document.activeElement as HTMLElement | null;
  document.body.append(modal);
  const close = () => {
    modal.remove();
    previous?.focus?.();
  };
  return { modal, close };
}

/** Asks a yes/no question in an in-app modal; resolves true on Да (or Enter), false on Нет (or Esc). */
export function confirmDialog(text: string, heading = t("dialog.confirm")): Promise<boolean> {
  return new Promise((resolve) => {
    const { modal, close } = openModal(heading);
    const done = (v: boolean) => {
      close();
      resolve(v);
    };
    const p = document.createElement("div");
    p.className = "confirm-text";
    p.style.whiteSpace = "pre-wrap";
    p.textContent = text;
    const yes = modalButton(t("common.yes"), true, () => done(true));
    yes.className = "confirm-yes";
    const no = modalButton(t("common.no"), false, () => done(false));
    no.className = "confirm-no";
    modal.append(p, yes, no);
    modal.onKey = (e) => {
      e.preventDefault();
      // Enter on the focused «Нет» means no; otherwise Enter is the default «Да».
      done(e.key === "Enter" && document.activeElement !== no);
    };
    void modal.updateComplete.then(() => yes.focus());
  });
}
