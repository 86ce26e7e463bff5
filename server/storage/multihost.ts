/**
 * DATABASE_URL with several hosts, as libpq reads it, for node-postgres (which connects to
 * one host only):
 *
 *   postgres://owner:pw@dc1.example,dc2.example/app?port=5432,5432&target_session_attrs=read-write
 *
 * Hosts are comma-separated in the host part and their ports in the `port` parameter (one
 * port for all, or one per host) — the form that also parses as a WHATWG URL, so the rest of
 * the platform can keep editing the URL's user, password and database. `target_session_attrs`
 * is any (default), read-write, primary, read-only, standby or prefer-standby.
 *
 * `poolConfig(url)` gives the pool a client class that, for every new connection, probes the
 * hosts (the last good one first) and connects to the first that fits: after a failover the
 * pool's broken connections are dropped and new ones land on the promoted standby. A request
 * that was running when the primary died fails and is not acknowledged; its retry succeeds.
 */
import pg from "pg";

export type TargetAttrs = "any" | "read-write" | "primary" | "read-only" | "standby" | "prefer-standby";
const ATTRS: TargetAttrs[] = ["any", "read-write", "primary", "read-only", "standby", "prefer-standby"];

export interface HostPort {
  host: string;
  port: number;
}

export interface MultiHost {
  hosts: HostPort[];
  attrs: TargetAttrs;
  /** Seconds to wait for one host (libpq's connect_timeout); default 5. */
  connectTimeout: number;
  /** The URL with the first host only and the multi-host parameters removed. */
  single: string;
}

/**
 * Reads a URL's hosts; undefined for an ordinary one-host URL without target_session_attrs,
 * which the pool takes as it is.
 */
export function parseMultiHost(url: string): MultiHost | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    if (/@[^/@]*:\d+,[^/]/.test(url)) {
      throw new Error(
        `DATABASE_URL lists hosts with their ports ("host1:port1,host2:port2"), which this application cannot read. ` +
          `Write the hosts comma-separated and the ports in the port parameter instead, e.g. ` +
          `postgres://user:password@host1,host2/app?port=5432,5433&target_session_attrs=read-write`,
      );
    }
    throw new Error(`DATABASE_URL is not a valid URL: ${url.replace(/:[^:@/]*@/, ":***@")}`);
  }
  const attrsParam = u.searchParams.get("target_session_attrs");
  const portParam = u.searchParams.get("port");
  const names = decodeURIComponent(u.hostname).split(",");
  if (names.length === 1 && attrsParam === null && portParam === null) return undefined;
  const attrs = (attrsParam ?? "any") as TargetAttrs;
  if (!ATTRS.includes(attrs))
    throw new Error(`target_session_attrs=${attrsParam} is not supported; use one of ${ATTRS.join(", ")}`);
  const ports = (portParam ?? (u.port || "5432")).split(",").map((p) => Number(p.trim()));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    throw new Error(`the port parameter "${portParam}" must be port numbers separated by commas`);
  if (ports.length !== 1 && ports.length !== names.length) {
    throw new Error(
      `DATABASE_URL names ${names.length} hosts but ${ports.length} ports; give one port, or one per host in the same order`,
    );
  }
  if (names.some((h) => h.trim() === "")) throw new Error(`DATABASE_URL has an empty host name in "${u.hostname}"`);
  const hosts = names.map((h, i) => ({ host: h.trim(), port: ports.length === 1 ? ports[0] : ports[i] }));
  const connectTimeout = Number(u.searchParams.get("connect_timeout") ?? 5) || 5;
  const single = new URL(url);
  single.hostname = hosts[0].host;
  single.port = String(hosts[0].port);
  for (const p of ["port", "target_session_attrs", "connect_timeout"]) single.searchParams.delete(p);
  return { hosts, attrs, connectTimeout, single: single.toString() };
}

const hostText = (h: HostPort) => `${h.host}:${h.port}`;
/** The host that fitted last time, per host list, tried first next time. */
const lastGood = new Map<string, number>();

interface Probe {
  host: HostPort;
  fits: boolean;
  standby?: boolean;
  reason?: string;
}

async function probe(base: pg.ClientConfig, h: HostPort, m: MultiHost): Promise<Probe> {
  const u = new URL(base.connectionString!);
  u.hostname = h.host;
  u.port = String(h.port);
  const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: m.connectTimeout * 1000 });
  c.on("error", () => {});
  try {
    await c.connect();
    const r = await c.query(
      "SELECT pg_is_in_recovery() AS standby, current_setting('default_transaction_read_only') = 'on' AS read_only",
    );
    const standby: boolean = r.rows[0].standby;
    const readOnly = standby || r.rows[0].read_only;
    const fits =
      m.attrs === "any" || m.attrs === "prefer-standby"
        ? true
        : m.attrs === "read-write"
          ? !readOnly
          : m.attrs === "primary"
            ? !standby
            : m.attrs === "read-only"
              ? readOnly
              : standby;
    return {
      host: h,
      fits,
      standby,
      reason: fits ? undefined : standby ? "a standby (in recovery)" : readOnly ? "read-only" : "a primary",
    };
  } catch (e) {
    return { host: h, fits: false, reason: (e as Error).message || String((e as NodeJS.ErrnoException).code) };
  } finally {
    await c.end().catch(() => {});
  }
}

/** The host a new connection should go to, or an error naming every host and why it was passed over. */
export async function chooseHost(m: MultiHost, base: pg.ClientConfig): Promise<HostPort> {
  const key = m.hosts.map(hostText).join(",");
  const start = lastGood.get(key) ?? 0;
  const order = m.hosts.map((_, i) => (start + i) % m.hosts.length);
  const seen: Probe[] = [];
  for (const i of order) {
    const p = await probe(base, m.hosts[i], m);
    seen.push(p);
    if (p.fits && (m.attrs !== "prefer-standby" || p.standby)) {
      lastGood.set(key, i);
      return p.host;
    }
  }
  const fallback = m.attrs === "prefer-standby" ? seen.find((p) => p.fits) : undefined;
  if (fallback) return fallback.host;
  const err = new Error(
    `no server fits target_session_attrs=${m.attrs}: ` +
      seen.map((p) => `${hostText(p.host)} (${p.fits ? "fits" : p.reason})`).join(", "),
  ) as NodeJS.ErrnoException;
  err.code = "ENOSERVER";
  throw err;
}

/** Options for pg.Pool: the URL as it is for one host, a host-choosing client for several. */
export function poolConfig(url: string): pg.PoolConfig {
  const m = parseMultiHost(url);
  if (!m) return { connectionString: url };
  const multi: MultiHost = m;
  const base: pg.ClientConfig = { connectionString: m.single };
  type Callback = ((err: Error) => void) | ((err: null, c: pg.Client) => void);
  class FailoverClient extends pg.Client {
    connect(): Promise<pg.Client>;
    connect(callback: Callback): void;
    connect(callback?: Callback): Promise<pg.Client> | undefined {
      const run = async (): Promise<pg.Client> => {
        const h = await chooseHost(multi, base);
        const self = this as unknown as {
          host: string;
          port: number;
          connectionParameters: { host: string; port: number };
        };
        self.host = self.connectionParameters.host = h.host;
        self.port = self.connectionParameters.port = h.port;
        return super.connect();
      };
      if (!callback) return run();
      const cb = callback as (err: Error | null, c?: pg.Client) => void;
      run().then(
        (c) => cb(null, c),
        (e: Error) => cb(e),
      );
    }
  }
  return { connectionString: m.single, Client: FailoverClient };
}
