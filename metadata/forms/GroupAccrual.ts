// Групповое начисление за услуги, as the seed shows it: Текущий период (a month, ◀ ▶),
// Начислять за услуги, Начислять пени, Способ распределения аванса, the list of accounts with
// the tabular toolbar (Заполнить takes every open account of the month), and the button
// Начислить: it writes the document, posts it in the background (POST …/post?async=1) and shows
// the job's progress (the handler's phases, then the writing of the movements) in a bar under
// the list. A refusal (a double accrual, a missing tariff) comes back as the job's error and is
// shown where it points — the account's row is selected.
// «Начислить» always recomputes (issue 15 §4): a new document, or one with unsaved changes, is
// written (writing a posted document reposts it), otherwise posted again in the background;
// the message then says what the posting computed — its own row of the AccrualChanges register:
// accounts, lines, amount, and on a repost the amount before and the difference. Under the
// button the form lists the changes recorded after the last posting (a reading, a tariff, a
// service connection, residents: metadata/documents/accrual-changes.ts; the registers
// AccrualChanges and AccrualRecordChanges) — the accrual needs recomputing.
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

/** A row of the AccrualChanges register as GET /registers/AccrualChanges/records returns it. */
interface Mark {
  Source: string;
  Stamp: string;
  ChangedAt: string | null;
  Description: string;
}

/** The Source of the accrual's own row (metadata/documents/accrual-changes.ts). */
const OWN = "GroupAccrual";

const texts = {
  changed: "Данные изменились после начисления — нажмите «Начислить», чтобы пересчитать",
  posted: "Документ проведен",
};

/** 'YYYY-MM-DDTHH:MM:SS' → 'ДД.ММ.ГГГГ ЧЧ:ММ'. */
const moment = (t: string | null) =>
  t ? `${t.slice(8, 10)}.${t.slice(5, 7)}.${t.slice(0, 4)} ${t.slice(11, 16)}` : "";

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
  static override properties = {
    ...DocumentForm.properties,
    job: { state: true },
    changes: { state: true },
    summary: { state: true },
  };
  static override styles = [
    ...DocumentForm.styles,
    monthStyles,
    css`
      .accrue { display: flex; gap: 12px; align-items: center; padding: 2px 12px 6px; }
      .progress { position: relative; flex: 1; max-width: 560px; height: 20px; border: 1px solid #b3b3b3; border-radius: 2px; background: #f4f4f4; overflow: hidden; }
      .progress .fill { position: absolute; inset: 0 auto 0 0; background: linear-gradient(#9fd39a, #6dbb66); transition: width 0.15s; }
      .progress[data-state="failed"] .fill { background: linear-gradient(#f1b0b0, #e07a7a); }
      .progress .label { position: relative; display: block; text-align: center; line-height: 20px; font-size: 12px; white-space: nowrap; }
      .changes { margin: 0 12px 6px; padding: 4px 8px; border: 1px solid #e0c36a; background: #fff8dc; font-size: 12px; }
      .changes ul { margin: 2px 0 0; padding-left: 18px; }
    `,
  ];

  job: Job | null = null;
  /** Changes recorded after the document's last posting (it needs recomputing). */
  changes: Mark[] = [];
  /** What the last posting computed (its own row's Description). */
  summary = "";

  protected override accept(o: Obj): void {
    super.accept(o);
    void this.loadChanges();
  }

  /** Reads the document's rows of AccrualChanges: its own (what it computed) and the pending changes. */
  async loadChanges(): Promise<void> {
    const id = this.objectId;
    if (!id || this.obj?.posted !== true) {
      this.changes = [];
      this.summary = "";
      return;
    }
    try {
      // the documents' marks, and the marks of registers written directly (Residents); a
      // register the user may not read lists nothing
      const [marks, direct] = await Promise.all(
        ["AccrualChanges", "AccrualRecordChanges"].map((r) =>
          get<{ rows: Mark[] }>(`/registers/${r}/records?Accrual=${id}&limit=1000`).then(
            (x) => x.rows,
            () => [] as Mark[],
          ),
        ),
      );
      const rows = [...marks, ...direct];
      if (id !== this.objectId) return;
      const own = rows.find((r) => r.Source === OWN);
      this.summary = own?.Description ?? "";
      this.changes = rows
        .filter((r) => r.Source !== OWN && (!own || r.Stamp >= own.Stamp))
        .sort((a, b) => (a.Stamp < b.Stamp ? -1 : a.Stamp > b.Stamp ? 1 : 0));
    } catch {
      // no right to read the register: nothing to list
      this.changes = [];
    }
  }

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
        ? this.summary || texts.posted
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
    </div>
    ${
      // what the last posting computed, kept on the document: shown whenever it is opened
      !j && this.summary && this.obj?.posted
        ? html`<div class="message info" data-role="accrual-summary">${this.summary}</div>`
        : nothing
    }
    ${
      this.changes.length
        ? html`<div class="changes" data-role="accrual-changes">
          <b>${texts.changed} (${this.changes.length}):</b>
          <ul>${this.changes.map((c) => html`<li>${moment(c.ChangedAt)} — ${c.Description}</li>`)}</ul>
        </div>`
        : nothing
    }`;
  }

  /** Начислить: write, post in the background, follow the job, then show the posted document. */
  async accrue(): Promise<void> {
    if (!this.obj || this.busy) return;
    if (!this.obj.AccrueServices && !this.obj.AccruePenalties) {
      this.message = ru.nothingToAccrue;
      return;
    }
    this.job = null;
    // Writing a posted document reposts it (the platform's rule): that write is the recomputation.
    // Otherwise — a new document, or a posted one unchanged — it is posted in the background.
    const wasPosted = this.obj.posted === true && !!this.objectId;
    if (this.dirty || !this.objectId) {
      if (!(await this.write())) return;
      if (wasPosted) {
        await this.loadChanges();
        this.info = this.summary || texts.posted;
        return;
      }
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
      await this.loadChanges();
      this.info = this.summary || texts.posted;
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
