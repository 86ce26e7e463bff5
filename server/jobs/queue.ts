/**
 * The queue of background jobs in PostgreSQL (the public side and the rules: server/jobs.ts).
 * One JobQueue per database and process: it inserts a job's row and runs its work (progress
 * through jobs/progress.ts), writes the outcome fenced by its worker id, renews the heartbeat of
 * the jobs it runs, and sweeps — at start and every HEARTBEAT_MS — for jobs no live process
 * holds, to run them again as the user who started them.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "../errors.ts";
import { currentScope, scopeStorage, type RequestScope } from "../security/scope.ts";
import { permissionsFor } from "../security/permissions.ts";
import type { Configuration } from "../metadata/types.ts";
import { tx, type Database } from "../storage/db.ts";
import { UUID_RE } from "../storage/values.ts";
import { once } from "../idempotency/idempotency.ts";
import type { Job, JobError, JobStatus, JobsOptions, Outcome } from "./types.ts";
import { JOBS_TABLE } from "./schema.ts";
import { RunningJob } from "./progress.ts";
import { log } from "../log.ts";
import { setting } from "../config.ts";

export { PROGRESS_MS } from "./progress.ts";
/** A running job's heartbeat is renewed this often by its process... */
export const HEARTBEAT_MS = 5_000;
/** ...and a job whose heartbeat is older than this is taken over by another process. */
export const STALE_MS = 30_000;
/** A job taken over this many times (it kept killing its process?) fails instead of running again. */
export const MAX_ATTEMPTS = 3;
/** The bytes of a file read per query when it is sent. */
const CHUNK = 4 * 1024 * 1024;

const DEFAULT_TTL = setting("JOB_TTL_MS");
/** A registered kind, its info and result types erased (the rows hold JSON). */
type Kind = JobsOptions<unknown, unknown>;
const T = JOBS_TABLE;

/** Whose a job is: the data area and user of the request that started it (null outside a request). */
const ownerNow = (): string | null => {
  const s = currentScope();
  return s ? `${s.area}|${s.actor.userId}` : null;
};

/** Who started a job, kept so that another process can run its work as that user. */
interface Starter {
  userId: string;
  login: string;
  ip: string | null;
  name: string;
  roles: string[];
}

interface Row {
  area: number;
  id: string;
  kind: string;
  owner: string | null;
  starter: Starter | null;
  info: unknown;
  state: JobStatus["state"];
  stage: string | null;
  done: number;
  total: number;
  error: JobError | null;
  result: unknown;
  file_size: number;
  attempts: number;
  started: Date;
  finished: Date | null;
}

const COLUMNS =
  "area, id, kind, owner, starter, info, state, stage, done, total, error, result, coalesce(octet_length(file), 0)::integer AS file_size, attempts, started, finished";

const internalError = () =>
  new AppError(500, "internal", "Внутренняя ошибка сервера. Она записана в журнал; сообщите администратору.");

/**
 * The jobs of one database, run by this process. One per Database (jobQueue): several apps over
 * one platform share it; its timers stop and its running jobs are handed back when the platform
 * closes (their rows stay "running", with no worker, for the next process to take at once).
 */
export class JobQueue {
  readonly worker = randomUUID();
  private kinds = new Map<string, Kind>();
  private local = new Map<string, RunningJob>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private sweeping: Promise<void> | null = null;
  /** Data areas this process has seen jobs in (swept besides those registered in _areas). */
  private areas = new Set<number>();

  constructor(
    private db: Database,
    private conf: Configuration,
  ) {}

  /** Registers (or replaces) the work of a kind; returns the kind's jobs. */
  register<I, R>(opts: JobsOptions<I, R>): Jobs<I, R> {
    this.kinds.set(opts.kind, opts as unknown as Kind);
    if (!this.timer && !this.closed) {
      // Once every kind of the app is registered: take over what a stopped process left.
      setImmediate(() => this.sweep());
      this.timer = setInterval(() => this.tick(), HEARTBEAT_MS);
      this.timer.unref();
    }
    return new Jobs<I, R>(this, opts);
  }

  private get pool(): pg.Pool {
    return this.db.app;
  }

