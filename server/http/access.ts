/**
 * Rights on every API route, checked before the route runs: the table below maps a method and
 * path to the right it needs (read / write / post / delete on a catalog, document, register or
 * the constants; access to a report; administrator for users). A refusal is 403 naming the
 * action and the object. Unknown object names pass through, so the route answers 404 as before.
 * Also: the metadata marked with what the current user may do with each object.
 */
import type { RequestHandler } from "express";
import type { Configuration, RightAction } from "../metadata/types.ts";
import { AppError } from "../errors.ts";
import type { ObjectGroup, Permissions } from "../security/permissions.ts";
import { currentScope } from "../security/scope.ts";
import { cachedClientMetadata } from "./metadata.ts";

const ACTION_LABEL: Record<RightAction, string> = { read: "чтение", write: "запись", post: "проведение", delete: "удаление" };
const GROUP_LABEL: Record<ObjectGroup, string> = { catalog: "справочника", document: "документа", register: "регистра", constant: "констант" };

export const forbidden = (message: string) => new AppError(403, "forbidden", message);

interface Need {
  group: ObjectGroup;
  name: string;
  actions: RightAction[];
}

function postFlag(q: unknown): boolean {
  const v = (q as Record<string, unknown>)?.post;
  return v === "true" || v === "1";
}

/** What a request needs, or null when being logged in is enough (or the route will answer 404). */
function need(conf: Configuration, method: string, segs: string[], query: unknown): Need | "administrator" | { report: string } | null {
  const [top, name, a, b] = segs;
  switch (top) {
    case "catalogs":
      if (!name || !conf.catalogs.has(name)) return null;
      return { group: "catalog", name, actions: [method === "GET" ? "read" : method === "DELETE" ? "delete" : "write"] };
    case "documents": {
      if (!name || !conf.documents.has(name)) return null;
      if (method === "GET") return { group: "document", name, actions: ["read"] };
      if (method === "DELETE") return { group: "document", name, actions: ["delete"] };
      // POST /:name/:id/post | /unpost (but /:name/fill/post is the fill of a tabular part called "post")
      if (method === "POST" && segs.length === 4 && a !== "fill" && (b === "post" || b === "unpost")) return { group: "document", name, actions: ["post"] };
      return { group: "document", name, actions: postFlag(query) ? ["write", "post"] : ["write"] };
    }
    case "registers": {
      if (!name || !(conf.accumulationRegisters.has(name) || conf.informationRegisters.has(name))) return null;
      return { group: "register", name, actions: [method === "GET" ? "read" : method === "DELETE" ? "delete" : "write"] };
    }
    case "constants":
      return { group: "constant", name: "*", actions: [method === "GET" ? "read" : "write"] };
    case "reports":
      if (!name || name === "jobs") return null;
      return { report: name };
    case "users":
      return "administrator";
    default:
      return null;
  }
}

function label(conf: Configuration, group: ObjectGroup, name: string): string {
  if (group === "constant") return "констант";
  const m = group === "catalog" ? conf.catalogs.get(name) : group === "document" ? conf.documents.get(name) : (conf.accumulationRegisters.get(name) ?? conf.informationRegisters.get(name));
  return `${GROUP_LABEL[group]} «${m?.synonym ?? name}» (${name})`;
}

/** Checks the request's rights (mounted on /api after authentication). */
export function accessGuard(conf: Configuration): RequestHandler {
  return (req, _res, next) => {
    const scope = currentScope();
    if (!scope) return next(new AppError(401, "unauthenticated", "Требуется вход в систему (POST /api/auth/login)"));
    const segs = req.path.split("/").filter(Boolean).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    const n = need(conf, req.method, segs, req.query);
    const p = scope.perms;
    if (n === null) return next();
    if (n === "administrator") {
      if (!p.administrator) return next(forbidden("Управлять пользователями может только администратор"));
      return next();
    }
    if ("report" in n) {
      if (!p.canReport(n.report)) return next(forbidden(`Нет права на отчёт «${n.report}»`));
      return next();
    }
    for (const action of n.actions) {
      if (!p.can(n.group, n.name, action)) return next(forbidden(`Нет права на ${ACTION_LABEL[action]} ${label(conf, n.group, n.name)}`));
    }
    next();
  };
}

const marked = new WeakMap<Permissions, unknown>();

/** GET /api/metadata for this user: each catalog, document and register gets `rights` (the allowed actions). */
export function metadataFor(conf: Configuration, perms: Permissions): unknown {
  let v = marked.get(perms);
  if (!v) {
    const md = cachedClientMetadata(conf);
    const mark = <T extends { name: string }>(group: ObjectGroup, list: T[]) => list.map((o) => ({ ...o, rights: perms.allowed(group, o.name) }));
    v = {
      ...md,
      catalogs: mark("catalog", md.catalogs),
      documents: mark("document", md.documents),
      accumulationRegisters: mark("register", md.accumulationRegisters),
      informationRegisters: mark("register", md.informationRegisters),
      rights: { administrator: perms.administrator, constants: perms.allowed("constant", "*"), reports: perms.summary().reports },
    };
    marked.set(perms, v);
  }
  return v;
}
