// docs/metadata.md, followed to the letter: the YAML and TypeScript the administrator is told to
// write are taken from the document itself (the fenced block after a marker comment such as
// `<!-- recipe-a -->` or `<!-- file: documents/WriteOff.ts -->`) and applied to a copy of the
// warehouse fixture, so when the document changes the test follows it. The messages the
// document quotes (the migration log line, the refused migration, the validation errors) are
// produced again and compared line by line.
import { expect } from "chai";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { parseType } from "../../server/metadata/types-parse.ts";
import { MetadataError } from "../../server/metadata/types.ts";
import { openPlatform, type Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { MigrationRefused } from "../../server/storage/migrate.ts";
import { col } from "../../server/storage/naming.ts";
import { sqlType } from "../../server/storage/columns.ts";
import * as catalogs from "../../server/catalogs/service.ts";
import * as documents from "../../server/documents/service.ts";
import { AppError } from "../../server/errors.ts";
import { freshDatabaseUrl, ROOT, testPlatform, TEST_APP_PASSWORD, WAREHOUSE } from "../helpers/db.ts";

const DOC = readFileSync(join(ROOT, "docs", "metadata.md"), "utf8");
const temps: string[] = [];

/** The fenced block right after `<!-- marker -->` (only blank lines may stand between). */
function blockAfter(marker: string): { lang: string; text: string } {
  const at = DOC.indexOf(`<!-- ${marker} -->`);
  expect(at, `docs/metadata.md has no <!-- ${marker} --> marker`).to.be.greaterThan(-1);
  const m = /^\s*```(\w*)\n([\s\S]*?)\n```/.exec(DOC.slice(at + `<!-- ${marker} -->`.length));
  expect(m, `no fenced block right after <!-- ${marker} -->`).to.not.equal(null);
  return { lang: m![1], text: m![2] };
}

/** Every `<!-- file: path -->` block: the files the recipes tell the administrator to create. */
function fileBlocks(): { path: string; lang: string; text: string }[] {
  return [...DOC.matchAll(/<!-- file: (\S+) -->/g)].map((m) => ({ path: m[1], ...blockAfter(`file: ${m[1]}`) }));
}

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "zhkh-docs-"));
  temps.push(dir);
  cpSync(WAREHOUSE, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, from: string, to: string): void {
  const p = join(dir, file);
  const text = readFileSync(p, "utf8");
  expect(text, `${file} does not contain ${from}`).to.include(from);
  writeFileSync(p, text.replace(from, to));
}

/** Adds lines at the end of the top-level `attributes:` list of a YAML file, as the doc says. */
function appendToAttributes(file: string, lines: string): void {
  const src = readFileSync(file, "utf8").replace(/\n*$/, "").split("\n");
  const start = src.indexOf("attributes:");
  expect(start, `${file} has no attributes: list`).to.be.greaterThan(-1);
  let end = start + 1;
  while (end < src.length && /^\s+-|^\s{4,}\S/.test(src[end])) end++;
  src.splice(end, 0, ...lines.split("\n"));
  writeFileSync(file, src.join("\n") + "\n");
}

const inArea = <T>(p: Platform, fn: (ctx: catalogs.Ctx) => Promise<T>) =>
  tx(p.db.app, 1, (c) => fn({ c, conf: p.conf, area: 1 }));

