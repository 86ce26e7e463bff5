/**
 * Batch rendering with progress: a job renders a form in the background and the client polls
 * it (state, stage, done of total) for its progress bar, then downloads the result. Results go
 * to a temporary file, not memory; a job and its file are forgotten REPORT_JOB_TTL_MS (default
 * 30 minutes) after it ends, or when deleted. Jobs live in this process (one server).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import type { Progress, Rendered } from "./render.ts";

export interface JobStatus {
  id: string;
  report: string;
  format: string;
  state: "running" | "done" | "failed";
  stage: "data" | "render" | null;
  done: number;
  total: number;
  started: string;
  finished: string | null;
  error: { code: string; message: string; field: string | null } | null;
  result: { contentType: string; fileName: string; size: number } | null;
}

interface Job extends JobStatus {
  file: string | null;
  title: string;
}

const MAX_JOBS = 200;

export class Jobs {
  private jobs = new Map<string, Job>();
  private dir: string | undefined;
  private ttl = Number(process.env.REPORT_JOB_TTL_MS) > 0 ? Number(process.env.REPORT_JOB_TTL_MS) : 30 * 60_000;

  /** Starts `work` in the background; returns the job's status at once. */
  start(report: string, format: string, work: (progress: Progress) => Promise<Rendered>): JobStatus {
    const running = [...this.jobs.values()].filter((j) => j.state === "running").length;
    if (running >= MAX_JOBS) throw new AppError(429, "too_many_jobs", `Уже формируется ${running} заданий печати; дождитесь их окончания`);
    const job: Job = { id: randomUUID(), report, format, state: "running", stage: "data", done: 0, total: 0, started: new Date().toISOString(), finished: null, error: null, result: null, file: null, title: report };
    this.jobs.set(job.id, job);
    const progress: Progress = (stage, done, total) => Object.assign(job, { stage, done, total });
    work(progress).then(
      (r) => {
        if (!this.jobs.has(job.id)) return; // deleted while it ran
        this.dir ??= mkdtempSync(join(tmpdir(), "report-jobs-"));
        job.file = join(this.dir, job.id);
        writeFileSync(job.file, r.body);
        const size = typeof r.body === "string" ? Buffer.byteLength(r.body) : r.body.byteLength;
        Object.assign(job, { state: "done", done: job.total, title: r.title, result: { contentType: r.contentType, fileName: r.fileName, size } });
        this.end(job);
      },
      (e) => {
        const err = e instanceof AppError ? e : new AppError(500, "internal", "Внутренняя ошибка сервера. Она записана в журнал; сообщите администратору.");
        if (!(e instanceof AppError)) console.error(`[${new Date().toISOString()}] report job ${job.id} (${report}) failed\n`, e);
        Object.assign(job, { state: "failed", error: err.toJSON().error });
        this.end(job);
      },
    );
    return this.status(job.id);
  }

  private end(job: Job): void {
    job.finished = new Date().toISOString();
    setTimeout(() => this.remove(job.id), this.ttl).unref();
  }

  private job(id: string): Job {
    const j = this.jobs.get(id);
    if (!j) throw new AppError(404, "not_found", `Задания печати ${id} нет (или его результат уже удален)`);
    return j;
  }

  status(id: string): JobStatus {
    const { file: _f, title: _t, ...s } = this.job(id);
    return { ...s };
  }

  /** The finished job's file and how to send it; 409 while it runs, the job's error if it failed. */
  result(id: string): { file: string; contentType: string; fileName: string; title: string } {
    const j = this.job(id);
    if (j.state === "running") throw new AppError(409, "not_ready", `Задание печати еще формируется: ${j.done} из ${j.total}`);
    if (j.state === "failed") throw new AppError(409, "job_failed", `Задание печати не выполнено: ${j.error?.message}`);
    return { file: j.file!, contentType: j.result!.contentType, fileName: j.result!.fileName, title: j.title };
  }

  remove(id: string): void {
    const j = this.jobs.get(id);
    if (!j) return;
    this.jobs.delete(id);
    if (j.file) rmSync(j.file, { force: true });
  }
}
