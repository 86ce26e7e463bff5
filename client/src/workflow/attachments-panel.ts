/**
 * «Вложения» on the form of a catalog item or document whose metadata says `attachments: true`
 * (server/attachments): the files with their size, who attached them and when, each a download
 * link (served as an attachment, never shown inline); «Добавить файл» uploads photos and PDFs
 * as they are (application/octet-stream, the name in X-File-Name) and «Удалить» removes one —
 * both only for a user who may write the object (the list's canEdit). The server checks the
 * type by content and the size; its refusal is shown here.
 */
import { LitElement, css, html, nothing } from "lit";
import { ApiError, del, get } from "../api.ts";
import { csrfHeader } from "../auth/session.ts";
import { t } from "../i18n/index.ts";
import { commonStyles } from "../styles.ts";
import { ask } from "../shell/dialog.ts";
import type { FormBase } from "../forms/form-base.ts";
import type { AttachmentInfo, AttachmentList } from "../../../server/http/workflow-types.ts";
import { localMoment } from "./status-panel.ts";

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} МБ` : `${Math.max(1, Math.round(n / 1024))} КБ`;

export class AttachmentsPanel extends LitElement {
  static override properties = {
    form: { attribute: false },
    stamp: {},
    list: { state: true },
    error: { state: true },
    info: { state: true },
    busy: { state: true },
  };
  static override styles = [
    commonStyles,
    css`
      :host { display: block; height: auto; margin: 4px 12px 8px; padding: 6px 10px; border: 1px solid #ddd; }
      h2 { font-size: 13px; font-weight: bold; margin: 0 0 4px; color: #555; display: flex; gap: 8px; align-items: center; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { display: flex; gap: 8px; align-items: center; padding: 2px 0; }
      .meta { color: #777; }
      .hint { color: #888; font-weight: normal; }
      input[type="file"] { display: none; }
      .message { margin: 6px 0 0; }
      button.link { border: none; background: none; color: #9f3a38; cursor: pointer; padding: 0 4px; font: inherit; }
    `,
  ];

  form?: FormBase;
  stamp = "";
  list: AttachmentList | null = null;
  error = "";
  info = "";
  busy = false;
  private loadedFor = "";

  private get path(): string {
    const f = this.form!;
    return `/${f.kind === "catalog" ? "catalogs" : "documents"}/${f.name}/${f.objectId}/attachments`;
  }

  override willUpdate(): void {
    if (this.form?.objectId && this.stamp !== this.loadedFor) {
      this.loadedFor = this.stamp;
      void this.reload();
    }
  }

  async reload(): Promise<void> {
    try {
      this.list = await get<AttachmentList>(this.path);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Uploads the chosen files one by one; the first refusal stops and is shown. */
  async upload(files: FileList | File[]): Promise<void> {
    this.busy = true;
    this.error = "";
    this.info = "";
    try {
      for (const file of [...files]) {
        const r = await fetch(`/api${this.path}`, {
          method: "POST",
          headers: {
            accept: "application/json",
            "content-type": "application/octet-stream",
            "x-file-name": encodeURIComponent(file.name),
            ...csrfHeader(),
          },
          body: file,
        });
        if (!r.ok) {
          const body = await r.json().catch(() => null);
          throw new Error(body?.error?.message ?? r.statusText);
        }
        this.info = t("att.uploaded", { name: file.name });
      }
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
      await this.reload();
    }
  }

  async removeFile(a: AttachmentInfo): Promise<void> {
    const answer = await ask(t("att.askDelete", { name: a.fileName }), [
      { value: "yes", label: t("common.yes") },
      { value: "no", label: t("common.no") },
    ]);
    if (answer !== "yes") return;
    try {
      await del(`${this.path}/${a.id}`);
      this.info = "";
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
    }
    await this.reload();
  }

  override render() {
    if (!this.form?.objectId) return html`<h2>${t("att.title")}</h2><div class="hint">${t("att.writeFirst")}</div>`;
    const l = this.list;
    const mb = Math.round((l?.maxBytes ?? 10 * 1024 * 1024) / 1024 / 1024);
    return html`
      <h2>
        ${t("att.title")}${l ? ` (${l.attachments.length})` : ""}
        ${
          l?.canEdit
            ? html`<button class="cmd" data-cmd="attach" ?disabled=${this.busy}
                  @click=${() => this.renderRoot.querySelector<HTMLInputElement>("input[type=file]")?.click()}>${t("att.add")}</button>
                <input type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf"
                  @change=${(e: Event) => {
                    const input = e.target as HTMLInputElement;
                    if (input.files?.length) void this.upload([...input.files]).then(() => (input.value = ""));
                  }} />
                <span class="hint">${t("att.hint", { mb })}</span>`
            : nothing
        }
      </h2>
      ${
        l && l.attachments.length === 0
          ? html`<div class="hint">${t("att.none")}</div>`
          : html`<ul>
            ${(l?.attachments ?? []).map(
              (a) => html`<li data-attachment=${a.id}>
                <a href=${`/api${this.path}/${a.id}`} download=${a.fileName}>${a.fileName}</a>
                <span class="meta">${size(a.size)}, ${localMoment(a.createdAt)}${a.login ? `, ${a.login}` : ""}</span>
                ${l?.canEdit ? html`<button class="link" data-cmd="delete-attachment" title=${t("att.delete")} @click=${() => this.removeFile(a)}>✕</button>` : nothing}
              </li>`,
            )}
          </ul>`
      }
      ${this.error ? html`<div class="message" role="alert">${this.error}</div>` : nothing}
      ${this.info && !this.error ? html`<div class="message info">${this.info}</div>` : nothing}
    `;
  }
}
customElements.define("attachments-panel", AttachmentsPanel);