  /** Starts a job of `kind` in the background in the current request's area; returns it at once. */
  async start<I, R>(opts: JobsOptions<I, R>, info: I, stage: string | null): Promise<Job<I, R>> {
    const scope = currentScope();
    if (!scope) throw new Error(`${opts.what}: a background job is started inside a request`);
    const starter: Starter = {
      userId: scope.actor.userId,
      login: scope.actor.login,
      ip: scope.actor.ip,
      name: scope.session.name,
      roles: scope.session.roles,
    };
    const id = randomUUID();
    this.areas.add(scope.area);
    let inserted: Row | null = null;
    // Under the request's Idempotency-Key (if any): a retried start answers with the same job and
    // starts none, and the key is spent here, not by the work's own units.
    const job = await tx(this.pool, scope.area, (c) =>
      once(c, scope.actor.userId, async () => {
        const running = Number(
          (await c.query(`SELECT count(*) AS n FROM ${T} WHERE kind = $1 AND state = 'running'`, [opts.kind])).rows[0]
            .n,
        );
        if (running >= (opts.max ?? 200)) throw new AppError(429, "too_many_jobs", opts.busy(running));
        const r = await c.query(
          `INSERT INTO ${T} (id, kind, owner, starter, info, stage, worker, heartbeat) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING ${COLUMNS}`,
          [id, opts.kind, ownerNow(), JSON.stringify(starter), JSON.stringify(info), stage, this.worker],
        );
        inserted = r.rows[0] as Row;
        return toJob<I, R>(inserted);
      }),
    );
    const row: Row | null = inserted;
    // Deferred: the caller answers the request before the work takes the event loop (the
    // request's scope goes along: the work runs as the user who asked).
    if (row) setImmediate(() => this.execute(opts as unknown as Kind, row));
    return job;
  }

  /** Runs a job this process holds, to its end; writes progress, then the outcome. */
  private execute(opts: Kind, row: Row): void {
    const l = new RunningJob(row.id, row.area, this.pool, this.worker, row);
    this.local.set(row.id, l);
    let work: Promise<Outcome<unknown>>;
    try {
      work = opts.work(row.info, (done, total, stage) => l.report(done, total, stage));
    } catch (e) {
      work = Promise.reject(e);
    }
    work
      .then(
        (out) => this.finish(l, { state: "done", result: out.result, file: out.file }, opts),
        (e) => {
          if (l.released) return; // the process is closing: the next one runs it again
          const err = e instanceof AppError ? e : internalError();
          if (!(e instanceof AppError)) log.error({ err: e, job: row.id }, `${opts.what} failed`);
          return this.finish(l, { state: "failed", error: err.toJSON().error }, opts);
        },
      )
      .catch((e) => log.warn({ err: e, job: row.id }, `${opts.what}: its outcome was not written`))
      .finally(() => this.local.delete(row.id));
  }

  private async finish(
    l: RunningJob,
    end: { state: "done"; result: unknown; file?: Buffer | string } | { state: "failed"; error: JobError },
    opts: Kind,
  ): Promise<void> {
    await l.settle();
    if (l.released) return;
    const ttl = `${opts.ttlMs ?? DEFAULT_TTL} milliseconds`;
    await tx(this.pool, l.area, (c) =>
      end.state === "done"
        ? c.query(
            `UPDATE ${T} SET state = 'done', done = $3, total = $3, stage = $4, result = $5, file = $6, finished = now(), expires = now() + $7::interval, worker = NULL
              WHERE id = $1 AND worker = $2 AND state = 'running'`,
            [
              l.id,
              this.worker,
              l.total,
              l.stage,
              JSON.stringify(end.result ?? null),
              end.file === undefined ? null : Buffer.isBuffer(end.file) ? end.file : Buffer.from(end.file),
              ttl,
            ],
          )
        : c.query(
            `UPDATE ${T} SET state = 'failed', done = $3, total = $4, stage = $5, error = $6, finished = now(), expires = now() + $7::interval, worker = NULL
              WHERE id = $1 AND worker = $2 AND state = 'running'`,
            [l.id, this.worker, l.done, l.total, l.stage, JSON.stringify(end.error), ttl],
          ),
    );
  }

  /** The job of `kind` with this id, if the current user owns it and it is not forgotten. */
  async find(kind: string, id: string): Promise<Row | null> {
    const scope = currentScope();
    if (!scope || !UUID_RE.test(id)) return null;
    const r = await tx(this.pool, scope.area, (c) =>
      c.query(
        `SELECT ${COLUMNS}, (state = 'running' AND (worker IS NULL OR heartbeat < now() - $4::interval)) AS orphan
           FROM ${T} WHERE id = $1 AND kind = $2 AND owner IS NOT DISTINCT FROM $3 AND (expires IS NULL OR expires > now())`,
        [id, kind, ownerNow(), `${STALE_MS} milliseconds`],
      ),
    );
    const row = r.rows[0] as (Row & { orphan: boolean }) | undefined;
    if (row?.orphan) {
      // Left by a stopped process in an area this process had not swept (not in _areas): take it now.
      this.areas.add(scope.area);
      void this.sweep();
    }
    return row ?? null;
  }

