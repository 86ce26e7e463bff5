// Deadlines of service requests (metadata/common/request-deadline.ts; docs/service-requests.md):
// calendar hours (emergencies, Правила 416 п.13: 30 minutes to localize, 2 hours for a sewer
// blockage) run through the night and the weekend; working hours (Mon–Fri 08:00–17:00 by default,
// or the type's own day) skip nights, weekends and listed holidays. Every expected moment is
// counted by hand in the comment beside it. 2026-12-04 is a Friday, 2026-12-05/06 the weekend.
import { expect } from "chai";
import {
  WORKING_TIME,
  addServiceHours,
  hoursBetween,
  isOverdue,
  isoWeekday,
  requestDeadlines,
  workingTimeOf,
} from "../../metadata/common/request-deadline.ts";

describe("configuration: service request deadlines (pure)", () => {
  it("knows the weekdays of the calendar used below", () => {
    expect([
      isoWeekday("2026-12-04"),
      isoWeekday("2026-12-05"),
      isoWeekday("2026-12-06"),
      isoWeekday("2026-12-07"),
    ]).to.deep.equal([5, 6, 7, 1]);
    expect(isoWeekday("2011-11-24")).to.equal(4); // a Thursday
  });

  describe("calendar hours (круглосуточно)", () => {
    it("Правила 416 п.13: 30 minutes from 23:45 is 00:15 of the next day", () => {
      expect(addServiceHours("2026-12-04T23:45:00", "0.5", null)).to.equal("2026-12-05T00:15:00");
    });
    it("24 hours (a lift) from Saturday 10:20 is Sunday 10:20: weekends count", () => {
      expect(addServiceHours("2026-12-05T10:20:00", 24, null)).to.equal("2026-12-06T10:20:00");
    });
    it("72 hours from 31.12 22:00 is 03.01 22:00 of the next year", () => {
      expect(addServiceHours("2026-12-31T22:00:00", 72, null)).to.equal("2027-01-03T22:00:00");
    });
    it("2 hours across the end of February in a leap year", () => {
      expect(addServiceHours("2024-02-29T23:00:00", 2, null)).to.equal("2024-03-01T01:00:00");
    });
    it("hundredths of an hour are 36 seconds; zero hours give the moment itself", () => {
      expect(addServiceHours("2026-12-04T10:00:00", "0.01", null)).to.equal("2026-12-04T10:00:36");
      expect(addServiceHours("2026-12-04T10:00:00", 0, null)).to.equal("2026-12-04T10:00:00");
    });
  });

  describe("working hours (Mon–Fri 08:00–17:00)", () => {
    const w = WORKING_TIME;
    it("within one day: Tuesday 09:30 + 4 h = 13:30", () => {
      expect(addServiceHours("2026-12-08T09:30:00", 4, w)).to.equal("2026-12-08T13:30:00");
    });
    it("across the night: Tuesday 15:00 + 4 h = 2 h on Tuesday (to 17:00) + 2 h on Wednesday = Wednesday 10:00", () => {
      expect(addServiceHours("2026-12-08T15:00:00", 4, w)).to.equal("2026-12-09T10:00:00");
    });
    it("received at night: Tuesday 22:10 + 1 h = Wednesday 09:00", () => {
      expect(addServiceHours("2026-12-08T22:10:00", 1, w)).to.equal("2026-12-09T09:00:00");
    });
    it("received before the day starts: Tuesday 06:00 + 0.5 h = 08:30", () => {
      expect(addServiceHours("2026-12-08T06:00:00", "0.5", w)).to.equal("2026-12-08T08:30:00");
    });
    it("across the weekend: Friday 16:00 + 8 h = 1 h on Friday + 7 h on Monday = Monday 15:00", () => {
      expect(addServiceHours("2026-12-04T16:00:00", 8, w)).to.equal("2026-12-07T15:00:00");
    });
    it("received on Saturday: + 8 h = Monday 16:00", () => {
      expect(addServiceHours("2026-12-05T10:00:00", 8, w)).to.equal("2026-12-07T16:00:00");
    });
    it("a deadline on the day's end stays on it: Tuesday 08:00 + 9 h = Tuesday 17:00, not Wednesday 08:00", () => {
      expect(addServiceHours("2026-12-08T08:00:00", 9, w)).to.equal("2026-12-08T17:00:00");
    });
    it("40 working hours (5 days) from Wednesday 12:00: 5 h + Thu 9 + Fri 9 + Mon 9 + Tue 8 h = Tuesday 16:00", () => {
      expect(addServiceHours("2026-12-09T12:00:00", 40, w)).to.equal("2026-12-15T16:00:00");
    });
    it("a listed holiday is skipped: Thursday 31.12 16:00 + 2 h with 01.01 a holiday = Monday 04.01 09:00", () => {
      // 31.12.2026 is a Thursday: 1 h to 17:00; Friday 01.01 a holiday; the weekend; Monday 08:00 + 1 h
      expect(addServiceHours("2026-12-31T16:00:00", 2, { ...w, holidays: new Set(["2027-01-01"]) })).to.equal(
        "2027-01-04T09:00:00",
      );
    });
    it("the type's own working day: 09:00–18:00, Friday 17:30 + 1 h = Monday 09:30", () => {
      const own = workingTimeOf({ WorkdayStart: 9, WorkdayEnd: 18 });
      expect([own.start, own.end]).to.deep.equal([540, 1080]);
      expect(addServiceHours("2026-12-04T17:30:00", 1, own)).to.equal("2026-12-07T09:30:00");
    });
    it("a day ending at 24:00 gives midnight of the next day, not 24:00", () => {
      const own = workingTimeOf({ WorkdayStart: 0, WorkdayEnd: 24 });
      expect(addServiceHours("2026-12-08T23:00:00", 1, own)).to.equal("2026-12-09T00:00:00");
    });
    it("refuses an empty working day and negative hours", () => {
      expect(() => workingTimeOf({ WorkdayStart: 17, WorkdayEnd: 8 })).to.throw(/empty/);
      expect(() => addServiceHours("2026-12-08T08:00:00", -1, w)).to.throw(/negative/);
    });
  });

  describe("a request type's deadlines", () => {
    it("an emergency (calendar): response 0.5 h and completion 2 h from Sunday 23:50", () => {
      expect(
        requestDeadlines("2026-12-06T23:50:00", {
          TimeMode: "Calendar",
          ResponseHours: "0.50",
          CompletionHours: "2.00",
        }),
      ).to.deep.equal({ response: "2026-12-07T00:20:00", completion: "2026-12-07T01:50:00" });
    });
    it("planned works (working): response 8 h and completion 40 h from Friday 16:00", () => {
      // response: 1 h Friday + 7 h Monday = Monday 15:00; completion: 1 + Mon 9 + Tue 9 + Wed 9 + Thu 9 = 37, + 3 h Fri = Friday 11.12 11:00
      expect(
        requestDeadlines("2026-12-04T16:00:00", { TimeMode: "Working", ResponseHours: 8, CompletionHours: 40 }),
      ).to.deep.equal({ response: "2026-12-07T15:00:00", completion: "2026-12-11T11:00:00" });
    });
    it("no hours in the type: no deadline", () => {
      expect(requestDeadlines("2026-12-04T16:00:00", { TimeMode: "Working" })).to.deep.equal({
        response: null,
        completion: null,
      });
    });
  });

  it("elapsed hours and overdue", () => {
    expect(hoursBetween("2026-12-04T23:45:00", "2026-12-05T01:15:00").toString()).to.equal("1.5");
    expect(isOverdue("2026-12-05T00:15:00", null, "2026-12-05T00:16:00")).to.equal(true);
    expect(isOverdue("2026-12-05T00:15:00", "2026-12-05T00:15:00", "2026-12-09T00:00:00")).to.equal(false);
    expect(isOverdue(null, null, "2026-12-09T00:00:00")).to.equal(false);
  });
});
