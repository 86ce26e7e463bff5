// The HTTP API's happy paths on the warehouse fixture: catalog CRUD with lists (total, sort,
// search, paging, filters), documents with tabular parts (draft, post, movements, unpost, fill),
// registers (balance, turnovers, slices, records) and constants, all over real HTTP.
import { expect } from "chai";
import { startApi, seed, serve, type Api, type Seed } from "./api-client.ts";

describe("HTTP API: happy paths", () => {
  let api: Api;
  let s: Seed;
  before(async () => {
    api = await startApi();
    s = await seed(api);
  });
  after(async () => api?.close());

  it("GET /api/metadata describes the configuration without file paths", async () => {
    const r = await api.get("/api/metadata");
    expect(r.status).to.equal(200);
    const m = r.body;
    expect(m.catalogs.map((c: any) => c.name)).to.have.members([
      "Accounts",
      "Counterparties",
      "Products",
      "Units",
      "Warehouses",
    ]);
    const products = m.catalogs.find((c: any) => c.name === "Products");
    expect(products.synonym).to.equal("Номенклатура");
    expect(products.attributes.find((a: any) => a.name === "Price")).to.deep.include({
      typeText: "number(15,2)",
      type: { kind: "number", precision: 15, scale: 2 },
    });
    const receipt = m.documents.find((d: any) => d.name === "GoodsReceipt");
    expect(receipt.tabularParts[0]).to.deep.include({ name: "Items", synonym: "Товары", fill: true });
    expect(receipt.registers).to.deep.equal(["Stock", "Purchases"]);
    expect(m.enums[0].values.map((v: any) => v.name)).to.deep.equal(["Goods", "Service"]);
    expect(m.accumulationRegisters.map((x: any) => x.name)).to.have.members(["Stock", "Purchases"]);
    expect(m.informationRegisters.map((x: any) => x.name)).to.have.members(["ExchangeRates", "PriceHistory"]);
    expect(m.subsystems[0]).to.deep.include({ name: "Inventory", synonym: "Склад", order: 1 });
    const text = JSON.stringify(m);
    expect(text).not.to.match(/\.yaml|\.ts"|fixtures|"file"|"path"/);
  });

  describe("catalogs", () => {
    const P = "/api/catalogs/Products";
    let id: string;

    it("creates an item with an automatic code and reads it back", async () => {
      const r = await api.post(P, {
        name: "Шурупы",
        Sku: "S-1",
        Unit: s.unit,
        ProductKind: "Goods",
        Price: 12.5,
        Weight: "0.125",
      });
      expect(r.status).to.equal(201);
      expect(r.body).to.include({
        name: "Шурупы",
        Sku: "S-1",
        Unit: s.unit,
        ProductKind: "Goods",
        Price: "12.50",
        Weight: "0.125",
      });
      expect(r.body.code).to.match(/^\d{11}$/);
      id = r.body.id;
      const g = await api.get(`${P}/${id}`);
      expect(g.status).to.equal(200);
      expect(g.body.refs[s.unit]).to.equal("шт");
    });

    it("lists with total, sort, search, filters and paging", async () => {
      let r = await api.get(P);
      expect(r.status).to.equal(200);
      expect(r.body).to.include({ total: 3, offset: 0, limit: 50 });
      r = await api.get(`${P}?sort=-name&limit=2`);
      expect(r.body.rows.map((x: any) => x.name)).to.deep.equal(["Шурупы", "Доставка"]);
      expect(r.body.total).to.equal(3);
      r = await api.get(`${P}?sort=-name&limit=2&offset=2`);
      expect(r.body.rows.map((x: any) => x.name)).to.deep.equal(["Гвозди"]);
      r = await api.get(`${P}?search=${encodeURIComponent("шуруп")}`);
      expect(r.body.rows.map((x: any) => x.name)).to.deep.equal(["Шурупы"]);
      r = await api.get(`${P}?ProductKind=Service`);
      expect(r.body.rows.map((x: any) => x.name)).to.deep.equal(["Доставка"]);
      r = await api.get(`${P}?Unit=${s.unit}&sort=Price`);
      expect(r.body.rows.map((x: any) => x.Price)).to.deep.equal(["10.50", "12.50"]);
      r = await api.get(`${P}?deletionMark=false&limit=0`);
      expect(r.body.total).to.equal(3);
    });

    it("writes what it read (id, version and refs included), then deletes", async () => {
      const got = (await api.get(`${P}/${id}`)).body;
      const r = await api.put(`${P}/${id}`, { ...got, Price: "13.00", ProductKind: null });
      expect(r.status).to.equal(200);
      expect(r.body).to.include({ Price: "13.00", ProductKind: null, version: got.version + 1 });
      const d = await api.del(`${P}/${id}`);
      expect(d.status).to.equal(204);
      expect((await api.get(`${P}/${id}`)).status).to.equal(404);
    });

    it("hierarchical catalogs take groups", async () => {
      const g = await api.post(P, { name: "Крепёж", isFolder: true });
      expect(g.status).to.equal(201);
      const r = await api.post(P, { name: "Болты", parent: g.body.id });
      expect(r.body.parent).to.equal(g.body.id);
      const l = await api.get(`${P}?parent=${g.body.id}`);
      expect(l.body.rows.map((x: any) => x.name)).to.deep.equal(["Болты"]);
    });
  });

  describe("documents and registers", () => {
    const D = "/api/documents/GoodsReceipt";
    let id: string;
    let saleId: string;

    it("creates a draft with a tabular part, then posts it", async () => {
      const r = await api.post(D, {
        date: "2024-01-15T09:00:00",
        Warehouse: s.warehouse,
        Supplier: "ООО Поставщик",
        Items: [
          { line: 7, Product: s.products[0], Quantity: "100", Price: "10.00", Amount: "1000.00" },
          { Product: s.products[1], Quantity: 2.5, Price: 4, Amount: 10 },
        ],
      });
      expect(r.status).to.equal(201);
      expect(r.body.posted).to.equal(false);
      expect(r.body.number).to.be.a("string").and.not.equal("");
      expect(r.body.Items.map((x: any) => [x.line, x.Quantity])).to.deep.equal([
        [1, "100.000"],
        [2, "2.500"],
      ]);
      id = r.body.id;
      expect((await api.get(`/api/documents/GoodsReceipt/${id}/movements`)).body.registers.Stock.rows).to.have.length(
        0,
      );
      const p = await api.post(`${D}/${id}/post`);
      expect(p.status).to.equal(200);
      expect(p.body.posted).to.equal(true);
    });

    it("shows the movements by register", async () => {
      const r = await api.get(`${D}/${id}/movements`);
      expect(r.status).to.equal(200);
      const { Stock, Purchases } = r.body.registers;
      expect(Stock).to.include({ synonym: "Остатки товаров", kind: "accumulationRegister" });
      expect(Stock.rows).to.have.length(2);
      expect(Purchases.rows).to.have.length(2);
    });

    it("answers balance, turnovers and balance-and-turnovers", async () => {
      let r = await api.get(`/api/registers/Stock/balance?Warehouse=${s.warehouse}&Product=${s.products[0]}`);
      expect(r.status).to.equal(200);
      expect(r.body.rows).to.have.length(1);
      expect(r.body.rows[0].Quantity).to.match(/^100(\.0+)?$/);
      r = await api.get("/api/registers/Stock/balance?at=2024-01-14");
      expect(r.body.rows).to.have.length(0);
      r = await api.get("/api/registers/Stock/balance?at=2024-01-15");
      expect(r.body.rows).to.have.length(2);
      r = await api.get(
        `/api/registers/Purchases/turnovers?from=2024-01-01&to=2024-01-31&periodicity=month&Product=${s.products[1]}`,
      );
      expect(r.status).to.equal(200);
      expect(r.body.rows).to.have.length(1);
      r = await api.get("/api/registers/Stock/balance-and-turnovers?from=2024-01-01&to=2024-12-31");
      expect(r.status).to.equal(200);
      expect(r.body.rows.length).to.be.greaterThan(0);
    });

    it("a sale posts through the register and records prices; slice-last reads them", async () => {
      const r = await api.post("/api/documents/Sale?post=true", {
        date: "2024-02-01T12:00:00",
        Warehouse: s.warehouse,
        Items: [{ Product: s.products[0], Quantity: "10", Amount: "150" }],
      });
      expect(r.status).to.equal(201);
      expect(r.body.posted).to.equal(true);
      saleId = r.body.id;
      const sl = await api.get(`/api/registers/PriceHistory/slice-last?at=2024-12-31&Product=${s.products[0]}`);
      expect(sl.status).to.equal(200);
      expect(sl.body.rows).to.have.length(1);
      expect(sl.body.rows[0].Price).to.match(/^15(\.0+)?$/);
      const bal = await api.get(`/api/registers/Stock/balance?Product=${s.products[0]}`);
      expect(bal.body.rows[0].Quantity).to.match(/^90(\.0+)?$/);
      // writing with ?post=true reposts with the new quantity
      const got = (await api.get(`/api/documents/Sale/${r.body.id}`)).body;
      got.Items[0].Quantity = "20";
      delete got.posted; // read-only: posting is ?post=true (a body's `posted` is refused, not ignored)
      const w = await api.put(`/api/documents/Sale/${r.body.id}?post=true`, got);
      expect(w.status).to.equal(200);
      expect((await api.get(`/api/registers/Stock/balance?Product=${s.products[0]}`)).body.rows[0].Quantity).to.match(
        /^80(\.0+)?$/,
      );
    });

    it("unposts: the movements go away (not while a later sale needs the stock)", async () => {
      let r = await api.post(`${D}/${id}/unpost`);
      expect(r.status).to.equal(422); // the sale would leave Stock negative
      expect((await api.get(`${D}/${id}`)).body.posted).to.equal(true);
      expect((await api.post(`/api/documents/Sale/${saleId}/unpost`)).status).to.equal(200);
      r = await api.post(`${D}/${id}/unpost`);
      expect(r.status).to.equal(200);
      expect(r.body.posted).to.equal(false);
      const mv = await api.get(`${D}/${id}/movements`);
      expect(mv.body.registers.Stock.rows).to.have.length(0);
    });

    it("fills a tabular part of a saved and of a new unsaved document", async () => {
      let r = await api.post(`${D}/${id}/fill/Items`);
      expect(r.status).to.equal(200);
      expect(r.body.rows.length).to.be.greaterThanOrEqual(2);
      expect(r.body.rows[0]).to.have.keys(["line", "Product", "Quantity", "Price", "Amount"]);
      r = await api.post(`${D}/fill/Items`, { Warehouse: s.warehouse, Items: [] });
      expect(r.status).to.equal(200);
      expect(r.body.rows.map((x: any) => x.Product)).to.include.members(s.products);
      expect((await api.post("/api/documents/Sale/fill/Items")).status).to.equal(422); // Sale has no fill handler
    });

    it("lists documents sorted by date and deletes a draft", async () => {
      const r = await api.get("/api/documents/Sale?sort=-date&posted=true");
      expect(r.status).to.equal(200);
      expect(r.body.rows.every((x: any) => x.posted === true)).to.equal(true);
      const d = await api.post("/api/documents/Sale", { Warehouse: s.warehouse });
      expect((await api.del(`/api/documents/Sale/${d.body.id}`)).status).to.equal(204);
      expect((await api.get(`/api/documents/Sale/${d.body.id}`)).status).to.equal(404);
    });
  });

  it("every request works in the app's data area, never one named by the request", async () => {
    const other = await serve(api.platform, 2);
    try {
      const r2 = await fetch(`${other.base}/api/catalogs/Units`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "кг" }),
      });
      expect(r2.status).to.equal(201);
      const list2 = await (await fetch(`${other.base}/api/catalogs/Units`)).json();
      expect(list2.rows.map((x: any) => x.name)).to.deep.equal(["кг"]);
      const list1 = await (
        await fetch(`${api.base}/api/catalogs/Units`, { headers: { "x-area": "2", "x-data-area": "2" } })
      ).json();
      expect(list1.rows.map((x: any) => x.name)).to.deep.equal(["шт"]);
    } finally {
      other.server.closeAllConnections();
      await new Promise((r) => other.server.close(r));
    }
  });

  describe("information registers written directly, and constants", () => {
    it("writes, lists, slices and deletes records", async () => {
      const R = "/api/registers/ExchangeRates";
      const w = await api.post(`${R}/records`, {
        records: [
          { period: "2024-01-01", Currency: "USD", Rate: "90.1234", Multiplier: 1 },
          { period: "2024-02-01", Currency: "USD", Rate: "91", Multiplier: 1 },
          { period: "2024-01-01", Currency: "EUR", Rate: "99.5", Multiplier: 1 },
        ],
      });
      expect(w.status).to.equal(200);
      let r = await api.get(`${R}/slice-last?at=2024-01-20&Currency=USD`);
      expect(r.status).to.equal(200);
      expect(r.body.rows).to.have.length(1);
      expect(r.body.rows[0].Rate).to.match(/^90\.1234$/);
      r = await api.get(`${R}/slice-first?Currency=USD`);
      expect(r.body.rows[0].Rate).to.match(/^90\.1234$/);
      r = await api.get(`${R}/records?Currency=USD`);
      expect(r.status).to.equal(200);
      expect(r.body.rows).to.have.length(2);
      const d = await api.del(`${R}/records`, { keys: [{ period: "2024-02-01", Currency: "USD" }] });
      expect(d.status).to.equal(200);
      r = await api.get(`${R}/slice-last?Currency=USD`);
      expect(r.body.rows[0].Rate).to.match(/^90\.1234$/);
    });

    it("reads and sets constants", async () => {
      expect((await api.get("/api/constants")).body).to.deep.equal({ CompanyName: null });
      const r = await api.put("/api/constants/CompanyName", { value: "ООО Ромашка" });
      expect(r.status).to.equal(200);
      expect(r.body).to.deep.equal({ name: "CompanyName", value: "ООО Ромашка" });
      expect((await api.get("/api/constants")).body).to.deep.equal({ CompanyName: "ООО Ромашка" });
    });
  });
});
