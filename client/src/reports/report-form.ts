/**
 * The tab of one printed form or report (tab key "report/<name>" or "report/<name>/<query>",
 * the query giving parameter values, e.g. the object the form was printed from): the
 * parameters form generated from the manifest, «Сформировать» (the HTML into <report-viewer>),
 * downloads in the formats the form has (PDF, CSV: the same parameters), and for forms printed
 * in chunks (`batch`) «Пакетная печать (PDF)»: a background job (POST /api/reports/:name/jobs)
 * whose progress is polled into a progress bar, then the PDF to open. A refused parameter is
 * shown at its field.
 */
import { LitElement, css, html, nothing } from "lit";
import { ApiError } from "../api.ts";
import { t } from "../i18n/index.ts";
import type { FieldMeta } from "../meta.ts";
import { resolveRefs } from "../refs.ts";
import { commonStyles } from "../styles.ts";
import { formStyles } from "../forms/form-styles.ts";
import type { FieldCtx } from "../forms/fields.ts";
import { emit } from "../shell/tabs.ts";
import {
  describeReport,
  fileNameOf,
  jobResultUrl,
  jobStatus,
  renderReport,
  saveBlob,
  startJob,
  type JobStatus,
  type ReportInfo,
} from "./api.ts";
import { body, contentFileName, defaults, missing, paramFields, paramRow, type Values } from "./params.ts";
import "./report-viewer.ts";

const POLL_MS = 300;

export class ReportForm extends LitElement {
  static override properties = {
    name: {},
    info: { state: true },
    values: { state: true },
    errors: { state: true },
    message: { state: true },
    busy: { state: true },
    result: { state: true },
    job: { state: true },
  };
  static override styles = [
    commonStyles,
    formStyles,
    css`
      :host { overflow: hidden; }
      .params { border-bottom: 1px solid #e4e4e4; }
      .params .fields { padding-bottom: 2px; }
      .description { margin: 0 12px 4px; color: #777; }
      .progress { display: flex; align-items: center; gap: 8px; margin: 0 12px 6px; }
      .progress progress { width: 260px; height: 14px; }
      .empty { margin: 24px; color: #888; }
    `,
  ];

