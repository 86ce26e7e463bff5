// Migration on restart: the platform is opened on a database, the configuration's YAML is
// changed, and the platform is opened again on the same database (a restart). Additive changes
// apply by themselves and keep the rows; a change that would drop or narrow data is refused as a
// whole (nothing applied, not even the additive part) until allowDestructive confirms it; every
// migration that changed something is journalled in _migrations. Each case works on its own copy
// of the warehouse fixture (behaviour modules are imported by URL, so a copy needs a fresh path;
// their `import type` of server/api.ts is erased by tsx, so the copy in tmpdir loads).
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openPlatform, type Platform } from "../../server/platform.ts";
import { MigrationRefused } from "../../server/storage/migrate.ts";
import { tx } from "../../server/storage/db.ts";
import { platformTables } from "../../server/schema.ts";
import { freshDatabaseUrl, testPlatform, TEST_APP_PASSWORD, WAREHOUSE } from "../helpers/db.ts";

const temps: string[] = [];

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "zhkh-migr-"));
  temps.push(dir);
  cpSync(WAREHOUSE, dir, { recursive: true });
  return dir;
}

/** Replaces `from` by `to` in a file of the copy; fails if the text is not there. */
function edit(dir: string, file: string, from: string, to: string): void {
  const p = join(dir, file);
  const before = readFileSync(p, "utf8");
  expect(before, `${file} does not contain ${from}`).to.include(from);
  writeFileSync(p, before.replace(from, to));
}

function write(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}

/** Runs fn on a short-lived owner pool: for looking at the database when no platform is open. */
async function asOwner<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** column -> format_type of a table, as the owner sees it (empty map: no such table). */
async function columnsOf(pool: pg.Pool, table: string): Promise<Map<string, string>> {
  const r = await pool.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [table],
  );
  return new Map(r.rows.map((x) => [x.name, x.type]));
}

async function tableExists(pool: pg.Pool, table: string): Promise<boolean> {
  const r = await pool.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return r.rowCount === 1;
}

async function journal(
  pool: pg.Pool,
): Promise<{ id: number; description: string; statements: string; destructive: boolean }[]> {
  return (await pool.query(`SELECT id, description, statements, destructive FROM _migrations ORDER BY id`)).rows;
}

async function refusal(confRoot: string, url: string): Promise<MigrationRefused> {
  try {
    const p = await openPlatform({ confRoot, ownerUrl: url, appPassword: TEST_APP_PASSWORD });
    await p.close();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(MigrationRefused);
    return e as MigrationRefused;
  }
  throw new Error("the platform opened, but the destructive change should have been refused");
}

const NEW_CATALOG = `kind: catalog
name: Brands
synonym: Марки
codeLength: 5
attributes:
  - { name: Country, synonym: Страна, type: string(60) }
`;

const NEW_INFO_REGISTER = `kind: informationRegister
name: Discounts
synonym: Скидки
periodicity: month
dimensions:
  - { name: Product, synonym: Номенклатура, type: catalog.Products }
resources:
  - { name: Percent, synonym: Процент, type: "number(5,2)" }
`;

/** A catalog nothing refers to, so that deleting its file is a valid configuration. */
const SPARE_CATALOG = `kind: catalog
name: Colors
synonym: Цвета
codeLength: 3
`;

