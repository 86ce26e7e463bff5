/**
 * Batch rendering with progress: a job renders a form in the background and the client polls
 * it (state, stage, done of total) for its progress bar, then downloads the result. The job and
 * its file are kept in PostgreSQL (server/jobs.ts; the file as bytea in the job's row, read back
 * in chunks): they survive a restart and are seen by every server process on the database, and a
 * print left unfinished by a stopped process is rendered again by the next one (from the stored
 * form name, format and parameters, as the user who asked). A job and its file are forgotten
 * REPORT_JOB_TTL_MS (default 30 minutes) after it ends, or when deleted.
 */
import { AppError } from "../errors.ts";
import { jobQueue, Jobs as Background, type Job } from "../jobs.ts";
import type { Format, Progress, Rendered } from "./render.ts";
import type { Run } from "../http/context.ts";
import { setting } from "../config.ts";
import type { ReportJobStatus } from "../http/api-types.ts";

/** A print job as GET /api/reports/jobs/:id answers it (http/api-types.ts). */
export type JobStatus = ReportJobStatus;

/** What a print job keeps: the form, the format and the parameters it was asked with. */
export interface PrintInfo {
  report: string;
  format: Format;
  params: unknown;
}

interface Output {
  title: string;
  contentType: string;
  fileName: string;
  size: number;
}

/** Renders a print job's document from its stored info (in the scope of the user who asked). */
export type PrintWork = (info: PrintInfo, progress: Progress) => Promise<Rendered>;

export class Jobs {
  private jobs: Background<PrintInfo, Output>;

  constructor(run: Run, work: PrintWork) {
    this.jobs = jobQueue(run.db, run.conf).register<PrintInfo, Output>({
      kind: "print",
      what: "report job",
      busy: (n) => `Уже формируется ${n} заданий печати; дождитесь их окончания`,
      missing: (id) => `Задания печати ${id} нет (или его результат уже удален)`,
      ttlMs: setting("REPORT_JOB_TTL_MS"),
      work: async (info, progress) => {
        const r = await work(info, (stage, done, total) => progress(done, total, stage));
        const file =
          typeof r.body === "string"
            ? Buffer.from(r.body)
            : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
        return {
          result: { title: r.title, contentType: r.contentType, fileName: r.fileName, size: file.byteLength },
          file,
        };
      },
    });
  }

  /** Starts rendering in the background; returns the job's status at once. */
  async start(report: string, format: Format, params: unknown): Promise<JobStatus> {
    return view(await this.jobs.start({ report, format, params: params ?? null }, "data"));
  }

  async status(id: string): Promise<JobStatus> {
    return view(await this.jobs.get(id));
  }

  /** The finished job's file (in chunks) and how to send it; 409 while it runs, the job's error if it failed. */
  async result(
    id: string,
  ): Promise<{ body: AsyncIterable<Buffer>; size: number; contentType: string; fileName: string; title: string }> {
    const j = await this.jobs.get(id);
    if (j.state === "running")
      throw new AppError(409, "not_ready", `Задание печати еще формируется: ${j.done} из ${j.total}`);
    if (j.state === "failed") throw new AppError(409, "job_failed", `Задание печати не выполнено: ${j.error?.message}`);
    const r = j.result!;
    return {
      body: this.jobs.file(j),
      size: j.fileSize,
      contentType: r.contentType,
      fileName: r.fileName,
      title: r.title,
    };
  }

  remove(id: string): Promise<void> {
    return this.jobs.remove(id);
  }
}

function view(j: Job<PrintInfo, Output>): JobStatus {
  const r = j.result;
  return {
    ...Background.status(j),
    report: j.info.report,
    format: j.info.format,
    stage: j.stage as JobStatus["stage"],
    result: r ? { contentType: r.contentType, fileName: r.fileName, size: r.size } : null,
  };
}
