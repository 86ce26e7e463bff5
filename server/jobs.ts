/**
 * Background jobs with progress, kept in PostgreSQL (the `_jobs` table, jobs/schema.ts) so that a
 * restart loses none: the work starts after the request that asked for it has been answered, and
 * the client polls the job — state, stage, done of total — for its progress bar. Every server
 * process on the database is a worker: it runs the jobs it started, and takes over a job left
 * "running" by a process that stopped (closed: at once; died: once its heartbeat is older than
 * STALE_MS), running its work again from what the row keeps (`info`, and who asked: the work runs
 * in that user's scope). A kind's work must therefore be safe to run again (reposting replaces
 * the record set; a print is rendered anew). A job is forgotten `ttlMs` after it ends (default
 * JOB_TTL_MS, else 30 minutes), or when removed.
 *
 * Rows are in the job's data area under forced row-level security, like every platform table,
 * and only the job's owner (area and user) sees it: another user, or another area, gets 404.
 * Progress is written at most every PROGRESS_MS per job (the work may report it per row).
 * A kind's work may produce a file (a print): it is kept in the row (bytea), read back in chunks.
 * The queue itself: jobs/queue.ts; the throttled progress: jobs/progress.ts; the table: jobs/schema.ts.
 *
 * Not pg-boss: its tables live in its own schema, created and used by the owner role, outside the
 * area-keyed, forced row-level security every platform table has; it keeps no progress nor files;
 * and its current versions need Node 22. A table and a sweep of a few hundred lines fit better.
 */
import type { JobStatus } from "./http/api-types.ts";

export { HEARTBEAT_MS, JobQueue, Jobs, jobQueue, MAX_ATTEMPTS, PROGRESS_MS, STALE_MS } from "./jobs/queue.ts";

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