  /** Forgets a job of the current area (a running one is left to end: its writes then find no row). */
  async remove(kind: string, id: string): Promise<void> {
    const scope = currentScope();
    if (!scope || !UUID_RE.test(id)) return;
    await tx(this.pool, scope.area, (c) =>
      c.query(`DELETE FROM ${T} WHERE id = $1 AND kind = $2 AND owner IS NOT DISTINCT FROM $3`, [id, kind, ownerNow()]),
    );
  }

  /** The job's file in chunks of CHUNK bytes (the row is in the current request's area). */
  async *file(id: string, size: number): AsyncGenerator<Buffer> {
    const area = currentScope()!.area;
    for (let at = 0; at < size; at += CHUNK) {
      const r = await tx(this.pool, area, (c) =>
        c.query(`SELECT substring(file FROM $2 FOR $3) AS part FROM ${T} WHERE id = $1`, [id, at + 1, CHUNK]),
      );
      const part = r.rows[0]?.part as Buffer | null | undefined;
      if (!part) throw new AppError(404, "not_found", "Файл задания удален");
      yield part;
    }
  }

  private tick(): void {
    if (this.closed) return;
    // Heartbeat of the jobs running here, one statement per area.
    const byArea = new Map<number, string[]>();
    for (const l of this.local.values()) if (!l.released) byArea.set(l.area, [...(byArea.get(l.area) ?? []), l.id]);
    for (const [area, ids] of byArea)
      tx(this.pool, area, (c) =>
        c.query(`UPDATE ${T} SET heartbeat = now() WHERE id = ANY($1::uuid[]) AND worker = $2 AND state = 'running'`, [
          ids,
          this.worker,
        ]),
      ).catch((e) => log.warn({ err: e }, "the heartbeat of background jobs was not written"));
    this.sweep();
  }

  /**
   * Takes over the running jobs no live process holds (no worker, or a stale heartbeat) and
   * forgets expired ones, in every area registered in _areas (read as the owner: the list of
   * areas, as the maintenance commands go through them) and every area this process has seen a
   * job in (a job of an unregistered area is taken over when its owner asks for it). Resolves
   * when the taking is done.
   */
  sweep(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.sweeping ??= this.takeOver()
      .catch((e) => {
        if (!this.closed) log.warn({ err: e }, "background jobs left by a stopped process were not taken over");
      })
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async takeOver(): Promise<void> {
    const kinds = [...this.kinds.keys()];
    const registered = (await this.db.owner.query("SELECT area FROM _areas")).rows.map((r) => Number(r.area));
    for (const area of new Set([...registered, ...this.areas])) {
      if (this.closed) return;
      const rows = await tx(this.pool, area, async (c) => {
        await c.query(`DELETE FROM ${T} WHERE expires < now()`);
        const r = await c.query(
          `UPDATE ${T} SET worker = $1, heartbeat = now(), attempts = attempts + 1
            WHERE (area, id) IN (SELECT area, id FROM ${T} WHERE state = 'running' AND kind = ANY($2::text[]) AND (worker IS NULL OR heartbeat < now() - $3::interval)
                                  ORDER BY started LIMIT 20 FOR UPDATE SKIP LOCKED)
            RETURNING ${COLUMNS}`,
          [this.worker, kinds, `${STALE_MS} milliseconds`],
        );
        return r.rows as Row[];
      });
      for (const row of rows) await this.resume(row);
    }
  }

  /**
   * Runs a job taken over from a stopped process again, as the user who started it — with the
   * user's roles as they are now (a user disabled or removed meanwhile: the job fails).
   */
  private async resume(row: Row): Promise<void> {
    const opts = this.kinds.get(row.kind)!;
    const l0 = new RunningJob(row.id, row.area, this.pool, this.worker, row);
    const fail = (message: string) =>
      this.finish(l0, { state: "failed", error: { code: "job_interrupted", message, field: null } }, opts).catch((e) =>
        log.warn({ err: e, job: row.id }, `${opts.what}: its failure was not written`),
      );
    const s0 = row.starter;
    if (!s0) return fail("Задание прервано остановкой сервера; запустите его заново");
    if (row.attempts > MAX_ATTEMPTS)
      return fail(
        `Задание прерывалось ${row.attempts - 1} раз (остановка сервера) и больше не запускается; запустите его заново`,
      );
    if (!UUID_RE.test(s0.userId)) return fail("Задание прервано остановкой сервера; запустите его заново");
    const user = (
      await tx(this.pool, row.area, (c) =>
        c.query("SELECT login, name, roles, disabled FROM _users WHERE id = $1", [s0.userId]),
      )
    ).rows[0];
    if (!user || user.disabled)
      return fail(
        `Задание прервано остановкой сервера, а пользователь ${s0.login} с тех пор отключен; задание не продолжено`,
      );
    const s: Starter = { ...s0, login: user.login, name: user.name, roles: user.roles };
    log.info({ job: row.id, kind: row.kind, attempt: row.attempts }, `${opts.what} taken over from a stopped process`);
    const scope: RequestScope = {
      area: row.area,
      session: {
        area: row.area,
        tokenHash: "",
        userId: s.userId,
        login: s.login,
        name: s.name,
        roles: s.roles,
        csrf: "",
      },
      perms: permissionsFor(this.conf, s.roles),
      actor: { userId: s.userId, login: s.login, ip: s.ip },
    };
    scopeStorage.run(scope, () => this.execute(opts, row));
  }

  /**
   * Stops taking jobs and hands the ones running here back (no worker: the next process takes
   * them at once); their work, still going, writes nothing more. Called before the pools close.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
    const byArea = new Map<number, string[]>();
    for (const l of this.local.values()) {
      l.release();
      byArea.set(l.area, [...(byArea.get(l.area) ?? []), l.id]);
    }
    for (const l of this.local.values()) await l.settle();
    for (const [area, ids] of byArea)
      await tx(this.pool, area, (c) =>
        c.query(`UPDATE ${T} SET worker = NULL WHERE id = ANY($1::uuid[]) AND worker = $2 AND state = 'running'`, [
          ids,
          this.worker,
        ]),
      ).catch((e) =>
        log.warn(
          { err: e },
          "background jobs were not handed back; another process takes them once their heartbeat is stale",
        ),
      );
  }

  /** How many jobs' work runs in this process now (a halted worker's too, until it ends): for tests. */
  get runningHere(): number {
    return this.local.size;
  }

  /** Stops this worker without handing its jobs back, as if its process died (for tests). */
  halt(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const l of this.local.values()) l.release();
  }
}

