/**
 * One job running in this process (server/jobs/queue.ts): its latest progress, written to its row
 * at most every PROGRESS_MS however often the work reports it (one write in flight at a time;
 * what arrives meanwhile is written by the next one), each write renewing the heartbeat. A write
 * is fenced by the worker: a job another process has taken over is not written by this one.
 */
import type pg from "pg";
import { tx } from "../storage/db.ts";
import { log } from "../log.ts";
import { JOBS_TABLE } from "./schema.ts";

/** Progress is written at most this often per job. */
export const PROGRESS_MS = 250;

export class RunningJob {
  done: number;
  total: number;
  stage: string | null;
  /** Handed back (the process closes) or halted: nothing more is written for it here. */
  released = false;
  /** Progress not yet written; the write in flight; the pending one; when the last was sent. */
  private dirty = false;
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWrite = 0;

  constructor(
    readonly id: string,
    readonly area: number,
    private pool: pg.Pool,
    private worker: string,
    from: { done: number; total: number; stage: string | null },
  ) {
    this.done = from.done;
    this.total = from.total;
    this.stage = from.stage;
  }

  /** The work's progress callback: `done` of `total`, and the stage when given. */
  report(done: number, total: number, stage?: string | null): void {
    if (this.released) return;
    this.done = done;
    this.total = total;
    if (stage !== undefined) this.stage = stage;
    this.dirty = true;
    this.schedule();
  }

  /** Drops a pending write and waits for the one in flight (before the outcome is written). */
  async settle(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty = false;
    await this.writing;
  }

  /** Writes nothing more (the process closes, or halts); the write in flight may still end. */
  release(): void {
    this.released = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes the progress now, or once PROGRESS_MS have passed since the last write. */
  private schedule(): void {
    if (this.timer || this.writing || this.released) return;
    this.timer = setTimeout(() => this.write(), Math.max(0, this.lastWrite + PROGRESS_MS - Date.now()));
  }

  private write(): void {
    this.timer = null;
    if (!this.dirty || this.released) return;
    this.dirty = false;
    this.lastWrite = Date.now();
    this.writing = tx(this.pool, this.area, (c) =>
      c.query(
        `UPDATE ${JOBS_TABLE} SET done = $3, total = $4, stage = $5, heartbeat = now() WHERE id = $1 AND worker = $2 AND state = 'running'`,
        [this.id, this.worker, this.done, this.total, this.stage],
      ),
    )
      .then(
        () => undefined,
        (e) => log.warn({ err: e, job: this.id }, "the progress of a job was not written"),
      )
      .finally(() => {
        this.writing = null;
        if (this.dirty) this.schedule();
      });
  }
}
