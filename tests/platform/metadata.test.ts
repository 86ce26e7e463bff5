// Metadata validation: the JSON Schema, the cross-checks and the loader's single MetadataError.
// Each case copies the warehouse fixture into its own temp folder (behaviour modules are
// imported by URL, so every copy needs a fresh path), breaks it and checks file, path, reason.
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { TYPE_PATTERN } from "../../server/metadata/types-parse.ts";
import { MetadataError, type MetadataIssue } from "../../server/metadata/types.ts";
import { metadataSchema, validateAgainstSchema } from "../../server/metadata/validate.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/warehouse", import.meta.url));
const temps: string[] = [];

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "zhkh-meta-"));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const p = join(dir, file);
  const before = readFileSync(p, "utf8");
  const after = change(before);
  expect(after, `the edit of ${file} changed nothing`).to.not.equal(before);
  writeFileSync(p, after);
}

function write(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}

async function issuesOf(dir: string): Promise<MetadataIssue[]> {
  try {
    await loadConfiguration(dir);
  } catch (e) {
    expect(e).to.be.instanceOf(MetadataError);
    return (e as MetadataError).issues;
  }
  throw new Error("the configuration loaded, but it should have been refused");
}

/** Finds the issue at `file` + `path` whose message matches; fails listing every issue otherwise. */
function expectIssue(issues: MetadataIssue[], dir: string, file: string, path: string, message: RegExp): MetadataIssue {
  const rel = relative(process.cwd(), join(dir, file));
  const hit = issues.find((i) => i.file === rel && i.path === path && message.test(i.message));
  const list = issues.map((i) => `  ${i.file} ${i.path}: ${i.message}`).join("\n");
  expect(hit, `no issue ${rel} ${path} ~ ${message} among:\n${list}`).to.not.equal(undefined);
  return hit!;
}

