/**
 * Signing documents in the UI: «Подписать» on a posted document's form (the browser's Ed25519
 * key, keystore.ts: the canonical bytes GET …/canonical are signed and POSTed to …/signatures,
 * with their SHA-256 so a change in between is refused) and «Подписи (N)», a dialog listing
 * each signature with its signer, time and verification — valid, voided (when and why) or
 * changed. After signing the form re-reads the document, so its title shows «Подписан».
 * Added to every document form through forms/form-base.ts addFormCommands.
 */
import { LitElement, css, html, nothing } from "lit";
import { post, get } from "../api.ts";
import { csrfHeader } from "../auth/session.ts";
import { t } from "../i18n/index.ts";
import { commonStyles } from "../styles.ts";
import { addFormCommands } from "../forms/form-base.ts";
import type { FormBase } from "../forms/form-base.ts";
import { base64, signingKey } from "./keystore.ts";
import { signedIcon } from "./icon.ts";
import { showSignatures, type SignatureList } from "./signatures-panel.ts";

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

export class SignCommands extends LitElement {
  static override properties = { form: { attribute: false }, stamp: {}, list: { state: true }, busy: { state: true } };
  static override styles = [
    commonStyles,
    css`:host { display: inline-flex; flex-direction: row; gap: 4px; height: auto; }`,
  ];

  form?: FormBase;
  /** Changes whenever the document does (id, version, posted, signed), to reload the list. */
  stamp = "";
  list: SignatureList | null = null;
  busy = false;
  private loadedFor = "";

  private get path(): string {
    return `/documents/${this.form!.name}/${this.form!.objectId}`;
  }

  override willUpdate(): void {
    if (this.form?.objectId && this.stamp !== this.loadedFor) {
      this.loadedFor = this.stamp;
      get<SignatureList>(`${this.path}/signatures`).then(
        (l) => (this.list = l),
        () => (this.list = null),
      );
    }
  }

  async sign(): Promise<void> {
    const form = this.form!;
    if (!form.obj?.posted || form.dirty) {
      form.message = t("sign.postFirst");
      return;
    }
    this.busy = true;
    try {
      const key = await signingKey();
      const r = await fetch(`/api${this.path}/canonical`, { headers: { accept: "application/json", ...csrfHeader() } });
      if (!r.ok) throw new Error((await r.json().catch(() => null))?.error?.message ?? r.statusText);
      const bytes = new Uint8Array(await r.arrayBuffer());
      const sha = r.headers.get("x-canonical-sha256") ?? hex(await crypto.subtle.digest("SHA-256", bytes));
      const signature = base64(await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, bytes));
      await post(`${this.path}/signatures`, { signature, keyId: key.keyId, canonicalSha256: sha });
      form.info = t("sign.done");
      form.message = "";
      await form.load();
    } catch (e) {
      form.message = (e as Error).message ?? String(e);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const form = this.form;
    if (!form?.objectId || !form.obj) return nothing;
    const n = this.list?.signatures.length ?? 0;
    return html`${
      form.obj.posted
        ? html`<button class="cmd" data-cmd="sign" ?disabled=${this.busy || form.dirty} @click=${() => this.sign()}>${signedIcon()} ${t("sign.sign")}</button>`
        : nothing
    }
      ${n ? html`<button class="cmd" data-cmd="signatures" @click=${() => this.list && showSignatures(this.list, form.caption())}>${t("sign.listCount", { n })}</button>` : nothing}`;
  }
}
customElements.define("sign-commands", SignCommands);

addFormCommands((form) =>
  form.kind === "document" && form.objectId
    ? html`<sign-commands .form=${form} stamp=${[form.objectId, form.obj?.version, form.obj?.posted, form.obj?.signed].join("|")}></sign-commands>`
    : nothing,
);
