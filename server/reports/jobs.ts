/**
 * Batch rendering with progress: a job renders a form in the background and the client polls
 * it (state, stage, done of total) for its progress bar, then downloads the result. Results go
 * to a temporary file, not memory; a job and its file are forgotten REPORT_JOB_TTL_MS (default
 * 30 minutes) after it ends, or when deleted. Jobs live in this process (one server); the
 * bookkeeping is the platform's generic one (server/jobs.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import { Jobs as Background, type JobStatus as Common } from "../jobs.ts";
import type { Progress, Rendered } from "./render.ts";
import { setting } from "../config.ts";

export interface JobStatus extends Common {
  report: string;
  format: string;
  stage: "data" | "render" | null;
  result: { contentType: string; fileName: string; size: number } | null;
}

interface Output {
  file: string;
  title: string;
  contentType: string;
  fileName: string;
  size: number;
}

export class Jobs {
  private dir: string | undefined;
  private jobs = new Background<{ report: string; format: string }, Output>({
    what: "report job",
    busy: (n) => `Уже формируется ${n} заданий печати; дождитесь их окончания`,
    missing: (id) => `Задания печати ${id} нет (или его результат уже удален)`,
    ttlMs: setting("REPORT_JOB_TTL_MS"),
    onRemove: (job) => job.result && rmSync(job.result.file, { force: true }),
  });

  /** Starts `work` in the background; returns the job's status at once. */
  start(report: string, format: string, work: (progress: Progress) => Promise<Rendered>): JobStatus {
    const job = this.jobs.start(
      { report, format },
      async (progress) => {
        const r = await work((stage, done, total) => progress(done, total, stage));
        this.dir ??= mkdtempSync(join(tmpdir(), "report-jobs-"));
        const file = join(this.dir, randomName());
        writeFileSync(file, r.body);
        const size = typeof r.body === "string" ? Buffer.byteLength(r.body) : r.body.byteLength;
        return { file, title: r.title, contentType: r.contentType, fileName: r.fileName, size };
      },
      "data",
    );
    return this.status(job.id);
  }

  status(id: string): JobStatus {
    const j = this.jobs.get(id);
    const r = j.result;
    return {
      ...this.jobs.status(id),
      report: j.info.report,
      format: j.info.format,
      stage: j.stage as JobStatus["stage"],
      result: r ? { contentType: r.contentType, fileName: r.fileName, size: r.size } : null,
    };
  }

  /** The finished job's file and how to send it; 409 while it runs, the job's error if it failed. */
  result(id: string): { file: string; contentType: string; fileName: string; title: string } {
    const j = this.jobs.get(id);
    if (j.state === "running") throw new AppError(409, "not_ready", `Задание печати еще формируется: ${j.done} из ${j.total}`);
    if (j.state === "failed") throw new AppError(409, "job_failed", `Задание печати не выполнено: ${j.error?.message}`);
    const r = j.result!;
    return { file: r.file, contentType: r.contentType, fileName: r.fileName, title: r.title };
  }

  remove(id: string): void {
    this.jobs.remove(id);
  }
}

let seq = 0;
const randomName = () => `${process.pid}-${Date.now()}-${++seq}`;
