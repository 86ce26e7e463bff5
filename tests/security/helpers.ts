/**
 * Helpers of the security tests: a server with the given configuration and app options
 * (throttle, timeouts, rate limit), an administrator with a known password, and requests sent
 * exactly as given — no session is added unless the test passes one. Not a test file itself.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type AppOptions } from "../../server/http/app.ts";
import type { Platform } from "../../server/platform.ts";
import { ensureAdmin, upsertUser } from "../../server/security/bootstrap.ts";
import { testPlatform, WAREHOUSE } from "../helpers/db.ts";
import { login, type TestSession } from "../platform/api-client.ts";

export const ADMIN_PW = "admin-secret-1";

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
  text: string;
}

export interface Secure {
  platform: Platform;
  base: string;
  server: Server;
  /** Sends a request; `session` adds its cookie and (unless csrf: false) its CSRF header. */
  req(
    method: string,
    path: string,
    o?: {
      body?: unknown;
      raw?: string;
      session?: TestSession | null;
      csrf?: boolean;
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
  login(user: string, password: string, area?: number): Promise<TestSession>;
  /** Makes (or resets) a user with these roles and password in `area`. */
  user(loginName: string, roles: string[], password?: string, area?: number): Promise<TestSession>;
  close(): Promise<void>;
}

export async function startSecure(opts: AppOptions & { conf?: string; platform?: Platform } = {}): Promise<Secure> {
  const platform = opts.platform ?? (await testPlatform(opts.conf ?? WAREHOUSE, "sec"));
  const app = createApp(platform, { area: 1, ...opts });
  const server = await new Promise<Server>((res, rej) => {
    const s = app.listen(0, "127.0.0.1", (err?: Error) => (err ? rej(err) : res(s)));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ensureAdmin(platform, 1, ADMIN_PW);
  const req: Secure["req"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { cookie: "" };
    if (o.session) {
      headers.cookie = o.session.cookie;
      if (o.csrf !== false) headers["x-csrf-token"] = o.session.csrf;
    }
    let payload: string | undefined = o.raw;
    if (payload === undefined && o.body !== undefined) payload = JSON.stringify(o.body);
    if (payload !== undefined) headers["content-type"] = "application/json";
    Object.assign(headers, o.headers);
    const r = await fetch(base + path, { method, headers, body: payload });
    const text = await r.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* keep the text */
    }
    return { status: r.status, body, headers: r.headers, text };
  };
  return {
    platform,
    base,
    server,
    req,
    login: (u, p, area) => login(base, u, p, area),
    async user(loginName, roles, password = `${loginName}-pass-1`, area = 1) {
      await upsertUser(platform, area, { login: loginName, roles, password });
      return login(base, loginName, password, area);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      if (!opts.platform) await platform.close();
    },
  };
}

/** Asserts a JSON error reply with this status (and code) and returns its message. */
export function refused(r: Reply, status: number, code?: string): string {
  const e = r.body?.error;
  if (r.status !== status || typeof e?.message !== "string" || !e.message || (code && e.code !== code)) {
    throw new Error(`expected ${status}${code ? " " + code : ""}, got ${r.status}: ${r.text.slice(0, 300)}`);
  }
  return e.message;
}
