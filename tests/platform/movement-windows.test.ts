// A register's movements over a period are read month by month until the page is full
// (server/registers/movements.ts): the windows cover the period exactly once, each month's upper
// bound excluded and the caller's `to` included.
import { expect } from "chai";
import { periodWindows, WINDOW_MONTHS } from "../../server/registers/movements.ts";

describe("registers: the windows a movements page is read in", () => {
  it("the rest of the first month, whole months, then up to `to` included", () => {
    expect(periodWindows("2011-01-15", "2011-03-10T12:00:00")).to.deep.equal([
      { lo: "2011-01-15", hi: "2011-02-01T00:00:00", last: false },
      { lo: "2011-02-01T00:00:00", hi: "2011-03-01T00:00:00", last: false },
      { lo: "2011-03-01T00:00:00", hi: "2011-03-10T12:00:00", last: true },
    ]);
  });

  it("one window within a month, across a year end, and for text that is not a date", () => {
    expect(periodWindows("2011-11-01", "2011-11-30T23:59:59")).to.deep.equal([
      { lo: "2011-11-01", hi: "2011-11-30T23:59:59", last: true },
    ]);
    expect(periodWindows("2011-12-20T10:00:00", "2012-01-05").map((w) => w.hi)).to.deep.equal([
      "2012-01-01T00:00:00",
      "2012-01-05",
    ]);
    expect(periodWindows("x", "2012-01-05")).to.deep.equal([{ lo: "x", hi: "2012-01-05", last: true }]);
  });

  it(`at most ${WINDOW_MONTHS} month windows: the rest of a long range is one`, () => {
    const w = periodWindows("2010-01-01", "2014-12-31T23:59:59");
    expect(w).to.have.length(WINDOW_MONTHS + 1);
    expect(w.at(-1)).to.deep.equal({ lo: "2012-01-01T00:00:00", hi: "2014-12-31T23:59:59", last: true });
    for (let i = 1; i < w.length; i++) expect(w[i].lo).to.equal(w[i - 1].hi);
  });
});
