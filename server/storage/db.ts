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

const watched = new WeakSet<pg.PoolClient>();

/**
 * Nor may a client checked out between two statements of a transaction: its next query fails,
 * and release drops it. Every client is watched from its first checkout too, so one the pool
 * made before this was called (TypeORM's first connection, storage/orm.ts) is covered.
 */
export function watchClients(pool: pg.Pool): void {
  const watch = (client: pg.PoolClient) => {
    if (watched.has(client)) return;
    watched.add(client);
    client.on("error", (err) =>
      log.warn(connectionError(err), "a database connection failed; its next query fails and it is dropped"),
    );
  };
  pool.on("connect", watch);
  pool.on("acquire", watch);
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
 * Round trips saved: BEGIN and the area go with the transaction's first statement (see
 * openingWith), COMMIT with the statements queued by sendWithCommit.
 */
export async function tx<T>(pool: pg.Pool, area: number, fn: (c: Client) => Promise<T>): Promise<T> {
  const begin = beginSql(area);
  const c = await pool.connect();
  const queued: string[] = [];
  const opening = openingWith(c, area);
  try {
    withCommit.set(c, queued);
    const result = await fn(c);
    const commit = [...queued, "COMMIT"].join(";\n");
    if (opening.opened()) await opening.confirmed();
    await c.query(opening.opened() ? commit : `${begin};\n${commit}`);
    return result;
  } catch (e) {
    if (opening.opened()) await c.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    opening.opened();
    withCommit.delete(c);
    c.release();
  }
}

/**
 * Makes the next statement sent on `c` open the transaction: BEGIN and `SET LOCAL app.area`
 * travel in front of it, in the same message — a parameterised statement's as two more
 * Parse/Bind/Execute before its own (PostgreSQL's extended protocol runs everything up to the
 * Sync in order, and an error skips the rest), a plain text's as two more statements before
 * it. The statement's caller gets only its own result. A COPY stream or a callback-style call
 * gets BEGIN queued ahead of it instead. `opened()`: whether the transaction has been opened
 * (asking also stops the interception if it has not); `confirmed()`: a BEGIN sent alone went
 * through.
 */
function openingWith(c: Client, area: number): { opened(): boolean; confirmed(): Promise<unknown> } {
  let opened = false;
  // BEGIN sent on its own, queued ahead of a COPY stream or a callback-style call
  let begun: Promise<unknown> = Promise.resolve();
  const own = c as unknown as { query: unknown };
  const query = c.query as (...a: unknown[]) => unknown;
  own.query = (config: unknown, values?: unknown, callback?: unknown) => {
    delete own.query;
    opened = true;
    const text = typeof config === "string" ? config : (config as pg.QueryConfig | null)?.text;
    const submittable = typeof (config as { submit?: unknown } | null)?.submit === "function";
    if (submittable || typeof text !== "string" || typeof values === "function" || typeof callback === "function") {
      begun = c.query(beginSql(area));
      begun.catch(() => {}); // seen by confirmed()
      return query.call(c, config, values, callback); // the caller gets what it asked for (the stream) at once
    }
    const qc: pg.QueryConfig =
      typeof config === "string" ? { text, values: values as unknown[] } : { ...(config as pg.QueryConfig) };
    if (values !== undefined) qc.values = values as unknown[];
    return new Promise((resolve, reject) =>
      c.query(new OpeningQuery(qc, area, (err, result) => (err ? reject(err) : resolve(result)))),
    );
  };
  return {
    opened() {
      if (!opened) delete own.query;
      return opened;
    },
    confirmed: () => begun,
  };
}

/** node-pg's Query methods that OpeningQuery extends (pg/lib/query.js; @types/pg leaves them out). */
interface QueryInternals {
  prepare(connection: ProtocolWriter): void;
  handleCommandComplete(msg: unknown, connection: ProtocolWriter): void;
}
/** node-pg's Connection as a Query writes to it (pg/lib/connection.js). */
interface ProtocolWriter {
  parse(query: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string; rows: number }): void;
}
const queryInternals = pg.Query.prototype as unknown as QueryInternals;

/** A pg Query preceded by BEGIN and SET LOCAL app.area in the same message (see openingWith). */
class OpeningQuery extends pg.Query {
  /** Commands of the opening still to be acknowledged: they are not the caller's results. */
  private opening = 2;
  private readonly openingText: string[];

  constructor(config: pg.QueryConfig, area: number, callback: (err: Error | undefined, result: unknown) => void) {
    // as node-pg decides between its two protocols (Query#requiresPreparation)
    const extended =
      (config.values?.length ?? 0) > 0 ||
      Boolean(config.name) ||
      (config as { queryMode?: string }).queryMode === "extended";
    const opening = ["BEGIN", `SET LOCAL app.area = '${area}'`];
    super(extended ? config : { ...config, text: `${opening.join(";\n")};\n${config.text}` }, callback);
    this.openingText = extended ? opening : [];
  }

  prepare(connection: ProtocolWriter): void {
    for (const text of this.openingText) {
      connection.parse({ text, name: "", types: [] });
      connection.bind({ portal: "", statement: "", values: [] });
      connection.execute({ portal: "", rows: 0 });
    }
    queryInternals.prepare.call(this, connection);
  }

  handleCommandComplete(msg: unknown, connection: ProtocolWriter): void {
    if (this.opening > 0) {
      this.opening--;
      return;
    }
    queryInternals.handleCommandComplete.call(this, msg, connection);
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
