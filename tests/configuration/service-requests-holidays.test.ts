// The production calendar (register Holidays «Производственный календарь»,
// metadata/common/production-calendar.ts) and working-time deadlines of service requests
// (docs/service-requests.md#production-calendar): the shipped records (ТК РФ ст.112 holidays of
// 2024–2027, the transfers, the pre-holiday days of ст.95), the deadline computation over them,
// and the document: a planned request received before the New Year holidays gets its deadline
// after them, one received on a pre-holiday day counts that day an hour shorter.
import { expect } from "chai";
import { join } from "node:path";
import { loadInitialData } from "../../server/initial-data.ts";
import * as docs from "../../server/documents/service.ts";
import type { Platform } from "../../server/platform.ts";
import { ROOT, testPlatform } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";
import { dayCalendarOf, productionCalendarRecords } from "../../metadata/common/production-calendar.ts";
import { requestDeadlines } from "../../metadata/common/request-deadline.ts";

const PLANNED = { TimeMode: "Working", ResponseHours: 8, CompletionHours: 40 } as const;

describe("configuration: the production calendar and working-time deadlines (issue 17)", function () {
  const records = productionCalendarRecords();
  const kind = (day: string) => records.find((r) => r.Day === day)?.Kind;

  it("ships the holidays of ТК РФ ст.112 for 2024–2027, the transfers and the pre-holiday days", () => {
    for (const y of [2024, 2025, 2026, 2027])
      for (const md of ["01-01", "01-02", "01-03", "01-04", "01-05", "01-06", "01-07", "01-08", "02-23", "03-08"])
        expect(kind(`${y}-${md}`), `${y}-${md}`).to.equal("Holiday");
    for (const y of [2024, 2025, 2026, 2027])
      for (const md of ["05-01", "05-09", "06-12", "11-04"])
        expect(kind(`${y}-${md}`), `${y}-${md}`).to.equal("Holiday");
    // 2024's six-day weeks (ПП №1314): Saturday 27.04 worked for Monday 29.04; 28.12 for 30.12
    expect([kind("2024-04-27"), kind("2024-04-29"), kind("2024-12-28"), kind("2024-12-30")]).to.deep.equal([
      "Working",
      "Holiday",
      "Working",
      "Holiday",
    ]);
    // 2026: 9 January and 31 December off; 8 March on a Sunday moves to Monday 9 March (ст.112 ч.2)
    expect([kind("2026-01-09"), kind("2026-12-31"), kind("2026-03-09")]).to.deep.equal([
      "Holiday",
      "Holiday",
      "Holiday",
    ]);
    // ст.95: the working day right before a holiday; not a Friday before a holiday falling on Monday
    expect([kind("2024-02-22"), kind("2024-03-07"), kind("2026-05-08")]).to.deep.equal([
      "Shortened",
      "Shortened",
      "Shortened",
    ]);
    expect(kind("2024-11-01")).to.equal(undefined); // 4.11.2024 is a Monday: the day before is a Sunday
    expect(new Set(records.map((r) => r.Day)).size).to.equal(records.length);
  });

  it("a working-time deadline skips the New Year holidays and counts a pre-holiday day an hour shorter", () => {
    const calendar = dayCalendarOf(records);
    // Tuesday 30.12.2025 10:00: 7 hours that day; 31.12 and 1–11.01.2026 off; from Monday 12.01 08:00
    expect(requestDeadlines("2025-12-30T10:00:00", PLANNED, calendar)).to.deep.equal({
      response: "2026-01-12T09:00:00",
      completion: "2026-01-15T14:00:00",
    });
    // without the calendar the holidays count as working days
    expect(requestDeadlines("2025-12-30T10:00:00", PLANNED).response).to.equal("2025-12-31T09:00:00");
    // Friday 08.05.2026 15:00, a pre-holiday day ending at 16:00: 1 hour; 9–11.05 off; 7 hours on 12.05
    expect(requestDeadlines("2026-05-08T15:00:00", PLANNED, calendar).response).to.equal("2026-05-12T15:00:00");
    // a working Saturday counts: Friday 27.12.2024 16:00 → 1 hour, then 7 hours of Saturday 28.12
    expect(requestDeadlines("2024-12-27T16:00:00", PLANNED, calendar).response).to.equal("2024-12-28T15:00:00");
  });

  describe("the document, with the register as the demo ships it", function () {
    let p: Platform;
    let planned: string;
    let account: string;
    before(async () => {
      p = await testPlatform(join(ROOT, "metadata"), "reqholidays");
      await loadInitialData(p, 1);
      planned = (await p.db.owner.query("SELECT id FROM cat_request_types WHERE name = 'Замена лампы в подъезде'"))
        .rows[0].id;
      account = (await p.db.owner.query("SELECT id FROM cat_personal_accounts ORDER BY code LIMIT 1")).rows[0].id;
    });
    after(async () => p?.close());

    const write = (receivedAt: string) =>
      inArea(p, (ctx) =>
        docs.createDocument(ctx, "ServiceRequest", {
          date: receivedAt,
          ReceivedAt: receivedAt,
          Account: account,
          RequestType: planned,
          Description: "Заменить лампу на 2 этаже",
        }),
      );

    it("the register holds the shipped calendar", async () => {
      const n = (await p.db.owner.query("SELECT count(*)::int n FROM inf_holidays")).rows[0].n;
      expect(n).to.equal(records.length);
    });

    it("a planned request received before the New Year holidays gets its deadline after them", async () => {
      const d = await write("2025-12-30T10:00:00");
      expect([d.ResponseDeadline, d.Deadline]).to.deep.equal(["2026-01-12T09:00:00", "2026-01-15T14:00:00"]);
    });

    it("a request received on a pre-holiday day counts it an hour shorter, and the moved day off", async () => {
      const d = await write("2026-05-08T15:00:00");
      expect(d.ResponseDeadline).to.equal("2026-05-12T15:00:00");
    });
  });
});
