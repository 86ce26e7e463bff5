// The HTTP API's error paths: every refusal is JSON {error: {code, message, field}} with the
// right 4xx status and the field it is about; a non-AppError is a 500 that hides the details.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { startApi, seed, expectError, serve, type Api, type Seed } from "./api-client.ts";
import { testPlatform } from "../helpers/db.ts";
import { pino } from "pino";

describe("HTTP API: errors", () => {
  let api: Api;
  let s: Seed;
  before(async () => {
    api = await startApi();
    s = await seed(api);
  });
  after(async () => api?.close());

  const sale = (extra: Record<string, unknown> = {}) => ({
    Warehouse: s.warehouse,
    date: "2024-03-01T10:00:00",
    Items: [{ Product: s.products[0], Quantity: "1", Amount: "10" }],
    ...extra,
  });

  describe("names and ids", () => {
    it("unknown catalog, document, register, constant and tabular part are 404 naming them", async () => {
      expect(expectError(await api.get("/api/catalogs/Nope"), 404).message).to.contain("Nope");
      expect(expectError(await api.post("/api/catalogs/Nope", {}), 404).message).to.contain("Nope");
      expect(expectError(await api.get("/api/documents/NoDoc"), 404).message).to.contain("NoDoc");
      expect(expectError(await api.get(`/api/documents/NoDoc/${randomUUID()}`), 404).message).to.contain("NoDoc");
      expect(expectError(await api.get("/api/registers/NoReg/balance"), 404).message).to.contain("NoReg");
      expect(expectError(await api.get("/api/registers/NoReg/slice-last"), 404).message).to.contain("NoReg");
      expect(expectError(await api.put("/api/constants/NoConst", { value: 1 }), 404).message).to.contain("NoConst");
      expect(expectError(await api.post("/api/documents/Sale/fill/NoTable"), 404).message).to.contain("NoTable");
    });

    it("unknown id is 404, a malformed id is 400", async () => {
      const id = randomUUID();
      expect(expectError(await api.get(`/api/catalogs/Products/${id}`), 404).message).to.contain(id);
      expectError(await api.put(`/api/catalogs/Products/${id}`, { name: "x" }), 404);
      expectError(await api.del(`/api/catalogs/Products/${id}`), 404);
      expectError(await api.get(`/api/documents/Sale/${id}`), 404);
      expectError(await api.post(`/api/documents/Sale/${id}/post`), 404);
      expectError(await api.get(`/api/documents/Sale/${id}/movements`), 404);
      expectError(await api.get("/api/catalogs/Products/not-a-uuid"), 400, "id");
      expectError(await api.del("/api/documents/Sale/123"), 400, "id");
      expectError(await api.post("/api/documents/Sale/123/unpost"), 400, "id");
    });

    it("unknown routes under /api are 404 JSON, also for a known path with another method", async () => {
      expectError(await api.get("/api/nothing/here"), 404);
      expectError(await api.get("/api"), 404);
      expectError(await api.call("PATCH", `/api/catalogs/Products/${s.products[0]}`, {}), 404);
      expectError(await api.get(`/api/documents/Sale/${randomUUID()}/nothing`), 404);
    });

    it("a register asked for what its kind does not have is 400", async () => {
      expectError(await api.get("/api/registers/Purchases/balance"), 400);
      expectError(await api.get("/api/registers/Stock/slice-last"), 400);
      expectError(await api.get("/api/registers/ExchangeRates/balance"), 400);
      expectError(await api.post("/api/registers/PriceHistory/records", { records: [] }), 409);
    });
  });

  describe("bodies", () => {
    it("malformed JSON is 400, a non-JSON body 415, a body over 2 MB 413", async () => {
      expect(
        expectError(await api.call("POST", "/api/catalogs/Units", undefined, { raw: '{"name": "шт",' }), 400).code,
      ).to.equal("malformed_json");
      expectError(
        await api.call("POST", "/api/catalogs/Units", undefined, { raw: "name=x", contentType: "text/plain" }),
        415,
      );
      const big = { name: "x", Address: "a".repeat(3 * 1024 * 1024) };
      expect(expectError(await api.post("/api/catalogs/Warehouses", big), 413).code).to.equal("payload_too_large");
      expectError(await api.post("/api/catalogs/Units", [1, 2]), 400);
    });

    it("an unknown field is 400 naming it, at the top level and inside a tabular row", async () => {
      let e = expectError(await api.post("/api/documents/Sale", sale({ Foo: 1 })), 400, "Foo");
      expect(e.message).to.contain("Foo").and.contain("Sale");
      expect(e.code).to.equal("unknown_field");
      const items = [
        { Product: s.products[0], Quantity: "1" },
        { Product: s.products[1], Quantity: "2", Foo: "x" },
      ];
      e = expectError(await api.post("/api/documents/Sale", sale({ Items: items })), 400, "Items[2].Foo");
      expect(e.message).to.contain("Items");
      expectError(await api.post("/api/catalogs/Products", { name: "x", Colour: "red" }), 400, "Colour");
      expectError(await api.put("/api/constants/CompanyName", { value: "x", extra: 1 }), 400, "extra");
    });

    it("wrong values are refused per type with the field named", async () => {
      const P = "/api/catalogs/Products";
      expect(expectError(await api.post(P, { name: "x", Sku: "s".repeat(26) }), 400, "Sku").message).to.contain("25");
      expect(expectError(await api.post(P, { name: "x", Price: "1.005" }), 400, "Price").message).to.contain(
        "2 знаков",
      );
      expectError(await api.post(P, { name: "x", Price: 1.005 }), 400, "Price");
      expectError(await api.post(P, { name: "x", Price: "abc" }), 400, "Price");
      expectError(await api.post(P, { name: "x", Price: "12345678901234" }), 400, "Price");
      expectError(await api.post(P, { name: "x", Sku: 5 }), 400, "Sku");
      expect(
        expectError(await api.post(P, { name: "x", ProductKind: "Gadget" }), 400, "ProductKind").message,
      ).to.contain("Goods");
      expectError(await api.post(P, { name: "x", Unit: "not-a-uuid" }), 400, "Unit");
      expectError(await api.post(P, { name: "x", Unit: randomUUID() }), 422, "Unit");
      expectError(await api.post(P, { name: "x", deletionMark: "yes" }), 400, "deletionMark");
      expectError(await api.post(P, { name: "n".repeat(151) }), 400, "name");
      expectError(await api.post("/api/documents/Sale", sale({ date: "2024-02-30" })), 400, "date");
      expectError(await api.post("/api/documents/Sale", sale({ date: "вчера" })), 400, "date");
      expectError(
        await api.post("/api/documents/Sale", sale({ Items: [{ Product: s.products[0], Quantity: "1.0001" }] })),
        400,
        "Items[1].Quantity",
      );
      expectError(
        await api.post("/api/documents/Sale", sale({ Items: [{ Product: randomUUID(), Quantity: "1" }] })),
        422,
        "Items[1].Product",
      );
      expectError(await api.post("/api/documents/Sale", sale({ Items: { Product: s.products[0] } })), 400, "Items");
      expectError(await api.post("/api/documents/Sale", sale({ Items: ["x"] })), 400, "Items[1]");
      expectError(await api.put("/api/constants/CompanyName", { value: "c".repeat(151) }), 400, "value");
      expectError(await api.put("/api/constants/CompanyName", {}), 400, "value");
    });

    it("a missing required attribute refuses posting with 422 naming it", async () => {
      expectError(await api.post("/api/documents/Sale?post=true", sale({ Warehouse: null })), 422, "Warehouse");
      expectError(
        await api.post("/api/documents/Sale?post=true", sale({ Items: [{ Product: null, Quantity: "1" }] })),
        422,
        "Items[1].Product",
      );
      const r = await api.post("/api/documents/Sale", sale({ Warehouse: null }));
      expect(r.status).to.equal(201); // a draft may be incomplete
      expectError(await api.post(`/api/documents/Sale/${r.body.id}/post`), 422, "Warehouse");
      expect((await api.get(`/api/documents/Sale/${r.body.id}`)).body.posted).to.equal(false);
    });
  });

  describe("query parameters", () => {
    it("paging, sort and filters are checked", async () => {
      const P = "/api/catalogs/Products";
      expectError(await api.get(`${P}?offset=-1`), 400, "offset");
      expectError(await api.get(`${P}?limit=abc`), 400, "limit");
      expectError(await api.get(`${P}?limit=1001`), 400, "limit");
      expectError(await api.get(`${P}?limit=1&limit=2`), 400, "limit");
      expect(expectError(await api.get(`${P}?sort=Colour`), 400, "sort").message).to.contain("Colour");
      expectError(await api.get(`${P}?Colour=red`), 400, "Colour");
      expectError(await api.get(`${P}?ProductKind=Gadget`), 400, "ProductKind");
      expectError(await api.get(`${P}?deletionMark=maybe`), 400, "deletionMark");
      expectError(await api.get(`${P}?Unit=xyz`), 400, "Unit");
      expectError(await api.get("/api/documents/Sale?sort=-Customerz"), 400, "sort");
      expectError(await api.post("/api/documents/Sale?post=perhaps", sale()), 400, "post");
    });

    it("register parameters: dates, periodicity and dimension names", async () => {
      expectError(await api.get("/api/registers/Stock/balance?at=yesterday"), 400, "at");
      expectError(await api.get("/api/registers/Stock/balance?Colour=red"), 400, "Colour");
      expectError(await api.get("/api/registers/Stock/balance?Warehouse=nope"), 400, "Warehouse");
      expectError(await api.get("/api/registers/Stock/turnovers?to=2024-01-31"), 400, "from");
      expectError(
        await api.get("/api/registers/Stock/turnovers?from=2024-01-01&to=2024-01-31&periodicity=week"),
        400,
        "periodicity",
      );
      expectError(await api.get("/api/registers/Stock/turnovers?from=2024-02-01&to=2024-01-31"), 400, "from");
      expectError(await api.get("/api/registers/ExchangeRates/slice-last?at=2024-13-01"), 400, "at");
      expectError(await api.get("/api/registers/ExchangeRates/records?limit=-5"), 400, "limit");
      expectError(await api.get("/api/registers/ExchangeRates/records?Rate=1"), 400, "Rate");
    });
  });

  describe("conflicts and refusals", () => {
    it("deleting a referenced catalog item is 409 and keeps it", async () => {
      const e = expectError(await api.del(`/api/catalogs/Units/${s.unit}`), 409);
      expect(e.message).to.contain("шт");
      expect((await api.get(`/api/catalogs/Units/${s.unit}`)).status).to.equal(200);
    });

    it("posting refused by negative-balance control is 422; the document stays unposted, without movements", async () => {
      const r = await api.post(
        "/api/documents/Sale",
        sale({ Items: [{ Product: s.products[0], Quantity: "5", Amount: "50" }] }),
      );
      expect(r.status).to.equal(201);
      const e = expectError(await api.post(`/api/documents/Sale/${r.body.id}/post`), 422);
      expect(e.message).to.match(/Остатки|остат|Stock/i);
      expect((await api.get(`/api/documents/Sale/${r.body.id}`)).body.posted).to.equal(false);
      const mv = await api.get(`/api/documents/Sale/${r.body.id}/movements`);
      expect(mv.status).to.equal(200);
      for (const reg of Object.values(mv.body.registers) as { rows: unknown[] }[]) expect(reg.rows).to.have.length(0);
      const bal = await api.get(`/api/registers/Stock/balance?Warehouse=${s.warehouse}`);
      expect(bal.body.rows).to.have.length(0);
      // posting on create is refused the same way and nothing is created
      const before = (await api.get("/api/documents/Sale")).body.total;
      expectError(
        await api.post("/api/documents/Sale?post=true", sale({ Items: [{ Product: s.products[0], Quantity: "5" }] })),
        422,
      );
      expect((await api.get("/api/documents/Sale")).body.total).to.equal(before);
    });

    it("a stale version is 409", async () => {
      const got = (await api.get(`/api/catalogs/Warehouses/${s.warehouse}`)).body;
      expect(
        (await api.put(`/api/catalogs/Warehouses/${s.warehouse}`, { ...got, Address: "ул. Мира, 2" })).status,
      ).to.equal(200);
      expectError(
        await api.put(`/api/catalogs/Warehouses/${s.warehouse}`, { ...got, Address: "ул. Мира, 3" }),
        409,
        "version",
      );
    });
  });

  it("an unexpected error is a 500 with a generic message, logged with the request, user, area and route", async () => {
    const p = await testPlatform(undefined, "api500");
    const lines: Record<string, any>[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const { server, base, session } = await serve(p, 1, { logger });
    await p.db.app.end(); // every query now fails: not the user's mistake
    try {
      const r = await fetch(`${base}/api/catalogs/Units`, { headers: { cookie: session.cookie } });
      expect(r.status).to.equal(500);
      const body = await r.json();
      expect(body.error.code).to.equal("internal");
      expect(body.error.message).not.to.contain("pool");
      const bug = lines.find((l) => l.msg === "500 GET /api/catalogs/Units");
      expect(bug?.err?.message, JSON.stringify(lines)).to.match(/pool/i);
      const done = lines.find((l) => l.res?.status === 500);
      expect(done).to.deep.include({ level: 50, user: "admin", area: 1, route: "/api/catalogs/:name" });
      expect(done!.req).to.deep.include({
        method: "GET",
        url: "/api/catalogs/Units",
        id: r.headers.get("x-request-id"),
      });
      expect(done!.responseTime).to.be.a("number");
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await p.db.owner.end();
    }
  });
});
