// Data areas (1C's "области данных"): hand-written SQL through the application's pool, which
// logs in as the non-owner role, cannot see, change or write rows of another area, nor any row
// outside a transaction that set app.area. Checked on a catalog, a document's tabular part, an
// accumulation register's movements and the document numbering table; and the role itself can
// neither bypass nor switch off row-level security.
import { expect } from "chai";
import type pg from "pg";
import { tx, type Client } from "../../server/storage/db.ts";
import type { Platform } from "../../server/platform.ts";
import { testPlatform } from "../helpers/db.ts";

/** SQLSTATE of a statement that fails, or null when it succeeds (a savepoint keeps the transaction usable). */
async function failure(
  c: Client,
  sql: string,
  params: unknown[] = [],
): Promise<{ code: string; message: string } | null> {
  await c.query("SAVEPOINT probe");
  try {
    await c.query(sql, params);
    await c.query("RELEASE SAVEPOINT probe");
    return null;
  } catch (e) {
    await c.query("ROLLBACK TO SAVEPOINT probe");
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
}

async function failureOutside(
  pool: pg.Pool,
  sql: string,
  params: unknown[] = [],
): Promise<{ code: string; message: string } | null> {
  try {
    await pool.query(sql, params);
    return null;
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
}

const RLS_VIOLATION = "42501"; // insufficient_privilege: "new row violates row-level security policy"

interface Case {
  table: string;
  /** Inserts one row in the current area with the given `area` column value (undefined = the default). */
  insert: (c: Client | pg.Pool, area?: number) => Promise<unknown>;
  /** A harmless column to SET in an UPDATE. */
  set: string;
  /** The application role may DELETE from it (numbering rows are deleted only when demo:reset wipes an area). */
  deletable: boolean;
}

describe("data areas", () => {
  let p: Platform;

  before(async () => {
    p = await testPlatform(undefined, "areas");
  });
  after(async () => {
    await p?.close();
  });

  const areaColumn = (area?: number) => (area === undefined ? ["", ""] : [", area", `, ${area}`]);

  const cases: Case[] = [
    {
      table: "cat_products",
      insert: (c, area) => {
        const [col, val] = areaColumn(area);
        return c.query(
          `INSERT INTO cat_products(code, name${col}) VALUES (lpad((floor(random() * 1e9))::text, 11, '0'), 'Товар'${val})`,
        );
      },
      set: "name = 'changed'",
      deletable: true,
    },
    {
      table: "doc_sale__items",
      insert: (c, area) => {
        const [col, val] = areaColumn(area);
        // A row's owner must exist in its area (a reference key): the document first, then its row.
        return c.query(
          `WITH d AS (INSERT INTO doc_sale(number, date${col}) VALUES (left(md5(random()::text), 9), now()${val}) RETURNING id)
           INSERT INTO doc_sale__items(owner, line, quantity${col}) SELECT d.id, 1, 5${val} FROM d`,
        );
      },
      set: "quantity = 0",
      deletable: true,
    },
    {
      table: "acc_stock",
      insert: (c, area) => {
        const [col, val] = areaColumn(area);
        return c.query(
          `INSERT INTO acc_stock(recorder, recorder_kind, line, period, warehouse, product, quantity, amount${col})
           VALUES (gen_random_uuid(), 'GoodsReceipt', 1, '2024-03-01T10:00:00', gen_random_uuid(), gen_random_uuid(), 10, 100${val})`,
        );
      },
      set: "quantity = 0",
      deletable: true,
    },
    {
      table: "_numbering",
      insert: (c, area) => {
        const [col, val] = areaColumn(area);
        return c.query(
          `INSERT INTO _numbering(kind, year, last${col}) VALUES ('Sale-' || gen_random_uuid(), 2024, 7${val})`,
        );
      },
      set: "last = 0",
      deletable: true,
    },
  ];

  for (const k of cases) {
    describe(k.table, () => {
      before(async () => {
        // One row in area 2, written as the application in area 2.
        await tx(p.db.app, 2, (c) => k.insert(c));
      });

      it("a row written in area 2 is there for area 2", async () => {
        const mine = await tx(p.db.app, 2, (c) => c.query(`SELECT area FROM ${k.table}`));
        expect(mine.rows).to.deep.equal([{ area: 2 }]);
      });

      it("area 1 does not see it, even asking for area = 2", async () => {
        await tx(p.db.app, 1, async (c) => {
          expect((await c.query(`SELECT * FROM ${k.table}`)).rows).to.deep.equal([]);
          expect((await c.query(`SELECT * FROM ${k.table} WHERE area = 2`)).rows).to.deep.equal([]);
          expect((await c.query(`SELECT count(*)::int AS n FROM ${k.table} WHERE area <> 1`)).rows[0].n).to.equal(0);
        });
      });

      it("area 1 cannot update or delete it", async () => {
        await tx(p.db.app, 1, async (c) => {
          expect((await c.query(`UPDATE ${k.table} SET ${k.set} WHERE area = 2`)).rowCount).to.equal(0);
          if (k.deletable) {
            expect((await c.query(`DELETE FROM ${k.table} WHERE area = 2`)).rowCount).to.equal(0);
          } else {
            const f = await failure(c, `DELETE FROM ${k.table} WHERE area = 2`);
            expect(f?.code, "the application role has no DELETE on this table").to.equal("42501");
            expect(f?.message).to.match(/permission denied/);
          }
        });
        const still = await tx(p.db.app, 2, (c) => c.query(`SELECT count(*)::int AS n FROM ${k.table}`));
        expect(still.rows[0].n, "the row of area 2 is untouched").to.equal(1);
      });

      it("area 1 cannot insert a row into area 2, nor move its own row there", async () => {
        await tx(p.db.app, 1, async (c) => {
          await c.query("SAVEPOINT ins");
          let err: any;
          await k.insert(c, 2).catch((e) => (err = e));
          await c.query("ROLLBACK TO SAVEPOINT ins");
          expect(err?.code, String(err)).to.equal(RLS_VIOLATION);
          expect(err?.message).to.match(/row-level security/);
          // Its own row, written in area 1, cannot be moved to area 2 either (WITH CHECK).
          await k.insert(c);
          const moved = await failure(c, `UPDATE ${k.table} SET area = 2`);
          expect(moved?.code).to.equal(RLS_VIOLATION);
          expect(moved?.message).to.match(/row-level security/);
          throw new Rollback();
        }).catch((e) => {
          if (!(e instanceof Rollback)) throw e;
        });
        const inTwo = await tx(p.db.app, 2, (c) => c.query(`SELECT count(*)::int AS n FROM ${k.table}`));
        expect(inTwo.rows[0].n).to.equal(1);
      });

      it("outside any area nothing is visible and nothing can be written", async () => {
        // A plain query on the pool: no transaction, no set_config.
        expect((await p.db.app.query(`SELECT * FROM ${k.table}`)).rows).to.deep.equal([]);
        expect((await p.db.app.query(`SELECT * FROM ${k.table} WHERE area = 2`)).rows).to.deep.equal([]);
        expect((await p.db.app.query(`UPDATE ${k.table} SET ${k.set}`)).rowCount).to.equal(0);
        // Without an area the column's default is NULL, and the policy (area = NULL) refuses the
        // row before NOT NULL is even checked; naming an area explicitly is refused the same way.
        for (const area of [undefined, 1, 2]) {
          let err: any;
          await k.insert(p.db.app, area).catch((e) => (err = e));
          expect(err?.code, `area ${area}: ${err}`).to.equal(RLS_VIOLATION);
          expect(err?.message).to.match(/row-level security/);
        }
        // A pooled connection that ran a transaction in area 2 does not keep the area afterwards.
        const c = await p.db.app.connect();
        try {
          await c.query("BEGIN; SELECT set_config('app.area', '2', true)");
          expect((await c.query(`SELECT count(*)::int AS n FROM ${k.table}`)).rows[0].n).to.equal(1);
          await c.query("COMMIT");
          expect((await c.query(`SELECT count(*)::int AS n FROM ${k.table}`)).rows[0].n).to.equal(0);
        } finally {
          c.release();
        }
      });
    });
  }

  describe("the application role", () => {
    it("is not a superuser and cannot bypass row-level security", async () => {
      const r = await p.db.app.query(
        `SELECT current_user AS name, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`,
      );
      expect(r.rows).to.deep.equal([
        { name: p.db.appRole, rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false },
      ]);
      // The owner, for contrast, is another role.
      const o = await p.db.owner.query(`SELECT current_user AS name`);
      expect(o.rows[0].name).to.not.equal(p.db.appRole);
    });

    it("owns none of the tables", async () => {
      const owned = await p.db.owner.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1`,
        [p.db.appRole],
      );
      expect(owned.rows).to.deep.equal([]);
      const all = await p.db.owner.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`);
      expect(all.rows[0].n).to.be.greaterThan(10);
    });

    it("cannot switch row-level security off, drop the policy, or read the migration journal", async () => {
      for (const sql of [
        "ALTER TABLE cat_products DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE acc_stock NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY area_isolation ON doc_sale__items",
        "ALTER TABLE _numbering DISABLE ROW LEVEL SECURITY",
      ]) {
        const f = await failureOutside(p.db.app, sql);
        expect(f?.code, sql).to.equal("42501");
        expect(f?.message, sql).to.match(/must be owner/);
      }
      const j = await failureOutside(p.db.app, "SELECT * FROM _migrations");
      expect(j?.code).to.equal("42501");
      expect(j?.message).to.match(/permission denied/);
      const s = await failureOutside(p.db.app, "SET ROLE postgres");
      expect(s?.code).to.equal("42501");
      const rls = await p.db.owner.query(
        `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
        [["_numbering", "acc_stock", "cat_products"]],
      );
      expect(
        rls.rows.every((r) => r.relrowsecurity && r.relforcerowsecurity),
        JSON.stringify(rls.rows),
      ).to.equal(true);
      expect(rls.rows).to.have.length(3);
    });
  });
});

class Rollback extends Error {}
