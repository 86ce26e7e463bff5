/**
 * Background jobs with progress, kept in this process (one server): the work starts after the
 * request that asked for it has been answered, and the client polls the job — state, stage,
 * done of total — for its progress bar. A job is forgotten `ttlMs` after it ends (default
 * JOB_TTL_MS, else 30 minutes), or when removed. Print jobs (reports/jobs.ts) and background
 * posting of documents (http/jobs.ts) are built on this class; each keeps its own extra
 * fields in `info` and the outcome of its work in `result`.
 */
import { randomUUID } from "node:crypto";
import { AppError } from "./errors.ts";
import { currentScope } from "./security/scope.ts";
import { log } from "./log.ts";
import { setting } from "./config.ts";

/** Whose a job is: the data area and user of the request that started it (null outside a request). */
const ownerNow = (): string | null => {
  const s = currentScope();
  return s ? `${s.area}|${s.actor.userId}` : null;
};

/** Reported by the work as it goes: `done` of `total` units, and what it is doing now. */
export type Progress = (done: number, total: number, stage?: string | null) => void;

export interface JobError {
  code: string;
  message: string;
  field: string | null;
}

export interface JobStatus {
  id: string;
  state: "running" | "done" | "failed";
  stage: string | null;
  done: number;
  total: number;
  started: string;
  finished: string | null;
  error: JobError | null;
}

export interface Job<I, R> extends JobStatus {
  info: I;
  result: R | null;
  /** Only its owner (area and user) sees a job: another user, or another area, gets 404. */
  owner: string | null;
}

export interface JobsOptions<I, R> {
  /** What a job is, for log lines ("report job", "posting job"). */
  what: string;
  /** The message of 429 when `max` jobs are running. */
  busy(running: number): string;
  /** The message of 404 for an unknown (or forgotten) job. */
  missing(id: string): string;
  max?: number;
  ttlMs?: number;
  /** Called when a job is forgotten (to delete its files). */
  onRemove?(job: Job<I, R>): void;
}

const DEFAULT_TTL = setting("JOB_TTL_MS");

export class Jobs<I, R> {
  private jobs = new Map<string, Job<I, R>>();
  constructor(private opts: JobsOptions<I, R>) {}

  /** Starts `work` in the background; returns the job at once (state "running"). */
  start(info: I, work: (progress: Progress, job: Job<I, R>) => Promise<R>, stage: string | null = null): Job<I, R> {
    const running = [...this.jobs.values()].filter((j) => j.state === "running").length;
    if (running >= (this.opts.max ?? 200)) throw new AppError(429, "too_many_jobs", this.opts.busy(running));
    const job: Job<I, R> = { id: randomUUID(), state: "running", stage, done: 0, total: 0, started: new Date().toISOString(), finished: null, error: null, info, result: null, owner: ownerNow() };
    this.jobs.set(job.id, job);
    const progress: Progress = (done, total, next) => {
      if (job.state !== "running") return;
      job.done = done;
      job.total = total;
      if (next !== undefined) job.stage = next;
    };
    // Deferred: the caller answers the request before the work takes the event loop.
    setImmediate(() =>
      work(progress, job).then(
        (r) => {
          Object.assign(job, { state: "done", done: job.total, result: r });
          this.end(job);
        },
        (e) => {
          const err = e instanceof AppError ? e : new AppError(500, "internal", "Внутренняя ошибка сервера. Она записана в журнал; сообщите администратору.");
          if (!(e instanceof AppError)) log.error({ err: e, job: job.id }, `${this.opts.what} failed`);
          Object.assign(job, { state: "failed", error: err.toJSON().error });
          this.end(job);
        },
      ),
    );
    return job;
  }

  private end(job: Job<I, R>): void {
    job.finished = new Date().toISOString();
    if (!this.jobs.has(job.id)) this.opts.onRemove?.(job); // removed while it ran
    else setTimeout(() => this.remove(job.id), this.opts.ttlMs ?? DEFAULT_TTL).unref();
  }

  /** The job (404 naming it when unknown or forgotten). */
  get(id: string): Job<I, R> {
    const j = this.jobs.get(id);
    if (!j || j.owner !== ownerNow()) throw new AppError(404, "not_found", this.opts.missing(id));
    return j;
  }

  /** The common fields of a job's status. */
  status(id: string): JobStatus {
    const { id: _i, state, stage, done, total, started, finished, error } = this.get(id);
    return { id, state, stage, done, total, started, finished, error };
  }

  remove(id: string): void {
    const j = this.jobs.get(id);
    if (!j) return;
    this.jobs.delete(id);
    if (j.state !== "running") this.opts.onRemove?.(j);
  }
}
