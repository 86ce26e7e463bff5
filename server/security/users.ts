/**
 * Users of a data area (_users, schema.ts): create, find by login, change the password, list
 * and edit for the administrator, and the first administrator of an area. Every function runs
 * inside the caller's transaction of that area (row-level security keeps other areas out).
 */
import type { Client } from "../storage/db.ts";
import type { Configuration } from "../metadata/types.ts";
import { AppError, badRequest, conflict } from "../errors.ts";
import { generatePassword, hashPassword, passwordProblem, type PasswordHash } from "./passwords.ts";
import { administratorRole, allRoles, roleNames } from "./permissions.ts";

export interface UserRow {
  id: string;
  login: string;
  name: string;
  roles: string[];
  disabled: boolean;
  password: PasswordHash | null;
}

export interface NewUser {
  login: string;
  name?: string;
  roles: string[];
  /** Without a password the user cannot log in until the administrator sets one. */
  password?: string | null;
}

/** A public view of a user (no hash). */
export const userView = (u: UserRow) => ({ id: u.id, login: u.login, name: u.name, roles: u.roles, disabled: u.disabled, hasPassword: u.password !== null });

const LOGIN_RE = /^[A-Za-z0-9._@-]{1,64}$/;

export function checkLogin(login: unknown): string {
  if (typeof login !== "string" || !LOGIN_RE.test(login)) {
    throw badRequest("Имя пользователя: от 1 до 64 символов — латинские буквы, цифры и . _ @ -", "login");
  }
  return login;
}

export function checkRoles(conf: Configuration, roles: unknown): string[] {
  const known = roleNames(conf);
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== "string")) throw badRequest(`Роли: список имён ролей (${known.join(", ")})`, "roles");
  for (const r of roles as string[]) if (!known.includes(r)) throw badRequest(`Нет роли «${r}»; роли конфигурации: ${known.join(", ")}`, "roles");
  return [...new Set(roles as string[])];
}

const COLUMNS = "id, login, name, roles, disabled, password";

export async function findUser(c: Client, login: string): Promise<UserRow | null> {
  const r = await c.query(`SELECT ${COLUMNS} FROM _users WHERE lower(login) = lower($1)`, [login]);
  return r.rows[0] ?? null;
}

export async function userById(c: Client, id: string): Promise<UserRow | null> {
  const r = await c.query(`SELECT ${COLUMNS} FROM _users WHERE id = $1`, [id]);
  return r.rows[0] ?? null;
}

export async function listUsers(c: Client): Promise<UserRow[]> {
  return (await c.query(`SELECT ${COLUMNS} FROM _users ORDER BY lower(login)`)).rows;
}

export async function createUser(c: Client, conf: Configuration, u: NewUser): Promise<UserRow> {
  const login = checkLogin(u.login);
  const roles = checkRoles(conf, u.roles);
  if (u.password != null) {
    const problem = passwordProblem(u.password, login);
    if (problem) throw badRequest(problem, "password");
  }
  const hash = u.password != null ? await hashPassword(u.password) : null;
  if (await findUser(c, login)) throw conflict(`Пользователь «${login}» уже есть`, "login");
  const r = await c.query(
    `INSERT INTO _users (login, name, roles, password, password_changed_at) VALUES ($1, $2, $3, $4, CASE WHEN $4::jsonb IS NULL THEN NULL ELSE now() END) RETURNING ${COLUMNS}`,
    [login, u.name ?? login, roles, hash === null ? null : JSON.stringify(hash)],
  );
  return r.rows[0];
}

export async function setPassword(c: Client, userId: string, password: string, login: string): Promise<void> {
  const problem = passwordProblem(password, login);
  if (problem) throw badRequest(problem, "newPassword");
  const hash = await hashPassword(password);
  await c.query("UPDATE _users SET password = $2, password_changed_at = now() WHERE id = $1", [userId, JSON.stringify(hash)]);
}

export async function updateUser(c: Client, conf: Configuration, id: string, patch: { name?: unknown; roles?: unknown; disabled?: unknown; password?: unknown }): Promise<UserRow> {
  const u = await userById(c, id);
  if (!u) throw new AppError(404, "not_found", `Пользователь ${id} не найден`);
  if (patch.name !== undefined) {
    if (typeof patch.name !== "string" || patch.name.length > 200) throw badRequest("Имя: строка не длиннее 200 символов", "name");
    await c.query("UPDATE _users SET name = $2 WHERE id = $1", [id, patch.name]);
  }
  if (patch.roles !== undefined) await c.query("UPDATE _users SET roles = $2 WHERE id = $1", [id, checkRoles(conf, patch.roles)]);
  if (patch.disabled !== undefined) {
    if (typeof patch.disabled !== "boolean") throw badRequest("disabled: true или false", "disabled");
    await c.query("UPDATE _users SET disabled = $2 WHERE id = $1", [id, patch.disabled]);
    if (patch.disabled) await c.query("DELETE FROM _sessions WHERE user_id = $1", [id]);
  }
  if (patch.password !== undefined) {
    if (typeof patch.password !== "string") throw badRequest("password: строка", "password");
    await setPassword(c, id, patch.password, u.login);
    await c.query("DELETE FROM _sessions WHERE user_id = $1", [id]);
  }
  return (await userById(c, id))!;
}

/**
 * The first administrator of an area: when no user of the area holds an administrator role,
 * creates `admin` with the configuration's administrator role and `password` (or a generated
 * one, returned so the caller can show it once). Returns null when there is an administrator
 * (or the login `admin` is taken by someone else).
 */
export async function ensureAdministrator(c: Client, conf: Configuration, password?: string): Promise<{ login: string; password: string; generated: boolean } | null> {
  await c.query("SELECT pg_advisory_xact_lock(727275)");
  const adminRoles = allRoles(conf).filter((r) => r.administrator).map((r) => r.name);
  const any = await c.query("SELECT 1 FROM _users WHERE roles && $1::text[] LIMIT 1", [adminRoles]);
  if (any.rowCount || (await findUser(c, "admin"))) return null;
  const generated = !password;
  const pw = password || generatePassword();
  await createUser(c, conf, { login: "admin", name: "Администратор", roles: [administratorRole(conf).name], password: pw });
  return { login: "admin", password: pw, generated };
}
