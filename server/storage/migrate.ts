/**
 * Brings the database to the configuration's table model (tables.ts), as the owner.
 * Additive changes (a new table, column or index; a wider string or number) apply on start.
 * A change that would drop or narrow data (a removed column or table, a shorter string, fewer
 * digits, another type) is refused with a message naming it, unless allowDestructive is set
 * (`npm run migrate -- --allow-destructive`). Everything runs in one transaction under an
 * advisory lock, and each migration that changed something is journalled in _migrations.
 * Every configuration table gets forced row-level security by data area and grants for the
 * application role. Other subsystems (registers, journal, users, signatures, safe retries…)
 * hand their part in as a SchemaPart — tables built from the configuration, compared like the
 * objects' tables, and SQL of their system tables and functions, re-run each time — assembled
 * in server/schema.ts; storage/ imports none of them.
 */
import type pg from "pg";
import type { Configuration } from "../metadata/types.ts";
import { APP_ROLE } from "./db.ts";
import { q } from "./naming.ts";
import { objectTables, withIndexNames } from "./tables.ts";
import { AREA_DEFAULT, areaIsolationSql, type ColumnDef, type TableDef } from "./columns.ts";

/** What a subsystem adds to the schema (server/schema.ts lists them). */
export interface SchemaPart {
  /** "the journal of user actions": for messages. */
  name: string;
  /** Tables built from the configuration (e.g. a register's movements and totals), migrated like the objects'. */
  tables?(conf: Configuration): TableDef[];
  /** Its system tables and functions, as idempotent DDL run by the owner after the tables, in the parts' order. */
  sql?(conf: Configuration, appRole: string, areaDefault: string): string;
}

/** Every table of the configuration and the parts, in creation order, with their final index names. */
export function modelTables(conf: Configuration, parts: readonly SchemaPart[]): TableDef[] {
  return withIndexNames([...objectTables(conf), ...parts.flatMap((p) => p.tables?.(conf) ?? [])]);
}

export interface MigrationStep {
  sql: string;
  description: string;
  destructive: boolean;
}

export class MigrationRefused extends Error {
  constructor(public steps: MigrationStep[]) {
    super(
      "The configuration change would lose data, so it was not applied:\n" +
        steps.map((s) => `  - ${s.description}`).join("\n") +
        "\nIf this is intended, back up the data and run: npm run migrate -- --allow-destructive",
    );
    this.name = "MigrationRefused";
  }
}

const SYSTEM_SQL = `
CREATE TABLE IF NOT EXISTS _migrations (
  id serial PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now(),
  description text NOT NULL,
  statements text NOT NULL,
  destructive boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS _areas (
  area integer PRIMARY KEY,
  name text NOT NULL
);
INSERT INTO _areas(area, name) VALUES (1, 'default') ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS _initial_data (
  area integer PRIMARY KEY DEFAULT ${AREA_DEFAULT},
  loaded_at timestamptz NOT NULL DEFAULT now(),
  loaded boolean NOT NULL
);
CREATE TABLE IF NOT EXISTS _numbering (
  area integer NOT NULL DEFAULT ${AREA_DEFAULT},
  kind text NOT NULL,
  year integer NOT NULL,
  last bigint NOT NULL,
  PRIMARY KEY (area, kind, year)
);
`;

interface LiveColumn {
  type: string;
  notNull: boolean;
}

interface LiveSchema {
  tables: Map<string, Map<string, LiveColumn>>;
  foreignKeys: { table: string; name: string }[];
  indexes: Set<string>;
  indexesByTable: { table: string; name: string }[];
  primaryKeys: Map<string, { name: string; columns: string[] }>;
}

