/**
 * What every route handler shares: running its work in one transaction of the request's data
 * area (`tx` from storage/db.ts) with the service context {c, conf, area, actor}; checking ids and
 * bodies. Metadata objects named in the URL are looked up by server/metadata/lookup.ts.
 */
import type { Request } from "express";
import type { Configuration } from "../metadata/types.ts";
import type { Platform } from "../platform.ts";
import { tx, type Database } from "../storage/db.ts";
import { once } from "../idempotency/idempotency.ts";
import { UUID_RE } from "../storage/values.ts";
import { AppError, badRequest } from "../errors.ts";
import { currentScope } from "../security/scope.ts";
import type { Ctx } from "../context.ts";

export type { Ctx };

/** Runs work in one transaction of the request's area; `conf` is the configuration it serves. */
export interface Run {
  <T>(work: (ctx: Ctx) => Promise<T>): Promise<T>;
  conf: Configuration;
  /** The platform's database (for work that outlives a request: background jobs, server/jobs.ts). */
  db: Database;
}

/**
 * Inside an authenticated request the area and the actor are the session's (security/scope.ts);
 * `area` is used only for work outside a request.
 */
export function runner(platform: Platform, area: number): Run {
  const run = <T>(work: (ctx: Ctx) => Promise<T>) => {
    const scope = currentScope();
    const a = scope?.area ?? area;
    // A retried request (same Idempotency-Key) gets the first one's result, not a second effect.
    return tx(platform.db.app, a, (c) =>
      once(c, scope?.actor.userId ?? null, () =>
        work({ c, conf: platform.conf, area: a, ...(scope ? { actor: scope.actor } : {}) }),
      ),
    );
  };
  return Object.assign(run, { conf: platform.conf, db: platform.db });
}

/** The named route parameter as one string (express 5 types allow arrays for wildcards). */
export function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join("/") : (v ?? "");
}

/** The :id parameter: a UUID, lower-cased. */
export function idOf(req: Request): string {
  const id = param(req, "id");
  if (!UUID_RE.test(id)) throw badRequest(`Неверный идентификатор «${id}»: ожидается UUID`, "id");
  return id.toLowerCase();
}

/** Does the request carry a body (whatever its type)? */
function hasBody(req: Request): boolean {
  const len = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (len !== undefined && len !== "0");
}

/**
 * The JSON body, or `undefined` when there is none. A body that is not JSON is refused (415),
 * so a client that forgot the Content-Type hears about it instead of writing an empty object.
 */
export function jsonBody(req: Request): unknown {
  if (!hasBody(req)) return undefined;
  if (!req.is("application/json")) {
    throw new AppError(
      415,
      "unsupported_media_type",
      `Тело запроса должно быть JSON (Content-Type: application/json), получено ${req.headers["content-type"] ?? "без типа"}`,
    );
  }
  return req.body;
}
