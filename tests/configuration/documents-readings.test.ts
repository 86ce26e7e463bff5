// The meter-readings documents against a real database: initial readings (posting, fill, the
// meter's kind and owner), the monthly readings (posting, fill with previous readings in bulk,
// the 25th rule, a cumulative meter never going down, a cyclic one rolling over, a meter of
// another account), and the consumption they compute.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import { queryApi } from "../../server/documents/context.ts";
import { codeView } from "../../server/documents/post.ts";
import MeterReadingsModule, { consumption } from "../../metadata/documents/MeterReadings.ts";
import {
  openZhkh,
  seedCatalogs,
  doc,
  post,
  getDoc,
  fill,
  movements,
  read,
  rejects,
  item,
  inArea,
  txt,
  type Seed,
  type Row,
} from "./documents-fixtures.ts";

describe("configuration: meter readings", function () {
  let p: Platform;
  let s: Seed;

  before(async () => {
    p = await openZhkh("zmr");
    s = await seedCatalogs(p);
  });
  after(() => p?.close());

  const lastReading = async (meter: string, at: string) => {
    const [r] = await read(p, (api) => api.info.MeterReadings.sliceLast(at, { Meter: meter }));
    return r ? [r.period, txt(r.Reading)] : null;
  };

  describe("InitialMeterReadings", () => {
    it("the seed's initial readings of 00000000004 (ХВС 5510,0000, ГВС 12,0000 on 01.11.2011) go to the register", async () => {
      const acc4 = s.accounts[3];
      const d = await doc(p, "InitialMeterReadings", {
        date: "2011-11-01T12:27:38",
        Individual: [
          { Account: acc4, Meter: s.meters.cold4, Reading: "5510.0000", ReadingDate: "2011-11-01" },
          { Account: acc4, Meter: s.meters.hot4, Reading: "12.0000", ReadingDate: "2011-11-01" },
        ],
      });
      const rows = await movements(p, "InitialMeterReadings", d.id, "MeterReadings");
      expect(rows.map((r) => [r.period, r.Meter, txt(r.Reading)])).to.deep.equal([
        ["2011-11-01", s.meters.cold4, "5510.0000"],
        ["2011-11-01", s.meters.hot4, "12.0000"],
      ]);
      expect(await lastReading(s.meters.cold4, "2011-11-30")).to.deep.equal(["2011-11-01", "5510.0000"]);
      expect(await lastReading(s.meters.hot4, "2011-10-31")).to.equal(null);
    });

    it("fill: every meter of the tab's kind with no reading yet, with its account or building and the document's date", async () => {
      const ind = await fill(p, "InitialMeterReadings", "Individual", { date: "2011-11-02T09:00:00" });
      expect(ind.map((r) => [r.Account, r.Meter, r.Reading, r.ReadingDate])).to.deep.equal([
        [s.accounts[0], s.meters.cold1, null, "2011-11-02"],
        [s.accounts[1], s.meters.cyclic2, null, "2011-11-02"],
      ]);
      const col = await fill(p, "InitialMeterReadings", "Collective", { date: "2011-11-02T09:00:00" });
      expect(col.map((r) => [r.Building, r.Meter, r.ReadingDate])).to.deep.equal([
        [s.building, s.meters.house, "2011-11-02"],
        [s.building2, s.meters.house2, "2011-11-02"],
      ]);
    });

    it("refuses a meter of another account or building, or of the other tab's kind, naming the row and field Meter", async () => {
      const at = "2011-10-31";
      const cases: [Row, string][] = [
        [
          {
            Individual: [
              { Account: s.accounts[0], Meter: s.meters.cold1, Reading: "1", ReadingDate: at },
              { Account: s.accounts[0], Meter: s.meters.cold4, Reading: "1", ReadingDate: at },
            ],
          },
          "Individual[2].Meter",
        ],
        [
          { Individual: [{ Account: s.accounts[0], Meter: s.meters.house, Reading: "1", ReadingDate: at }] },
          "Individual[1].Meter",
        ],
        [
          { Collective: [{ Building: s.building, Meter: s.meters.cold1, Reading: "1", ReadingDate: at }] },
          "Collective[1].Meter",
        ],
        [
          { Collective: [{ Building: s.building, Meter: s.meters.house2, Reading: "1", ReadingDate: at }] },
          "Collective[1].Meter",
        ],
      ];
      for (const [body, field] of cases)
        expect(
          (await rejects(doc(p, "InitialMeterReadings", { date: "2011-11-02T09:00:00", ...body }))).field,
        ).to.equal(field);
      expect(await lastReading(s.meters.cold1, "2011-12-31")).to.equal(null);
    });

    it("refuses a negative reading and one that does not fit a cyclic meter's digits (field Reading)", async () => {
      const neg = await rejects(
        doc(p, "InitialMeterReadings", {
          Individual: [{ Account: s.accounts[0], Meter: s.meters.cold1, Reading: "-1", ReadingDate: "2011-10-31" }],
        }),
      );
      expect(neg.field).to.equal("Individual[1].Reading");
      const big = await rejects(
        doc(p, "InitialMeterReadings", {
          Individual: [
            { Account: s.accounts[1], Meter: s.meters.cyclic2, Reading: "10000", ReadingDate: "2011-10-31" },
          ],
        }),
      );
      expect(big.field).to.equal("Individual[1].Reading");
      expect(big.message).to.contain("4 разрядов");
    });

    it("posts both tabs; a row without a reading is skipped", async () => {
      const d = await doc(p, "InitialMeterReadings", {
        date: "2011-11-01T13:00:00",
        Individual: [
          { Account: s.accounts[0], Meter: s.meters.cold1, Reading: "100.0000", ReadingDate: "2011-10-31" },
          { Account: s.accounts[1], Meter: s.meters.cyclic2, Reading: "9990.0000", ReadingDate: "2011-10-31" },
        ],
        Collective: [
          { Building: s.building, Meter: s.meters.house, Reading: "1000.0000", ReadingDate: "2011-10-31" },
          { Building: s.building2, Meter: s.meters.house2, ReadingDate: "2011-10-31" },
        ],
      });
      const rows = await movements(p, "InitialMeterReadings", d.id, "MeterReadings");
      expect(rows.map((r) => r.Meter)).to.deep.equal([s.meters.cold1, s.meters.cyclic2, s.meters.house]);
      expect(await fill(p, "InitialMeterReadings", "Collective", { date: "2011-11-02T09:00:00" })).to.have.length(1);
    });
  });

  describe("MeterReadings", () => {
    let november: string;

    it("fill: the building's meters (accounts' then the house's) with the last reading before the 25th as previous", async () => {
      const rows = await fill(p, "MeterReadings", "Readings", {
        date: "2011-11-25T18:00:00",
        Month: "2011-11-01",
        Building: s.building,
      });
      expect(rows.map((r) => [r.Account, r.Meter, r.PreviousReading, r.Reading, r.Consumption])).to.deep.equal([
        [s.accounts[0], s.meters.cold1, "100.0000", null, null],
        [s.accounts[1], s.meters.cyclic2, "9990.0000", null, null],
        [s.accounts[3], s.meters.cold4, "5510.0000", null, null],
        [s.accounts[3], s.meters.hot4, "12.0000", null, null],
        [null, s.meters.house, "1000.0000", null, null],
      ]);
      const all = await fill(p, "MeterReadings", "Readings", { Month: "2011-11-01" });
      expect(all.map((r) => r.Meter))
        .to.include.members([s.meters.house, s.meters.house2])
        .and.have.length(6);
      expect(all.find((r) => r.Meter === s.meters.house2)!.PreviousReading).to.equal(null);
      expect((await rejects(fill(p, "MeterReadings", "Readings", {}))).field).to.equal("Month");
    });

    it("posts the month's readings on the 25th when no date is given; a cyclic meter rolls over", async () => {
      const d = await doc(p, "MeterReadings", {
        date: "2011-11-25T18:00:00",
        Month: "2011-11-10",
        Building: s.building,
        Readings: [
          { Account: s.accounts[0], Meter: s.meters.cold1, PreviousReading: "100.0000", Reading: "143.4205" },
          { Account: s.accounts[1], Meter: s.meters.cyclic2, PreviousReading: "9990.0000", Reading: "15.0000" },
          { Account: s.accounts[3], Meter: s.meters.cold4, PreviousReading: "5510.0000", Reading: "5530.0000" },
          {
            Account: s.accounts[3],
            Meter: s.meters.hot4,
            PreviousReading: "12.0000",
            Reading: "32.0000",
            ReadingDate: "2011-11-20",
          },
          { Meter: s.meters.house, PreviousReading: "1000.0000" },
          { Meter: s.meters.house2, Reading: "50.0000" },
        ],
      });
      november = d.id;
      const rows = await movements(p, "MeterReadings", d.id, "MeterReadings");
      expect(rows.map((r) => [r.period, r.Meter, txt(r.Reading)])).to.deep.equal([
        ["2011-11-25", s.meters.cold1, "143.4205"],
        ["2011-11-25", s.meters.cyclic2, "15.0000"],
        ["2011-11-25", s.meters.cold4, "5530.0000"],
        ["2011-11-20", s.meters.hot4, "32.0000"],
        ["2011-11-25", s.meters.house2, "50.0000"],
      ]);
      // reposting finds the same previous readings (its own records are not "previous")
      await post(p, "MeterReadings", d.id);
      expect(await movements(p, "MeterReadings", d.id, "MeterReadings")).to.have.length(5);
    });

    it("consumption: current − previous, + 10^N when a cyclic meter of capacity N rolls over, none below on other meters", async () => {
      expect(
        consumption(new Decimal("9990"), new Decimal("15"), { rollsOver: true, capacity: 4 })!.toFixed(4),
      ).to.equal("25.0000");
      expect(
        consumption(new Decimal("100"), new Decimal("143.4205"), { rollsOver: false, capacity: 5 })!.toFixed(4),
      ).to.equal("43.4205");
      expect(consumption(new Decimal("12"), new Decimal("11"), { rollsOver: false, capacity: 0 })).to.equal(null);
      // beforeWrite fills each row's Consumption from its PreviousReading and Reading
      const stored = await getDoc(p, "MeterReadings", november);
      const m = p.conf.documents.get("MeterReadings")!;
      const view = codeView(m, stored);
      type CheckCtx = Parameters<NonNullable<typeof MeterReadingsModule.beforeWrite>>[0];
      await inArea(p, async (ctx) =>
        MeterReadingsModule.beforeWrite!({ ...queryApi(ctx), doc: view, isNew: false } as unknown as CheckCtx),
      );
      expect(view.Readings.map((r: Row) => txt(r.Consumption))).to.deep.equal([
        "43.4205",
        "25.0000",
        "20.0000",
        "20.0000",
        null,
        null,
      ]);
    });

    it("refuses a reading below the previous on a cumulative meter, naming the row and field Reading; nothing is written", async () => {
      const e = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [
            { Account: s.accounts[0], Meter: s.meters.cold1, Reading: "150.0000" },
            { Account: s.accounts[3], Meter: s.meters.cold4, Reading: "5520.0000", ReadingDate: "2011-12-10" },
          ],
        }),
      );
      expect(e.field).to.equal("Readings[2].Reading");
      expect(e.message).to.contain("меньше предыдущего 5530,0000 от 25.11.2011");
      expect(await lastReading(s.meters.cold1, "2011-12-31")).to.deep.equal(["2011-11-25", "143.4205"]);
    });

    it("a cyclic meter without a digit capacity (the seed's ГВС) cannot roll over: refused, saying to set the capacity", async () => {
      const e = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [{ Account: s.accounts[3], Meter: s.meters.hot4, Reading: "5.0000" }],
        }),
      );
      expect(e.field).to.equal("Readings[1].Reading");
      expect(e.message).to.contain("разрядность");
    });

    it("refuses a meter of another account, or a house meter on an account's row (field Meter)", async () => {
      const other = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [
            { Account: s.accounts[0], Meter: s.meters.cold1, Reading: "150" },
            { Account: s.accounts[0], Meter: s.meters.cold4, Reading: "5600" },
          ],
        }),
      );
      expect(other.field).to.equal("Readings[2].Meter");
      expect(other.message).to.contain("другому лицевому счету");
      const house = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [{ Account: s.accounts[0], Meter: s.meters.house, Reading: "1200" }],
        }),
      );
      expect(house.field).to.equal("Readings[1].Meter");
    });

    it("refuses the same meter twice and a negative reading", async () => {
      const twice = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [
            { Meter: s.meters.cold1, Reading: "150" },
            { Meter: s.meters.cold1, Reading: "151", ReadingDate: "2011-12-05" },
          ],
        }),
      );
      expect(twice.field).to.equal("Readings[2].Meter");
      const neg = await rejects(
        doc(p, "MeterReadings", { Month: "2011-12-01", Readings: [{ Meter: s.meters.house, Reading: "-5" }] }),
      );
      expect(neg.field).to.equal("Readings[1].Reading");
    });

    it("the 25th rule: after the 25th goes to the next month's document, up to the previous 25th to that month's", async () => {
      const late = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [{ Meter: s.meters.cold1, Reading: "150", ReadingDate: "2011-12-26" }],
        }),
      );
      expect(late.field).to.equal("Readings[1].ReadingDate");
      expect(late.message).to.contain("до 25.12.2011").and.contain("январь 2012");
      const early = await rejects(
        doc(p, "MeterReadings", {
          Month: "2011-12-01",
          Readings: [{ Meter: s.meters.cold1, Reading: "150", ReadingDate: "2011-11-25" }],
        }),
      );
      expect(early.field).to.equal("Readings[1].ReadingDate");
      expect(early.message).to.contain("ноябрь 2011");
      // the 26th of November already belongs to December
      const d = await doc(p, "MeterReadings", {
        Month: "2011-12-01",
        Readings: [{ Meter: s.meters.cold1, Reading: "150", ReadingDate: "2011-11-26" }],
      });
      expect((await movements(p, "MeterReadings", d.id, "MeterReadings"))[0].period).to.equal("2011-11-26");
    });

    it("many meters: previous readings are read in one slice; a fall on one of them is still refused", async () => {
      const acc5 = s.accounts[4];
      const meters: string[] = [];
      for (let i = 0; i < 35; i++)
        meters.push(
          (
            await item(p, "Meters", {
              name: `ХВС-${i}`,
              MeterType: s.types.cold,
              Service: s.services["ХВС"],
              Kind: "Individual",
              Account: acc5,
            })
          ).id,
        );
      await doc(p, "InitialMeterReadings", {
        date: "2011-11-01T15:00:00",
        Individual: meters.map((m, i) => ({
          Account: acc5,
          Meter: m,
          Reading: String(i * 10),
          ReadingDate: "2011-11-01",
        })),
      });
      const rows = await fill(p, "MeterReadings", "Readings", { Month: "2011-11-01", Building: s.building });
      expect(rows.filter((r) => r.Account === acc5).map((r) => r.PreviousReading)).to.deep.equal(
        meters.map((_, i) => new Decimal(i * 10).toFixed(4)),
      );
      const readings = meters.map((m, i) => ({ Account: acc5, Meter: m, Reading: String(i * 10 + 1) }));
      readings[30].Reading = "299";
      const e = await rejects(doc(p, "MeterReadings", { Month: "2011-11-01", Readings: readings }));
      expect(e.field).to.equal("Readings[31].Reading");
      readings[30].Reading = "301";
      const d = await doc(p, "MeterReadings", { Month: "2011-11-01", Readings: readings });
      expect(await movements(p, "MeterReadings", d.id, "MeterReadings")).to.have.length(35);
    });
  });
});
