/**
 * The user's session as the client sees it: who is logged in (GET /api/auth/me), login,
 * logout, password change, and the CSRF token api.ts sends in X-CSRF-Token on every change.
 * The token comes from the login or me answer, else from the readable `csrf` cookie the
 * server sets beside the HttpOnly session cookie. `onUnauthorized(fn)` lets the shell show
 * <login-form> when any request answers 401 (the session ended). Listeners of "change" get the
 * new Me (or null after logout).
 */
import type { Me, RightAction } from "../../../server/http/api-types.ts";

/** GET /api/auth/me (and the login's answer): the API's type. */
export type { Me };

let current: Me | null = null;
let token: string | null = null;
const listeners = new Set<(me: Me | null) => void>();
const unauthorized = new Set<() => void>();

export const currentUser = () => current;

function set(me: Me | null): void {
  current = me;
  token = me?.csrfToken ?? null;
  for (const l of listeners) l(me);
}

/** Subscribes to login/logout; returns the unsubscribe function. */
export function onSessionChange(fn: (me: Me | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Called when the server answers 401 to any request (api.ts). */
export function onUnauthorized(fn: () => void): () => void {
  unauthorized.add(fn);
  return () => unauthorized.delete(fn);
}

export function notifyUnauthorized(): void {
  if (current) set(null);
  for (const f of unauthorized) f();
}

/** The CSRF header for a state-changing request. */
export function csrfHeader(): Record<string, string> {
  const v = token ?? /(?:^|;\s*)csrf=([^;]*)/.exec(globalThis.document?.cookie ?? "")?.[1] ?? null;
  return v ? { "x-csrf-token": decodeURIComponent(v) } : {};
}

async function json(r: Response): Promise<any> {
  const text = await r.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Who is logged in, or null (no session, or it ended). */
export async function fetchMe(): Promise<Me | null> {
  const r = await fetch("/api/auth/me", { headers: { accept: "application/json" } });
  set(r.ok ? ((await json(r)) as Me) : null);
  return current;
}

export class LoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter: number | null,
  ) {
    super(message);
  }
}

export async function login(loginName: string, password: string): Promise<Me> {
  const r = await fetch("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ login: loginName, password }),
  });
  const body = await json(r);
  if (!r.ok) {
    const retry = Number(r.headers.get("retry-after"));
    throw new LoginError(
      r.status,
      body?.error?.message ?? r.statusText,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  set(body as Me);
  return body as Me;
}

export async function logout(): Promise<void> {
  await fetch("/api/auth/logout", { method: "POST", headers: { ...csrfHeader() } }).catch(() => {});
  set(null);
}

export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  const r = await fetch("/api/auth/password", {
    method: "POST",
    headers: { "content-type": "application/json", ...csrfHeader() },
    body: JSON.stringify({ oldPassword, newPassword }),
  });
  if (!r.ok) {
    const body = await json(r);
    throw new LoginError(r.status, body?.error?.message ?? r.statusText, null);
  }
}

/** May the current user do `action` on an object ("catalog"/"document"/"register", name)? */
export function may(kind: "catalog" | "document" | "register", name: string, action: RightAction): boolean {
  const p = current?.permissions;
  if (!p) return false;
  if (p.administrator) return true;
  const map = kind === "catalog" ? p.catalogs : kind === "document" ? p.documents : p.registers;
  return map[name]?.includes(action) === true;
}
