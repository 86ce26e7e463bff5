/**
 * GET /api/journal for the journal form: the session's entries newest first, filtered by
 * period, user, object and action, paged with the total count; bad parameters are 400s that
 * name the parameter; GET /api/journal/verify checks the chain.
 */
import { expect } from "chai";
import { startApi, seed, expectError, login, type Api, type Seed } from "../platform/api-client.ts";
import { upsertUser } from "../../server/security/bootstrap.ts";
import { recordEvent } from "../../server/journal/journal.ts";
import { journalReportPrint } from "../../server/journal/reports.ts";
import { inArea } from "../helpers/services.ts";

describe("security: GET /api/journal", function () {
  let api: Api;
  let s: Seed;
  before(async () => {
    api = await startApi();
    s = await seed(api);
    await api.put(`/api/catalogs/Products/${s.products[0]}`, { name: "Гвозди 100 мм" });
    await inArea(api.platform, (ctx) =>
      recordEvent(ctx.c, {
        area: 1,
        actor: { userId: "u-x", login: "sidorov", ip: "198.51.100.4" },
        action: "loginFailed",
        objectKind: "session",
        objectName: "sidorov",
      }),
    );
    await inArea(api.platform, (ctx) =>
      journalReportPrint(
        { ...ctx, actor: { userId: "u-x", login: "sidorov", ip: "198.51.100.4" } },
        "StockList",
        { at: "2024-01-01" },
        "pdf",
      ),
    );
    await inArea(api.platform, (ctx) => journalReportPrint(ctx, "StockList", { at: "2024-01-01" }, "csv"));
  });
  after(() => api?.close());

  it("lists entries newest first with the total, and pages", async () => {
    const all = await api.get("/api/journal");
    expect(all.status).to.equal(200);
    expect(all.body.total).to.be.greaterThan(5);
    // Newest first across the chains (logins and logouts are chained apart: each chain has its own seq).
    const times = all.body.rows.map((r: any) => r.at);
    expect(times).to.deep.equal([...times].sort().reverse());
    for (const chain of ["main", "sessions"]) {
      const seqs = all.body.rows.filter((r: any) => r.chain === chain).map((r: any) => Number(r.seq));
      expect(seqs.length, chain).to.be.greaterThan(0);
      expect(seqs, chain).to.deep.equal([...seqs].sort((a, b) => b - a));
    }
    expect(all.body.rows[0]).to.include({ action: "reportExport", actionTitle: "Выгрузка отчета" });
    expect(all.body.rows[0].object).to.deep.equal({ kind: "report", name: "StockList", id: null, title: null });
    expect(all.body.rows[0].details).to.deep.equal({ format: "csv", params: { at: "2024-01-01" } });
    const page = await api.get("/api/journal?offset=1&limit=2&order=asc");
    const key = (r: any) => `${r.chain}#${r.seq}`;
    expect(page.body.rows.map(key)).to.deep.equal([...all.body.rows].reverse().slice(1, 3).map(key));
    expect(page.body).to.include({ offset: 1, limit: 2, total: all.body.total });
  });

  it("filters by action, user, object (id, name or kind.name) and period", async () => {
    const upd = await api.get(`/api/journal?action=update&object=${s.products[0]}`);
    expect(upd.body.total).to.equal(1);
    expect(upd.body.rows[0].details).to.deep.equal({ fields: { name: ["Гвозди", "Гвозди 100 мм"] } });
    expect(upd.body.rows[0].object).to.include({ kind: "catalog", name: "Products", title: "Гвозди 100 мм" });
    const mine = await api.get("/api/journal?user=sidorov");
    expect(mine.body.rows.map((r: any) => r.action)).to.deep.equal(["reportPrint", "loginFailed"]);
    expect(mine.body.rows[0]).to.deep.include({ user: { id: "u-x", login: "sidorov" }, ip: "198.51.100.4" });
    expect((await api.get("/api/journal?action=create,update&object=catalog.Products")).body.total).to.equal(3);
    expect((await api.get("/api/journal?object=Units")).body.total).to.equal(1);
    expect((await api.get("/api/journal?from=2000-01-01&to=2000-12-31")).body.total).to.equal(0);
    const today = new Date();
    const d = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    expect((await api.get(`/api/journal?from=${d}&to=${d}`)).body.total).to.equal(
      (await api.get("/api/journal")).body.total,
    );
  });

  it("information register records written directly and constants are journalled too", async () => {
    const R = "/api/registers/ExchangeRates";
    expect(
      (
        await api.post(`${R}/records`, {
          records: [{ period: "2024-01-01", Currency: "USD", Rate: "90.5", Multiplier: 1 }],
        })
      ).status,
    ).to.equal(200);
    expect((await api.del(`${R}/records`, { keys: [{ period: "2024-01-01", Currency: "USD" }] })).status).to.equal(200);
    const j = await api.get("/api/journal?object=register.ExchangeRates");
    expect(j.body.rows.map((r: any) => [r.action, r.details.count])).to.deep.equal([
      ["recordsDelete", "1"],
      ["recordsWrite", "1"],
    ]);
    expect(j.body.rows[1].details.rows[0]).to.include({ Currency: "USD", Rate: "90.5" });
    await api.put("/api/constants/CompanyName", { value: "ООО Ромашка" });
    await api.put("/api/constants/CompanyName", { value: "ООО Лютик" });
    const c = await api.get("/api/journal?action=constantWrite");
    expect(c.body.rows.map((r: any) => r.details.fields.CompanyName)).to.deep.equal([
      ["ООО Ромашка", "ООО Лютик"],
      [null, "ООО Ромашка"],
    ]);
  });

  it("refuses bad parameters by name; verify reports an intact chain", async () => {
    expect(expectError(await api.get("/api/journal?action=hack"), 400, "action").message).to.contain(
      "неизвестное действие «hack»",
    );
    expectError(await api.get("/api/journal?from=2024-13-01"), 400, "from");
    expectError(await api.get("/api/journal?from=2024-02-01&to=2024-01-01"), 400, "from");
    expectError(await api.get("/api/journal?limit=100000"), 400, "limit");
    expectError(await api.get("/api/journal?order=up"), 400, "order");
    // Only an administrator reads the journal.
    await upsertUser(api.platform, 1, { login: "viewer", roles: ["Viewer"], password: "viewer-password-1" });
    const v1 = await login(api.base, "viewer", "viewer-password-1");
    for (const path of ["/api/journal", "/api/journal/verify"]) {
      const r = await api.call("GET", path, undefined, { headers: { cookie: v1.cookie, "x-csrf-token": v1.csrf } });
      expect(expectError(r, 403).message).to.equal("Журнал регистрации доступен только администратору");
    }
    const v = await api.get("/api/journal/verify");
    expect(v.body.problems).to.deep.equal([]);
    expect(v.body.entries).to.equal(Number(v.body.head.seq));
  });
});
