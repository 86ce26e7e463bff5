/**
 * <login-form>: the sign-in box shown instead of the application when nobody is logged in.
 * User and password, Enter submits; the server's refusal is shown under the fields (a wrong
 * password, a temporary lock with the seconds left before the next try, a disabled account).
 * On success it fires `login` (detail: Me, bubbling and composed) — the shell then shows the
 * application. `message` shows a note above the fields (e.g. "the session has ended").
 */
import { LitElement, css, html } from "lit";
import { t } from "../i18n/index.ts";
import { login, LoginError } from "./session.ts";

export class LoginForm extends LitElement {
  static override properties = {
    message: { type: String },
    error: { state: true },
    busy: { state: true },
    wait: { state: true },
  };
  message = "";
  error = "";
  busy = false;
  /** Seconds until the server accepts the next attempt. */
  wait = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  static override styles = css`
    :host { display: flex; align-items: center; justify-content: center; height: 100%; background: #f4f4f4;
      font: 13px/1.35 Arial, "Helvetica Neue", sans-serif; color: #333; }
    form { background: #fff; border: 1px solid #c8c8c8; border-radius: 3px; box-shadow: 0 2px 12px rgba(0, 0, 0, 0.12);
      padding: 20px 24px; width: 300px; display: flex; flex-direction: column; gap: 10px; }
    h1 { font-size: 16px; margin: 0 0 6px; font-weight: bold; }
    label { display: flex; flex-direction: column; gap: 3px; }
    input { font: inherit; padding: 4px 6px; border: 1px solid #a0a0a0; border-radius: 2px; }
    input:focus { outline: 2px solid #f5c342; border-color: #d4a017; }
    button { font: inherit; padding: 5px 14px; align-self: flex-end; background: #fbe9a6; border: 1px solid #c9a227; border-radius: 2px; cursor: pointer; }
    button[disabled] { opacity: 0.6; cursor: default; }
    .note { color: #555; }
    .error { color: #c00; white-space: pre-wrap; }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>("input[name=login]")?.focus();
  }

  private countdown(seconds: number): void {
    clearInterval(this.timer);
    this.wait = seconds;
    this.timer = setInterval(() => {
      this.wait = Math.max(0, this.wait - 1);
      if (this.wait === 0) clearInterval(this.timer);
    }, 1000);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const user = (form.elements.namedItem("login") as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem("password") as HTMLInputElement).value;
    if (!user || !password) {
      this.error = t("auth.required");
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const me = await login(user, password);
      (form.elements.namedItem("password") as HTMLInputElement).value = "";
      this.dispatchEvent(new CustomEvent("login", { detail: me, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      if (err instanceof LoginError && err.retryAfter) this.countdown(err.retryAfter);
      (form.elements.namedItem("password") as HTMLInputElement).select();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<form @submit=${this.submit} novalidate>
      <h1>${t("auth.title")}</h1>
      ${this.message ? html`<div class="note">${this.message}</div>` : null}
      <label>${t("auth.login")}<input name="login" autocomplete="username" maxlength="64" /></label>
      <label>${t("auth.password")}<input name="password" type="password" autocomplete="current-password" maxlength="1024" /></label>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
      ${this.wait > 0 ? html`<div class="note">${t("auth.retryIn", { seconds: this.wait })}</div>` : null}
      <button type="submit" ?disabled=${this.busy || this.wait > 0}>${this.busy ? t("auth.checking") : t("auth.submit")}</button>
    </form>`;
  }
}

if (!customElements.get("login-form")) customElements.define("login-form", LoginForm);

declare global {
  interface HTMLElementTagNameMap {
    "login-form": LoginForm;
  }
}
