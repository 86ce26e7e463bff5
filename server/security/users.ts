/**
 * Users of a data area (_users, schema.ts): create, find by login, change the password, list
 * and edit for the administrator, and the first administrator of an area. Every function runs
 * inside the caller's transaction of that area (row-level security keeps other areas out).
 *
 * Logins are stored normalized (normalizeLogin) and compared exactly: what a user types at the
 * login form, what the administrator typed at creation and what the throttle counts
 * (throttle.ts) all go through that one function.
 */
import type { SelectQueryBuilder } from "typeorm";
import type { Client } from "../storage/db.ts";
import { ormOf } from "../storage/orm.ts";
import type { Configuration } from "../metadata/types.ts";
import { AppError, badRequest, conflict } from "../errors.ts";
import {
  ADMIN_MIN_PASSWORD_LENGTH,
  generatePassword,
  hashPassword,
  passwordProblem,
  type PasswordHash,
} from "./passwords.ts";
import { administratorRole, allRoles, roleNames } from "./permissions.ts";
import { SessionEntity, UserEntity, type UserRecord } from "./entities.ts";

/**
 * The one form of a login that is stored, looked up and throttled. Unicode NFKC (full-width
 * and compatibility letters become plain ones: "ａｄｍｉｎ" → "admin", the Kelvin sign → "k"),
 * then case folding done as upper-case followed by lower-case — which folds what lower-casing
 * alone leaves apart ("ß" → "ss", "ſ" → "s", "ς" → "σ") and also the dotless "ı" → "i" — then the
 * combining dot U+0307 that lower-casing "İ" (U+0130) leaves after "i" is dropped, so
 * "ADMİN", "Admin" and "admın" are all "admin"; then NFKC again (idempotent: normalizing a
 * normalized login changes nothing). Cyrillic is kept as is ("Иванов" → "иванов"; ё and е stay
 * different letters).
 */
export function normalizeLogin(login: string): string {
  return login
    .normalize("NFKC")
    .toUpperCase()
    .toLowerCase()
    .replace(/i\u0307/g, "i")
    .normalize("NFKC");
}

export interface UserRow {
  id: string;
  login: string;
  name: string;
  roles: string[];
  disabled: boolean;
  password: PasswordHash | null;
  locked?: { at: string; until: string | null; failures: number; addresses: number } | null;
}

export interface NewUser {
  login: string;
  name?: string;
  roles: string[];
  /** Without a password the user cannot log in until the administrator sets one. */
  password?: string | null;
}

/** A public view of a user (no hash). */
export const userView = (u: UserRow) => ({
  id: u.id,
  login: u.login,
  name: u.name,
  roles: u.roles,
  disabled: u.disabled,
  hasPassword: u.password !== null,
  /** A live hard lock of the login (throttle.ts), which an administrator can lift: POST /api/users/:id/unlock. */
  locked: u.locked
    ? {
        at: u.locked.at,
        until: u.locked.until,
        failures: Number(u.locked.failures),
        addresses: Number(u.locked.addresses),
      }
    : null, // jsonb numbers are read as strings here
});

/** Latin or Cyrillic letters (not both in one login: «аdmin» with a Cyrillic «а» is refused), digits and . _ @ - */
const LOGIN_RE = /^(?:[\p{Script=Latin}\p{Script=Cyrillic}](?<=\p{L})|[0-9._@-]){1,64}$/u;
const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LOGIN_RULE = "от 1 до 64 символов — буквы (латинские или русские, не вперемешку), цифры и . _ @ -";

/** The normalized login (normalizeLogin), or a 400 saying what a login may be. */
export function checkLogin(login: unknown): string {
  const n = typeof login === "string" ? normalizeLogin(login) : "";
  if (!LOGIN_RE.test(n)) throw badRequest(`Имя пользователя: ${LOGIN_RULE}`, "login");
  if (LATIN.test(n) && CYRILLIC.test(n))
    throw badRequest(
      `Имя пользователя «${n}» смешивает латинские и русские буквы — так пишут поддельные имена; ${LOGIN_RULE}`,
      "login",
    );
  return n;
}

