// Service requests in the demo, by role (docs/service-requests.md; issue 17 §2, §4): the demo's
// seven requests, one per status, and what each demo user may do with them through the HTTP API —
// the dispatcher takes requests through every status but Закрыта; the accountant closes (and the
// posting charges a paid request); the auditor only reads; the cashier and the meter operator do
// not see requests; the administrator may do everything. Two users making the same transition at
// once: one wins, the other is told the status changed. «Мои»: the executor's own requests.
import { expect } from "chai";
import { join } from "node:path";
import { loadInitialData } from "../../server/initial-data.ts";
import { ROOT, testPlatform } from "../helpers/db.ts";
import { ADMIN_PW, startSecure, type Secure } from "../security/helpers.ts";

type Session = Awaited<ReturnType<Secure["login"]>>;

describe("configuration: service requests by role, on the demo (issue 17)", function () {
  let d: Secure;
  const as: Record<string, Session> = {};
  let requests: Record<string, any>[];
  const byStatus = (status: string) => requests.find((r) => r.Status === status)!;
  const status = (who: string, id: string, to: string, comment?: string) =>
    d.req("POST", `/api/documents/ServiceRequest/${id}/status`, { session: as[who], body: { status: to, comment } });

  before(async () => {
    process.env.DEMO_PASSWORD = "demo-pass-1";
    try {
      const p = await testPlatform(join(ROOT, "metadata"), "reqroles");
      await loadInitialData(p, 1);
      d = await startSecure({ platform: p });
    } finally {
      delete process.env.DEMO_PASSWORD;
    }
    for (const login of ["dispatcher", "accountant", "auditor", "cashier", "meters"])
      as[login] = await d.login(login, "demo-pass-1");
    as.admin = await d.login("admin", ADMIN_PW);
    requests = (await d.req("GET", "/api/documents/ServiceRequest?sort=date&limit=100", { session: as.admin })).body
      .rows;
  });
  after(async () => {
    await d?.close();
    await d?.platform.close();
  });

  it("the demo has seven requests, one in each status, and a paid one done for 1 500,00 waiting to be closed", () => {
    expect(requests.map((r) => r.Status).sort()).to.deep.equal(
      ["Accepted", "Closed", "Done", "InWork", "New", "Postponed", "Rejected"].sort(),
    );
    expect(byStatus("Done")).to.include({
      Amount: "1500.00",
      ReceivedAt: "2011-12-02T10:00:00",
      CompletedAt: "2011-12-05T11:00:00",
    });
    // the sewer blockage: 30 minutes and 2 hours from 01.12.2011 08:10 (Правила 416 п.13)
    expect(byStatus("Closed")).to.include({ ResponseDeadline: "2011-12-01T08:40:00", Deadline: "2011-12-01T10:10:00" });
  });

  it("the dispatcher creates a request and takes it through the statuses, but may not close it", async () => {
    const account = (await d.req("GET", "/api/catalogs/PersonalAccounts?limit=1&sort=code", { session: as.dispatcher }))
      .body.rows[0];
    const type = (await d.req("GET", "/api/catalogs/RequestTypes?search=Протечка", { session: as.dispatcher })).body
      .rows[0];
    const executor = (await d.req("GET", "/api/catalogs/Employees?limit=1&sort=code", { session: as.dispatcher })).body
      .rows[0];
    const created = await d.req("POST", "/api/documents/ServiceRequest", {
      session: as.dispatcher,
      body: {
        ReceivedAt: "2011-12-08T10:00:00",
        Account: account.id,
        RequestType: type.id,
        Description: "Течь в стояке",
      },
    });
    expect(created.status, created.text).to.be.oneOf([200, 201]);
    const id = created.body.id;
    expect(created.body).to.include({
      Status: "New",
      ResponseDeadline: "2011-12-08T10:30:00",
      Deadline: "2011-12-09T10:00:00",
    });
    expect((await status("dispatcher", id, "Accepted")).status).to.equal(200);
    const put = await d.req("PUT", `/api/documents/ServiceRequest/${id}`, {
      session: as.dispatcher,
      body: { Executor: executor.id, Result: "Заменен участок стояка" },
    });
    expect(put.status, put.text).to.equal(200);
    expect((await status("dispatcher", id, "InWork")).status).to.equal(200);
    expect((await status("dispatcher", id, "Done")).status).to.equal(200);
    const close = await status("dispatcher", id, "Closed");
    expect(close.status).to.equal(403);
    expect(close.body.error.message).to.match(/только роли: Бухгалтер/);
    // the dispatcher's reports, and nothing of the accountant's
    for (const r of ["service-requests", "service-requests-overdue", "service-requests-times"])
      expect((await d.req("GET", `/api/reports/${r}`, { session: as.dispatcher })).status, r).to.equal(200);
    expect((await d.req("GET", "/api/reports/receipt", { session: as.dispatcher })).status).to.equal(403);
    expect(
      (
        await d.req("PUT", `/api/catalogs/PersonalAccounts/${account.id}`, {
          session: as.dispatcher,
          body: { comment: "x" },
        })
      ).status,
    ).to.equal(403);
  });

  it("the accountant closes the paid request; posting it charges 1 500,00 to the account in the month it is closed", async () => {
    const paid = byStatus("Done");
    // accepting is the dispatcher's: the accountant is refused by role
    const accept = await status("accountant", byStatus("New").id, "Accepted");
    expect(accept.status).to.equal(403);
    expect(accept.body.error.message).to.match(/только роли: Диспетчер/);
    const close = await status("accountant", paid.id, "Closed");
    expect(close.status, close.text).to.equal(200);
    const posted = await d.req("POST", `/api/documents/ServiceRequest/${paid.id}/post`, { session: as.accountant });
    expect(posted.status, posted.text).to.equal(200);
    const moves = (await d.req("GET", `/api/documents/ServiceRequest/${paid.id}/movements`, { session: as.accountant }))
      .body;
    const [a] = moves.registers.Accruals.rows;
    expect(a).to.include({ Account: paid.Account, Amount: "1500.00" });
    // closed now (the transition's moment): charged in the current month, on its first day
    expect(close.body.ClosedAt).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(a.period).to.equal(`${close.body.ClosedAt.slice(0, 7)}-01T00:00:00`);
  });

  it("the auditor reads requests but makes no transition; the cashier and the meter operator do not see them", async () => {
    const open = byStatus("New");
    expect((await d.req("GET", `/api/documents/ServiceRequest/${open.id}`, { session: as.auditor })).status).to.equal(
      200,
    );
    expect((await status("auditor", open.id, "Accepted")).status).to.equal(403);
    expect((await d.req("GET", "/api/documents/ServiceRequest", { session: as.cashier })).status).to.equal(403);
    expect((await d.req("GET", "/api/documents/ServiceRequest", { session: as.meters })).status).to.equal(403);
    expect((await status("cashier", open.id, "Accepted")).status).to.equal(403);
  });

  it("two users accepting the same request at once: one wins, the other is told the status changed", async () => {
    const created = await d.req("POST", "/api/documents/ServiceRequest", {
      session: as.admin,
      body: {
        ReceivedAt: "2011-12-08T11:00:00",
        Building: requests[0].Building,
        RequestType: requests[0].RequestType,
        Description: "Дважды",
      },
    });
    const both = await Promise.all([
      status("dispatcher", created.body.id, "Accepted"),
      status("admin", created.body.id, "Accepted"),
    ]);
    expect(both.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.message).to.match(/Статус уже изменен/);
  });

  it("«Мои»: the plumber's login sees the requests assigned to him", async () => {
    const petrov = await d.user("petrov", ["Dispatcher"]);
    const mine = (await d.req("GET", "/api/documents/ServiceRequest?mine=true&limit=100", { session: petrov })).body
      .rows;
    const plumber = (await d.req("GET", "/api/catalogs/Employees?search=Петров", { session: petrov })).body.rows[0];
    expect(mine.length).to.be.greaterThan(0);
    expect(mine.every((r: any) => r.Executor === plumber.id)).to.equal(true);
    const all = (await d.req("GET", "/api/documents/ServiceRequest?limit=100", { session: as.admin })).body.rows;
    expect(mine.length).to.equal(all.filter((r: Record<string, unknown>) => r.Executor === plumber.id).length);
  });
});