describe("docs/metadata.md", () => {
  after(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it("recipe (a): the attribute added as shown appears after a restart and no data is lost", async () => {
    const snippet = blockAfter("recipe-a");
    expect(snippet.lang).to.equal("yaml");
    const added = parseYaml(snippet.text) as { name: string; type: string }[];
    expect(added, "the recipe's snippet is a list of attributes").to.be.an("array").that.is.not.empty;

    const dir = copyFixture();
    const url = await freshDatabaseUrl("docs");
    let p = await testPlatform(dir, "docs", url);
    let id: string;
    try {
      id = (
        await inArea(p, (ctx) =>
          catalogs.createCatalogItem(ctx, "Products", { name: "Гвозди 100 мм", Sku: "NAIL-100", Price: "12.50" }),
        )
      ).id;
    } finally {
      await p.close();
    }

    appendToAttributes(join(dir, "catalogs/Products.yaml"), snippet.text);
    p = await testPlatform(dir, "docs", url); // the restart
    try {
      // The log the doc shows is the migration that ran.
      const log = blockAfter("recipe-a-log").text.split("\n");
      expect(p.migration.map((s) => `migrate: ${s.description}`)).to.deep.equal(log);
      for (const a of added) {
        const type = parseType(a.type);
        if (typeof type === "string") throw new Error(type);
        const r = await p.db.owner.query(
          `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'cat_products'::regclass AND attname = $1 AND NOT attisdropped`,
          [col(a.name)],
        );
        expect(r.rows, `column ${col(a.name)}`).to.deep.equal([{ type: sqlType(type) }]);
      }
      const item = await inArea(p, (ctx) => catalogs.getCatalogItem(ctx, "Products", id));
      expect(item).to.include({ id, code: "00000000001", name: "Гвозди 100 мм", Sku: "NAIL-100", Price: "12.50" });
      for (const a of added) expect(item[a.name], `${a.name} is empty until filled`).to.equal(null);
      // …and the new attribute can be filled.
      const first = added[0];
      const value = parseType(first.type) as { kind: string };
      expect(value.kind).to.equal("string");
      const updated = await inArea(p, (ctx) =>
        catalogs.updateCatalogItem(ctx, "Products", id, { [first.name]: "4601234567890" }),
      );
      expect(updated[first.name]).to.equal("4601234567890");
    } finally {
      await p.close();
    }
  });

  it("every whole-file YAML block starts with the editor's schema line, and that path resolves from metadata/<folder>/", () => {
    const files = fileBlocks().filter((f) => f.lang === "yaml");
    expect(files.length).to.be.greaterThanOrEqual(4);
    for (const f of files) {
      const first = f.text.split("\n")[0];
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, `${f.path} starts with ${first}`).to.not.equal(null);
      expect(
        existsSync(join(ROOT, "metadata", dirname(f.path), m![1])),
        `${m![1]} from metadata/${dirname(f.path)}`,
      ).to.equal(true);
    }
    const line = /```yaml\n(# yaml-language-server: \$schema=\S+)\n```/.exec(DOC);
    expect(line?.[1]).to.equal("# yaml-language-server: $schema=../../server/metadata/schema.json");
  });

  describe("recipes (b), (c) and (d)", () => {
    let dir: string;
    let p: Platform;

    before(async () => {
      dir = copyFixture();
      for (const f of fileBlocks()) writeFileSync(join(dir, f.path), f.text + "\n");
      // (d): the write-off also posts to WriteOffs, with the line the doc gives.
      edit(dir, "documents/WriteOff.yaml", "registers: [Stock]", "registers: [Stock, WriteOffs]");
      const line = /```ts\n(ctx\.movements\.WriteOffs\.add\(.*\);)\n```/.exec(DOC)?.[1];
      expect(line, "recipe (d) shows the WriteOffs line").to.be.a("string");
      edit(
        dir,
        "documents/WriteOff.ts",
        "      ctx.movements.Stock.add(",
        `      ${line}\n      ctx.movements.Stock.add(`,
      );
      p = await testPlatform(dir, "docsbcd");
    });
    after(async () => {
      await p?.close();
    });

    it("load, migrate and create the tables the doc names", async () => {
      expect(p.conf.catalogs.get("Suppliers")?.hierarchical).to.equal(true);
      const mod = p.conf.modules.get("document.WriteOff");
      expect(typeof mod?.beforeWrite).to.equal("function");
      expect(typeof mod?.post).to.equal("function");
      expect(Object.keys(mod?.fill ?? {})).to.deep.equal(["Items"]);
      expect(typeof p.conf.modules.get("catalog.Suppliers")?.beforeWrite).to.equal("function");
      expect(p.conf.accumulationRegisters.get("WriteOffs")?.registerKind).to.equal("turnover");
      expect(p.conf.informationRegisters.get("ReorderLevels")).to.include({
        periodicity: "month",
        writeMode: "independent",
      });
      const tables = [
        "cat_suppliers",
        "doc_write_off",
        "doc_write_off__items",
        "acc_write_offs",
        "acc_write_offs__totals",
        "inf_reorder_levels",
      ];
      for (const t of tables) expect(DOC, `the doc names ${t}`).to.include(`\`${t}\``);
      const r = await p.db.owner.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY tablename`,
        [tables],
      );
      expect(r.rows.map((x) => x.tablename)).to.deep.equal([...tables].sort());
    });

    it("the catalog module of recipe (b) refuses a bad tax id, naming the field", async () => {
      let err: unknown;
      await inArea(p, (ctx) =>
        catalogs.createCatalogItem(ctx, "Suppliers", { name: "ООО Ромашка", TaxId: "12345" }),
      ).catch((e) => (err = e));
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).field).to.equal("TaxId");
      const ok = await inArea(p, (ctx) =>
        catalogs.createCatalogItem(ctx, "Suppliers", { name: "ООО Ромашка", TaxId: "7701234567" }),
      );
      expect(ok.code).to.equal("000001");
      // presentation: codeAndName — shown as «code, name», and that text finds it
      const list = await inArea(p, (ctx) => catalogs.listCatalog(ctx, "Suppliers", { search: "000001, ООО Ромашка" }));
      expect(list.rows.map((r) => [r.id, r.presentation])).to.deep.equal([[ok.id, "000001, ООО Ромашка"]]);
    });

    it("the write-off of recipe (c) checks its lines, values a typed line by sliceLast, fills from the balance and posts", async () => {
      const { warehouse, product, other } = await inArea(p, async (ctx) => {
        const warehouse = (await catalogs.createCatalogItem(ctx, "Warehouses", { name: "Основной" })).id;
        const product = (await catalogs.createCatalogItem(ctx, "Products", { name: "Гвозди" })).id;
        const other = (await catalogs.createCatalogItem(ctx, "Products", { name: "Шурупы" })).id;
        const items = [
          { Product: product, Quantity: "10", Price: "2.00", Amount: "20.00" },
          { Product: other, Quantity: "5", Price: "1.00", Amount: "5.00" },
        ];
        await documents.createDocument(
          ctx,
          "GoodsReceipt",
          { date: "2024-03-01T09:00:00", Warehouse: warehouse, Items: items },
          { post: true },
        );
        // A sale of 2 for 6.00 records the price 3.00 in PriceHistory.
        await documents.createDocument(
          ctx,
          "Sale",
          {
            date: "2024-03-02T09:00:00",
            Warehouse: warehouse,
            Items: [{ Product: product, Quantity: "2", Amount: "6.00" }],
          },
          { post: true },
        );
        return { warehouse, product, other };
      });
      const stock = () =>
        tx(p.db.app, 1, (c) =>
          c.query(
            `SELECT product, sum(quantity * record_kind)::numeric(15,3)::text AS q, sum(amount * record_kind)::numeric(15,2)::text AS a FROM acc_stock GROUP BY product`,
          ),
        ).then((r) => Object.fromEntries(r.rows.map((x) => [x.product, [x.q, x.a]])));
      expect(await stock()).to.deep.equal({ [product]: ["8.000", "14.00"], [other]: ["5.000", "5.00"] });

      const refusal = async (body: Record<string, unknown>, post: boolean) => {
        let err: unknown;
        await inArea(p, (ctx) =>
          documents.createDocument(
            ctx,
            "WriteOff",
            { date: "2024-03-05T10:00:00", Warehouse: warehouse, ...body },
            { post },
          ),
        ).catch((e) => (err = e));
        expect(err, String(err)).to.be.instanceOf(AppError);
        return err as AppError;
      };
      // beforeWrite: a zero quantity is refused, naming the row and field.
      expect(
        (
          await refusal(
            {
              Items: [
                { Product: product, Quantity: "1" },
                { Product: product, Quantity: "0" },
              ],
            },
            false,
          )
        ).field,
      ).to.equal("Items[2].Quantity");
      // post: a typed line of a product without a price and without an amount is refused.
      const noPrice = await refusal({ Items: [{ Product: other, Quantity: "1" }] }, true);
      expect([noPrice.field, noPrice.message]).to.deep.equal(["Items[1].Amount", "Нет цены товара: укажите сумму"]);

      // post: a typed line without an amount is valued at the last price (3.00).
      const typed = await inArea(p, (ctx) =>
        documents.createDocument(
          ctx,
          "WriteOff",
          {
            date: "2024-03-05T10:00:00",
            Warehouse: warehouse,
            Reason: "Брак",
            Items: [{ Product: product, Quantity: "1" }],
          },
          { post: true },
        ),
      );
      const typedMoves = await inArea(p, (ctx) => documents.documentMovements(ctx, "WriteOff", typed.id));
      expect(typedMoves.Stock.rows.map((r) => [r.Product, r.Quantity, r.Amount])).to.deep.equal([
        [product, "1.000", "3.00"],
      ]);
      expect(typedMoves.WriteOffs.rows.map((r) => [r.Product, r.Reason, r.Quantity, r.Amount])).to.deep.equal([
        [product, "Брак", "1.000", "3.00"],
      ]);
      expect(await stock()).to.deep.equal({ [product]: ["7.000", "11.00"], [other]: ["5.000", "5.00"] });

      // fill: everything the warehouse holds, at cost; posting it empties the warehouse.
      const rows = await inArea(p, (ctx) =>
        documents.fillTable(ctx, "WriteOff", null, "Items", { date: "2024-03-06T10:00:00", Warehouse: warehouse }),
      );
      expect(rows.map((r) => [r.Product, r.Quantity, r.Amount])).to.have.deep.members([
        [product, "7.000", "11.00"],
        [other, "5.000", "5.00"],
      ]);
      const noWarehouse = await inArea(p, (ctx) =>
        documents.fillTable(ctx, "WriteOff", null, "Items", { date: "2024-03-06T10:00:00" }),
      ).catch((e) => e);
      expect(noWarehouse).to.be.instanceOf(AppError);
      expect(noWarehouse.field).to.equal("Warehouse");
      const all = await inArea(p, (ctx) =>
        documents.createDocument(
          ctx,
          "WriteOff",
          { date: "2024-03-06T10:00:00", Warehouse: warehouse, Reason: "Инвентаризация", Items: rows },
          { post: true },
        ),
      );
      expect(all.posted).to.equal(true);
      expect(await stock()).to.deep.equal({ [product]: ["0.000", "0.00"], [other]: ["0.000", "0.00"] });
      // controlNegative: writing off what is no longer there is refused by the engine.
      await refusal({ Items: [{ Product: product, Quantity: "1", Amount: "1.00" }] }, true);
    });
  });

  it("the refused migration it quotes is the one the platform gives", async () => {
    const dir = copyFixture();
    const url = await freshDatabaseUrl("docsrefuse");
    const p = await testPlatform(dir, "docsrefuse", url);
    await p.close();
    edit(dir, "catalogs/Products.yaml", '  - { name: Weight, synonym: Вес, type: "number(15,3)" }\n', "");
    edit(dir, "catalogs/Products.yaml", "type: string(25) }", "type: string(10) }");
    let err: unknown;
    await openPlatform({ confRoot: dir, ownerUrl: url, appPassword: TEST_APP_PASSWORD }).then(
      (x) => x.close(),
      (e) => (err = e),
    );
    expect(err).to.be.instanceOf(MigrationRefused);
    expect((err as Error).message.split("\n")).to.deep.equal(blockAfter("migration-refused").text.split("\n"));
  });

  it("the validation errors it quotes are the ones the loader gives", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Products.yaml", 'type: "number(15,2)" }', "type: number(15,2) }");
    edit(dir, "catalogs/Warehouses.yaml", "synonym: Адрес", "synonim: Адрес");
    edit(
      dir,
      "documents/Sale.yaml",
      "type: catalog.Products, required: true }",
      "type: catalog.Product, required: true }",
    );
    let err: unknown;
    await loadConfiguration(dir).catch((e) => (err = e));
    expect(err).to.be.instanceOf(MetadataError);
    const shown = (err as Error).message.split(relative(process.cwd(), dir) + "/").join("metadata/");
    expect(shown.split("\n")).to.deep.equal(blockAfter("validation-error").text.split("\n"));
  });
});
