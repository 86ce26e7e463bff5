/**
 * A streaming standby in the second data centre, with stock PostgreSQL mechanisms only:
 *  - clone: a login role with REPLICATION and a physical replication slot per standby on the
 *    primary (the slot keeps the WAL the standby has not received), then a base backup — by
 *    pg_basebackup of the server's major version when one is installed, else by the low-level
 *    API when the primary's data folder is on this machine — with standby.signal,
 *    primary_conninfo (application_name = the standby's name) and primary_slot_name;
 *  - sync: synchronous_standby_names = 'FIRST 1 ("<name>")' and synchronous_commit
 *    (remote_apply by default) on the primary, after checking the standby streams, so every
 *    acknowledged commit is on both machines;
 *  - async: synchronous_standby_names reset — the operator's choice when the standby is lost
 *    and commits wait for it;
 *  - status: pg_stat_replication and the slots, as rows.
 * Promotion is LocalCluster.promote (pg_ctl promote) on the standby's machine.
 */
import { existsSync, writeFileSync, appendFileSync, chmodSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { copyBaseBackup, isLocalDataDir } from "./basecopy.ts";
import { findProgram, giveToServer, ensureTraversable, runAsServer } from "./pgbin.ts";

export type CommitLevel = "on" | "remote_apply" | "remote_write";

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

export function checkStandbyName(name: string): string {
  if (!NAME.test(name))
    throw new Error(
      `standby name "${name}" must be lower-case letters, digits and _ (starting with a letter, at most 41 characters), e.g. dc2`,
    );
  return name;
}

/** A conninfo value, quoted when it needs to be. */
const connValue = (v: string) =>
  /^[A-Za-z0-9_.\-/]+$/.test(v) ? v : `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
/** A postgresql.conf string literal. */
const confString = (v: string) => `'${v.replace(/'/g, "''")}'`;

export interface CloneOptions {
  /** Superuser URL of the primary (one host). */
  primaryUrl: string;
  /** Where the standby's data folder goes (must not exist or be empty). */
  dataDir: string;
  /** The standby's name: its application_name, slot and role suffix. */
  name: string;
  /** How the standby reaches the primary; default the URL's host and port. */
  primaryHost?: string;
  primaryPort?: number;
  log?: (line: string) => void;
}

