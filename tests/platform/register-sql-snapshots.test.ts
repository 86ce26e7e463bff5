// The SQL the register engine generates for the warehouse fixture's accumulation registers
// (server/registers/ddl.ts#registerSqlParts: the functions and indexes; tables.ts: the table
// model), kept as files under tests/snapshots/registers/ — one per register and part — so a
// change to the engine shows up in review as a readable diff of the SQL. A difference fails the
// test; after a deliberate change, regenerate the files and review their diff:
//   UPDATE_SNAPSHOTS=1 npm test -- register-sql-snapshots
import { expect } from "chai";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, WAREHOUSE } from "../helpers/db.ts";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { registerSqlParts } from "../../server/registers/ddl.ts";
import { accumulationTables } from "../../server/registers/tables.ts";

const DIR = join(ROOT, "tests", "snapshots", "registers");
const UPDATE = "UPDATE_SNAPSHOTS=1 npm test -- register-sql-snapshots";

/** File name → content: the SQL parts (each ending in a newline), and the tables as JSON. */
async function generated(): Promise<Map<string, string>> {
  const conf = await loadConfiguration(WAREHOUSE, { modules: false });
  const files = new Map<string, string>();
  for (const p of registerSqlParts(conf))
    files.set(`${p.register ? p.register + "." : ""}${p.part}.sql`, p.sql.trimEnd() + "\n");
  for (const reg of conf.accumulationRegisters.values())
    files.set(`${reg.name}.tables.json`, JSON.stringify(accumulationTables(reg), null, 2) + "\n");
  return files;
}

describe("register SQL snapshots (warehouse fixture)", () => {
  it("the generated SQL equals tests/snapshots/registers/", async () => {
    const files = await generated();
    if (process.env.UPDATE_SNAPSHOTS) {
      if (existsSync(DIR)) for (const f of readdirSync(DIR)) if (!files.has(f)) rmSync(join(DIR, f));
      mkdirSync(DIR, { recursive: true });
      for (const [f, text] of files) writeFileSync(join(DIR, f), text);
      return;
    }
    const stored = existsSync(DIR) ? readdirSync(DIR).sort() : [];
    expect(stored, `the snapshot files differ from the generated parts; run ${UPDATE}`).to.deep.equal(
      [...files.keys()].sort(),
    );
    const changed = [...files].filter(([f, text]) => readFileSync(join(DIR, f), "utf8") !== text).map(([f]) => f);
    expect(
      changed,
      `the generated SQL differs from tests/snapshots/registers/ (${changed.join(", ")}); review the change, then run ${UPDATE}`,
    ).to.deep.equal([]);
  });
});
