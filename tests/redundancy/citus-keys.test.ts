// Ready to outgrow one machine (docs/scaling.md): Citus distributes tables by one column and
// can enforce a primary key, a unique key or a foreign key only when it contains that column —
// and co-locates a foreign key only when both sides are distributed by it. Our distribution
// column is the data area, so on the generated schema of both configurations (the ЖКХ one and
// the warehouse fixture) every table has `area`, and every primary key, unique index and
// foreign key leads with it (a foreign key on both sides).
import { expect } from "chai";
import { join } from "node:path";
import type { Platform } from "../../server/platform.ts";
import { ROOT, WAREHOUSE, testPlatform } from "../helpers/db.ts";

/**
 * Tables that stay on the Citus coordinator, with the reason; everything else is distributed.
 * _migrations: the journal of schema migrations — one schema for all tenants, so it is not
 * tenant data and has no area (a local table on the coordinator, where DDL runs).
 */
const EXEMPT = new Map([
  ["_migrations", "the schema's migration journal: one schema serves every area, so it belongs to none"],
]);

interface KeyRow {
  table: string;
  key: string;
  kind: string;
  columns: string[];
  refTable?: string;
  refColumns?: string[];
}

async function keysOf(p: Platform): Promise<{ tables: string[]; withoutArea: string[]; keys: KeyRow[] }> {
  const q = (sql: string) => p.db.owner.query(sql).then((r) => r.rows);
  const tables = (
    await q(`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1`)
  ).map((r) => r.t as string);
  const withoutArea = (
    await q(`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
                AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'area' AND NOT a.attisdropped)`)
  ).map((r) => r.t as string);
  // Unique and primary-key indexes (constraints or not); an expression column shows as its text.
  const indexes = await q(`
    SELECT c.relname AS table, i.relname AS key, CASE WHEN x.indisprimary THEN 'primary key' ELSE 'unique index' END AS kind,
           array(SELECT coalesce(a.attname::text, pg_get_indexdef(x.indexrelid, k.ord::int, true))
                   FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
                   LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                  WHERE k.ord <= x.indnkeyatts ORDER BY k.ord) AS columns
      FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND (x.indisprimary OR x.indisunique)`);
  const fks = await q(`
    SELECT c.relname AS table, k.conname AS key, 'foreign key' AS kind,
           array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o) AS columns,
           r.relname AS "refTable",
           array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o) AS "refColumns"
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND k.contype = 'f'`);
  return { tables, withoutArea, keys: [...indexes, ...fks] as KeyRow[] };
}

function violations(s: { withoutArea: string[]; keys: KeyRow[] }): string[] {
  const out: string[] = [];
  for (const t of s.withoutArea) if (!EXEMPT.has(t)) out.push(`table ${t} has no area column`);
  for (const k of s.keys) {
    if (EXEMPT.has(k.table)) continue;
    if (k.columns[0] !== "area")
      out.push(`${k.kind} ${k.key} on ${k.table} (${k.columns.join(", ")}) does not lead with area`);
    if (k.kind === "foreign key" && k.refColumns?.[0] !== "area") {
      out.push(
        `foreign key ${k.key} on ${k.table} references ${k.refTable} (${k.refColumns?.join(", ")}) without leading with area`,
      );
    }
  }
  return out;
}

for (const [name, confRoot] of [
  ["the ЖКХ configuration (metadata/)", join(ROOT, "metadata")],
  ["the warehouse fixture", WAREHOUSE],
] as const) {
  describe(`Citus-ready keys: ${name}`, function () {
    let p: Platform;
    before(async () => {
      p = await testPlatform(confRoot, "keys");
    });
    after(() => p?.close());

    it("has the data area leading every primary key, unique index and foreign key", async () => {
      const s = await keysOf(p);
      expect(s.tables.length, "tables in the generated schema").to.be.greaterThan(10);
      expect(s.keys.filter((k) => k.kind === "primary key").length, "primary keys found").to.be.greaterThan(10);
      expect(violations(s)).to.deep.equal([]);
      // Only the stated exemptions are exempt, and each of them exists (a stale entry would hide nothing).
      for (const t of EXEMPT.keys()) expect(s.tables).to.include(t);
    });

    it("would catch a key that does not lead with the area", async () => {
      await p.db.owner.query(
        "CREATE TABLE _keys_probe (area integer NOT NULL, code text NOT NULL, PRIMARY KEY (code, area))",
      );
      try {
        const found = violations(await keysOf(p)).filter((v) => v.includes("_keys_probe"));
        expect(found).to.deep.equal([
          "primary key _keys_probe_pkey on _keys_probe (code, area) does not lead with area",
        ]);
      } finally {
        await p.db.owner.query("DROP TABLE _keys_probe");
      }
    });
  });
}
