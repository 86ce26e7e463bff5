/**
 * Calling the platform's services from tests: `inArea` runs a function in one transaction of a
 * data area with the service context; `rejects` expects a user-facing refusal (AppError) and
 * returns it so the test can assert its status, code and field.
 */
import { tx } from "../../server/storage/db.ts";
import type { Platform } from "../../server/platform.ts";
import { AppError } from "../../server/errors.ts";
import type { Ctx } from "../../server/context.ts";

export type { Ctx };

export const inArea = <T>(p: Platform, fn: (ctx: Ctx) => Promise<T>, area = 1): Promise<T> =>
  tx(p.db.app, area, (c) => fn({ c, conf: p.conf, area }));

export async function rejects(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}
