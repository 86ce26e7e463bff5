/**
 * `npm start`: opens the platform from the environment (cli/connect.ts: DATABASE_URL or the
 * embedded PostgreSQL in DATA_DIR, CONF_DIR, APP_DB_PASSWORD), migrates the schema, and serves
 * the API and the client on PORT (default 3000). SIGINT/SIGTERM close the HTTP server, the
 * pools and the embedded server. A failed start prints one clear message and exits with 1.
 */
import { ensurePredefinedAccounts } from "./accounting/accounts.ts";
import { tx } from "./storage/db.ts";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { connectFromEnv, startupMessage, type Connected } from "./cli/connect.ts";
import { createApp } from "./http/app.ts";
import { loadInitialData } from "./initial-data.ts";
import { createServerFor } from "./http/hardening.ts";
import { ensureAdmin } from "./security/bootstrap.ts";
import { setting } from "./config.ts";

function listen(app: ReturnType<typeof createApp>, port: number, host?: string): Promise<Server> {
  return new Promise((res, rej) => {
    const done = (err?: Error) => (err ? rej(err) : res(server));
    const server = createServerFor(app); // HTTPS when TLS_CERT and TLS_KEY are set
    server.once("error", done);
    if (host) server.listen(port, host, () => done());
    else server.listen(port, () => done());
  });
}

async function main(): Promise<void> {
  const port = setting("PORT");
  let conn: Connected | undefined;
  let server: Server | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      process.exit(1); // a second signal: stop waiting
    }
    stopping = true;
    console.log(`${signal}: stopping`);
    if (server) {
      const closed = new Promise((r) => server!.close(r));
      server.closeAllConnections();
      await closed;
    }
    await conn?.stop().catch((e) => console.error(`while stopping: ${(e as Error).message}`));
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  try {
    conn = await connectFromEnv({ log: (line) => console.log(line) });
    const area = setting("DEFAULT_AREA");
    // The area is registered, so the maintenance commands (registers, audit) go through it.
    await conn.platform.db.owner.query(
      "INSERT INTO _areas (area, name) VALUES ($1, $2) ON CONFLICT (area) DO NOTHING",
      [area, `DEFAULT_AREA ${area}`],
    );
    const admin = await ensureAdmin(conn.platform, area, setting("ADMIN_PASSWORD"));
    if (admin)
      console.log(
        admin.generated
          ? `Administrator "admin" created; password (shown once, change it): ${admin.password}`
          : `Administrator "admin" created with the password from ADMIN_PASSWORD`,
      );
    if (await loadInitialData(conn.platform, area)) console.log(`Initial data loaded into the empty data area ${area}`);
    // the charts' predefined accounts (after the initial data, which loads only into an empty area)
    await tx(conn.platform.db.app, area, (c) => ensurePredefinedAccounts(c, conn!.platform.conf));
    const app = createApp(conn.platform);
    server = await listen(app, port, setting("HOST"));
  } catch (e) {
    await conn?.stop().catch(() => {});
    throw e;
  }
  const { database, server: where, confRoot } = conn.describe;
  const steps = conn.platform.migration.length;
  const actual = (server.address() as AddressInfo).port;
  const objects =
    Object.values(conn.platform.conf).reduce((n, v) => n + (v instanceof Map ? v.size : 0), 0) -
    conn.platform.conf.modules.size;
  console.log(
    `Listening on http://localhost:${actual} — database "${database}" (${where}), configuration ${confRoot} (${objects} objects), ` +
      (steps ? `migration: ${steps} step(s) applied` : "schema up to date"),
  );
}

main().catch((e) => {
  console.error(startupMessage(e));
  process.exit(1);
});
