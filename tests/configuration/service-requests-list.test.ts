// The dispatcher's list (docs/service-requests.md#the-dispatchers-list; issue 17 §3): the
// ServiceRequest's `list` in metadata — open overdue requests first (group Overdue, shown in red),
// then new ones, then the rest, each by ReceivedAt descending; a column sort of the user's own
// replaces that order but keeps each row's group; the quick search looks in the address (building,
// apartment, account), the phone (its digits alone too), the contact and the text. On the demo's
// seven requests of December 2011 (all past their deadlines) and two received now.
import { expect } from "chai";
import { join } from "node:path";
import { loadInitialData } from "../../server/initial-data.ts";
import { addSeconds, nowMoment } from "../../server/calendar.ts";
import * as docs from "../../server/documents/service.ts";
import { transition } from "../../server/workflow/service.ts";
import type { Platform } from "../../server/platform.ts";
import { ROOT, testPlatform } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";
import type { ListQuery } from "../../server/storage/list.ts";

describe("configuration: the dispatcher's list of service requests (issue 17 §3)", function () {
  let p: Platform;
  const list = (lq: ListQuery = {}) => inArea(p, (ctx) => docs.listDocuments(ctx, "ServiceRequest", lq));
  const brief = (rows: Record<string, any>[]) => rows.map((r) => `${r.Status}:${r.listGroup ?? "-"}`);

  before(async () => {
    p = await testPlatform(join(ROOT, "metadata"), "reqlist");
    await loadInitialData(p, 1);
    const account = (await p.db.owner.query("SELECT id FROM cat_personal_accounts ORDER BY code LIMIT 1")).rows[0].id;
    const executor = (await p.db.owner.query("SELECT id FROM cat_employees ORDER BY code LIMIT 1")).rows[0].id;
    const type = (await p.db.owner.query("SELECT id FROM cat_request_types WHERE name = 'Протечка'")).rows[0];
    const now = nowMoment();
    // received now: a 24-hour emergency, so not overdue — one new, one taken into work
    // the one in work a minute earlier (distinct moments: the order has no ties)
    for (const [phone, to, at] of [
      ["+7 (921) 555-12-34", null, now],
      ["8 900 777 66 55", "InWork", addSeconds(now, -60)],
    ] as const) {
      const r = await inArea(p, (ctx) =>
        docs.createDocument(
          ctx,
          "ServiceRequest",
          {
            date: at,
            ReceivedAt: at,
            Account: account,
            ContactPhone: phone,
            RequestType: type.id,
            Description: "Течет батарея в комнате",
            Executor: executor,
          },
          { post: true },
        ),
      );
      if (to) {
        await inArea(p, (ctx) => transition(ctx, "ServiceRequest", r.id as string, { status: "Accepted" }));
        await inArea(p, (ctx) => transition(ctx, "ServiceRequest", r.id as string, { status: to }));
      }
    }
  });
  after(async () => p?.close());

  it("by default: open overdue requests first, then new ones, then the rest, the latest received first in each", async () => {
    const { rows } = await list();
    expect(brief(rows)).to.deep.equal([
      // the demo's open requests of 2011, past their deadlines: 07.12 New, 06.12 Accepted, 05.12 InWork, 02.12 Postponed
      "New:Overdue",
      "Accepted:Overdue",
      "InWork:Overdue",
      "Postponed:Overdue",
      // received now, its deadline a day ahead
      "New:New",
      // the rest: received now (in work, not overdue), then the demo's 03.12 Rejected, 02.12 Done, 01.12 Closed
      "InWork:-",
      "Rejected:-",
      "Done:-",
      "Closed:-",
    ]);
    const received = rows.slice(0, 4).map((r) => r.ReceivedAt);
    expect(received).to.deep.equal([...received].sort().reverse());
  });

  it("a sort the user chose replaces the order, each row keeping its group", async () => {
    const { rows } = await list({ sort: "ReceivedAt" });
    expect(brief(rows)).to.deep.equal([
      "Closed:-",
      "Done:-",
      "Postponed:Overdue",
      "Rejected:-",
      "InWork:Overdue",
      "Accepted:Overdue",
      "New:Overdue",
      "InWork:-",
      "New:New",
    ]);
  });

  it("pages of the default order neither overlap nor skip", async () => {
    const all = (await list()).rows.map((r) => r.id);
    const paged: string[] = [];
    for (let offset = 0; offset < all.length; offset += 2)
      paged.push(...(await list({ offset, limit: 2, count: false })).rows.map((r) => r.id));
    expect(paged).to.deep.equal(all);
  });

  it("searches the phone as typed and by its digits alone, whatever the separators", async () => {
    for (const s of ["555-12-34", "5551234", "(921) 555 12 34", "921 555-1234"]) {
      const { rows, total } = await list({ search: s });
      expect(
        rows.map((r) => r.ContactPhone),
        s,
      ).to.deep.equal(["+7 (921) 555-12-34"]);
      expect(total).to.equal(1);
    }
    // the demo's four phones +7 921 100-00-0N
    expect((await list({ search: "9211000" })).total).to.equal(4);
    expect((await list({ search: "100-00-03" })).rows.map((r) => r.Description)).to.deep.equal([
      "Течет с потолка в ванной",
    ]);
  });

  it("searches the address: the building's name, the apartment, the account", async () => {
    // ул. Балтийская, д.55: the demo's first building, every request there
    const street = await list({ search: "Балтийская, д.55" });
    expect(street.total).to.equal(9);
    const other = await list({ search: "Балтийская, д.57" });
    expect(other.total).to.equal(0);
    const { rows } = await list({ limit: 1, sort: "-ReceivedAt" });
    const account = (
      await p.db.owner.query("SELECT id, code FROM cat_personal_accounts WHERE id = $1", [rows[0].Account])
    ).rows[0];
    const byAccount = await list({ search: account.code });
    expect(byAccount.total).to.be.greaterThan(0);
    expect(byAccount.rows.every((r) => r.Account === account.id)).to.equal(true);
  });

  it("searches the text of the request and the contact's name", async () => {
    expect((await list({ search: "лифт" })).rows.map((r) => r.Description)).to.deep.equal([
      "Лифт стоит на 5 этаже, не реагирует на вызов",
    ]);
    expect((await list({ search: "батарея" })).total).to.equal(2);
    expect((await list({ search: "Ржига" })).total).to.equal(2);
    expect((await list({ search: "нет такого текста" })).total).to.equal(0);
  });
});
