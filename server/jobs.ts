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
export { HEARTBEAT_MS, JobQueue, Jobs, jobQueue, MAX_ATTEMPTS, PROGRESS_MS, STALE_MS } from "./jobs/queue.ts";
export type { Job, JobError, JobStatus, JobsOptions, Outcome, Progress } from "./jobs/types.ts";