describe("migration on restart", () => {
  after(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it("applies additive changes on restart, keeps the rows, journals the steps, and is idle when nothing changed", async () => {
    const dir = copyFixture();
    const url = await freshDatabaseUrl("migr");
    let p: Platform = await testPlatform(dir, "migr", url);
    let productId: string;
    let receiptId: string;
    try {
      expect(p.migration.length, "the first open creates the schema").to.be.greaterThan(5);
      ({ productId, receiptId } = await tx(p.db.app, 1, async (c) => {
        const prod = await c.query(
          `INSERT INTO cat_products(code, name, sku, price, weight) VALUES ('00000000001', 'Гвозди', 'NAIL-100', 12.34, 1.5) RETURNING id`,
        );
        const doc = await c.query(
          `INSERT INTO doc_goods_receipt(number, date, supplier) VALUES ('000000001', '2024-03-01T10:00:00', 'ООО Поставщик') RETURNING id`,
        );
        await c.query(
          `INSERT INTO doc_goods_receipt__items(owner, line, product, quantity, price, amount) VALUES ($1, 1, $2, 10, 12.34, 123.40)`,
          [doc.rows[0].id, prod.rows[0].id],
        );
        return { productId: prod.rows[0].id as string, receiptId: doc.rows[0].id as string };
      }));
      const j = await journal(p.db.owner);
      expect(j).to.have.length(1);
      expect(j[0].statements).to.include('CREATE TABLE "cat_products"');
    } finally {
      await p.close();
    }

    // The administrator's edits.
    edit(dir, "catalogs/Products.yaml", "type: string(25) }", "type: string(50) }");
    edit(dir, "catalogs/Products.yaml", 'type: "number(15,2)" }', 'type: "number(17,4)" }');
    writeFileSync(
      join(dir, "catalogs/Products.yaml"),
      readFileSync(join(dir, "catalogs/Products.yaml"), "utf8") +
        "  - { name: Barcode, synonym: Штрихкод, type: string(13) }\n",
    );
    write(dir, "catalogs/Brands.yaml", NEW_CATALOG);
    edit(
      dir,
      "documents/GoodsReceipt.yaml",
      '      - { name: Amount, synonym: Сумма, type: "number(15,2)" }',
      '      - { name: Amount, synonym: Сумма, type: "number(15,2)" }\n      - { name: Note, synonym: Примечание, type: string(100) }',
    );
    write(dir, "registers/Discounts.yaml", NEW_INFO_REGISTER);

    p = await testPlatform(dir, "migr", url);
    try {
      const products = await columnsOf(p.db.owner, "cat_products");
      expect(products.get("barcode")).to.equal("character varying(13)");
      expect(products.get("sku")).to.equal("character varying(50)");
      expect(products.get("price")).to.equal("numeric(17,4)");
      expect(products.get("weight"), "an untouched column keeps its type").to.equal("numeric(15,3)");
      expect((await columnsOf(p.db.owner, "doc_goods_receipt__items")).get("note")).to.equal("character varying(100)");
      expect(await tableExists(p.db.owner, "cat_brands")).to.equal(true);
      expect((await columnsOf(p.db.owner, "cat_brands")).get("country")).to.equal("character varying(60)");
      expect(await tableExists(p.db.owner, "inf_discounts")).to.equal(true);
      expect([...(await columnsOf(p.db.owner, "inf_discounts")).keys()]).to.deep.equal([
        "area",
        "period",
        "product",
        "percent",
      ]);

      // The rows are intact, read back through the application role in their area.
      await tx(p.db.app, 1, async (c) => {
        const prod = await c.query(`SELECT id, code, name, sku, price, weight, barcode FROM cat_products`);
        expect(prod.rows).to.deep.equal([
          {
            id: productId,
            code: "00000000001",
            name: "Гвозди",
            sku: "NAIL-100",
            price: "12.3400",
            weight: "1.500",
            barcode: null,
          },
        ]);
        const doc = await c.query(`SELECT id, number, supplier FROM doc_goods_receipt`);
        expect(doc.rows).to.deep.equal([{ id: receiptId, number: "000000001", supplier: "ООО Поставщик" }]);
        const items = await c.query(
          `SELECT owner, line, product, quantity, amount, note FROM doc_goods_receipt__items`,
        );
        expect(items.rows).to.deep.equal([
          { owner: receiptId, line: 1, product: productId, quantity: "10.000", amount: "123.40", note: null },
        ]);
        // The new tables work for the application role.
        await c.query(`INSERT INTO cat_brands(code, name, country) VALUES ('00001', 'Acme', 'USA')`);
        await c.query(`INSERT INTO inf_discounts(period, product, percent) VALUES ('2024-03-01', $1, 5)`, [productId]);
      });

      const descriptions = p.migration.map((s) => s.description);
      const expected = [
        /^add column cat_products\.barcode /,
        /^widen catalog Products\.Sku from character varying\(25\) to character varying\(50\)/,
        /^widen catalog Products\.Price from numeric\(15,2\) to numeric\(17,4\)/,
        /^create table cat_brands /,
        /^add column doc_goods_receipt__items\.note /,
        /^create table inf_discounts /,
      ];
      for (const re of expected)
        expect(
          descriptions.some((d) => re.test(d)),
          `${re} among:\n${descriptions.join("\n")}`,
        ).to.equal(true);
      expect(
        p.migration.filter((s) => s.destructive),
        "additive changes are not destructive",
      ).to.deep.equal([]);

      const j = await journal(p.db.owner);
      expect(j).to.have.length(2);
      expect(j[1].destructive).to.equal(false);
      expect(j[1].description).to.equal(descriptions.join("; "));
      expect(j[1].statements).to.include('ALTER TABLE "cat_products" ADD COLUMN "barcode" character varying(13)');
      expect(j[1].statements).to.include('ALTER TABLE "cat_products" ALTER COLUMN "sku" TYPE character varying(50)');
      expect(j[1].statements).to.include('ALTER TABLE "cat_products" ALTER COLUMN "price" TYPE numeric(17,4)');
      expect(j[1].statements).to.include('CREATE TABLE "cat_brands"');
      expect(j[1].statements).to.include('CREATE TABLE "inf_discounts"');
      expect(j[1].statements.split(";\n").length, "one statement per step").to.equal(p.migration.length);
    } finally {
      await p.close();
    }

    // A restart with nothing changed migrates nothing and journals nothing.
    p = await testPlatform(dir, "migr", url);
    try {
      expect(p.migration).to.deep.equal([]);
      expect(await journal(p.db.owner)).to.have.length(2);
    } finally {
      await p.close();
    }
  });

  describe("a change that would lose data", () => {
    let dir: string;
    let url: string;
    let productId: string;

    before(async () => {
      dir = copyFixture();
      write(dir, "catalogs/Colors.yaml", SPARE_CATALOG);
      url = await freshDatabaseUrl("destr");
      const p = await testPlatform(dir, "destr", url);
      try {
        productId = await tx(p.db.app, 1, async (c) => {
          await c.query(`INSERT INTO cat_colors(code, name) VALUES ('001', 'Красный')`);
          await c.query(
            `INSERT INTO doc_goods_receipt(number, date, supplier) VALUES ('000000001', '2024-03-01T10:00:00', '12345')`,
          );
          const r = await c.query(
            `INSERT INTO cat_products(code, name, sku, price, weight) VALUES ('00000000001', 'Гвозди', 'NAIL-1', 12.34, 1.236) RETURNING id`,
          );
          return r.rows[0].id as string;
        });
      } finally {
        await p.close();
      }
      // Five destructive edits and one additive edit, in one change.
      edit(dir, "catalogs/Products.yaml", '  - { name: Price, synonym: Цена, type: "number(15,2)" }\n', "");
      edit(dir, "catalogs/Products.yaml", "type: string(25) }", "type: string(10) }");
      edit(dir, "catalogs/Products.yaml", 'type: "number(15,3)" }', 'type: "number(15,2)" }');
      writeFileSync(
        join(dir, "catalogs/Products.yaml"),
        readFileSync(join(dir, "catalogs/Products.yaml"), "utf8") +
          "  - { name: Barcode, synonym: Штрихкод, type: string(13) }\n",
      );
      edit(
        dir,
        "documents/GoodsReceipt.yaml",
        "{ name: Supplier, synonym: Поставщик, type: string(150) }",
        '{ name: Supplier, synonym: Поставщик, type: "number(10,0)" }',
      );
      unlinkSync(join(dir, "catalogs/Colors.yaml"));
    });

    it("is refused with a message naming every destructive step and the command that confirms it", async () => {
      const e = await refusal(dir, url);
      const lines = e.message.split("\n");
      const expected = [
        /drop column cat_products\.price of catalog Products/,
        /change catalog Products\.Sku from character varying\(25\) to character varying\(10\)/,
        /change catalog Products\.Weight from numeric\(15,3\) to numeric\(15,2\)/,
        /change document GoodsReceipt\.Supplier from character varying\(150\) to numeric\(10,0\)/,
        /drop table cat_colors /,
      ];
      for (const re of expected)
        expect(
          lines.filter((l) => re.test(l)),
          `${re} in:\n${e.message}`,
        ).to.have.length(1);
      expect(e.message).to.include("npm run migrate -- --allow-destructive");
      expect(e.message, "only the destructive steps are listed").to.not.include("barcode");
      expect(e.steps).to.have.length(5);
      expect(e.steps.every((s) => s.destructive)).to.equal(true);
    });

    it("leaves the database exactly as it was: no step applied, additive ones included", async () => {
      await refusal(dir, url);
      await asOwner(url, async (pool) => {
        const products = await columnsOf(pool, "cat_products");
        expect(products.get("price"), "the removed attribute's column is still there").to.equal("numeric(15,2)");
        expect(products.get("sku")).to.equal("character varying(25)");
        expect(products.get("weight")).to.equal("numeric(15,3)");
        expect(products.has("barcode"), "the additive step of the same change was rolled back").to.equal(false);
        expect((await columnsOf(pool, "doc_goods_receipt")).get("supplier")).to.equal("character varying(150)");
        expect(await tableExists(pool, "cat_colors")).to.equal(true);
        const prod = await pool.query(`SELECT id, sku, price, weight FROM cat_products`);
        expect(prod.rows).to.deep.equal([{ id: productId, sku: "NAIL-1", price: "12.34", weight: "1.236" }]);
        expect((await pool.query(`SELECT name FROM cat_colors`)).rows).to.deep.equal([{ name: "Красный" }]);
        expect((await pool.query(`SELECT supplier FROM doc_goods_receipt`)).rows).to.deep.equal([
          { supplier: "12345" },
        ]);
        expect(await journal(pool), "nothing journalled").to.have.length(1);
      });
    });

    it("applies when confirmed with allowDestructive, and the journal marks it destructive", async () => {
      // The type change is confirmed in its own case below; here the other four.
      edit(dir, "documents/GoodsReceipt.yaml", 'type: "number(10,0)" }', "type: string(150) }");
      const p = await openPlatform({
        confRoot: dir,
        ownerUrl: url,
        appPassword: TEST_APP_PASSWORD,
        allowDestructive: true,
      });
      try {
        const products = await columnsOf(p.db.owner, "cat_products");
        expect(products.has("price")).to.equal(false);
        expect(products.get("sku")).to.equal("character varying(10)");
        expect(products.get("weight")).to.equal("numeric(15,2)");
        expect(products.get("barcode")).to.equal("character varying(13)");
        expect(await tableExists(p.db.owner, "cat_colors")).to.equal(false);
        await tx(p.db.app, 1, async (c) => {
          const prod = await c.query(`SELECT id, sku, weight, barcode FROM cat_products`);
          expect(prod.rows).to.deep.equal([{ id: productId, sku: "NAIL-1", weight: "1.24", barcode: null }]);
        });
        expect(p.migration.filter((s) => s.destructive)).to.have.length(4);
        const j = await journal(p.db.owner);
        expect(j).to.have.length(2);
        expect(j[1].destructive).to.equal(true);
        expect(j[1].statements).to.include('ALTER TABLE "cat_products" DROP COLUMN "price"');
        expect(j[1].statements).to.include('DROP TABLE "cat_colors"');
        expect(j[1].statements).to.include('ADD COLUMN "barcode"');
      } finally {
        await p.close();
      }
    });
  });

  it("refuses a narrowing whose values do not fit even when confirmed, and keeps the data", async () => {
    const dir = copyFixture();
    const url = await freshDatabaseUrl("narrow");
    let p = await testPlatform(dir, "narrow", url);
    try {
      await tx(p.db.app, 1, (c) =>
        c.query(`INSERT INTO cat_products(code, name, sku) VALUES ('00000000001', 'Гвозди', 'A-VERY-LONG-SKU-1')`),
      );
    } finally {
      await p.close();
    }
    edit(dir, "catalogs/Products.yaml", "type: string(25) }", "type: string(10) }");
    let error: unknown;
    try {
      p = await openPlatform({ confRoot: dir, ownerUrl: url, appPassword: TEST_APP_PASSWORD, allowDestructive: true });
      await p.close();
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/value too long for type character varying\(10\)/);
    await asOwner(url, async (pool) => {
      expect((await columnsOf(pool, "cat_products")).get("sku")).to.equal("character varying(25)");
      expect((await pool.query(`SELECT sku FROM cat_products`)).rows).to.deep.equal([{ sku: "A-VERY-LONG-SKU-1" }]);
      expect(await journal(pool)).to.have.length(1);
    });
  });

  it("converts the values of a confirmed type change (string to number)", async () => {
    // FAILS at the time of writing: server/storage/migrate.ts planMigration emits
    // `ALTER COLUMN … TYPE numeric(10,0)` without a USING clause, which PostgreSQL refuses for
    // character varying -> numeric ("cannot be cast automatically"), so a confirmed type change
    // can never be applied. See the report: add `USING "col"::<type>` to a non-widening change.
    const dir = copyFixture();
    const url = await freshDatabaseUrl("retype");
    let p = await testPlatform(dir, "retype", url);
    try {
      await tx(p.db.app, 1, (c) =>
        c.query(
          `INSERT INTO doc_goods_receipt(number, date, supplier) VALUES ('000000001', '2024-03-01T10:00:00', '12345')`,
        ),
      );
    } finally {
      await p.close();
    }
    edit(
      dir,
      "documents/GoodsReceipt.yaml",
      "{ name: Supplier, synonym: Поставщик, type: string(150) }",
      '{ name: Supplier, synonym: Поставщик, type: "number(10,0)" }',
    );
    const e = await refusal(dir, url);
    expect(e.steps.map((s) => s.description)).to.deep.equal([
      "change document GoodsReceipt.Supplier from character varying(150) to numeric(10,0) (values that do not fit would be lost or refused)",
    ]);
    p = await openPlatform({ confRoot: dir, ownerUrl: url, appPassword: TEST_APP_PASSWORD, allowDestructive: true });
    try {
      expect((await columnsOf(p.db.owner, "doc_goods_receipt")).get("supplier")).to.equal("numeric(10,0)");
      const r = await tx(p.db.app, 1, (c) => c.query(`SELECT supplier FROM doc_goods_receipt`));
      expect(r.rows).to.deep.equal([{ supplier: "12345" }]);
      expect((await journal(p.db.owner)).at(-1)!.destructive).to.equal(true);
    } finally {
      await p.close();
    }
  });

  it("re-keys an information register when a dimension is added", async () => {
    // FAILS at the time of writing: server/storage/migrate.ts planMigration compares columns and
    // indexes but never primary keys, so the new dimension becomes a plain column and the old key
    // (area, currency, period) refuses two rates of one currency that differ only by the new
    // dimension. See the report.
    const dir = copyFixture();
    const url = await freshDatabaseUrl("rekey");
    let p = await testPlatform(dir, "rekey", url);
    await p.close();
    edit(
      dir,
      "registers/ExchangeRates.yaml",
      "dimensions:\n",
      "dimensions:\n  - { name: Source, synonym: Источник, type: string(20) }\n",
    );
    p = await testPlatform(dir, "rekey", url);
    try {
      const key = await p.db.owner.query(
        `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = 'inf_exchange_rates'::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      );
      expect(key.rows.map((r) => r.attname)).to.deep.equal(["area", "source", "currency", "period"]);
      await tx(p.db.app, 1, async (c) => {
        await c.query(
          `INSERT INTO inf_exchange_rates(period, source, currency, rate, multiplier) VALUES ('2024-03-01', 'ЦБ', 'USD', 90, 1)`,
        );
        await c.query(
          `INSERT INTO inf_exchange_rates(period, source, currency, rate, multiplier) VALUES ('2024-03-01', 'Биржа', 'USD', 91, 1)`,
        );
      });
    } finally {
      await p.close();
    }
  });

  it("gives every configuration table a key led by area and forced row-level security with a policy", async () => {
    const p = await testPlatform(WAREHOUSE, "rls");
    try {
      const tables = [...platformTables(p.conf).map((t) => t.name), "_numbering", "_initial_data"];
      expect(tables).to.include.members([
        "cat_products",
        "cat_units",
        "doc_sale__items",
        "acc_stock",
        "acc_stock__totals",
        "acc_stock__balance",
        "inf_price_history",
        "constants",
      ]);
      const live = await p.db.owner.query(
        `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                (SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                  WHERE i.indrelid = c.oid AND i.indisprimary) AS key_first,
                (SELECT count(*)::int FROM pg_policy pol WHERE pol.polrelid = c.oid) AS policies,
                (SELECT pg_get_expr(pol.polqual, pol.polrelid) FROM pg_policy pol WHERE pol.polrelid = c.oid LIMIT 1) AS policy
           FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname = ANY($1)`,
        [tables],
      );
      expect(live.rows.map((r) => r.table).sort()).to.deep.equal([...tables].sort());
      for (const r of live.rows) {
        expect(r.key_first, `${r.table}: first key column`).to.equal("area");
        expect(r.rls, `${r.table}: row-level security enabled`).to.equal(true);
        expect(r.forced, `${r.table}: row-level security forced`).to.equal(true);
        expect(r.policies, `${r.table}: policy`).to.equal(1);
        expect(r.policy, `${r.table}: policy by app.area`).to.match(/area = .*current_setting\('app\.area'/);
      }
      // No other table of the schema is left without row-level security, except the platform's own.
      const unprotected = await p.db.owner.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND NOT relforcerowsecurity ORDER BY relname`,
      );
      expect(unprotected.rows.map((r) => r.relname)).to.deep.equal(["_areas", "_migrations"]);
    } finally {
      await p.close();
    }
  });
});
