/** The shapes of background jobs (server/jobs.ts), apart so that jobs/queue.ts and jobs.ts do not import each other. */
import type { JobStatus } from "../http/api-types.ts";

/** Reported by the work as it goes: `done` of `total` units, and what it is doing now. */
export type Progress = (done: number, total: number, stage?: string | null) => void;

export interface JobError {
  code: string;
  message: string;
  field: string | null;
}

/** A job as GET /api/jobs/:id answers it: the shape the client reads (http/api-types.ts). */
export type { JobStatus };

export interface Job<I, R> extends JobStatus {
  info: I;
  result: R | null;
  /** Only its owner (area and user) sees a job: another user, or another area, gets 404. */
  owner: string | null;
  /** The size of the job's file in bytes (0 without one). */
  fileSize: number;
}

/** What a kind's work produced: the result kept as JSON, and optionally a file (a print). */
export interface Outcome<R> {
  result: R;
  file?: Buffer | string;
}

export interface JobsOptions<I, R> {
  /** The kind of job as stored ("posting", "print"): one registered work per kind and database. */
  kind: string;
  /** What a job is, for log lines ("report job", "posting job"). */
  what: string;
  /** The message of 429 when `max` jobs are running. */
  busy(running: number): string;
  /** The message of 404 for an unknown (or forgotten) job. */
  missing(id: string): string;
  /** At most this many running jobs of the kind per data area (default 200). */
  max?: number;
  ttlMs?: number;
  /**
   * The work of a job, from its stored info, in the scope of the user who started it (the
   * request's own, or rebuilt when another process takes the job over). Run again after a restart.
   */
  work(info: I, progress: Progress): Promise<Outcome<R>>;
}
