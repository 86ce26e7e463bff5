/** Placeholder shell: replaced by the sections panel and tabs. */
import { LitElement, html } from "lit";

export class AppShell extends LitElement {
  override render() {
    return html`<div class="shell">ЖКХ</div>`;
  }
}
customElements.define("app-shell", AppShell);
