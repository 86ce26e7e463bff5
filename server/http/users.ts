/**
 * Users of the data area, for the administrator (the access guard lets only an administrator
 * in): GET /api/users, POST /api/users {login, name, roles, password}, PUT /api/users/:id
 * {name?, roles?, disabled?, password?} (a new password or disabling ends the user's sessions),
 * GET /api/users/roles (the configuration's roles to choose from), POST /api/users/:id/unlock
 * (lifts the hard lock of the user's login after failures from many addresses, journaled:
 * security/throttle.ts). A user in the list carries `locked` while such a lock is live.
 */
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import type { Platform } from "../platform.ts";
import { tx } from "../storage/db.ts";
import { AppError, badRequest } from "../errors.ts";
import { allRoles } from "../security/permissions.ts";
import { currentScope } from "../security/scope.ts";
import type { SessionStore } from "../security/sessions.ts";
import { createUser, listUsers, updateUser, userById, userView } from "../security/users.ts";
import { liftLock } from "../security/throttle.ts";
import { recordAuthEvent } from "../security/events.ts";
import { idOf, jsonBody } from "./context.ts";

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Тело запроса: JSON-объект");
  return body as Record<string, unknown>;
}

const ALLOWED = ["login", "name", "roles", "password", "disabled"];

export function userRoutes(platform: Platform, store: SessionStore): Router {
  const r = secureRouter();
  const conf = platform.conf;
  const admin = rules(conf).administrator("Управлять пользователями может только администратор");
  const inArea = <T>(work: (c: Parameters<Parameters<typeof tx>[2]>[0], area: number) => Promise<T>) => {
    const scope = currentScope()!;
    return tx(platform.db.app, scope.area, (c) => work(c, scope.area));
  };
  const check = (b: Record<string, unknown>) => {
    const extra = Object.keys(b).find((k) => !ALLOWED.includes(k));
    if (extra) throw badRequest(`Неизвестное поле «${extra}»; допустимы: ${ALLOWED.join(", ")}`, extra);
  };

  r.get("/", admin, async (_req, res) => {
    res.json({ users: (await inArea((c) => listUsers(c))).map(userView) });
  });

  r.get("/roles", admin, (_req, res) => {
    res.json({
      roles: allRoles(conf).map((x) => ({ name: x.name, synonym: x.synonym, administrator: x.administrator })),
    });
  });

  r.post("/", admin, async (req, res) => {
    const b = objectBody(jsonBody(req));
    check(b);
    if (b.disabled !== undefined) throw badRequest("disabled задаётся изменением пользователя (PUT)", "disabled");
    if (b.name !== undefined && (typeof b.name !== "string" || b.name.length > 200))
      throw badRequest("Имя: строка не длиннее 200 символов", "name");
    if (b.password !== undefined && b.password !== null && typeof b.password !== "string")
      throw badRequest("password: строка", "password");
    const u = await inArea(async (c, area) => {
      const u = await createUser(c, conf, {
        login: b.login as string,
        name: b.name as string | undefined,
        roles: (b.roles ?? []) as string[],
        password: b.password as string | null | undefined,
      });
      await recordAuthEvent(c, {
        area,
        actor: currentScope()!.actor,
        action: "userCreate",
        login: u.login,
        details: { roles: u.roles },
      });
      return u;
    });
    res.status(201).json(userView(u));
  });

  r.put("/:id", admin, async (req, res) => {
    const id = idOf(req);
    const b = objectBody(jsonBody(req));
    check(b);
    if (b.login !== undefined) throw badRequest("Имя входа не меняется: заведите нового пользователя", "login");
    const u = await inArea(async (c, area) => {
      const u = await updateUser(c, conf, id, b);
      await recordAuthEvent(c, {
        area,
        actor: currentScope()!.actor,
        action: "userUpdate",
        login: u.login,
        details: { changed: Object.keys(b).sort() },
      });
      return u;
    });
    store.evictUser(currentScope()!.area, u.id);
    res.json(userView(u));
  });

  r.post("/:id/unlock", admin, async (req, res) => {
    const id = idOf(req);
    const u = await inArea(async (c, area) => {
      const u = await userById(c, id);
      if (!u) throw new AppError(404, "not_found", `Пользователь ${id} не найден`);
      if (!(await liftLock(c, area, u.login, currentScope()!.actor)))
        throw new AppError(409, "not_locked", `Вход пользователя «${u.login}» не заблокирован`);
      return (await userById(c, id))!;
    });
    res.json(userView(u));
  });

  return r.router;
}
