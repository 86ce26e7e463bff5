/**
 * Safe client retries: a POST, PUT or DELETE that carries an `Idempotency-Key` header has one
 * effect however often it is sent. The first request's transaction records the key (with the
 * user, method, path and a hash of the body) before it does the work and stores the work's
 * result in the same transaction, so the key and the effect commit — or roll back — together.
 * A duplicate that arrives meanwhile waits on the key's row (INSERT … ON CONFLICT blocks until
 * the first transaction ends), then answers with the stored result and does nothing; if the
 * first rolled back, the duplicate does the work itself. The same key with another request is
 * refused (422). Keys are kept for a day.
 *
 * Wiring: the HTTP middleware (idempotencyMiddleware) puts the key in the request's
 * AsyncLocalStorage; the route runner (http/context.ts) calls `once` around the request's
 * first unit of work.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { AppError, badRequest } from "../errors.ts";
import type { Client } from "../storage/db.ts";
import { q } from "../storage/naming.ts";
import { areaIsolationSql } from "../storage/columns.ts";

export const IDEMPOTENCY_TABLE = "_idempotency";
/** How long a key is remembered. */
export const KEEP = "1 day";

interface Pending {
  key: string;
  fingerprint: string;
  used: boolean;
}

const storage = new AsyncLocalStorage<Pending>();

const KEY_RE = /^[\x21-\x7e]{1,200}$/;

/** Express middleware: takes the header of a writing request into the request's scope. */
export function idempotencyMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const key = req.get("idempotency-key");
  if (key === undefined || !["POST", "PUT", "PATCH", "DELETE"].includes(req.method)) return next();
  if (!KEY_RE.test(key))
    return next(
      badRequest(
        "Idempotency-Key: от 1 до 200 печатных символов ASCII без пробелов (например, UUID)",
        "Idempotency-Key",
      ),
    );
  let body: string;
  try {
    body = req.body === undefined ? "" : JSON.stringify(req.body);
  } catch {
    // The body parser limits nesting (http/hardening.ts); this guards a body that got past it.
    return next(badRequest("Тело запроса вложено слишком глубоко, чтобы запомнить его под Idempotency-Key"));
  }
  const fingerprint = createHash("sha256")
    .update(
      `${req.method} ${req.originalUrl.split("?")[0]}?${new URLSearchParams(req.query as Record<string, string>).toString()}\n${body}`,
    )
    .digest("hex");
  storage.run({ key, fingerprint, used: false }, next);
}

/**
 * Runs `work` once per idempotency key of the current request (if it has one and this is the
 * request's first unit of work); otherwise just runs it. `c` is the unit's transaction, in the
 * request's area; `user` names who asks (a key is the user's own).
 */
export async function once<T>(c: Client, user: string | null, work: () => Promise<T>): Promise<T> {
  const p = storage.getStore();
  if (!p || p.used) return work();
  p.used = true;
  const t = q(IDEMPOTENCY_TABLE);
  const mine = await c.query(
    `INSERT INTO ${t} (key, user_id, fingerprint) VALUES ($1, $2, $3) ON CONFLICT (area, key) DO NOTHING RETURNING key`,
    [p.key, user ?? "", p.fingerprint],
  );
  if (mine.rowCount === 0) {
    // Done before (or by a duplicate that has just committed): answer as it was answered.
    const r = await c.query(`SELECT user_id, fingerprint, result FROM ${t} WHERE key = $1`, [p.key]);
    const row = r.rows[0];
    if (!row)
      throw new AppError(
        409,
        "idempotency_conflict",
        "Запрос с этим Idempotency-Key ещё выполняется: повторите его позже",
      );
    if (row.user_id !== (user ?? "") || row.fingerprint !== p.fingerprint)
      throw new AppError(
        422,
        "idempotency_key_reused",
        "Этот Idempotency-Key уже использован для другого запроса: для нового запроса нужен новый ключ",
        "Idempotency-Key",
      );
    return row.result === null ? (undefined as T) : (row.result.value as T);
  }
  const result = await work();
  await c.query(`UPDATE ${t} SET result = $2 WHERE key = $1`, [
    p.key,
    JSON.stringify({ value: result === undefined ? null : result }),
  ]);
  // Forget old keys now and then (cheap: an index range on created_at).
  if (Math.random() < 0.01) await c.query(`DELETE FROM ${t} WHERE created_at < now() - interval '${KEEP}'`);
  return result;
}

/** The table, created by the migration as the owner, under forced row-level security by area. */
export function idempotencySchemaSql(appRole: string, areaDefault: string): string {
  const t = q(IDEMPOTENCY_TABLE);
  return `
CREATE TABLE IF NOT EXISTS ${t} (
  area integer NOT NULL DEFAULT ${areaDefault},
  key text NOT NULL,
  user_id text NOT NULL,
  fingerprint text NOT NULL,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area, key)
);
CREATE INDEX IF NOT EXISTS _idempotency_created ON ${t} (area, created_at);
${areaIsolationSql(IDEMPOTENCY_TABLE, appRole, "SELECT, INSERT, UPDATE, DELETE", areaDefault)}
`;
}
