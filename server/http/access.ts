/**
 * Rights on every API route, declared by the route itself. Every route of the API is added
 * through `secureRouter()`, whose methods take the route's rule before its handler:
 *
 *   r.get("/:name/:id", allow.document("read"), async (req, res) => …)
 *
 * The rule is a middleware that runs after the route matched, so the object and the action it
 * checks come from the route's declared name and its decoded params (`req.params.name`) — never
 * from re-reading the URL, whose case, slashes, dots or percent-escapes could say something else
 * than the route that runs (issue 13: `/api/Users` once skipped the administrator check). The
 * routers are case-sensitive and strict, so `/api/Users` and `/api/users/` match nothing (404).
 * Deny by default: a route without a rule cannot be added through secureRouter, and
 * tests/security/routes.test.ts walks every registered route and fails on any without one.
 *
 * A refusal is 403 naming the action and the object; an unknown object name is 404, as the route
 * itself would answer. Also here: the metadata marked with what the current user may do.
 */
import { Router, type Request, type RequestHandler } from "express";
import type { Configuration, RightAction } from "../metadata/types.ts";
import { AppError } from "../errors.ts";
import type { ObjectGroup, Permissions } from "../security/permissions.ts";
import { currentScope, type RequestScope } from "../security/scope.ts";
import { cachedClientMetadata } from "./metadata.ts";
import type { Metadata } from "./api-types.ts";
import { param } from "./context.ts";
import { catalogOf, documentOf, registerOf } from "../metadata/lookup.ts";

const ACTION_LABEL: Record<RightAction, string> = {
  read: "чтение",
  write: "запись",
  post: "проведение",
  delete: "удаление",
};
const GROUP_LABEL: Record<ObjectGroup, string> = {
  catalog: "справочника",
  document: "документа",
  register: "регистра",
  constant: "констант",
};

export const forbidden = (message: string) => new AppError(403, "forbidden", message);

/** What a route needs, as the deny-by-default test and the 403 messages read it. */
export type Rule =
  /** No session (the login). */
  | { kind: "public" }
  /** Any logged-in user, for what is the user's own (their session, keys, jobs). */
  | { kind: "session" }
  | { kind: "administrator"; refusal: string }
  /** An action on the catalog, document or register named by the route's `:name`. */
  | {
      kind: "object";
      group: Exclude<ObjectGroup, "constant">;
      actions: RightAction[] | ((req: Request) => RightAction[]);
    }
  | { kind: "constants"; action: RightAction }
  /** The report named by the route's `:name`. */
  | { kind: "report" };

const RULE = Symbol("route rule");

/** A route's rights check: a middleware carrying its rule (read by tests/security/routes.test.ts). */
export type Guard = RequestHandler & { readonly [RULE]: Rule };

export function ruleOf(handler: unknown): Rule | undefined {
  return typeof handler === "function" ? (handler as Partial<Guard>)[RULE] : undefined;
}

function scopeOf(): RequestScope {
  const scope = currentScope();
  if (!scope) throw new AppError(401, "unauthenticated", "Требуется вход в систему (POST /api/auth/login)");
  return scope;
}

function label(conf: Configuration, group: ObjectGroup, name: string): string {
  if (group === "constant") return "констант";
  const m =
    group === "catalog"
      ? conf.catalogs.get(name)
      : group === "document"
        ? conf.documents.get(name)
        : registerOf(conf, name);
  return `${GROUP_LABEL[group]} «${m?.synonym ?? name}» (${name})`;
}

