// Rules of the register engine's generated SQL (server/registers/ddl.ts, ddl-sql.ts), checked on
// the warehouse fixture (the SQL itself is in tests/snapshots/registers/):
//  - table aliases and other identifiers are words: no single-letter name anywhere in it;
//  - the small (jsonb array) and the staged (staging table) functions are built by the same
//    helpers: the statements they share come out identical, whatever the source of the delta.
import { expect } from "chai";
import { WAREHOUSE } from "../helpers/db.ts";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { registerSqlParts } from "../../server/registers/ddl.ts";

/** Single-letter identifiers of `sql`, its string literals and quoted identifiers left out. */
function singleLetterNames(sql: string): string[] {
  const bare = sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/\$fn\$|\$\$/g, " ");
  return bare.match(/(?<![\w$])[A-Za-z](?![\w$])/g) ?? [];
}

/** The text of `sql` from the first `start` to the end of the next `end`. */
function between(sql: string, start: string, end: string): string {
  const from = sql.indexOf(start);
  expect(from, `"${start}" in the generated SQL`).to.be.at.least(0);
  const to = sql.indexOf(end, from);
  expect(to, `"${end}" after "${start}"`).to.be.above(from);
  return sql.slice(from, to + end.length);
}

describe("register engine: generated SQL rules (warehouse fixture)", () => {
  let parts: { register: string | null; part: string; sql: string }[];
  before(async () => {
    parts = registerSqlParts(await loadConfiguration(WAREHOUSE, { modules: false }));
  });
  const sqlOf = (register: string, part: string) => parts.find((p) => p.register === register && p.part === part)!.sql;

  it("the check finds a single-letter alias", () => {
    expect(singleLetterNames(`SELECT t.line FROM "acc_stock" t WHERE t.area = v$area AND 'a' = "b"`)).to.deep.equal([
      "t",
      "t",
      "t",
    ]);
  });

  it("no single-letter aliases or names in any generated part", () => {
    for (const p of parts) expect(singleLetterNames(p.sql), `${p.register ?? ""} ${p.part}`).to.deep.equal([]);
  });

  it("the small and the staged function share their statements but for where the delta comes from", () => {
    for (const register of ["Stock", "Purchases"]) {
      // The delta as a FROM item: the d$ arrays unnested, or the staged function's delta table.
      const normal = (sql: string) =>
        sql
          .replace(/unnest\(d\$month[^)]*\) delta\([^)]*\)/g, "<delta>")
          .replace(/pg_temp\."acc_\w+__delta" delta/g, "<delta>");
      const small = normal(sqlOf(register, "write"));
      const staged = normal(sqlOf(register, "write_staged"));
      const shared =
        register === "Stock"
          ? [
              ["probed AS (", ") carried ON true)"], // the fast path's probe of the stored months
              ["cumulative AS (", "INTO v$zero, v$later;"], // the general path's month rows
              ["WITH per_key AS (", "FROM balance_rows balance JOIN per_key ON"], // the general path's balance
              ["ON CONFLICT (area, ", "AS zero)"], // monthTotalsUpsert
            ]
          : [["ON CONFLICT (area, ", "AS zero)"]]; // turnoverTotalsUpsert
      for (const [start, end] of shared)
        expect(between(small, start, end), `${register}: ${start}…${end}`).to.equal(between(staged, start, end));
    }
  });
});
