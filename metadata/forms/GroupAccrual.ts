// Групповое начисление за услуги, as the seed shows it: Текущий период (a month, ◀ ▶),
// Начислять за услуги, Начислять пени, Способ распределения аванса, the list of accounts with
// the tabular toolbar (Заполнить takes every open account of the month), and the button
// Начислить: it writes the document, posts it in the background (POST …/post?async=1) and shows
// the job's progress (the handler's phases, then the writing of the movements) in a bar under
// the list. A refusal (a double accrual, a missing tariff) comes back as the job's error and is
// shown where it points — the account's row is selected.
import {
  ApiError,
  DocumentForm,
  announceChange,
  get,
  post,
  registerForm,
  thisMonth,
  type FieldMeta,
  type Obj,
} from "../../client/src/custom-forms-api.ts";
import { css, html, nothing } from "lit";
import { monthField } from "./lib/month.ts";
import { monthStyles } from "./lib/styles.ts";
import { ru } from "./lib/ru.ts";

interface Job {
  id: string;
  state: "running" | "done" | "failed";
  stage: string | null;
  done: number;
  total: number;
  error: { code: string; message: string; field: string | null } | null;
}

const POLL_MS = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class GroupAccrualForm extends DocumentForm {
  static override properties = { ...DocumentForm.properties, job: { state: true } };
  static override styles = [
    ...DocumentForm.styles,
    monthStyles,
    css`
      .accrue { display: flex; gap: 12px; align-items: center; padding: 2px 12px 6px; }
      .progress { position: relative; flex: 1; max-width: 560px; height: 20px; border: 1px solid #b3b3b3; border-radius: 2px; background: #f4f4f4; overflow: hidden; }
      .progress .fill { position: absolute; inset: 0 auto 0 0; background: linear-gradient(#9fd39a, #6dbb66); transition: width 0.15s; }
      .progress[data-state="failed"] .fill { background: linear-gradient(#f1b0b0, #e07a7a); }
      .progress .label { position: relative; display: block; text-align: center; line-height: 20px; font-size: 12px; white-space: nowrap; }
    `,
  ];

  job: Job | null = null;

  protected override blank(): Obj {
    return {
      ...super.blank(),
      Month: thisMonth(),
      AccrueServices: true,
      AccruePenalties: true,
      DistributionMethod: "ProportionalToDebt",
    };
  }

  protected override field(f: FieldMeta): unknown {
    return f.name === "Month" ? monthField(this.ctx(f)) : super.field(f);
  }

  protected override afterTables(): unknown {
    const j = this.job;
    const pct = j ? (j.state === "done" ? 100 : j.total > 0 ? Math.round((100 * j.done) / j.total) : 0) : 0;
    const label = !j
      ? ""
      : j.state === "done"
        ? ru.accrued
        : j.state === "failed"
          ? (j.error?.message ?? "")
          : `${j.stage ?? ru.accruing} — ${j.done} из ${j.total}`;
    return html`<div class="accrue">
      <button class="cmd default" data-cmd="accrue" title=${ru.accrueHint} ?disabled=${this.busy} @click=${() => this.accrue()}>${ru.accrue}</button>
      ${
        j
          ? html`<div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct} data-state=${j.state} title=${label}>
            <div class="fill" style="width: ${pct}%"></div>
            <span class="label">${label}</span>
          </div>`
          : nothing
      }
    </div>`;
  }

  /** Начислить: write, post in the background, follow the job, then show the posted document. */
  async accrue(): Promise<void> {
    if (!this.obj || this.busy) return;
    if (!this.obj.AccrueServices && !this.obj.AccruePenalties) {
      this.message = ru.nothingToAccrue;
      return;
    }
    this.job = null;
    // A posted document is reposted by writing it (the platform's rule): then nothing is left to do.
    if ((this.dirty || !this.objectId) && !(await this.write())) return;
    if (this.obj.posted && this.info === "") {
      this.info = ru.accrued;
      return;
    }
    this.busy = true;
    this.message = "";
    this.info = "";
    try {
      let job = await post<Job>(`${this.apiPath}/${this.objectId}/post?async=1`);
      this.job = job;
      while (job.state === "running") {
        await sleep(POLL_MS);
        job = await get<Job>(`/jobs/${job.id}`);
        this.job = job;
      }
      if (job.state === "failed") {
        const e = job.error!;
        this.busy = false;
        this.showError(new ApiError(422, e.code, e.message, e.field ?? undefined));
        return;
      }
      this.accept(await get<Obj>(`${this.apiPath}/${this.objectId}`));
      this.info = ru.accrued;
      announceChange(this.kind, this.name);
      this.announce();
    } catch (e) {
      this.showError(e instanceof ApiError && e.status === 404 ? new Error(ru.jobLost) : e);
    } finally {
      this.busy = false;
    }
  }
}

customElements.define("group-accrual-form", GroupAccrualForm);
registerForm("document.GroupAccrual", "group-accrual-form");
