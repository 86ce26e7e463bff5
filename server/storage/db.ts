/**
 * Connections. Two pools: the owner's (DDL, migrations, role and policy set-up) and the
 * application's, which logs in as a non-owner role so that forced row-level security applies
 * to every query it sends. Every unit of work runs in `tx(area, fn)`: one transaction whose
 * first statement sets `app.area`, the only tenant its queries can see or write.
 *
 * Values cross the boundary as strings: numeric stays a string (turned into Decimal by the
 * engine, never into a JS number), date is 'YYYY-MM-DD' and timestamp 'YYYY-MM-DDTHH:MM:SS'
 * (wall-clock time, no zone, as 1C keeps it).
 */
import pg from "pg";
import { createHash } from "node:crypto";
import { poolConfig } from "./multihost.ts";
import { log } from "../log.ts";
import { setting } from "../config.ts";

pg.types.setTypeParser(1082, (v: string) => v); // date
pg.types.setTypeParser(1114, (v: string) => v.replace(" ", "T").slice(0, 19)); // timestamp
pg.types.setTypeParser(1700, (v: string) => v); // numeric
pg.types.setTypeParser(20, (v: string) => v); // int8 stays a string: counts may exceed 2^53 in theory

export type Client = pg.PoolClient;

export interface Database {
  owner: pg.Pool;
  app: pg.Pool;
  /** The database's name and the application role's name. */
  name: string;
  appRole: string;
  ownerUrl: string;
  appUrl: string;
  close(): Promise<void>;
}

export const APP_ROLE = setting("APP_DB_ROLE");

/** What the log keeps of a connection's error: its message and SQLSTATE (pg's error holds the whole client). */
const connectionError = (err: Error & { code?: string }) => ({ error: err.message, code: err.code });

/** A pool's options for `url`: a URL with several hosts (libpq's form) gets a client that finds the primary. */
export function poolOptions(url: string, max: number): pg.PoolConfig {
  return { ...poolConfig(url), max, idleTimeoutMillis: 30_000 };
}

/** An idle client that errors (server restarted) must not crash the process: the pool drops it. */
export const logIdleClientError = (err: Error) =>
  log.warn(connectionError(err), "an idle database connection failed; the pool drops it");

/**
 * Nor may a client checked out between two statements of a transaction: its next query fails,
 * and release drops it.
 */
export function watchClients(pool: pg.Pool): void {
  pool.on("connect", (client) =>
    client.on("error", (err) =>
      log.warn(connectionError(err), "a database connection failed; its next query fails and it is dropped"),
    ),
  );
}

export function poolFor(url: string, max: number): pg.Pool {
  const pool = new pg.Pool(poolOptions(url, max));
  pool.on("error", logIdleClientError);
  watchClients(pool);
  return pool;
}

/** The URL for the same server and database, logged in as another role. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

const statementNames = new Map<string, string>();

/**
 * A statement PostgreSQL parses and plans once per connection and then only executes: node-pg
 * prepares it under a name made from its text. For the statements of every posting and every
 * read of an object, whose planning cost about as much as their execution. The text must name
 * its columns (no `*`): a prepared `SELECT *` fails once a migration adds a column.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = "s" + createHash("sha1").update(text).digest("hex").slice(0, 20)));
  return { name, text, values };
}

/** BEGIN and the data area for the transaction's policies, as one statement text. */
function beginSql(area: number): string {
  if (!Number.isInteger(area) || area < 1) throw new Error(`invalid data area ${area}`);
  return `BEGIN; SELECT set_config('app.area', '${area}', true)`;
}

/** Per client inside tx(): statements that go with its COMMIT (see sendWithCommit). */
const withCommit = new WeakMap<Client, string[]>();

/**
 * Runs fn in one transaction in data area `area`. A thrown error rolls everything back.
 * BEGIN and the area are sent in one round trip, and so are COMMIT and the statements queued
 * by sendWithCommit.
 */
export async function tx<T>(pool: pg.Pool, area: number, fn: (c: Client) => Promise<T>): Promise<T> {
  const begin = beginSql(area);
  const c = await pool.connect();
  const queued: string[] = [];
  try {
    await c.query(begin);
    withCommit.set(c, queued);
    const result = await fn(c);
    await c.query([...queued, "COMMIT"].join(";\n"));
    return result;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    withCommit.delete(c);
    c.release();
  }
}

/**
 * Sends a self-contained statement (values inlined with naming.ts lit()) with the transaction's
 * COMMIT, in the same round trip, for a write nothing in the transaction reads back (the
 * journal's entry). PostgreSQL runs it before the COMMIT; if it fails, the transaction is
 * rolled back as if it had failed where it was queued. Returns false — the caller then sends
 * it itself — when `c` is not a transaction of tx().
 */
export function sendWithCommit(c: Client, sql: string): boolean {
  const queued = withCommit.get(c);
  if (!queued) return false;
  queued.push(sql);
  return true;
}

/** A self-contained statement for txBatch: values inlined as literals, no parameters. */
export interface BatchStatement {
  sql: string;
  /** Throws the caller's own error for a failure this statement caused; returns otherwise. */
  mapError?: (e: unknown) => void;
}

/**
 * One transaction in one round trip: `BEGIN; <area>; s1; s2; …; COMMIT` sent as a single
 * simple-protocol message, for work whose statements are all known in advance (posting a
 * ready record set: lock the document row, write the registers). PostgreSQL runs them in
 * order; the first failure aborts the rest and the transaction, which is then rolled back,
 * and the failing statement's mapError (each is offered the error in turn) turns it into the
 * user's message. Values must be inlined safely (storage/naming lit(); UUIDs validated).
 */
export async function txBatch(pool: pg.Pool, area: number, statements: BatchStatement[]): Promise<void> {
  const begin = beginSql(area);
  const c = await pool.connect();
  try {
    await c.query(`${begin};\n${statements.map((x) => x.sql).join(";\n")};\nCOMMIT`);
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    for (const x of statements) x.mapError?.(e);
    throw e;
  } finally {
    c.release();
  }
}

const SERIAL = Symbol("serial queue");

/**
 * A view of a client whose queries run one after another, each sent when the previous one has
 * settled: several callers may issue queries without awaiting each other (a posting handler
 * reading while the engine stages its records), and the connection never gets a second
 * statement while one runs. serially() queues work of another shape (a COPY) the same way.
 */
export function serialClient(c: Client): Client {
  let tail: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
  return new Proxy(c, {
    get(t, k) {
      if (k === SERIAL) return <T>(fn: (raw: Client) => Promise<T>) => enqueue(() => fn(t));
      if (k !== "query") return Reflect.get(t, k, t);
      return (...args: unknown[]) => enqueue(() => (t.query as (...a: unknown[]) => Promise<unknown>)(...args));
    },
  });
}

/** Runs `fn` on the connection behind `c` in its turn (see serialClient), or at once on a plain client. */
export function serially<T>(c: Client, fn: (raw: Client) => Promise<T>): Promise<T> {
  const queue = (c as unknown as Record<symbol, ((f: (raw: Client) => Promise<T>) => Promise<T>) | undefined>)[SERIAL];
  return queue ? queue(fn) : fn(c);
}
