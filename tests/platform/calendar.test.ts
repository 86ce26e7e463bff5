// The platform's calendar module (server/calendar.ts): pure functions on date texts.
import { expect } from "chai";
import * as cal from "../../server/calendar.ts";
import * as api from "../../server/api.ts";

describe("calendar module", () => {
  it("month ends, February in leap and common years", () => {
    expect(cal.monthEnd("2024-02-01")).to.equal("2024-02-29");
    expect(cal.monthEnd("2023-02-14")).to.equal("2023-02-28");
    expect(cal.monthEnd("1900-02-01")).to.equal("1900-02-28");
    expect(cal.monthEnd("2000-02-01")).to.equal("2000-02-29");
    expect(cal.monthEnd("2024-04-30T12:00:00")).to.equal("2024-04-30");
    expect(cal.monthEnd("2024-12-05")).to.equal("2024-12-31");
    expect(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => cal.daysInMonth(`2023-${String(m).padStart(2, "0")}-01`)),
    ).to.deep.equal([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(cal.monthStart("2024-06-17T10:00:00")).to.equal("2024-06-01");
  });

  it("adds months across year boundaries, both ways", () => {
    expect(cal.addMonths("2024-12-01", 1)).to.equal("2025-01-01");
    expect(cal.addMonths("2024-01-31", -1)).to.equal("2023-12-01");
    expect(cal.addMonths("2024-03-15", -14)).to.equal("2023-01-01");
    expect(cal.addMonths("2024-03-01", 0)).to.equal("2024-03-01");
    expect(cal.addMonths("2024-05-01", 25)).to.equal("2026-06-01");
    expect(cal.addMonths("0001-01-01", 1)).to.equal("0001-02-01");
  });

  it("adds days across months, years and leap days; days between agrees", () => {
    expect(cal.addDays("2024-02-28", 1)).to.equal("2024-02-29");
    expect(cal.addDays("2023-02-28", 1)).to.equal("2023-03-01");
    expect(cal.addDays("2024-12-31", 1)).to.equal("2025-01-01");
    expect(cal.addDays("2025-01-01", -1)).to.equal("2024-12-31");
    expect(cal.addDays("2024-03-01", -1)).to.equal("2024-02-29");
    expect(cal.addDays("0099-12-31", 1)).to.equal("0100-01-01");
    expect(cal.daysBetween("2024-01-31", "2024-03-01")).to.equal(30);
    expect(cal.daysBetween("2023-01-31", "2023-03-01")).to.equal(29);
    expect(cal.daysBetween("2024-03-01", "2024-01-31")).to.equal(-30);
    expect(cal.daysBetween("2023-12-25", "2024-01-05")).to.equal(11);
    expect(cal.daysBetween("2024-01-01", "2025-01-01")).to.equal(366);
    // Around daylight-saving changes of any local zone nothing shifts: every day of 20 years.
    let d = "2015-01-01";
    for (let i = 0; i < 7305; i++) {
      const next = cal.addDays(d, 1);
      expect(cal.daysBetween(d, next)).to.equal(1);
      const ms = Date.UTC(+next.slice(0, 4), +next.slice(5, 7) - 1, +next.slice(8, 10));
      expect(new Date(ms).toISOString().slice(0, 10)).to.equal(next);
      d = next;
    }
  });

  it("moments: seconds, the moment before, period starts", () => {
    expect(cal.addSeconds("2024-12-31T23:59:59", 1)).to.equal("2025-01-01T00:00:00");
    expect(cal.addSeconds("2024-03-01T00:00:00", -1)).to.equal("2024-02-29T23:59:59");
    expect(cal.momentBefore("2024-03-01")).to.equal("2024-02-29T23:59:59");
    expect(cal.momentBefore("2024-06-10T12:00:00")).to.equal("2024-06-10T11:59:59");
    expect(cal.addSeconds("0001-01-01T00:00:00", 86400)).to.equal("0001-01-02T00:00:00");
    expect(cal.periodStart("2024-06-17T10:00:00", "day")).to.equal("2024-06-17");
    expect(cal.periodStart("2024-06-17T10:00:00", "month")).to.equal("2024-06-01");
    expect(cal.periodStart("2024-06-17T10:00:00", "year")).to.equal("2024-01-01");
    expect(cal.dayOf("2024-06-17T10:00:00")).to.equal(17);
  });

  it("parses real dates and moments, refuses the rest", () => {
    expect(cal.parseDate("2024-02-29")).to.equal("2024-02-29");
    expect(cal.parseDate(" 2024-02-29 ")).to.equal("2024-02-29");
    for (const bad of [
      "2023-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-04-31",
      "0000-01-01",
      "24-01-01",
      "2024-1-01",
      "01.02.2024",
      "",
      "2024-01-01T00:00:00",
      null,
      20240101,
    ])
      expect(cal.parseDate(bad), String(bad)).to.equal(null);
    expect(cal.isDate("2024-02-29")).to.equal(true);
    expect(cal.isDate("2023-02-29")).to.equal(false);
    expect(cal.parseMoment("2024-06-17")).to.equal("2024-06-17T00:00:00");
    expect(cal.parseMoment("2024-06-17 10:05")).to.equal("2024-06-17T10:05:00");
    expect(cal.parseMoment("2024-06-17T23:59:59")).to.equal("2024-06-17T23:59:59");
    for (const bad of ["2024-06-17T24:00:00", "2024-06-17T10:60", "2024-06-31T10:00:00", "2024-06-17T1:00", "x"])
      expect(cal.parseMoment(bad), bad).to.equal(null);
  });

  it("today is the local date, thisMonth its month, nowMoment a local moment", () => {
    const n = new Date();
    const p = (x: number) => String(x).padStart(2, "0");
    const local = `${n.getFullYear()}-${p(n.getMonth() + 1)}-${p(n.getDate())}`;
    expect(cal.today()).to.equal(local);
    expect(cal.thisMonth()).to.equal(local.slice(0, 8) + "01");
    expect(cal.nowMoment()).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(cal.nowMoment().slice(0, 10)).to.equal(cal.today());
  });

  it("is published to configurations through server/api.ts", () => {
    expect(api.addDays).to.equal(cal.addDays);
    expect(api.today).to.equal(cal.today);
    expect(api.monthEnd).to.equal(cal.monthEnd);
  });
});