/** Checks one rule for the current request; throws 401, 403 or 404. */
function check(conf: Configuration, rule: Rule, req: Request): void {
  if (rule.kind === "public") return;
  const p = scopeOf().perms;
  switch (rule.kind) {
    case "session":
      return;
    case "administrator":
      if (!p.administrator) throw forbidden(rule.refusal);
      return;
    case "report": {
      const name = param(req, "name");
      if (!p.canReport(name)) throw forbidden(`Нет права на отчёт «${name}»`);
      return;
    }
    case "constants":
      if (!p.can("constant", "*", rule.action)) throw forbidden(`Нет права на ${ACTION_LABEL[rule.action]} констант`);
      return;
    case "object": {
      const name = param(req, "name");
      // The one lookup of the object: an unknown name is the route's own 404.
      if (rule.group === "catalog") catalogOf(conf, name);
      else if (rule.group === "document") documentOf(conf, name);
      else registerOf(conf, name);
      const actions = typeof rule.actions === "function" ? rule.actions(req) : rule.actions;
      for (const action of actions) {
        if (!p.can(rule.group, name, action))
          throw forbidden(`Нет права на ${ACTION_LABEL[action]} ${label(conf, rule.group, name)}`);
      }
      return;
    }
  }
}

/** The rule constructors for one configuration. */
export function rules(conf: Configuration) {
  const guard = (rule: Rule): Guard => {
    const fn: RequestHandler = (req, res, next) => {
      res.locals.route = req.baseUrl + (req.route?.path ?? ""); // the declared route, for the request log
      check(conf, rule, req);
      next();
    };
    return Object.assign(fn, { [RULE]: rule });
  };
  const object =
    (group: Exclude<ObjectGroup, "constant">) =>
    (actions: RightAction | RightAction[] | ((req: Request) => RightAction[])) =>
      guard({ kind: "object", group, actions: typeof actions === "string" ? [actions] : actions });
  return {
    public: () => guard({ kind: "public" }),
    session: () => guard({ kind: "session" }),
    /** `refusal`: the 403 message for anyone else. */
    administrator: (refusal: string) => guard({ kind: "administrator", refusal }),
    catalog: object("catalog"),
    document: object("document"),
    register: object("register"),
    constants: (action: RightAction) => guard({ kind: "constants", action }),
    report: () => guard({ kind: "report" }),
  };
}

export type Rules = ReturnType<typeof rules>;

/** A route's handlers: any middleware (a rate limit, the authentication), then its rule, then its handler. */
type Handlers = [...RequestHandler[], Guard, RequestHandler];
type Method = (path: string, ...handlers: Handlers) => SecureRouter;

/** A router whose every route declares its rule; case-sensitive and strict. */
export interface SecureRouter {
  readonly router: Router;
  get: Method;
  post: Method;
  put: Method;
  delete: Method;
}

/** Routers of the API: case-sensitive and strict, as the rights rules assume. */
export const strictRouter = () => Router({ caseSensitive: true, strict: true });

export function secureRouter(): SecureRouter {
  const router = strictRouter();
  const self: SecureRouter = {
    router,
    get: (path, ...h) => (router.get(path, ...h), self),
    post: (path, ...h) => (router.post(path, ...h), self),
    put: (path, ...h) => (router.put(path, ...h), self),
    delete: (path, ...h) => (router.delete(path, ...h), self),
  };
  return self;
}

/** `?post=true`: a write that also posts needs both rights. */
export function writeAndMaybePost(req: Request): RightAction[] {
  const v = (req.query as Record<string, unknown>)?.post;
  return v === "true" || v === "1" ? ["write", "post"] : ["write"];
}

const marked = new WeakMap<Permissions, Metadata>();

/** GET /api/metadata for this user: each catalog, document and register gets `rights` (the allowed actions). */
export function metadataFor(conf: Configuration, perms: Permissions): Metadata {
  let v = marked.get(perms);
  if (!v) {
    const md = cachedClientMetadata(conf);
    const mark = <T extends { name: string }>(group: ObjectGroup, list: T[]) =>
      list.map((o) => ({ ...o, rights: perms.allowed(group, o.name) }));
    v = {
      ...md,
      catalogs: mark("catalog", md.catalogs),
      documents: mark("document", md.documents),
      accumulationRegisters: mark("register", md.accumulationRegisters),
      informationRegisters: mark("register", md.informationRegisters),
      accountingRegisters: md.accountingRegisters && mark("register", md.accountingRegisters),
      rights: {
        administrator: perms.administrator,
        constants: perms.allowed("constant", "*"),
        reports: perms.summary().reports,
      },
    };
    marked.set(perms, v);
  }
  return v;
}