/** Does a user with these roles count as an administrator (the longer password)? */
export const isAdministrator = (conf: Configuration, roles: string[]) =>
  allRoles(conf).some((r) => r.administrator && roles.includes(r.name));

export function checkRoles(conf: Configuration, roles: unknown): string[] {
  const known = roleNames(conf);
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== "string"))
    throw badRequest(`Роли: список имён ролей (${known.join(", ")})`, "roles");
  for (const r of roles as string[])
    if (!known.includes(r)) throw badRequest(`Нет роли «${r}»; роли конфигурации: ${known.join(", ")}`, "roles");
  return [...new Set(roles as string[])];
}

const users = (c: Client) => ormOf(c).getRepository(UserEntity);

/**
 * Users with their live hard lock (_login_locks, throttle.ts — a table of plain SQL, joined by
 * name), if any, as `locked`.
 */
function selectUsers(c: Client): SelectQueryBuilder<UserRecord> {
  return users(c)
    .createQueryBuilder("u")
    .leftJoin(
      "_login_locks",
      "l",
      "l.login = u.login AND l.lifted_at IS NULL AND (l.locked_until IS NULL OR l.locked_until > now())",
    )
    .addSelect(
      "CASE WHEN l.login IS NULL THEN NULL ELSE jsonb_build_object('at', l.locked_at, 'until', l.locked_until, 'failures', l.failures, 'addresses', l.addresses) END",
      "locked",
    );
}

/** The users `qb` selects, as UserRow (the user's columns of the API and its lock). */
async function userRows(qb: SelectQueryBuilder<UserRecord>): Promise<UserRow[]> {
  const { entities, raw } = await qb.getRawAndEntities<{ u_id: string; locked: UserRow["locked"] }>();
  const locks = new Map(raw.map((r) => [r.u_id, r.locked])); // a login has at most one lock row
  return entities.map((u) => ({ ...userRow(u), locked: locks.get(u.id) ?? null }));
}

const userRow = (u: UserRecord): UserRow => ({
  id: u.id,
  login: u.login,
  name: u.name,
  roles: u.roles,
  disabled: u.disabled,
  password: u.password,
});

/** The user with this login as typed (normalized here), or null. */
export async function findUser(c: Client, login: string): Promise<UserRow | null> {
  const [u] = await userRows(selectUsers(c).where("u.login = :login", { login: normalizeLogin(login) }));
  return u ?? null;
}

export async function userById(c: Client, id: string): Promise<UserRow | null> {
  const [u] = await userRows(selectUsers(c).where("u.id = :id", { id }));
  return u ?? null;
}

export async function listUsers(c: Client): Promise<UserRow[]> {
  return userRows(selectUsers(c).orderBy("u.login"));
}

export async function createUser(c: Client, conf: Configuration, u: NewUser): Promise<UserRow> {
  const login = checkLogin(u.login);
  const roles = checkRoles(conf, u.roles);
  if (u.password != null) {
    const problem = passwordProblem(u.password, login, {
      administrator: isAdministrator(conf, roles),
      userInputs: [u.name ?? ""],
    });
    if (problem) throw badRequest(problem, "password");
  }
  const hash = u.password != null ? await hashPassword(u.password) : null;
  if (await findUser(c, login)) throw conflict(`Пользователь «${login}» уже есть`, "login");
  // area, id and disabled are the database's defaults, read back by the insert (RETURNING).
  const row = users(c).create({
    login,
    name: u.name ?? (typeof u.login === "string" ? u.login.normalize("NFC").slice(0, 200) : login),
    roles,
    password: hash,
    password_admin_length: (u.password?.length ?? 0) >= ADMIN_MIN_PASSWORD_LENGTH,
  });
  await users(c)
    .insert({ ...row, password_changed_at: hash === null ? null : () => "now()" })
    .then((r) => Object.assign(row, r.generatedMaps[0]));
  return { ...userRow(row), locked: null };
}

