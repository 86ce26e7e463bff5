/**
 * `npm run standby -- <command>`: a streaming standby in a second data centre
 * (server/redundancy/standby.ts; the procedure is in docs/redundancy.md).
 *
 *   clone   --data-dir DIR [--name dc2] [--primary-host H] [--primary-port P]
 *           makes DIR a standby of the primary (DATABASE_URL, or the running embedded server)
 *   start   --data-dir DIR --port P [--listen ADDR]      runs that standby until Ctrl-C
 *   sync    [--name dc2] [--commit remote_apply|on|remote_write] [--force]
 *           on the primary: commits wait for that standby
 *   async   on the primary: commits stop waiting for any standby (the standby is lost)
 *   status  on the primary: the standbys connected, their state and lag, the slots
 *   promote --data-dir DIR                               the standby becomes the primary
 */
import pg from "pg";
import { EMBEDDED_SETTINGS, LocalCluster } from "../redundancy/cluster.ts";
import {
  cloneStandby,
  makeAsynchronous,
  makeSynchronous,
  replicationStatus,
  slotStatus,
  type CommitLevel,
} from "../redundancy/standby.ts";
import { openServer } from "../redundancy/target.ts";
import { table } from "./table.ts";
import { errorText } from "./error-text.ts";
import { commandLine } from "./args.ts";

const USAGE = `Usage: npm run standby -- clone --data-dir DIR [--name dc2] [--primary-host H] [--primary-port P]
                      start --data-dir DIR --port P [--listen ADDR]
                      sync [--name dc2] [--commit remote_apply|on|remote_write] [--force]
                      async | status
                      promote --data-dir DIR`;

type Flags = Record<string, string | boolean | undefined>;

function parse(argv: string[]): { command: string; flags: Flags } {
  const text = { type: "string" } as const;
  const { command, values } = commandLine(
    {
      usage: USAGE,
      commands: ["clone", "start", "sync", "async", "status", "promote"],
      options: {
        "data-dir": text,
        name: text,
        "primary-host": text,
        "primary-port": text,
        port: text,
        listen: text,
        commit: text,
        force: { type: "boolean" },
      },
    },
    argv,
  );
  return { command, flags: values };
}

function need(flags: Flags, name: string): string {
  const v = flags[name];
  if (typeof v !== "string") throw new Error(`--${name} is required here.\n${USAGE}`);
  return v;
}

async function onPrimary<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const server = await openServer(process.env, { startIfStopped: false });
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
    await server.stop();
  }
}

async function main(): Promise<number> {
  const { command, flags } = parse(process.argv.slice(2));
  const name = typeof flags.name === "string" ? flags.name : "dc2";
  switch (command) {
    case "clone": {
      const server = await openServer(process.env, { startIfStopped: false });
      try {
        const r = await cloneStandby({
          primaryUrl: server.url,
          dataDir: need(flags, "data-dir"),
          name,
          primaryHost: typeof flags["primary-host"] === "string" ? flags["primary-host"] : undefined,
          primaryPort: typeof flags["primary-port"] === "string" ? Number(flags["primary-port"]) : undefined,
          log: (l) => console.log(l),
        });
        console.log(
          `Standby "${name}" cloned into ${flags["data-dir"]} (${r.method}; role ${r.role}, slot ${r.slot}).\n` +
            `Next: npm run standby -- start --data-dir ${flags["data-dir"]} --port <port>, then on the primary: npm run standby -- sync --name ${name}`,
        );
      } finally {
        await server.stop();
      }
      return 0;
    }
    case "start": {
      const port = Number(need(flags, "port"));
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`--port must be a port number, not "${flags.port}"`);
      const cluster = new LocalCluster({
        dataDir: need(flags, "data-dir"),
        port,
        listen: typeof flags.listen === "string" ? flags.listen : undefined,
        settings: EMBEDDED_SETTINGS,
      });
      await cluster.start();
      console.log(`Standby running on port ${port} (pid ${cluster.pid}), log ${cluster.logFile}. Ctrl-C stops it.`);
      await new Promise<void>((res) => {
        process.once("SIGINT", res);
        process.once("SIGTERM", res);
      });
      await cluster.stop();
      return 0;
    }
    case "sync": {
      const level = (typeof flags.commit === "string" ? flags.commit : "remote_apply") as CommitLevel;
      if (!["on", "remote_apply", "remote_write"].includes(level))
        throw new Error(`--commit must be remote_apply, on or remote_write, not "${level}"`);
      await onPrimary((c) => makeSynchronous(c, name, level, { force: flags.force === true }));
      console.log(`Commits on the primary now wait for standby "${name}" (synchronous_commit=${level}).`);
      return 0;
    }
    case "async": {
      await onPrimary((c) => makeAsynchronous(c));
      console.log(
        "Commits no longer wait for a standby: until one is synchronous again, an acknowledged commit is on the primary only.",
      );
      return 0;
    }
    case "status": {
      await onPrimary(async (c) => {
        const sync = (
          await c.query(
            "SELECT current_setting('synchronous_standby_names') AS s, current_setting('synchronous_commit') AS c",
          )
        ).rows[0];
        console.log(`synchronous_standby_names = '${sync.s}', synchronous_commit = ${sync.c}`);
        const rows = await replicationStatus(c);
        console.log(
          rows.length
            ? table(
                ["standby", "state", "sync", "replay lag (bytes)"],
                rows.map((r) => [r.name, r.state, r.syncState, r.replayLagBytes]),
              )
            : "No standby is connected.",
        );
        const slots = await slotStatus(c);
        if (slots.length)
          console.log(
            "\n" +
              table(
                ["slot", "active", "WAL kept for it (bytes)"],
                slots.map((s) => [s.slot, String(s.active), s.retainedBytes]),
              ),
          );
      });
      return 0;
    }
    case "promote": {
      const cluster = new LocalCluster({ dataDir: need(flags, "data-dir"), port: 0 });
      await cluster.promote();
      console.log(
        `The standby in ${flags["data-dir"]} is now a primary. Fence the old primary: it must never start again as a primary (rebuild it as a standby with clone).`,
      );
      return 0;
    }
    default:
      throw new Error(`Unknown command "${command}".\n${USAGE}`);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`standby: ${errorText(e)}`);
    process.exit(1);
  },
);