const queues = new WeakMap<Database, JobQueue>();

/** The job queue of a database (one per Database; closed with it). */
export function jobQueue(db: Database, conf: Configuration): JobQueue {
  let q = queues.get(db);
  if (!q) {
    const queue = new JobQueue(db, conf);
    queues.set(db, queue);
    // The platform closes its pools through db.close(): hand the running jobs back first.
    const close = db.close.bind(db);
    db.close = async () => {
      await queue.close();
      await close();
    };
    q = queue;
  }
  return q;
}

function toJob<I, R>(r: Row): Job<I, R> {
  return {
    id: r.id,
    state: r.state,
    stage: r.stage,
    done: r.done,
    total: r.total,
    started: r.started.toISOString(),
    finished: r.finished ? r.finished.toISOString() : null,
    error: r.error,
    info: r.info as I,
    result: (r.result ?? null) as R | null,
    owner: r.owner,
    fileSize: r.file_size,
  };
}

/** The jobs of one kind: started in, and seen from, the current request's area and user. */
export class Jobs<I, R> {
  constructor(
    readonly queue: JobQueue,
    private opts: JobsOptions<I, R>,
  ) {}

  /** Starts the kind's work in the background; returns the job at once (state "running"). */
  start(info: I, stage: string | null = null): Promise<Job<I, R>> {
    return this.queue.start(this.opts as unknown as Kind, info, stage) as Promise<Job<I, R>>;
  }

  /** The job (404 naming it when unknown, forgotten, or another user's). */
  async get(id: string): Promise<Job<I, R>> {
    const r = await this.queue.find(this.opts.kind, id);
    if (!r) throw new AppError(404, "not_found", this.opts.missing(id));
    return toJob<I, R>(r);
  }

  /** The common fields of a job's status. */
  static status(j: JobStatus): JobStatus {
    const { id, state, stage, done, total, started, finished, error } = j;
    return { id, state, stage, done, total, started, finished, error };
  }

  remove(id: string): Promise<void> {
    return this.queue.remove(this.opts.kind, id);
  }

  /** The job's file, in chunks. */
  file(job: Job<I, R>): AsyncGenerator<Buffer> {
    return this.queue.file(job.id, job.fileSize);
  }
}
