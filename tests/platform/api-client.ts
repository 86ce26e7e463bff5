/**
 * Test helper for the HTTP API tests: opens the platform on a fresh database, serves
 * createApp on an ephemeral port and talks to it with fetch. Not a test file itself.
 * serve() makes the area's administrator (password TEST_ADMIN_PASSWORD) and logs in; from
 * then on every fetch of this process to that server carries the session cookie and the CSRF
 * header (unless the request sets its own Cookie header), so tests written before
 * authentication keep working. Security tests use login() and their own headers.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type AppOptions } from "../../server/http/app.ts";
import { ensureAdmin } from "../../server/security/bootstrap.ts";
import type { Platform } from "../../server/platform.ts";
import { testPlatform, WAREHOUSE } from "../helpers/db.ts";

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface Api {
  platform: Platform;
  base: string;
  /** Sends JSON (or a raw string with `raw`) and parses the JSON answer. */
  /** `headers` are sent as given (a `cookie` header replaces the admin's session). */
  call(
    method: string,
    path: string,
    body?: unknown,
    opts?: { raw?: string; contentType?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  get(path: string): Promise<Reply>;
  post(path: string, body?: unknown): Promise<Reply>;
  put(path: string, body?: unknown): Promise<Reply>;
  del(path: string, body?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export const TEST_ADMIN_PASSWORD = "test-admin-password";

/** A logged-in session: the Cookie header value to send and the CSRF token for X-CSRF-Token. */
export interface TestSession {
  cookie: string;
  csrf: string;
  sid: string;
  me: any;
}

/** Logs in through the API; throws with the server's answer when refused. */
export async function login(base: string, user: string, password: string, area?: number): Promise<TestSession> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: "" },
    body: JSON.stringify(area === undefined ? { login: user, password } : { login: user, password, area }),
  });
  const me = await r.json();
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${JSON.stringify(me)}`);
  const jar = Object.fromEntries(r.headers.getSetCookie().map((c) => c.split(";")[0].split("=") as [string, string]));
  return { cookie: `sid=${jar.sid}; csrf=${jar.csrf}`, csrf: jar.csrf, sid: jar.sid, me };
}

const sessions = new Map<string, TestSession>();
let patched = false;

/** Every fetch to a served origin gets that server's admin session unless it sets a Cookie header. */
function authenticatedFetch(): void {
  if (patched) return;
  patched = true;
  const plain = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const s = sessions.get(url.origin);
    if (!s) return plain(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (headers.has("cookie")) return plain(input, init);
    headers.set("cookie", s.cookie);
    headers.set("x-csrf-token", s.csrf);
    return plain(input, { ...init, headers });
  };
}

export async function serve(
  platform: Platform,
  area = 1,
  opts: AppOptions = {},
): Promise<{ server: Server; base: string; session: TestSession }> {
  const app = createApp(platform, { area, ...opts });
  const server = await new Promise<Server>((res, rej) => {
    const s = app.listen(0, "127.0.0.1", (err?: Error) => (err ? rej(err) : res(s)));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ensureAdmin(platform, area, TEST_ADMIN_PASSWORD);
  const session = await login(base, "admin", TEST_ADMIN_PASSWORD, area);
  sessions.set(base, session);
  authenticatedFetch();
  return { server, base, session };
}

export async function startApi(confRoot = WAREHOUSE): Promise<Api> {
  const platform = await testPlatform(confRoot, "api");
  const { server, base, session } = await serve(platform);
  const call: Api["call"] = async (method, path, body, opts = {}) => {
    const headers: Record<string, string> = { cookie: session.cookie, "x-csrf-token": session.csrf, ...opts.headers };
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers["content-type"] = opts.contentType ?? "application/json";
    const r = await fetch(base + path, { method, headers, body: payload });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: r.status, body: parsed, headers: r.headers };
  };
  return {
    platform,
    base,
    call,
    get: (p) => call("GET", p),
    post: (p, b) => call("POST", p, b),
    put: (p, b) => call("PUT", p, b),
    del: (p, b) => call("DELETE", p, b),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await platform.close();
    },
  };
}

/** Asserts an error reply and returns its error object. */
export function expectError(
  r: Reply,
  status: number,
  field?: string | null,
): { code: string; message: string; field: string | null } {
  if (r.status !== status || !r.body?.error) {
    throw new Error(`expected ${status} with an error body, got ${r.status}: ${JSON.stringify(r.body)}`);
  }
  const e = r.body.error;
  if (typeof e.code !== "string" || typeof e.message !== "string" || !("field" in e))
    throw new Error(`malformed error body ${JSON.stringify(r.body)}`);
  if (field !== undefined && e.field !== field)
    throw new Error(`expected field ${field}, got ${e.field}: ${e.message}`);
  return e;
}

export interface Seed {
  unit: string;
  warehouse: string;
  products: string[];
}

/** A unit, a warehouse and two products, created through the API. */
export async function seed(api: Api): Promise<Seed> {
  const ok = (r: Reply) => {
    if (r.status !== 201) throw new Error(`seed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const unit = ok(await api.post("/api/catalogs/Units", { name: "шт" }));
  const warehouse = ok(
    await api.post("/api/catalogs/Warehouses", { name: "Основной склад", Address: "ул. Ленина, 1" }),
  );
  const products = [
    ok(
      await api.post("/api/catalogs/Products", {
        name: "Гвозди",
        Sku: "N-1",
        Unit: unit,
        ProductKind: "Goods",
        Price: "10.50",
      }),
    ),
    ok(await api.post("/api/catalogs/Products", { name: "Доставка", Sku: "D-1", ProductKind: "Service", Price: 300 })),
  ];
  return { unit, warehouse, products };
}