describe("metadata validation", () => {
  after(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  describe("the schema", () => {
    it("is a valid JSON Schema that ajv compiles", () => {
      const ajv = new Ajv({ strict: false });
      expect(ajv.validateSchema(metadataSchema), JSON.stringify(ajv.errors)).to.equal(true);
      expect(() => ajv.compile(metadataSchema)).to.not.throw();
    });

    it("checks types with the pattern of types-parse.ts", () => {
      expect(metadataSchema.definitions.type.pattern).to.equal(TYPE_PATTERN);
    });

    it("refuses system column names for fields in any letter case", () => {
      for (const name of ["Id", "ID", "Code", "Name", "IsFolder", "DeletionMark", "RecordKind", "Owner", "Period"]) {
        const issues: MetadataIssue[] = [];
        const raw = {
          kind: "catalog",
          name: "X",
          synonym: "Икс",
          attributes: [{ name, synonym: "a", type: "boolean" }],
        };
        validateAgainstSchema(raw, "X.yaml", issues);
        expect(issues.map((i) => i.path + " " + i.message)).to.deep.equal([
          `/attributes/0/name "${name}" is a system column name (Id, Area, Version, Code, Name, Parent, IsFolder, DeletionMark, Number, Date, Posted, Comment, Recorder, Line, Period, RecordKind, Owner); choose another name`,
        ]);
      }
      const issues: MetadataIssue[] = [];
      validateAgainstSchema(
        {
          kind: "catalog",
          name: "X",
          synonym: "Икс",
          attributes: [{ name: "CodeName", synonym: "a", type: "boolean" }],
        },
        "X.yaml",
        issues,
      );
      expect(issues).to.deep.equal([]);
    });
  });

  it("loads the warehouse fixture cleanly", async () => {
    const conf = await loadConfiguration(FIXTURE);
    expect([...conf.catalogs.keys()].sort()).to.deep.equal([
      "Accounts",
      "Counterparties",
      "Products",
      "Units",
      "Warehouses",
    ]);
    expect([...conf.documents.keys()].sort()).to.deep.equal(["GoodsReceipt", "Operation", "Sale", "SalesOrder"]);
    expect([...conf.accumulationRegisters.keys()].sort()).to.deep.equal(["Purchases", "Stock"]);
    expect(conf.informationRegisters.get("PriceHistory")?.writeMode).to.equal("recorder");
    expect(conf.catalogs.get("Products")?.attributes.find((a) => a.name === "Price")?.type).to.deep.equal({
      kind: "number",
      precision: 15,
      scale: 2,
    });
    expect([...conf.modules.keys()].sort()).to.deep.equal([
      "catalog.Accounts", // the chart's checks (metadata/accounting.ts)
      "catalog.Products",
      "document.GoodsReceipt",
      "document.Operation",
      "document.Sale",
      "document.SalesOrder",
    ]);
  });

  it("reports an unknown property (a typo) and suggests the right one", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Products.yaml", (t) => t.replace("codeLength:", "codeLenght:"));
    edit(dir, "catalogs/Warehouses.yaml", (t) => t.replace("type: string(200)", "tpye: string(200)"));
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "catalogs/Products.yaml",
      "/codeLenght",
      /unknown property "codeLenght" \(did you mean "codeLength"\?\)/,
    );
    expectIssue(
      issues,
      dir,
      "catalogs/Warehouses.yaml",
      "/attributes/0/tpye",
      /unknown property "tpye" \(did you mean "type"\?\); allowed here: name, synonym, type, required/,
    );
    expectIssue(issues, dir, "catalogs/Warehouses.yaml", "/attributes/0", /missing required property "type"/);
  });

  it("reports a missing synonym of an object and of a field", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Units.yaml", (t) => t.replace(/^synonym:.*\n/m, ""));
    edit(dir, "catalogs/Warehouses.yaml", (t) => t.replace("synonym: Адрес, ", ""));
    const issues = await issuesOf(dir);
    expectIssue(issues, dir, "catalogs/Units.yaml", "", /missing required property "synonym"/);
    expectIssue(issues, dir, "catalogs/Warehouses.yaml", "/attributes/0", /missing required property "synonym"/);
  });

  it("reports a bad type string, an unquoted number(p,s) in { } and a type out of range", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Products.yaml", (t) =>
      t.replace("type: string(25)", "type: strng(25)").replace('type: "number(15,3)"', "type: number(15,3)"),
    );
    edit(dir, "catalogs/Warehouses.yaml", (t) => t.replace("type: string(200)", "type: string(0)"));
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "catalogs/Products.yaml",
      "/attributes/0/type",
      /"strng\(25\)": a type is string\(n\), number\(p\) or number\(p,s\).*\(line 8\)$/,
    );
    expectIssue(
      issues,
      dir,
      "catalogs/Products.yaml",
      "/attributes/4/type",
      /write the type in quotes: type: "number\(15,3\)"/,
    );
    expect(
      issues.filter((i) => i.path.startsWith("/attributes/4")),
      "one issue for the unquoted type",
    ).to.have.length(1);
    expectIssue(issues, dir, "catalogs/Warehouses.yaml", "/attributes/0/type", /string length 0 is out of range/);
  });

  it("reports an unknown kind and a value out of range", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Units.yaml", (t) =>
      t.replace("kind: catalog", "kind: catalogue").replace("codeLength: 3", "codeLength: 30"),
    );
    edit(dir, "documents/Sale.yaml", (t) => t.replace("name: Sale", "name: Sale\nnumberLength: 0"));
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "catalogs/Units.yaml",
      "/kind",
      /"catalogue" is not allowed here: use one of enum, catalog, document/,
    );
    expectIssue(issues, dir, "documents/Sale.yaml", "/numberLength", /0 is out of range: must be from 1 to 20/);
  });

  it("checks a catalog's presentation: one of name, code, codeAndName, and a code to show", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Units.yaml", (t) => t.replace("codeLength: 3", "codeLength: 3\npresentation: nameAndCode"));
    edit(dir, "catalogs/Warehouses.yaml", (t) =>
      t.replace("codeLength: 5", "codeLength: 0\npresentation: codeAndName"),
    );
    const issues = await issuesOf(dir);
    expectIssue(issues, dir, "catalogs/Units.yaml", "/presentation", /name, code, codeAndName/);
    expectIssue(
      issues,
      dir,
      "catalogs/Warehouses.yaml",
      "/presentation",
      /shows the code, but the catalog has none \(codeLength: 0\)/,
    );
  });

  it("reports a reference to an object that does not exist, with a hint", async () => {
    const dir = copyFixture();
    edit(dir, "documents/GoodsReceipt.yaml", (t) => t.replace("type: catalog.Warehouses", "type: catalog.Warehouse"));
    edit(dir, "catalogs/Products.yaml", (t) => t.replace("type: catalog.Units", "type: enum.Units"));
    edit(dir, "constants/CompanyName.yaml", (t) => t.replace("type: string(150)", "type: catalog.Companies"));
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "documents/GoodsReceipt.yaml",
      "/attributes/0/type",
      /catalog\.Warehouse, which does not exist; did you mean catalog\.Warehouses\?/,
    );
    expectIssue(
      issues,
      dir,
      "catalogs/Products.yaml",
      "/attributes/1/type",
      /enum\.Units, which does not exist; Units is a catalog: write catalog\.Units/,
    );
    expectIssue(
      issues,
      dir,
      "constants/CompanyName.yaml",
      "/type",
      /catalog\.Companies does not exist; the catalogs are: Counterparties, Products, Units, Warehouses, Accounts/,
    );
  });

  it("does not report references to an object whose own file is invalid", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Warehouses.yaml", (t) => t.replace("codeLength:", "codeLenght:"));
    const issues = await issuesOf(dir);
    expect(issues.map((i) => i.file)).to.deep.equal([relative(process.cwd(), join(dir, "catalogs/Warehouses.yaml"))]);
  });

  it("reports a duplicate name within a kind and across the two register kinds, but allows it across other kinds", async () => {
    const dir = copyFixture();
    write(
      dir,
      "registers/StockInfo.yaml",
      "kind: informationRegister\nname: STOCK\nsynonym: Запасы\nresources:\n  - { name: Note, synonym: Заметка, type: string(10) }\n",
    );
    write(dir, "catalogs/Units2.yaml", "kind: catalog\nname: Units\nsynonym: Единицы 2\n");
    write(dir, "catalogs/Sale.yaml", "kind: catalog\nname: Sale\nsynonym: Продажа (справочник)\n");
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "registers/StockInfo.yaml",
      "/name",
      /duplicate name "STOCK": .*registers\/Stock\.yaml already defines accumulationRegister Stock/,
    );
    expectIssue(
      issues,
      dir,
      "catalogs/Units2.yaml",
      "/name",
      /duplicate name "Units": .*catalogs\/Units\.yaml already defines catalog Units/,
    );
    expect(issues.filter((i) => i.file.endsWith("catalogs/Sale.yaml"))).to.deep.equal([]);
  });

  it("reports duplicate names inside an object, case-insensitively and by SQL column", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Products.yaml", (t) => t + "  - { name: SKU, synonym: Артикул 2, type: string(10) }\n");
    edit(dir, "documents/Sale.yaml", (t) =>
      t.replace(
        "  - { name: Customer,",
        "  - { name: Items, synonym: Строки, type: string(10) }\n  - { name: Customer,",
      ),
    );
    edit(dir, "documents/GoodsReceipt.yaml", (t) =>
      t.replace(
        "      - { name: Amount,",
        "      - { name: PRICE, synonym: Цена 2, type: string(10) }\n      - { name: Amount,",
      ),
    );
    edit(dir, "enums/ProductKinds.yaml", (t) => t + "  - { name: Goods, synonym: Товар 2 }\n");
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "catalogs/Products.yaml",
      "/attributes/5/name",
      /duplicate name "SKU": \/attributes\/0 already declares "Sku" in Products \("Sku" and "SKU" both become the SQL column sku\)/,
    );
    expectIssue(
      issues,
      dir,
      "documents/Sale.yaml",
      "/tabularParts/0/name",
      /duplicate name "Items": \/attributes\/1 already declares "Items"/,
    );
    expectIssue(
      issues,
      dir,
      "documents/GoodsReceipt.yaml",
      "/tabularParts/0/attributes/3/name",
      /duplicate name "PRICE"/,
    );
    expectIssue(issues, dir, "enums/ProductKinds.yaml", "/values/2/name", /duplicate name "Goods"/);
  });

  it("reports register rules: dimension and resource types, controlNegative, columns the totals use", async () => {
    const dir = copyFixture();
    edit(dir, "registers/Stock.yaml", (t) =>
      t.replace(
        "resources:",
        '  - { name: Batch, synonym: Партия, type: "number(10,2)" }\n  - { name: Moment, synonym: Момент, type: datetime }\n  - { name: QuantityReceipt, synonym: Приход, type: string(5) }\nresources:',
      ),
    );
    edit(
      dir,
      "registers/Purchases.yaml",
      (t) =>
        t.replace("registerKind: turnover", "registerKind: turnover\ncontrolNegative: true") +
        "  - { name: Note, synonym: Заметка, type: string(50) }\n",
    );
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "registers/Stock.yaml",
      "/dimensions/2/type",
      /dimension Batch has type number\(10,2\): a dimension of an accumulation register is a reference, string, boolean, date or whole number/,
    );
    expectIssue(issues, dir, "registers/Stock.yaml", "/dimensions/3/type", /dimension Moment has type datetime/);
    expectIssue(
      issues,
      dir,
      "registers/Stock.yaml",
      "/dimensions/4/name",
      /"QuantityReceipt" becomes the SQL column quantity_receipt, which the totals table uses for the receipts of resource Quantity/,
    );
    expectIssue(
      issues,
      dir,
      "registers/Purchases.yaml",
      "/resources/2/type",
      /resource Note has type string\(50\): the resources of an accumulation register are numbers/,
    );
    expectIssue(
      issues,
      dir,
      "registers/Purchases.yaml",
      "/controlNegative",
      /controlNegative applies to balance registers only; Purchases is a turnover register/,
    );
  });

  it("reports a document posting to a missing register or to an independent information register", async () => {
    const dir = copyFixture();
    edit(dir, "documents/GoodsReceipt.yaml", (t) =>
      t.replace("registers: [Stock, Purchases]", "registers: [Stock, Purchase, ExchangeRates, Warehouses]"),
    );
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "documents/GoodsReceipt.yaml",
      "/registers/1",
      /posts to register "Purchase", which does not exist; did you mean Purchases\?/,
    );
    expectIssue(
      issues,
      dir,
      "documents/GoodsReceipt.yaml",
      "/registers/2",
      /ExchangeRates is an information register with writeMode: independent/,
    );
    expectIssue(issues, dir, "documents/GoodsReceipt.yaml", "/registers/3", /Warehouses is a catalog, not a register/);
  });

  it("reports subsystem content naming a missing object", async () => {
    const dir = copyFixture();
    edit(dir, "subsystems/Inventory.yaml", (t) =>
      t.replace("accumulationRegister.Stock]", "accumulationRegister.Stocks, catalog.Stock, report.StockBalance]"),
    );
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "subsystems/Inventory.yaml",
      "/content/5",
      /accumulationRegister\.Stocks does not exist; did you mean accumulationRegister\.Stock\?/,
    );
    expectIssue(
      issues,
      dir,
      "subsystems/Inventory.yaml",
      "/content/6",
      /catalog\.Stock does not exist; Stock is an accumulation register: write accumulationRegister\.Stock/,
    );
    expect(issues).to.have.length(2); // reports live under reports/, not in metadata
  });

  it("reports SQL identifiers longer than 63 bytes", async () => {
    const dir = copyFixture();
    const long = "Ab".repeat(20); // 40 characters (the longest name), 59 in snake_case
    edit(dir, "documents/Sale.yaml", (t) => t.replace("  - name: Items", `  - name: ${long}`));
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "documents/Sale.yaml",
      "/tabularParts/0/name",
      /the SQL table of the tabular part "doc_sale__ab_ab_.*" is 69 bytes long; PostgreSQL allows 63/,
    );
  });

  it("reports a fill handler for a tabular part the document does not have", async () => {
    const dir = copyFixture();
    write(
      dir,
      "documents/GoodsReceipt.ts",
      "export default {\n  post() {},\n  fill: { Goods() { return []; } },\n};\n",
    );
    const issues = await issuesOf(dir);
    expectIssue(
      issues,
      dir,
      "documents/GoodsReceipt.ts",
      "fill.Goods",
      /fill handler for tabular part "Goods", which GoodsReceipt does not have \(it has: Items\)/,
    );
  });

  it("reports several errors in several files together in one MetadataError", async () => {
    const dir = copyFixture();
    edit(dir, "catalogs/Products.yaml", (t) => t.replace("hierarchical: true", "hierarchical: yes"));
    edit(dir, "documents/Sale.yaml", (t) => t.replace("type: catalog.Products", "type: catalog.Product"));
    edit(dir, "registers/Stock.yaml", (t) => t.replace("type: catalog.Warehouses", "type: datetime"));
    write(dir, "documents/GoodsReceipt.ts", "export default { post() {}, fill: { Lines() { return []; } } };\n");
    write(dir, "catalogs/Broken.yaml", "kind: catalog\nname: [unclosed\n");
    let error: MetadataError | undefined;
    try {
      await loadConfiguration(dir);
    } catch (e) {
      error = e as MetadataError;
    }
    expect(error).to.be.instanceOf(MetadataError);
    const issues = error!.issues;
    expectIssue(
      issues,
      dir,
      "catalogs/Products.yaml",
      "/hierarchical",
      /must be a boolean, not a string \("yes"\) \(line 6\)/,
    );
    expectIssue(
      issues,
      dir,
      "documents/Sale.yaml",
      "/tabularParts/0/attributes/0/type",
      /catalog\.Product, which does not exist; did you mean catalog\.Products\?/,
    );
    expectIssue(issues, dir, "registers/Stock.yaml", "/dimensions/0/type", /dimension Warehouse has type datetime/);
    expectIssue(issues, dir, "documents/GoodsReceipt.ts", "fill.Lines", /fill handler for tabular part "Lines"/);
    expectIssue(issues, dir, "catalogs/Broken.yaml", "", /YAML syntax/);
    expect(issues).to.have.length(5);
    const files = new Set(issues.map((i) => i.file));
    expect(files.size).to.equal(5);
    for (const f of files) expect(error!.message).to.contain(f);
    expect(error!.message).to.match(/^The configuration has 5 error\(s\):/);
  });
});