export interface CloneResult {
  method: "pg_basebackup" | "low-level API copy";
  role: string;
  slot: string;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** Creates (or re-keys) the standby's replication role and slot on the primary. */
async function prepareOnPrimary(
  c: pg.ClientBase,
  name: string,
  password: string,
): Promise<{ role: string; slot: string }> {
  const su = (await c.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).rows[0]?.rolsuper;
  if (!su)
    throw new Error(
      "setting up a standby needs the primary's superuser (the owner URL of DATABASE_URL, or the embedded server)",
    );
  const level = (await c.query("SHOW wal_level")).rows[0].wal_level;
  if (level === "minimal") throw new Error("the primary has wal_level=minimal; set wal_level=replica and restart it");
  const role = `standby_${name}`;
  const exists = (await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
  const pw = (await c.query("SELECT quote_literal($1) AS q", [password])).rows[0].q;
  await c.query(`${exists ? "ALTER" : "CREATE"} ROLE "${role}" WITH LOGIN REPLICATION PASSWORD ${pw}`);
  const slot = (await c.query("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [name])).rows[0];
  if (slot?.active)
    throw new Error(
      `the replication slot "${name}" is in use by a running standby; choose another name or stop that standby`,
    );
  if (slot) await c.query("SELECT pg_drop_replication_slot($1)", [name]);
  await c.query("SELECT pg_create_physical_replication_slot($1, true)", [name]);
  return { role, slot: name };
}

/** Clones the primary into a new standby data folder, ready to start. */
export async function cloneStandby(o: CloneOptions): Promise<CloneResult> {
  const name = checkStandbyName(o.name);
  const dest = resolve(o.dataDir);
  if (existsSync(join(dest, "PG_VERSION")))
    throw new Error(`${dest} already holds a PostgreSQL cluster; a standby is cloned into a new folder`);
  const u = new URL(o.primaryUrl);
  const host = o.primaryHost ?? u.hostname;
  const port = o.primaryPort ?? Number(u.port || 5432);
  const password = randomBytes(18).toString("hex");
  return withClient(o.primaryUrl, async (c) => {
    const { role, slot } = await prepareOnPrimary(c, name, password);
    const conninfo = [
      `host=${connValue(host)}`,
      `port=${port}`,
      `user=${connValue(role)}`,
      `password=${connValue(password)}`,
      `application_name=${connValue(name)}`,
    ].join(" ");
    const dataDir = (await c.query("SHOW data_directory")).rows[0].data_directory as string;
    const major = Math.floor(Number((await c.query("SHOW server_version_num")).rows[0].server_version_num) / 10000);
    let method: CloneResult["method"];
    ensureTraversable(resolve(dest, ".."));
    if (await isLocalDataDir(c, dataDir)) {
      o.log?.(`copying the primary's data folder ${dataDir} with pg_backup_start/pg_backup_stop`);
      await copyBaseBackup(c, dataDir, dest, `standby ${name}`, false);
      method = "low-level API copy";
    } else {
      const basebackup = findProgram("pg_basebackup", major);
      if (!basebackup) {
        throw new Error(
          `the primary's data folder is not on this machine and there is no pg_basebackup ${major} here. ` +
            `Install the PostgreSQL ${major} client tools (e.g. apt install postgresql-client-${major}) or set PG_BIN to their folder, then run this again.`,
        );
      }
      o.log?.(`running ${basebackup} against ${host}:${port}`);
      await runAsServer(
        basebackup,
        ["-d", conninfo, "-D", dest, "-X", "stream", "-S", slot, "-c", "fast", "--no-password"],
        { timeoutMs: 3_600_000 },
      );
      method = "pg_basebackup";
    }
    writeFileSync(join(dest, "standby.signal"), "");
    appendFileSync(
      join(dest, "postgresql.auto.conf"),
      `\n# standby "${name}", cloned ${new Date().toISOString()} by npm run standby -- clone\n` +
        `primary_conninfo = ${confString(conninfo)}\n` +
        `primary_slot_name = ${confString(slot)}\n` +
        `hot_standby = on\n` +
        // Copied from the primary, these would make the promoted standby wait for itself.
        `synchronous_standby_names = ''\n`,
    );
    chmodSync(dest, 0o700);
    giveToServer(dest);
    return { method, role, slot };
  });
}

export interface ReplicationRow {
  name: string;
  state: string;
  syncState: string;
  /** Bytes of WAL the standby has not yet replayed. */
  replayLagBytes: string;
}

export async function replicationStatus(c: pg.ClientBase): Promise<ReplicationRow[]> {
  const r = await c.query(
    `SELECT application_name AS name, state, sync_state,
            pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint::text AS lag
       FROM pg_stat_replication ORDER BY application_name`,
  );
  return r.rows.map((x) => ({ name: x.name, state: x.state, syncState: x.sync_state, replayLagBytes: x.lag ?? "?" }));
}

export async function slotStatus(
  c: pg.ClientBase,
): Promise<{ slot: string; active: boolean; retainedBytes: string }[]> {
  const r = await c.query(
    `SELECT slot_name, active, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text, '0') AS retained
       FROM pg_replication_slots WHERE slot_type = 'physical' ORDER BY slot_name`,
  );
  return r.rows.map((x) => ({ slot: x.slot_name, active: x.active, retainedBytes: x.retained }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes commits on the primary wait for the standby `name`. Refuses (unless `force`) when that
 * standby is not streaming now, since every commit would then wait until it is.
 */
export async function makeSynchronous(
  c: pg.ClientBase,
  name: string,
  level: CommitLevel = "remote_apply",
  opts: { force?: boolean; timeoutMs?: number } = {},
): Promise<void> {
  checkStandbyName(name);
  const streaming = (await replicationStatus(c)).find((r) => r.name === name && r.state === "streaming");
  if (!streaming && !opts.force) {
    const seen = (await replicationStatus(c)).map((r) => `${r.name} (${r.state})`).join(", ") || "none";
    throw new Error(
      `the standby "${name}" is not streaming from this primary (connected: ${seen}). Start it first — ` +
        `synchronous commit with no standby would make every commit wait. (--force sets it anyway.)`,
    );
  }
  await c.query(`ALTER SYSTEM SET synchronous_standby_names = ${confString(`FIRST 1 ("${name}")`)}`);
  await c.query(`ALTER SYSTEM SET synchronous_commit = '${level}'`);
  await c.query("SELECT pg_reload_conf()");
  if (!streaming) return;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const row = (await replicationStatus(c)).find((r) => r.name === name);
    if (row?.syncState === "sync") return;
    if (Date.now() > deadline)
      throw new Error(
        `the standby "${name}" did not become synchronous (sync_state: ${row?.syncState ?? "not connected"})`,
      );
    await sleep(100);
  }
}

/** Stops commits waiting for any standby: they are then durable on the primary alone. */
export async function makeAsynchronous(c: pg.ClientBase): Promise<void> {
  await c.query("ALTER SYSTEM RESET synchronous_standby_names");
  await c.query("SELECT pg_reload_conf()");
}
