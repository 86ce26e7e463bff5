// storage/db.ts tx(): BEGIN and the data area travel with the transaction's first statement,
// COMMIT with the statements queued by sendWithCommit. Whatever the first statement is —
// parameterised, prepared, plain text of several statements, a COPY, a failure — it runs inside
// the transaction, in its area, its caller gets only its own result, and a rollback loses it.
import { expect } from "chai";
import { pipeline } from "node:stream/promises";
import { to as copyTo } from "pg-copy-streams";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { prepared, sendWithCommit, tx } from "../../server/storage/db.ts";

describe("transactions open with their first statement", () => {
  let p: Platform;
  const units = () => tx(p.db.app, 1, async (c) => (await c.query("SELECT name FROM cat_units ORDER BY name")).rows);

  before(async () => {
    p = await testPlatform(undefined, "tx-open");
  });
  after(() => p?.close());

  it("a parameterised first statement runs in the transaction and its area, and rolls back with it", async () => {
    const seen = await tx(p.db.app, 1, async (c) => {
      const r = await c.query("INSERT INTO cat_units (code, name) VALUES ($1, $2) RETURNING area, name", ["u1", "шт"]);
      const inTx = await c.query("SELECT now() = statement_timestamp() AS same, current_setting('app.area') AS area");
      return { inserted: r.rows, inTx: inTx.rows[0] };
    });
    expect(seen.inserted).to.deep.equal([{ area: 1, name: "шт" }]);
    expect(seen.inTx, "now() is the transaction's start, not this statement's").to.deep.equal({
      same: false,
      area: "1",
    });
    await tx(p.db.app, 1, async (c) => {
      await c.query(prepared("DELETE FROM cat_units WHERE code = $1", ["u1"]));
      throw new Error("roll back");
    }).catch(() => {});
    expect(await units(), "the prepared first statement was rolled back").to.deep.equal([{ name: "шт" }]);
  });

  it("a plain text of several statements gets only its own results", async () => {
    const r = (await tx(p.db.app, 2, (c) =>
      c.query("SELECT current_setting('app.area') AS area; SELECT 2 AS two"),
    )) as unknown as { rows: unknown[] }[];
    expect(r.map((x) => x.rows)).to.deep.equal([[{ area: "2" }], [{ two: 2 }]]);
    const one = await tx(p.db.app, 3, (c) => c.query("SELECT current_setting('app.area') AS area"));
    expect(one.rows).to.deep.equal([{ area: "3" }]);
  });

  it("a failing first statement leaves the connection clean for the next transaction", async () => {
    const err = await tx(p.db.app, 1, (c) => c.query("SELECT 1/0 AS x WHERE $1", [true])).catch((e) => e);
    expect(err.code).to.equal("22012");
    for (let i = 0; i < 20; i++) expect((await units()).length).to.equal(1); // every pooled connection
  });

  it("a COPY as the first statement, and a transaction with nothing but a queued statement", async () => {
    const copied = await tx(p.db.app, 4, async (c) => {
      const chunks: string[] = [];
      await pipeline(
        c.query(copyTo("COPY (SELECT current_setting('app.area'), now() = statement_timestamp()) TO STDOUT")),
        async (source: AsyncIterable<Buffer>) => {
          for await (const chunk of source) chunks.push(chunk.toString());
        },
      );
      await c.query("INSERT INTO cat_units (code, name) VALUES ('u2', 'кг')");
      return chunks.join("");
    });
    expect(copied, "the COPY ran in the transaction, in its area").to.equal("4\tf\n");
    await tx(p.db.app, 1, async (c) => {
      expect(sendWithCommit(c, "INSERT INTO cat_units (code, name) VALUES ('u3', 'м')")).to.equal(true);
    });
    expect(await units(), "area 4's row is not area 1's").to.deep.equal([{ name: "м" }, { name: "шт" }]);
  });
});
