// Reports and background jobs are the user's own: GET /api/reports lists only the forms the
// user's roles open; a print job started by one user is not found (404) by another user of the
// same area, and its result cannot be fetched or deleted by them. Every print and export is
// journalled with who, which form, the format and the parameters.
import { expect } from "chai";
import { join } from "node:path";
import { login, startApi, type Api } from "../platform/api-client.ts";
import { ROOT } from "../helpers/db.ts";
import { loadInitialData } from "../../server/initial-data.ts";

describe("security: reports listed by role, jobs visible to their owner only", function () {
  this.timeout(180_000);
  let api: Api;
  let saved: string | undefined;
  const PASSWORD = "demo-password-for-tests";

  before(async () => {
    saved = process.env.DEMO_PASSWORD;
    process.env.DEMO_PASSWORD = PASSWORD;
    api = await startApi(join(ROOT, "metadata"));
    await loadInitialData(api.platform, 1);
  });
  after(async () => {
    if (saved === undefined) delete process.env.DEMO_PASSWORD;
    else process.env.DEMO_PASSWORD = saved;
    await api?.close();
  });

  const as = async (user: string) => {
    const s = await login(api.base, user, PASSWORD);
    return (method: string, path: string, body?: unknown) =>
      api.call(method, path, body, { headers: { cookie: s.cookie, "x-csrf-token": s.csrf } });
  };

  it("lists only the forms the role may open", async () => {
    const all = (await api.get("/api/reports")).body.reports.map((r: { name: string }) => r.name).sort();
    const cashier = await as("cashier");
    const mine = (await cashier("GET", "/api/reports")).body.reports.map((r: { name: string }) => r.name).sort();
    expect(all).to.include.members(["receipt", "payments-register", "turnover-balance", "debtors"]);
    expect(mine).to.deep.equal(["payments-register", "receipt", "receipt-43pr"]);
    expect((await cashier("GET", "/api/reports/debtors")).status).to.equal(403);
  });

  it("a print job is its starter's: another user gets 404 for its status, result and deletion", async () => {
    const accountant = await as("accountant");
    const auditor = await as("auditor");
    const started = await accountant("POST", "/api/reports/payments-register/jobs?format=csv", {
      from: "2011-11-01",
      to: "2011-11-30",
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    const id = started.body.id;
    expect((await accountant("GET", `/api/reports/jobs/${id}`)).status).to.equal(200);
    expect((await auditor("GET", `/api/reports/jobs/${id}`)).status).to.equal(404);
    expect((await auditor("GET", `/api/reports/jobs/${id}/result`)).status).to.equal(404);
    expect((await auditor("DELETE", `/api/reports/jobs/${id}`)).status).to.equal(404);
    expect((await accountant("GET", `/api/reports/jobs/${id}`)).status).to.equal(200);
  });

  it("a report printed or exported is in the journal: who, which form, which format and parameters", async () => {
    const cashier = await as("cashier");
    const r = await cashier("POST", "/api/reports/payments-register/render?format=csv", {
      from: "2011-11-01",
      to: "2011-11-30",
    });
    expect(r.status).to.equal(200);
    const h = await cashier("POST", "/api/reports/payments-register/render?format=html", {
      from: "2011-11-01",
      to: "2011-11-30",
    });
    expect(h.status).to.equal(200);
    const j = (await api.get("/api/journal?limit=5")).body.rows;
    const [print, exp] = [
      j.find((e: any) => e.action === "reportPrint"),
      j.find((e: any) => e.action === "reportExport"),
    ];
    expect(exp).to.not.equal(undefined);
    expect(exp.user.login).to.equal("cashier");
    expect(exp.object.name).to.equal("payments-register");
    expect(exp.details).to.deep.include({ format: "csv", params: { from: "2011-11-01", to: "2011-11-30" } });
    expect(print.user.login).to.equal("cashier");
    expect(print.details.format).to.equal("html");
  });
});
