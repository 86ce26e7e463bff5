/**
 * Opens the platform over one database: loads the configuration, migrates the schema as the
 * owner, and connects the application pool as the non-owner role. main.ts, the CLI commands,
 * the tests and the benchmarks all start here.
 */
import type { DataSource } from "typeorm";
import { loadConfiguration } from "./metadata/load.ts";
import type { Configuration } from "./metadata/types.ts";
import {
  databaseName,
  logIdleClientError,
  poolFor,
  poolOptions,
  watchClients,
  withCredentials,
  APP_ROLE,
  type Database,
} from "./storage/db.ts";
import { migrate, type MigrationStep } from "./storage/migrate.ts";
import { openDataSource, poolOf } from "./storage/orm.ts";
import { platformEntities, SCHEMA_PARTS } from "./schema.ts";

export interface Platform {
  conf: Configuration;
  db: Database;
  /** TypeORM over the application pool (storage/orm.ts): entities of every table, used through ormOf(client). */
  orm: DataSource;
  migration: MigrationStep[];
  close(): Promise<void>;
}

export interface OpenOptions {
  confRoot: string;
  ownerUrl: string;
  appPassword: string;
  allowDestructive?: boolean;
  appPoolSize?: number;
  log?: (line: string) => void;
}

/** Creates the database named in the URL if it does not exist (connecting to "postgres"). */
export async function ensureDatabase(ownerUrl: string): Promise<void> {
  const name = databaseName(ownerUrl);
  const u = new URL(ownerUrl);
  u.pathname = "/postgres";
  const pool = poolFor(u.toString(), 1);
  try {
    const r = await pool.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (r.rowCount === 0)
      await pool.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((e) => {
        if (!/already exists/.test(e.message)) throw e;
      });
  } finally {
    await pool.end();
  }
}

export async function openPlatform(o: OpenOptions): Promise<Platform> {
  const conf = await loadConfiguration(o.confRoot);
  await ensureDatabase(o.ownerUrl);
  const owner = poolFor(o.ownerUrl, 4);
  let migration: MigrationStep[];
  try {
    migration = await migrate(owner, conf, {
      parts: SCHEMA_PARTS,
      allowDestructive: o.allowDestructive,
      appPassword: o.appPassword,
      log: o.log,
    });
  } catch (e) {
    await owner.end();
    throw e;
  }
  const appUrl = withCredentials(o.ownerUrl, APP_ROLE, o.appPassword);
  let orm: DataSource;
  try {
    orm = await openDataSource(poolOptions(appUrl, o.appPoolSize ?? 20), platformEntities(conf), logIdleClientError);
  } catch (e) {
    await owner.end();
    throw e;
  }
  const app = poolOf(orm);
  watchClients(app);
  const db: Database = {
    owner,
    app,
    name: databaseName(o.ownerUrl),
    appRole: APP_ROLE,
    ownerUrl: o.ownerUrl,
    appUrl,
    close: async () => {
      await orm.destroy(); // ends the application pool
      await owner.end();
    },
  };
  return { conf, db, orm, migration, close: () => db.close() };
}