/** Sets the user's password after passwordProblem (the policy of the user's roles); `field` names it in a refusal. */
export async function setPassword(
  c: Client,
  conf: Configuration,
  user: Pick<UserRow, "id" | "login" | "name" | "roles">,
  password: string,
  field = "newPassword",
): Promise<void> {
  const problem = passwordProblem(password, user.login, {
    administrator: isAdministrator(conf, user.roles),
    userInputs: [user.name],
  });
  if (problem) throw badRequest(problem, field);
  const hash = await hashPassword(password);
  await users(c).update(
    { id: user.id },
    {
      password: hash,
      password_changed_at: () => "now()",
      password_admin_length: password.length >= ADMIN_MIN_PASSWORD_LENGTH,
    },
  );
}

export async function updateUser(
  c: Client,
  conf: Configuration,
  id: string,
  patch: { name?: unknown; roles?: unknown; disabled?: unknown; password?: unknown },
): Promise<UserRow> {
  const u = await userById(c, id);
  if (!u) throw new AppError(404, "not_found", `Пользователь ${id} не найден`);
  if (patch.name !== undefined) {
    if (typeof patch.name !== "string" || patch.name.length > 200)
      throw badRequest("Имя: строка не длиннее 200 символов", "name");
    await users(c).update({ id }, { name: patch.name });
  }
  if (patch.roles !== undefined) {
    const roles = checkRoles(conf, patch.roles);
    // An administrator needs a 12-character password: one set for an ordinary user may be shorter.
    if (
      isAdministrator(conf, roles) &&
      !isAdministrator(conf, u.roles) &&
      u.password !== null &&
      patch.password === undefined
    ) {
      const long = await users(c).findOneOrFail({ select: { password_admin_length: true }, where: { id } });
      if (!long.password_admin_length)
        throw badRequest(
          `Пароль «${u.login}» короче ${ADMIN_MIN_PASSWORD_LENGTH} символов, а администратору нужно не меньше: задайте новый пароль вместе с ролью (поле password)`,
          "password",
        );
    }
    await users(c).update({ id }, { roles });
  }
  if (patch.disabled !== undefined) {
    if (typeof patch.disabled !== "boolean") throw badRequest("disabled: true или false", "disabled");
    await users(c).update({ id }, { disabled: patch.disabled });
    if (patch.disabled) await ormOf(c).getRepository(SessionEntity).delete({ user_id: id });
  }
  if (patch.password !== undefined) {
    if (typeof patch.password !== "string") throw badRequest("password: строка", "password");
    await setPassword(c, conf, (await userById(c, id))!, patch.password, "password"); // with the roles just set
    await ormOf(c).getRepository(SessionEntity).delete({ user_id: id });
  }
  return (await userById(c, id))!;
}

/**
 * The first administrator of an area: when no user of the area holds an administrator role,
 * creates `admin` with the configuration's administrator role and `password` (or a generated
 * one, returned so the caller can show it once). Returns null when there is an administrator
 * (or the login `admin` is taken by someone else).
 */
export async function ensureAdministrator(
  c: Client,
  conf: Configuration,
  password?: string,
): Promise<{ login: string; password: string; generated: boolean } | null> {
  await c.query("SELECT pg_advisory_xact_lock(727275)");
  const adminRoles = allRoles(conf)
    .filter((r) => r.administrator)
    .map((r) => r.name);
  const any = await users(c)
    .createQueryBuilder("u")
    .where("u.roles && :roles::text[]", { roles: adminRoles })
    .getExists();
  if (any || (await findUser(c, "admin"))) return null;
  const generated = !password;
  const pw = password || generatePassword();
  await createUser(c, conf, {
    login: "admin",
    name: "Администратор",
    roles: [administratorRole(conf).name],
    password: pw,
  });
  return { login: "admin", password: pw, generated };
}
