/**
 * TypeORM, where it fits: one DataSource per platform, opened over the application's
 * connection pool — the pool every transaction (db.ts tx) takes its connection from — so an
 * EntityManager works on the transaction's own connection, after its `app.area` is set, and
 * row-level security applies to it as to every other statement.
 *
 * What goes through it: reads and writes of catalogs, documents and the system tables whose
 * shape is a table's row (users, sessions, numbering, the journal's pages), by EntitySchema
 * repositories and the QueryBuilder. What stays plain SQL, because the benchmarks show it must
 * (bench/registers.ts, bench/client.ts): the posting path — the document locked and read with
 * its tabular parts and references in one statement (objects.ts objectSelect), the registers'
 * generated functions and COPY (registers/) — and a tabular part's rows written in one
 * `INSERT … SELECT FROM unnest` whatever their number (a 10,000-row document would otherwise
 * need ten statements, PostgreSQL taking at most 65,535 parameters in one).
 *
 * The schema is the migrator's (migrate.ts): synchronize stays off, TypeORM only maps.
 */
import pg from "pg";
import { DataSource, type EntityManager, type EntitySchema } from "typeorm";
import type { PostgresDriver } from "typeorm/driver/postgres/PostgresDriver.js";
import type { Client } from "./db.ts";

const managers = new WeakMap<Client, EntityManager>();

/**
 * Opens the DataSource on a pool made with `poolOptions` and binds an EntityManager to each
 * of the pool's connections (ormOf). Its pool is the platform's application pool (poolOf).
 */
export async function openDataSource(
  poolOptions: pg.PoolConfig,
  entities: EntitySchema[],
  onPoolError: (err: Error) => void,
): Promise<DataSource> {
  const ds = new DataSource({
    type: "postgres",
    driver: pg,
    extra: poolOptions,
    poolErrorHandler: onPoolError,
    entities,
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logging: false,
  });
  await ds.initialize();
  keepWallClockTimes(ds.driver as PostgresDriver);
  poolOf(ds).on("acquire", (client: Client) => {
    if (!managers.has(client)) managers.set(client, managerOn(ds, client));
  });
  return ds;
}

/**
 * A moment crosses the boundary as wall-clock text, 'YYYY-MM-DDTHH:MM:SS' (db.ts), and is
 * written as it is. TypeORM would turn it into a JS Date in the server's time zone and back,
 * which moves a time that zone skips (a daylight-saving gap: 02:30 becomes 03:30).
 */
function keepWallClockTimes(driver: PostgresDriver): void {
  const prepare = driver.preparePersistentValue.bind(driver);
  driver.preparePersistentValue = (value, column) =>
    typeof value === "string" && String(column.type).startsWith("timestamp") ? value : prepare(value, column);
}

/** The DataSource's connection pool: the one the platform's transactions use. */
export const poolOf = (ds: DataSource): pg.Pool => (ds.driver as PostgresDriver).master as pg.Pool;

/** An EntityManager whose statements run on `client`, inside the transaction tx() opened there. */
function managerOn(ds: DataSource, client: Client): EntityManager {
  const runner = ds.createQueryRunner();
  // The runner never takes a connection of its own: it is given the transaction's, and told a
  // transaction is open, so that save() and remove() do not begin (and commit) one of their own.
  Object.assign(runner, { databaseConnection: client, isTransactionActive: true });
  return runner.manager;
}

/** The EntityManager of a connection of the application's pool, inside its transaction. */
export function ormOf(c: Client): EntityManager {
  const m = managers.get(c);
  if (!m) throw new Error("ormOf: not a connection of the platform's application pool (or a serialClient view of one)");
  return m;
}
