/**
 * The request's security scope: who is asking (the session's user and roles), in which data
 * area, from which IP. The authentication middleware (http/auth.ts) runs the rest of the
 * request inside scopeStorage.run, so `runner` (http/context.ts) takes the area and the actor
 * from here without every route passing them along, and report routes can ask canAccessReport.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Permissions } from "./permissions.ts";
import type { Session } from "./sessions.ts";
import type { Actor } from "../context.ts";

export interface RequestScope {
  area: number;
  session: Session;
  perms: Permissions;
  actor: Actor;
}

export const scopeStorage = new AsyncLocalStorage<RequestScope>();

/** The current request's scope (undefined outside an authenticated request). */
export const currentScope = (): RequestScope | undefined => scopeStorage.getStore();

/**
 * May the current user open and print the report `name`? For the report routes' list
 * (GET /api/reports shows only these); opening, rendering and jobs of a report the user may not
 * open are already refused with 403 before the report routes run (http/access.ts).
 */
export function canAccessReport(name: string): boolean {
  return currentScope()?.perms.canReport(name) === true;
}

/**
 * May the current user read the register `name`? A document's «Движения» and its canonical form
 * show only such registers. Outside a request (the demo loader, the command line): yes.
 */
export function canReadRegister(name: string): boolean {
  const perms = currentScope()?.perms;
  return perms ? perms.can("register", name, "read") : true;
}
