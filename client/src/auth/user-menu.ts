/**
 * <user-menu>: the current user's name in the shell's header; a click opens a small menu with
 * the roles, «Сменить пароль» (current, new and repeated password) and «Выйти»; a click
 * outside it or Esc closes it. After logout
 * it fires `logout` (bubbling, composed) so the shell shows <login-form>.
 */
import { css, html, LitElement } from "lit";
import { t } from "../i18n/index.ts";
import { changePassword, currentUser, logout, onSessionChange } from "./session.ts";

export class UserMenu extends LitElement {
  static override properties = {
    open: { state: true },
    changing: { state: true },
    note: { state: true },
    error: { state: true },
  };
  open = false;
  changing = false;
  note = "";
  error = "";
  private unsubscribe?: () => void;

  static override styles = css`
    :host { position: relative; display: inline-block; font: 13px/1.35 Arial, "Helvetica Neue", sans-serif; }
    .who { background: none; border: none; cursor: pointer; font: inherit; color: inherit; padding: 2px 6px; }
    .menu { position: absolute; right: 0; top: 100%; z-index: 900; background: #fff; border: 1px solid #bbb;
      box-shadow: 0 3px 10px rgba(0, 0, 0, 0.2); min-width: 220px; padding: 6px 0; color: #333; }
    .menu > * { display: block; }
    .roles { padding: 4px 12px; color: #777; }
    .item { width: 100%; text-align: left; background: none; border: none; padding: 5px 12px; font: inherit; cursor: pointer; }
    .item:hover { background: #fbe9a6; }
    form { padding: 6px 12px; display: flex; flex-direction: column; gap: 6px; }
    input { font: inherit; padding: 3px 5px; }
    .error { color: #c00; padding: 0 12px; } .note { color: #2a7a2a; padding: 0 12px; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onSessionChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.listen(false);
  }

  /** While open, a click outside the menu or Esc closes it. */
  override updated(): void {
    this.listen(this.open);
  }

  private listening = false;
  private listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) {
      window.addEventListener("pointerdown", this.outside, true);
      window.addEventListener("keydown", this.escape, true);
    } else {
      window.removeEventListener("pointerdown", this.outside, true);
      window.removeEventListener("keydown", this.escape, true);
    }
  }

  private outside = (e: Event) => {
    if (!e.composedPath().includes(this)) this.open = false;
  };

  private escape = (e: KeyboardEvent) => {
    if (e.key === "Escape") this.open = false;
  };

  private async doLogout(): Promise<void> {
    this.open = false;
    await logout();
    this.dispatchEvent(new CustomEvent("logout", { bubbles: true, composed: true }));
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value;
    this.error = "";
    if (v("newPassword") !== v("repeat")) {
      this.error = t("auth.passwordsDiffer");
      return;
    }
    try {
      await changePassword(v("oldPassword"), v("newPassword"));
      this.changing = false;
      this.note = t("auth.passwordChanged");
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render() {
    const me = currentUser();
    if (!me) return null;
    return html`<button class="who" @click=${() => ((this.open = !this.open), (this.note = ""), (this.error = ""))}>${me.user.name || me.user.login} ▾</button>
      ${
        this.open
          ? html`<div class="menu">
            <div class="roles">${t("auth.roles", { roles: me.roles.map((r) => r.synonym).join(", ") })}</div>
            ${
              this.changing
                ? html`<form @submit=${this.submit}>
                  <input name="oldPassword" type="password" autocomplete="current-password" placeholder=${t("auth.oldPassword")} />
                  <input name="newPassword" type="password" autocomplete="new-password" placeholder=${t("auth.newPassword")} />
                  <input name="repeat" type="password" autocomplete="new-password" placeholder=${t("auth.repeatPassword")} />
                  <button type="submit">${t("common.ok")}</button>
                </form>`
                : html`<button class="item" @click=${() => (this.changing = true)}>${t("auth.changePassword")}</button>`
            }
            ${this.error ? html`<div class="error">${this.error}</div>` : null} ${this.note ? html`<div class="note">${this.note}</div>` : null}
            <button class="item" @click=${this.doLogout}>${t("auth.logout")}</button>
          </div>`
          : null
      }`;
  }
}

if (!customElements.get("user-menu")) customElements.define("user-menu", UserMenu);

declare global {
  interface HTMLElementTagNameMap {
    "user-menu": UserMenu;
  }
}
