/**
 * Users outside a request: the first administrator on start (main.ts), users created by a
 * configuration's initial data (ctx.createUser), and the tests' administrator.
 */
import type { Platform } from "../platform.ts";
import { tx } from "../storage/db.ts";
import { AppError } from "../errors.ts";
import { ensureAdministrator, findUser, createUser, setPassword, type NewUser, type UserRow } from "./users.ts";

/** Creates `admin` in the area if it has no administrator (see ensureAdministrator). */
export function ensureAdmin(p: Platform, area: number, password?: string) {
  return tx(p.db.app, area, (c) => ensureAdministrator(c, p.conf, password)).catch((e) => {
    if (e instanceof AppError && e.field === "password")
      throw new AppError(
        e.status,
        e.code,
        `Пароль первого администратора (ADMIN_PASSWORD) не подходит: ${e.message}`,
        e.field,
      );
    throw e;
  });
}

/** Creates the user, or — when the login exists — sets its password (when given). */
export function upsertUser(p: Platform, area: number, u: NewUser): Promise<UserRow> {
  return tx(p.db.app, area, async (c) => {
    const existing = await findUser(c, u.login);
    if (!existing) return createUser(c, p.conf, u);
    if (u.password) await setPassword(c, p.conf, { ...existing, roles: u.roles }, u.password, "password"); // the policy of the roles it gets
    await c.query("UPDATE _users SET roles = $2, disabled = false WHERE id = $1", [existing.id, u.roles]);
    return (await findUser(c, u.login))!;
  });
}