  name = "";
  /** Parameter values given by the tab's key (the object printed from). */
  initial: Record<string, string> = {};
  info?: ReportInfo;
  values: Values = {};
  refs: Record<string, string> = {};
  errors: Record<string, string> = {};
  message = "";
  busy = false;
  result = "";
  job: JobStatus | null = null;
  private unreadable = new Set<string>();
  private polling?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.info) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.polling);
  }

  private async load(): Promise<void> {
    try {
      const info = await describeReport(this.name);
      this.values = { ...defaults(info.parameters), ...this.initial };
      this.refs = await resolveRefs(paramFields(info.parameters), [this.values]).catch(() => ({}));
      this.info = info;
      emit(this, "tab-title", { title: info.title, dirty: false });
    } catch (e) {
      this.message = (e as Error).message;
      emit(this, "tab-title", { title: this.name, dirty: false });
    }
  }

  private ctx = (f: FieldMeta): FieldCtx => ({
    field: f,
    value: this.values[f.name],
    refs: this.refs,
    error: this.errors[f.name],
    set: (value, presentation) => {
      this.values = { ...this.values, [f.name]: value };
      if (typeof value === "string" && presentation !== undefined) this.refs[value] = presentation;
      this.unreadable.delete(f.name);
      const { [f.name]: _gone, ...rest } = this.errors;
      this.errors = rest;
    },
    invalid: (message) => {
      this.unreadable.add(f.name);
      this.errors = { ...this.errors, [f.name]: message };
    },
  });

  /** The body to send, or null when a parameter is missing or unreadable (shown at its field). */
  private checked(): Values | null {
    const info = this.info!;
    const errors: Record<string, string> = {};
    for (const p of missing(info.parameters, this.values)) errors[p.name] = t("report.required", { name: p.title });
    for (const n of this.unreadable) errors[n] ??= this.errors[n] ?? "";
    this.errors = errors;
    if (Object.keys(errors).length) {
      this.message = t("form.fixErrors");
      return null;
    }
    this.message = "";
    return body(info.parameters, this.values);
  }

  private fail(e: unknown): void {
    this.message = (e as Error).message ?? String(e);
    if (e instanceof ApiError && e.field && this.info?.parameters.some((p) => p.name === e.field))
      this.errors = { ...this.errors, [e.field]: e.message };
  }

  /** Сформировать: the HTML into the viewer. */
  async generate(): Promise<void> {
    const b = this.checked();
    if (!b || this.busy) return;
    this.busy = true;
    try {
      this.result = await (await renderReport(this.name, b, "html")).text();
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  /** PDF or CSV of the same parameters, saved as a file. */
  async download(format: string): Promise<void> {
    const b = this.checked();
    if (!b) return;
    try {
      const r = await renderReport(this.name, b, format);
      // named by its content («Квитанция на оплату 00000000001 ноябрь 2011.pdf»), not by the form alone
      const info = this.info;
      const name = info
        ? contentFileName(info.title, info.parameters, this.values, this.refs, format)
        : fileNameOf(r, `${this.name}.${format}`);
      saveBlob(await r.blob(), name);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Пакетная печать: a PDF job with a progress bar. */
  async batch(): Promise<void> {
    const b = this.checked();
    if (!b || this.job?.state === "running") return;
    try {
      this.job = await startJob(this.name, b, "pdf");
      this.poll();
    } catch (e) {
      this.fail(e);
    }
  }

  private poll(): void {
    clearTimeout(this.polling);
    if (this.job?.state !== "running") return;
    const id = this.job.id;
    this.polling = setTimeout(async () => {
      try {
        this.job = await jobStatus(id);
        this.poll();
      } catch (e) {
        this.fail(e);
      }
    }, POLL_MS);
  }

  private renderJob() {
    const j = this.job;
    if (!j) return nothing;
    if (j.state === "failed")
      return html`<div class="message batch-failed" role="alert">${t("report.batchFailed", { message: j.error?.message ?? "" })}</div>`;
    if (j.state === "done") {
      const kb = Math.max(1, Math.round((j.result?.size ?? 0) / 1024));
      return html`<div class="progress batch-done">
        <progress max="1" value="1"></progress>
        <span>${t("report.batchDone", { size: `${kb} KB` })}</span>
        <a class="batch-result" href=${jobResultUrl(j.id)} target="_blank" rel="noopener">${t("report.batchOpen")}</a>
      </div>`;
    }
    return html`<div class="progress batch-running">
      <progress max=${Math.max(j.total, 1)} value=${j.done}></progress>
      <span>${j.stage ? t(`report.batchStage.${j.stage}`) + ": " : ""}${t("report.batchRunning", { done: j.done, total: j.total })}</span>
    </div>`;
  }

  override render() {
    const info = this.info;
    if (!info)
      return html`<div class="message ${this.message ? "" : "info"}">${this.message || t("common.loading")}</div>`;
    return html`
      <h1 class="title">${info.title}</h1>
      <div class="params">
        ${info.description ? html`<div class="description">${info.description}</div>` : nothing}
        ${info.parameters.length ? html`<div class="fields">${info.parameters.map((p) => paramRow(p, this.ctx))}</div>` : nothing}
        <div class="bar">
          <button class="cmd default" data-cmd="generate" ?disabled=${this.busy} @click=${() => this.generate()}>${this.busy ? t("report.generating") : t("report.generate")}</button>
          ${
            info.batch && info.formats.includes("pdf")
              ? html`<button class="cmd" data-cmd="batch" ?disabled=${this.job?.state === "running"} @click=${() => this.batch()}>${t("report.batch")}</button>`
              : nothing
          }
          <span class="spacer"></span>
          <button class="cmd" data-cmd="close" @click=${() => emit(this, "close-tab")}>${t("common.close")}</button>
        </div>
        ${this.renderJob()}
        ${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}
      </div>
      ${
        this.result
          ? html`<report-viewer .html=${this.result} .formats=${info.formats.filter((f) => f !== "html")} @report-download=${(e: CustomEvent<{ format: string }>) => this.download(e.detail.format)}></report-viewer>`
          : html`<div class="empty">${t("report.notGenerated")}</div>`
      }
    `;
  }
}
customElements.define("report-form", ReportForm);
