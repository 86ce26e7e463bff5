// A list's metadata (`list`: columns, search, default order, row groups; server/metadata/list-meta.ts,
// server/storage/list.ts, docs/metadata.md#lists) on a copy of the warehouse fixture: a broken
// declaration is refused naming the file, the path and what to fix; SalesOrder's list with a
// group of late orders (ShipBy before now, not shipped or cancelled) puts them first and tags
// each row with its group, keeps the group under a user's sort, searches the declared fields
// (a string by its digits alone, a catalog reference by the item's name) and /api/metadata gives
// the client the columns and the groups' colours.
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { MetadataError, type MetadataIssue } from "../../server/metadata/types.ts";
import { clientMetadata } from "../../server/http/metadata.ts";
import * as docs from "../../server/documents/service.ts";
import * as cat from "../../server/catalogs/service.ts";
import type { Platform } from "../../server/platform.ts";
import { WAREHOUSE, testPlatform } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";
import { addDays, today } from "../../server/calendar.ts";

const LIST = `
list:
  columns: [number, Status, Customer, Warehouse, ShipBy]
  search: [number, Customer, Carrier, Warehouse]
  sort: -ShipBy
  groups:
    - { name: Late, synonym: Просрочен, where: { ShipBy: { before: now }, Status: { notIn: [Shipped, Cancelled] } }, color: "#c62828" }
    - { name: Fresh, where: { Status: Draft } }
`;

const temps: string[] = [];
function fixtureWith(change: (yaml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "zhkh-list-"));
  temps.push(dir);
  cpSync(WAREHOUSE, dir, { recursive: true });
  const file = join(dir, "documents", "SalesOrder.yaml");
  writeFileSync(file, change(readFileSync(file, "utf8")));
  return dir;
}

async function issuesOf(list: string): Promise<MetadataIssue[]> {
  try {
    await loadConfiguration(
      fixtureWith((y) => y + list),
      { modules: false },
    );
    return [];
  } catch (e) {
    if (!(e instanceof MetadataError)) throw e;
    return e.issues.filter((i) => i.file.endsWith("SalesOrder.yaml"));
  }
}

describe("list metadata: columns, search, default order and row groups", function () {
  after(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it("refuses a field the object lacks, a search in a date, now against a string, an undeclared enum value", async () => {
    const issues = await issuesOf(`
list:
  columns: [number, Nope]
  search: [ShipBy]
  groups:
    - { name: Bad, where: { Customer: { before: now }, Status: [Lost] } }
`);
    const at = (path: string, re: RegExp) =>
      expect(
        issues.some((i) => i.path === path && re.test(i.message)),
        `${path} ~ ${re}:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`,
      ).to.equal(true);
    at("/list/columns/1", /has no header field "Nope"/);
    at("/list/search/0", /"ShipBy" is date/);
    at("/list/groups/0/where/Customer", /before\/after now compares dates/);
    at("/list/groups/0/where/Status", /"Lost" is not a value of enum SalesOrderStatuses/);
    const schema = await issuesOf(`
list:
  groups:
    - { name: Bad, color: red, where: { ShipBy: { before: tomorrow } } }
`);
    expect(schema.map((i) => i.path)).to.include.members(["/list/groups/0/color"]);
  });

  describe("on a database", function () {
    let p: Platform;
    const list = (lq: Parameters<typeof docs.listDocuments>[2] = {}) =>
      inArea(p, (ctx) => docs.listDocuments(ctx, "SalesOrder", lq));
    before(async () => {
      p = await testPlatform(
        fixtureWith((y) => y + LIST),
        "listmeta",
      );
      const wh = await inArea(p, (ctx) => cat.createCatalogItem(ctx, "Warehouses", { name: "Склад на Лесной" }));
      const day = (n: number) => addDays(today(), n);
      const orders: [string, number, string][] = [
        ["ООО Ромашка", -3, "Draft"], // late
        ["ИП Васильев", 5, "Draft"], // fresh
        ["ООО Лютик", -1, "Approved"], // late
        ["ЗАО Север", -10, "Cancelled"], // past but cancelled: the rest
        ["ООО Тел. 8 (812) 555-01-02", 2, "Approved"], // the rest
      ];
      for (const [Customer, n, status] of orders) {
        const d = await inArea(p, (ctx) =>
          docs.createDocument(ctx, "SalesOrder", { Customer, ShipBy: day(n), Warehouse: n === 2 ? wh.id : null }),
        );
        if (status !== "Draft")
          await p.db.owner.query("UPDATE doc_sales_order SET status = $1 WHERE id = $2", [status, d.id]);
      }
    });
    after(async () => p?.close());

    it("the default order: each group in turn, then the rest, each by the declared sort; rows carry their group", async () => {
      const { rows } = await list();
      expect(rows.map((r) => `${r.Customer}:${r.listGroup}`)).to.deep.equal([
        "ООО Лютик:Late",
        "ООО Ромашка:Late",
        "ИП Васильев:Fresh",
        "ООО Тел. 8 (812) 555-01-02:null",
        "ЗАО Север:null",
      ]);
      const sorted = await list({ sort: "Customer" });
      expect(sorted.rows.map((r) => `${r.Customer}:${r.listGroup}`)).to.deep.equal([
        "ЗАО Север:null",
        "ИП Васильев:Fresh",
        "ООО Лютик:Late",
        "ООО Ромашка:Late",
        "ООО Тел. 8 (812) 555-01-02:null",
      ]);
    });

    it("searches the declared fields: a string by its digits alone, a catalog reference by the item's name", async () => {
      expect((await list({ search: "555 0102" })).rows.map((r) => r.Customer)).to.deep.equal([
        "ООО Тел. 8 (812) 555-01-02",
      ]);
      expect((await list({ search: "Лесной" })).rows.map((r) => r.Customer)).to.deep.equal([
        "ООО Тел. 8 (812) 555-01-02",
      ]);
      expect((await list({ search: "ромашка" })).total).to.equal(1);
    });

    it("/api/metadata gives the client the columns and the groups", () => {
      const d = clientMetadata(p.conf).documents.find((x) => x.name === "SalesOrder")!;
      expect(d.list).to.deep.equal({
        columns: ["number", "Status", "Customer", "Warehouse", "ShipBy"],
        groups: [
          { name: "Late", synonym: "Просрочен", color: "#c62828" },
          { name: "Fresh", synonym: "Fresh", color: null },
        ],
      });
    });
  });
});