async function liveSchema(c: pg.ClientBase): Promise<LiveSchema> {
  const cols = await c.query(
    `SELECT cl.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
       FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE n.nspname = current_schema() AND cl.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const tables = new Map<string, Map<string, LiveColumn>>();
  for (const r of cols.rows) {
    if (!tables.has(r.table)) tables.set(r.table, new Map());
    tables.get(r.table)!.set(r.column, { type: r.type, notNull: r.not_null });
  }
  const idx = await c.query(`SELECT tablename, indexname FROM pg_indexes WHERE schemaname = current_schema()`);
  const pk = await c.query(
    `SELECT cl.relname AS table, con.conname AS name,
            array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
       CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum
      WHERE con.contype = 'p' AND n.nspname = current_schema()
      GROUP BY cl.relname, con.conname`,
  );
  const fks = await c.query(
    `SELECT cl.relname AS table, con.conname AS name
       FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE con.contype = 'f' AND n.nspname = current_schema()`,
  );
  return {
    tables,
    foreignKeys: fks.rows.map((r) => ({ table: r.table as string, name: r.name as string })),
    indexes: new Set(idx.rows.map((r) => r.indexname)),
    indexesByTable: idx.rows.map((r) => ({ table: r.tablename as string, name: r.indexname as string })),
    primaryKeys: new Map(
      pk.rows.map((r) => [r.table as string, { name: r.name as string, columns: r.columns as string[] }]),
    ),
  };
}

function columnSql(c: ColumnDef): string {
  return `${q(c.name)} ${c.sqlType}${c.default !== undefined ? ` DEFAULT ${c.default}` : ""}${c.notNull ? " NOT NULL" : ""}`;
}

const baseType = (t: string) => t.replace(/\(.*?\)/, "");

/** Is changing `from` to `to` safe for every value the column may hold? */
function isWidening(from: string, to: string): boolean {
  let a = /^character varying\((\d+)\)$/.exec(from);
  let b = /^character varying\((\d+)\)$/.exec(to);
  if (a && b) return Number(b[1]) >= Number(a[1]);
  if (a && to === "text") return true;
  a = /^numeric\((\d+),(\d+)\)$/.exec(from);
  b = /^numeric\((\d+),(\d+)\)$/.exec(to);
  if (a && b) {
    const [p1, s1, p2, s2] = [a[1], a[2], b[1], b[2]].map(Number);
    return s2 >= s1 && p2 - s2 >= p1 - s1;
  }
  if (a && to === "numeric") return true;
  if (from === "date" && to.startsWith("timestamp")) return true;
  if (from === "smallint" && (to === "integer" || to === "bigint" || to === "numeric")) return true;
  if (from === "integer" && (to === "bigint" || to === "numeric")) return true;
  return false;
}

function createTable(t: TableDef): MigrationStep[] {
  const cols = t.columns.map(columnSql).join(",\n  ");
  return [
    {
      sql: `CREATE TABLE ${q(t.name)} (\n  ${cols},\n  PRIMARY KEY (${t.primaryKey.map(q).join(", ")})\n)`,
      description: `create table ${t.name} (${t.label})`,
      destructive: false,
    },
  ];
}

const securitySql = (t: TableDef) => areaIsolationSql(t.name, APP_ROLE, "SELECT, INSERT, UPDATE, DELETE");

function indexSql(t: TableDef, i: TableDef["indexes"][number]): string {
  const cols = i.columns.map((c) => (/^[a-z_][a-z0-9_]*$/.test(c) ? q(c) : `(${c})`)).join(", ");
  return `CREATE ${i.unique ? "UNIQUE " : ""}INDEX ${q(i.name)} ON ${q(t.name)} (${cols})${i.where ? ` WHERE ${i.where}` : ""}`;
}

/**
 * The model's foreign keys that the database lacks, added once every table exists (a key may
 * name a table created in this migration); keys the model generated that it no longer has
 * (their names hold "__fk_"), dropped. Adding a key checks the rows already there: a reference
 * to a deleted object refuses the migration, naming the key. Keys are checked at once, but a
 * transaction may defer them (SET CONSTRAINTS ALL DEFERRED: wiping a data area in any order).
 */
function foreignKeySteps(model: TableDef[], live: LiveSchema): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const liveNames = new Set(live.foreignKeys.map((k) => k.name));
  for (const t of model) {
    const wanted = new Set((t.foreignKeys ?? []).map((k) => k.name));
    for (const k of live.foreignKeys)
      if (k.table === t.name && k.name.includes("__fk_") && !wanted.has(k.name))
        steps.push({
          sql: `ALTER TABLE ${q(t.name)} DROP CONSTRAINT IF EXISTS ${q(k.name)}`,
          description: `drop reference key ${k.name}`,
          destructive: false,
        });
    for (const k of t.foreignKeys ?? []) {
      if (liveNames.has(k.name)) continue;
      steps.push({
        sql: `ALTER TABLE ${q(t.name)} ADD CONSTRAINT ${q(k.name)} FOREIGN KEY (${k.columns.map(q).join(", ")}) REFERENCES ${q(k.refTable)} (${k.refColumns.map(q).join(", ")})${k.onDeleteCascade ? " ON DELETE CASCADE" : ""} DEFERRABLE INITIALLY IMMEDIATE`,
        description: `add reference key ${k.name} (${t.label}: ${k.columns[k.columns.length - 1]} → ${k.refTable})`,
        destructive: false,
      });
    }
  }
  return steps;
}

/** "catalog colors" for cat_colors: the object a leftover table belonged to. */
function describeTable(name: string): string {
  const kinds: Record<string, string> = {
    cat: "catalog",
    doc: "document",
    acc: "accumulation register",
    inf: "information register",
  };
  const [prefix, ...rest] = name.split("_");
  const [obj, part] = rest.join("_").split("__");
  return `${kinds[prefix]} ${obj}${part ? `, its part ${part}` : ""}`;
}

/** The steps that bring the live schema to the model, additive and destructive alike. */
export async function planMigration(
  c: pg.ClientBase,
  conf: Configuration,
  parts: readonly SchemaPart[],
): Promise<MigrationStep[]> {
  const model = modelTables(conf, parts);
  const live = await liveSchema(c);
  const steps: MigrationStep[] = [];
  const wanted = new Set(model.map((t) => t.name));
  for (const t of model) {
    const liveCols = live.tables.get(t.name);
    if (!liveCols) {
      steps.push(...createTable(t));
    } else {
      for (const column of t.columns) {
        const lc = liveCols.get(column.name);
        if (!lc) {
          steps.push({
            sql: `ALTER TABLE ${q(t.name)} ADD COLUMN ${columnSql(column)}`,
            description: `add column ${t.name}.${column.name} (${column.label}, ${column.sqlType})`,
            destructive: false,
          });
        } else if (lc.type !== column.sqlType) {
          steps.push({
            // Same base type (a shorter string): the implicit conversion refuses values that do not
            // fit, so nothing is cut. Another type: USING converts each value, and PostgreSQL
            // refuses (rolling everything back) when a value does not convert.
            sql: `ALTER TABLE ${q(t.name)} ALTER COLUMN ${q(column.name)} TYPE ${column.sqlType}${baseType(lc.type) === baseType(column.sqlType) ? "" : ` USING ${q(column.name)}::${column.sqlType}`}`,
            description: `${isWidening(lc.type, column.sqlType) ? "widen" : "change"} ${column.label} from ${lc.type} to ${column.sqlType}${isWidening(lc.type, column.sqlType) ? "" : " (values that do not fit would be lost or refused)"}`,
            destructive: !isWidening(lc.type, column.sqlType),
          });
        }
      }
      const modelCols = new Set(t.columns.map((x) => x.name));
      for (const name of liveCols.keys()) {
        if (!modelCols.has(name)) {
          steps.push({
            sql: `ALTER TABLE ${q(t.name)} DROP COLUMN ${q(name)}`,
            description: `drop column ${t.name}.${name} of ${t.label} (its data would be lost)`,
            destructive: true,
          });
        }
      }
    }
    const livePk = live.primaryKeys.get(t.name);
    if (liveCols && livePk && livePk.columns.join(",") !== t.primaryKey.join(",")) {
      // A key gained or lost a column (a register dimension). Rebuilding the key keeps every
      // row; if existing rows collide under the new key PostgreSQL refuses and nothing applies.
      steps.push({
        sql: `ALTER TABLE ${q(t.name)} DROP CONSTRAINT ${q(livePk.name)}, ADD PRIMARY KEY (${t.primaryKey.map(q).join(", ")})`,
        description: `change the key of ${t.label} from (${livePk.columns.join(", ")}) to (${t.primaryKey.join(", ")})`,
        destructive: false,
      });
    }
    const wantedIdx = new Set(t.indexes.map((i) => i.name));
    for (const li of live.indexesByTable) {
      // Only indexes the model generated (their names end with a 6-hex definition hash, see
      // modelTables) are replaced; indexes that ddl.ts creates itself are left alone.
      if (
        li.table === t.name &&
        li.name.startsWith(`${t.name}__`) &&
        /_[0-9a-f]{6}$/.test(li.name) &&
        !wantedIdx.has(li.name)
      )
        steps.push({
          sql: `DROP INDEX ${q(li.name)}`,
          description: `drop index ${li.name}, replaced by a new definition`,
          destructive: false,
        });
    }
    for (const i of t.indexes) {
      if (!live.indexes.has(i.name))
        steps.push({ sql: indexSql(t, i), description: `create index ${i.name}`, destructive: false });
    }
  }
  steps.push(...foreignKeySteps(model, live));
  for (const name of live.tables.keys()) {
    if (/^(cat|doc|acc|inf)_/.test(name) && !wanted.has(name)) {
      steps.push({
        sql: `DROP TABLE ${q(name)}`,
        description: `drop table ${name} (${describeTable(name)} was removed from the configuration; its rows would be lost)`,
        destructive: true,
      });
    }
  }
  return steps;
}

export interface MigrateOptions {
  /** The other subsystems' parts of the schema (server/schema.ts SCHEMA_PARTS). */
  parts: readonly SchemaPart[];
  allowDestructive?: boolean;
  /** Password for the application role (created if missing). */
  appPassword: string;
  log?: (line: string) => void;
}

/** Runs the migration as the owner. Returns the steps applied (empty when up to date). */
export async function migrate(owner: pg.Pool, conf: Configuration, opts: MigrateOptions): Promise<MigrationStep[]> {
  const c = await owner.connect();
  try {
    await ensureAppRole(c, opts.appPassword);
    await c.query("BEGIN");
    await c.query("SELECT pg_advisory_xact_lock(727274)");
    await c.query(SYSTEM_SQL);
    const steps = await planMigration(c, conf, opts.parts);
    const destructive = steps.filter((s) => s.destructive);
    if (destructive.length && !opts.allowDestructive) throw new MigrationRefused(destructive);
    for (const s of steps) {
      opts.log?.(`migrate: ${s.description}`);
      await c.query(s.sql);
    }
    const model = modelTables(conf, opts.parts);
    const security = [
      areaIsolationSql("_numbering", APP_ROLE, "SELECT, INSERT, UPDATE, DELETE"),
      areaIsolationSql("_initial_data", APP_ROLE, "SELECT, INSERT, UPDATE, DELETE"),
      `GRANT USAGE ON SCHEMA public TO ${q(APP_ROLE)};`,
      ...model.map(securitySql),
    ].join("\n");
    await c.query(security);
    for (const part of opts.parts) {
      const sql = part.sql?.(conf, APP_ROLE, AREA_DEFAULT);
      if (sql) await c.query(sql);
    }
    if (steps.length) {
      await c.query(`INSERT INTO _migrations(description, statements, destructive) VALUES ($1, $2, $3)`, [
        steps.map((s) => s.description).join("; "),
        steps.map((s) => s.sql + ";").join("\n"),
        destructive.length > 0,
      ]);
    }
    await c.query("COMMIT");
    return steps;
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

async function ensureAppRole(c: pg.ClientBase, password: string): Promise<void> {
  const exists = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
  const pw = password.replace(/'/g, "''");
  if (exists.rowCount === 0) {
    await c.query(`CREATE ROLE ${q(APP_ROLE)} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${pw}'`).catch((e) => {
      if (!/already exists/.test(String(e.message))) throw e; // another database of the cluster raced us
    });
  }
  await c.query(`ALTER ROLE ${q(APP_ROLE)} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${pw}'`);
  const db = (await c.query("SELECT current_database() AS d")).rows[0].d;
  await c.query(`GRANT CONNECT ON DATABASE ${q(db)} TO ${q(APP_ROLE)}`);
}
