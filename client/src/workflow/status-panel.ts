/**
 * The status panel of a document with workflow (server/workflow): the current status as a
 * coloured chip, a button per transition the server allows this user from it (GET
 * …/status-history answers which), a comment box (required by some transitions), and the
 * timeline of every status the document had — who, when, from, to, comment. A transition writes
 * the form's unsaved changes first, then POSTs …/status with the status the form shows as `from`
 * (so a change by someone else meanwhile is refused, «Статус уже изменен»), and re-reads the form.
 */
import { LitElement, css, html, nothing } from "lit";
import { ApiError, get, post } from "../api.ts";
import { t } from "../i18n/index.ts";
import { commonStyles } from "../styles.ts";
import { announceChange } from "../shell/tabs.ts";
import { formatDate } from "../../../server/format.ts";
import type { FormBase } from "../forms/form-base.ts";
import type { AllowedTransition, StatusHistory, WorkflowView } from "../../../server/http/workflow-types.ts";
import { chip } from "./status.ts";

/** An ISO instant in the browser's local time, «dd.MM.yyyy HH:mm:ss». */
export function localMoment(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return formatDate(
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`,
    "dd.MM.yyyy HH:mm:ss",
  );
}

export class StatusPanel extends LitElement {
  static override properties = {
    form: { attribute: false },
    workflow: { attribute: false },
    stamp: {},
    data: { state: true },
    comment: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    commonStyles,
    css`
      :host { display: block; height: auto; margin: 4px 12px 8px; padding: 6px 10px; border: 1px solid #ddd; background: #fafafa; }
      .line { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
      .line .caption { color: #555; }
      input.comment { width: 280px; }
      h2 { font-size: 13px; font-weight: bold; margin: 8px 0 4px; color: #555; }
      ol.timeline { list-style: none; margin: 0; padding: 0 0 0 4px; border-left: 2px solid #ddd; }
      ol.timeline li { margin: 0 0 4px; padding-left: 10px; position: relative; }
      ol.timeline li::before { content: ""; position: absolute; left: -6px; top: 6px; width: 8px; height: 8px; border-radius: 50%; background: #bbb; }
      .when { color: #777; margin-right: 6px; }
      .who { color: #555; margin-right: 6px; }
      .note { color: #333; font-style: italic; margin-left: 6px; }
      .message { margin: 6px 0 0; }
    `,
  ];

  form?: FormBase;
  workflow?: WorkflowView;
  /** Changes whenever the document does (id, version), to reload the history. */
  stamp = "";
  data: StatusHistory | null = null;
  comment = "";
  error = "";
  busy = false;
  private loadedFor = "";

  private get path(): string {
    return `/documents/${this.form!.name}/${this.form!.objectId}`;
  }

  override willUpdate(): void {
    if (this.form?.objectId && this.stamp !== this.loadedFor) {
      this.loadedFor = this.stamp;
      void this.reload();
    }
  }

  async reload(): Promise<void> {
    try {
      this.data = await get<StatusHistory>(`${this.path}/status-history`);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async move(tr: AllowedTransition): Promise<void> {
    const form = this.form!;
    if (tr.commentRequired && !this.comment.trim()) {
      this.error = t("wf.commentRequired");
      this.renderRoot.querySelector<HTMLInputElement>("input.comment")?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      if (form.dirty && !(await form.write())) return;
      const from = this.data?.status;
      await post(`${this.path}/status`, { status: tr.to, comment: this.comment, ...(from ? { from } : {}) });
      this.comment = "";
      await form.load();
      form.info = t("wf.changed", {
        status: this.workflow?.statuses.find((s) => s.name === tr.to)?.synonym ?? tr.to,
      });
      announceChange("document", form.name);
      await this.reload();
    } catch (e) {
      this.error = e instanceof ApiError ? e.message : String(e);
      await this.reload();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const w = this.workflow;
    if (!w) return nothing;
    if (!this.form?.objectId)
      return html`<div class="line"><span class="caption">${t("wf.status")}:</span> ${chip(w, w.initial)} <span class="hint">${t("wf.writeFirst")}</span></div>`;
    const d = this.data;
    const allowed = d?.allowedTransitions ?? [];
    return html`
      <div class="line">
        <span class="caption">${t("wf.status")}:</span>
        ${chip(w, d?.status ?? (this.form.obj?.[w.statusField] as string | undefined))}
        ${allowed.map(
          (tr) =>
            html`<button class="cmd" data-transition=${tr.to} ?disabled=${this.busy} @click=${() => this.move(tr)}>${tr.synonym}</button>`,
        )}
        ${
          allowed.length
            ? html`<input class="comment" name="transition-comment" placeholder=${t("wf.comment")} .value=${this.comment}
                @input=${(e: Event) => (this.comment = (e.target as HTMLInputElement).value)} />`
            : nothing
        }
      </div>
      ${this.error ? html`<div class="message" role="alert">${this.error}</div>` : nothing}
      ${
        d?.history.length
          ? html`<h2>${t("wf.history")}</h2>
            <ol class="timeline">
              ${d.history.map(
                (h) => html`<li data-to=${h.to}>
                  <span class="when">${localMoment(h.at)}</span><span class="who">${h.login ?? ""}</span>
                  ${h.from ? html`${chip(w, h.from)} → ` : html`${t("wf.created")}: `}${chip(w, h.to)}
                  ${h.comment ? html`<span class="note">${h.comment}</span>` : nothing}
                </li>`,
              )}
            </ol>`
          : nothing
      }
    `;
  }
}
customElements.define("status-panel", StatusPanel);
