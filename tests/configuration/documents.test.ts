// The ЖКХ documents' posting and fill handlers against a real database (metadata/documents):
// service changes, tariffs, penalty settings, opening balances and recalculation. The readings
// documents have their own file (documents-readings.test.ts).
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
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
  accrue,
  txt,
  SEED_SERVICES,
  SEED_RATES,
  type Seed,
} from "./documents-fixtures.ts";

describe("configuration: documents", function () {
  let p: Platform;
  let s: Seed;

  before(async () => {
    p = await openZhkh("zdoc");
    s = await seedCatalogs(p);
  });
  after(() => p?.close());

  const kindOf = (name: string) =>
    SEED_SERVICES.find((x) => x[0] === name)![2] === "hot" ? s.kinds.hot : s.kinds.main;

  describe("TariffChange and AccountServiceChange", () => {
    let seedTariffs: string;

    it("TariffChange: the seed's tariffs go to the Tariffs register from the document's day", async () => {
      const d = await doc(p, "TariffChange", {
        date: "2011-11-01T10:16:27",
        Tariffs: Object.entries(SEED_RATES).map(([name, [rate, over]]) => ({
          Service: s.services[name],
          TariffKind: kindOf(name),
          Rate: rate,
          RateOverNorm: over,
        })),
      });
      seedTariffs = d.id;
      const rows = await movements(p, "TariffChange", d.id, "Tariffs");
      expect(rows).to.have.length(6);
      expect(rows.map((r) => r.period)).to.deep.equal(Array(6).fill("2011-11-01"));
      const hot = rows.find((r) => r.Service === s.services["ГВС"])!;
      expect([hot.TariffKind, txt(hot.Rate), txt(hot.RateOverNorm)]).to.deep.equal([s.kinds.hot, "30.0000", "0.0000"]);
      const [maint] = await read(p, (api) =>
        api.info.Tariffs.sliceLast("2011-11-30", {
          Service: s.services["Тех. обслуживание"],
          TariffKind: s.kinds.main,
        }),
      );
      expect([txt(maint.Rate), txt(maint.RateOverNorm)]).to.deep.equal(["2.5000", "5.0000"]);
      // nothing in force the day before
      expect(await read(p, (api) => api.info.Tariffs.sliceLast("2011-10-31"))).to.have.length(0);
    });

    it("TariffChange: a row with both rates empty is refused naming the row; nothing is written", async () => {
      const e = await rejects(
        doc(p, "TariffChange", {
          date: "2011-11-20T09:00:00",
          Tariffs: [
            { Service: s.services["ХВС"], TariffKind: s.kinds.main, Rate: "21.0000" },
            { Service: s.services["ГВС"], TariffKind: s.kinds.hot },
          ],
        }),
      );
      expect(e.field).to.equal("Tariffs[2].Rate");
      expect(e.message).to.contain("Строка 2");
      const [cold] = await read(p, (api) =>
        api.info.Tariffs.sliceLast("2011-11-30", { Service: s.services["ХВС"], TariffKind: s.kinds.main }),
      );
      expect(txt(cold.Rate)).to.equal("20.0000");
    });

    it("TariffChange: a repeated service and kind, and a negative rate, are refused naming the row", async () => {
      const dup = await rejects(
        doc(p, "TariffChange", {
          date: "2011-11-21T09:00:00",
          Tariffs: [
            { Service: s.services["ХВС"], TariffKind: s.kinds.main, Rate: "21.0000" },
            { Service: s.services["ХВС"], TariffKind: s.kinds.main, Rate: "22.0000" },
          ],
        }),
      );
      expect(dup.field).to.equal("Tariffs[2].Service");
      const neg = await rejects(
        doc(p, "TariffChange", {
          date: "2011-11-21T09:00:00",
          Tariffs: [{ Service: s.services["ХВС"], TariffKind: s.kinds.main, Rate: "-1.0000" }],
        }),
      );
      expect(neg.field).to.equal("Tariffs[1].Rate");
    });

    it("TariffChange: an empty cell keeps the value in force the day before", async () => {
      const d = await doc(p, "TariffChange", {
        date: "2011-12-01T08:00:00",
        Tariffs: [
          { Service: s.services["ХВС"], TariffKind: s.kinds.main, Rate: "22.0000" },
          { Service: s.services["Тех. обслуживание"], TariffKind: s.kinds.main, RateOverNorm: "6.0000" },
        ],
      });
      const rows = await movements(p, "TariffChange", d.id, "Tariffs");
      expect(rows.map((r) => [txt(r.Rate), txt(r.RateOverNorm)])).to.deep.equal([
        ["22.0000", "0.0000"],
        ["2.5000", "6.0000"],
      ]);
      const [nov] = await read(p, (api) =>
        api.info.Tariffs.sliceLast("2011-11-30", { Service: s.services["ХВС"], TariffKind: s.kinds.main }),
      );
      expect(txt(nov.Rate)).to.equal("20.0000");
    });

    it("AccountServiceChange: the seed's document for 00000000003 connects six services on 01.11.2011", async () => {
      const acc3 = s.accounts[2];
      const d = await doc(p, "AccountServiceChange", {
        date: "2011-11-01T10:35:37",
        Account: acc3,
        Services: SEED_SERVICES.map(([name]) => ({
          Account: acc3,
          Service: s.services[name],
          TariffKind: kindOf(name),
          ChangeDate: "2011-11-01",
          Status: "Connected",
        })),
      });
      const rows = await movements(p, "AccountServiceChange", d.id, "AccountServices");
      expect(rows).to.have.length(6);
      expect(rows.every((r) => r.period === "2011-11-01" && r.Account === acc3 && r.Status === "Connected")).to.equal(
        true,
      );
      const state = await read(p, (api) => api.info.AccountServices.sliceLast("2011-11-15", { Account: acc3 }));
      expect(state).to.have.length(6);
      expect(state.find((r) => r.Service === s.services["ГВС"])!.TariffKind).to.equal(s.kinds.hot);
      expect(state.find((r) => r.Service === s.services["Отопление"])!.TariffKind).to.equal(s.kinds.main);
      expect(
        await read(p, (api) => api.info.AccountServices.sliceLast("2011-10-31", { Account: acc3 })),
      ).to.have.length(0);
    });

    it("AccountServiceChange: a repeated account, service and date is refused naming the row", async () => {
      const row = {
        Account: s.accounts[0],
        Service: s.services["ХВС"],
        TariffKind: s.kinds.main,
        ChangeDate: "2011-11-03",
        Status: "Connected",
      };
      const e = await rejects(
        doc(p, "AccountServiceChange", {
          date: "2011-11-03T09:00:00",
          Services: [row, { ...row, Status: "Disconnected" }],
        }),
      );
      expect(e.field).to.equal("Services[2].Service");
      expect(
        await read(p, (api) => api.info.AccountServices.sliceLast("2011-11-30", { Account: s.accounts[0] })),
      ).to.have.length(0);
    });

    it("AccountServiceChange fill: every service with the account's state; never-connected ones Disconnected", async () => {
      const acc3 = s.accounts[2];
      // A service rated only under the ГВС kind, and one with no rate at all.
      const towel = (await item(p, "Services", { name: "Полотенцесушитель", CalculationMethod: "ByTotalArea" })).id;
      const intercom = (await item(p, "Services", { name: "Домофон", CalculationMethod: "Fixed" })).id;
      await doc(p, "TariffChange", {
        date: "2011-11-06T09:00:00",
        Tariffs: [{ Service: towel, TariffKind: s.kinds.hot, Rate: "3.0000", RateOverNorm: "0" }],
      });
      // 00000000003 disconnects Вывоз мусора on 10.11.2011
      await doc(p, "AccountServiceChange", {
        date: "2011-11-10T09:00:00",
        Services: [
          {
            Account: acc3,
            Service: s.services["Вывоз мусора"],
            TariffKind: s.kinds.main,
            ChangeDate: "2011-11-10",
            Status: "Disconnected",
          },
        ],
      });
      const rows = await fill(p, "AccountServiceChange", "Services", { date: "2011-11-15T12:00:00", Account: acc3 });
      expect(rows.map((r) => r.Service)).to.deep.equal([...SEED_SERVICES.map(([n]) => s.services[n]), towel, intercom]);
      expect(rows.every((r) => r.Account === acc3 && r.ChangeDate === "2011-11-15")).to.equal(true);
      const by = (id: string) => rows.find((r) => r.Service === id)!;
      expect([by(s.services["ГВС"]).TariffKind, by(s.services["ГВС"]).Status]).to.deep.equal([
        s.kinds.hot,
        "Connected",
      ]);
      expect([by(s.services["ХВС"]).TariffKind, by(s.services["ХВС"]).Status]).to.deep.equal([
        s.kinds.main,
        "Connected",
      ]);
      expect(by(s.services["Вывоз мусора"]).Status).to.equal("Disconnected");
      expect([by(towel).TariffKind, by(towel).Status]).to.deep.equal([s.kinds.hot, "Disconnected"]);
      expect([by(intercom).TariffKind, by(intercom).Status]).to.deep.equal([s.kinds.main, "Disconnected"]);
      // before the seed's change nothing is connected
      const earlier = await fill(p, "AccountServiceChange", "Services", { date: "2011-10-15T12:00:00", Account: acc3 });
      expect(earlier.every((r) => r.Status === "Disconnected")).to.equal(true);
    });

    it("AccountServiceChange fill needs the header's account", async () => {
      const e = await rejects(fill(p, "AccountServiceChange", "Services", { date: "2011-11-15T12:00:00" }));
      expect(e.field).to.equal("Account");
    });

    it("TariffChange fill: every rated pair with its rate, plus connected pairs that have none", async () => {
      const intercom = (await read(p, (api) => api.query("catalog", "Services", { name: "Домофон" })))[0].id;
      const towel = (await read(p, (api) => api.query("catalog", "Services", { name: "Полотенцесушитель" })))[0].id;
      await doc(p, "AccountServiceChange", {
        date: "2011-11-12T09:00:00",
        Services: [
          {
            Account: s.accounts[0],
            Service: intercom,
            TariffKind: s.kinds.main,
            ChangeDate: "2011-11-12",
            Status: "Connected",
          },
        ],
      });
      const rows = await fill(p, "TariffChange", "Tariffs", { date: "2011-11-15T09:00:00" });
      expect(rows.map((r) => r.Service)).to.deep.equal([...SEED_SERVICES.map(([n]) => s.services[n]), towel, intercom]);
      const by = (id: string) => rows.find((r) => r.Service === id)!;
      for (const [name, [rate, over]] of Object.entries(SEED_RATES)) {
        const r = by(s.services[name]);
        expect([r.TariffKind, r.Rate, r.RateOverNorm], name).to.deep.equal([kindOf(name), rate, over]);
      }
      expect([by(towel).TariffKind, by(towel).Rate]).to.deep.equal([s.kinds.hot, "3.0000"]);
      expect([by(intercom).TariffKind, by(intercom).Rate, by(intercom).RateOverNorm]).to.deep.equal([
        s.kinds.main,
        null,
        null,
      ]);
      // in December the cold-water rate is the new one
      const dec = await fill(p, "TariffChange", "Tariffs", { date: "2011-12-05T09:00:00" });
      expect(dec.find((r) => r.Service === s.services["ХВС"])!.Rate).to.equal("22.0000");
      expect(seedTariffs).to.be.a("string");
    });
  });

  describe("PenaltySettings", () => {
    it("the seed's settings: January 2012, due day 10, a fixed daily rate of 0,0344 from 01.01.2012", async () => {
      const d = await doc(p, "PenaltySettings", {
        date: "2012-01-01T00:00:00",
        Month: "2012-01-17",
        ChangeDueDay: true,
        DueDay: 10,
        ChangeRate: true,
        Rate: "0.0344",
        RateDate: "2012-01-01",
      });
      const rows = await movements(p, "PenaltySettings", d.id, "PenaltySettings");
      expect(rows).to.have.length(1);
      expect([rows[0].period, txt(rows[0].DueDay, 0), rows[0].Mode, txt(rows[0].Rate), rows[0].RateDate]).to.deep.equal(
        ["2012-01-01", "10", "FixedDailyRate", "0.0344", "2012-01-01"],
      );
    });

    it("only what the document changes: the rest is carried over from the previous settings", async () => {
      const d = await doc(p, "PenaltySettings", {
        date: "2012-03-01T00:00:00",
        Month: "2012-03-15",
        ChangeDueDay: true,
        DueDay: 15,
        Rate: "9.9999",
      });
      const [r] = await movements(p, "PenaltySettings", d.id, "PenaltySettings");
      expect([r.period, txt(r.DueDay, 0), r.Mode, txt(r.Rate)]).to.deep.equal([
        "2012-03-01",
        "15",
        "FixedDailyRate",
        "0.0344",
      ]);
      const d2 = await doc(p, "PenaltySettings", {
        date: "2012-05-01T00:00:00",
        Month: "2012-05-01",
        ChangeRate: true,
      });
      const [r2] = await movements(p, "PenaltySettings", d2.id, "PenaltySettings");
      expect([txt(r2.DueDay, 0), r2.Mode, r2.Rate, r2.RateDate]).to.deep.equal(["15", "Statutory", null, "2012-05-01"]);
      const [inApril] = await read(p, (api) => api.info.PenaltySettings.sliceLast("2012-04-30"));
      expect(txt(inApril.DueDay, 0)).to.equal("15");
    });

    it("with no earlier settings the due day is 10", async () => {
      const d = await doc(p, "PenaltySettings", {
        date: "2011-06-01T00:00:00",
        Month: "2011-06-01",
        ChangeRate: true,
        Mode: "Statutory",
      });
      const [r] = await movements(p, "PenaltySettings", d.id, "PenaltySettings");
      expect([txt(r.DueDay, 0), r.Mode]).to.deep.equal(["10", "Statutory"]);
    });

    it("refuses a document that changes nothing, a due day of 32 and a fixed rate without a rate", async () => {
      expect((await rejects(doc(p, "PenaltySettings", { Month: "2012-07-01" }))).field).to.equal("ChangeDueDay");
      expect(
        (await rejects(doc(p, "PenaltySettings", { Month: "2012-07-01", ChangeDueDay: true, DueDay: 32 }))).field,
      ).to.equal("DueDay");
      expect(
        (await rejects(doc(p, "PenaltySettings", { Month: "2012-07-01", ChangeRate: true, Mode: "FixedDailyRate" })))
          .field,
      ).to.equal("Rate");
      const [july] = await read(p, (api) => api.info.PenaltySettings.sliceLast("2012-07-31"));
      expect(july.period).to.equal("2012-05-01");
    });
  });

  describe("OpeningBalances", () => {
    it("debts are Settlements receipts at the document's date on the month of debt; penalties Penalties receipts", async () => {
      const acc1 = s.accounts[0];
      const d = await doc(p, "OpeningBalances", {
        date: "2011-10-31T23:00:00",
        Debts: [
          { Account: acc1, Service: s.services["Тех. обслуживание"], DebtPeriod: "2011-09-15", Amount: "147.50" },
          { Account: acc1, Service: s.services["Отопление"], DebtPeriod: "2011-09-01", Amount: "850.00" },
          { Account: acc1, Service: s.services["ХВС"], DebtPeriod: "2011-10-31", Amount: "460.00" },
          { Account: acc1, Service: s.services["ГВС"], DebtPeriod: "2011-10-01", Amount: "300.00" },
          { Account: acc1, Service: s.services["Водоотведение"], DebtPeriod: "2011-10-01", Amount: "288.14" },
          { Account: s.accounts[1], Service: s.services["ХВС"], DebtPeriod: "2011-10-01", Amount: "-100.00" },
        ],
        Penalties: [{ Account: acc1, Amount: "192.64" }],
      });
      const set = await movements(p, "OpeningBalances", d.id, "Settlements");
      expect(set.map((r) => [r.recordKind, r.period, r.DebtPeriod, r.Amount])).to.deep.equal([
        ["receipt", "2011-10-31T23:00:00", "2011-09-01", "147.50"],
        ["receipt", "2011-10-31T23:00:00", "2011-09-01", "850.00"],
        ["receipt", "2011-10-31T23:00:00", "2011-10-01", "460.00"],
        ["receipt", "2011-10-31T23:00:00", "2011-10-01", "300.00"],
        ["receipt", "2011-10-31T23:00:00", "2011-10-01", "288.14"],
        ["receipt", "2011-10-31T23:00:00", "2011-10-01", "-100.00"],
      ]);
      const debt = await read(p, (api) => api.registers.Settlements.balance("2011-11-01T00:00:00", { Account: acc1 }));
      expect(debt.reduce((sum, r) => sum.plus(r.Amount), new Decimal(0)).toFixed(2)).to.equal("2045.64");
      const advance = await read(p, (api) => api.registers.Settlements.balance(undefined, { Account: s.accounts[1] }));
      expect(advance.map((r) => r.Amount.toFixed(2))).to.deep.equal(["-100.00"]);
      const pen = await read(p, (api) => api.registers.Penalties.balance("2011-11-01T00:00:00", { Account: acc1 }));
      expect(pen[0].Amount.toFixed(2)).to.equal("192.64");
      expect(
        await read(p, (api) => api.registers.Penalties.balance("2011-10-31T22:59:59", { Account: acc1 })),
      ).to.have.length(0);
    });

    it("a zero row is refused naming it; the draft stays unposted with no movements", async () => {
      const d = await doc(
        p,
        "OpeningBalances",
        {
          date: "2011-10-31T23:30:00",
          Penalties: [
            { Account: s.accounts[2], Amount: "5.00" },
            { Account: s.accounts[2], Amount: "0" },
          ],
        },
        false,
      );
      const e = await rejects(post(p, "OpeningBalances", d.id));
      expect(e.field).to.equal("Penalties[2].Amount");
      expect((await getDoc(p, "OpeningBalances", d.id)).posted).to.equal(false);
      expect(await movements(p, "OpeningBalances", d.id, "Penalties")).to.have.length(0);
      const e2 = await rejects(
        doc(p, "OpeningBalances", {
          Debts: [{ Account: s.accounts[2], Service: s.services["ХВС"], DebtPeriod: "2011-10-01", Amount: "0.00" }],
        }),
      );
      expect(e2.field).to.equal("Debts[1].Amount");
    });
  });

  describe("Recalculation", () => {
    const acc = () => s.accounts[4];
    before(async () => {
      await accrue(p, "2011-11-01", [
        { Account: s.accounts[4], Service: s.services["Тех. обслуживание"], Amount: "147.50" },
        { Account: s.accounts[4], Service: s.services["Вывоз мусора"], Amount: "750.00" },
      ]);
    });

    it("by days absent: minus the month's accrual × days / days in month, to kopecks, in Accruals and Settlements", async () => {
      const d = await doc(p, "Recalculation", {
        date: "2011-12-02T10:00:00",
        Month: "2011-11-20",
        Account: acc(),
        Service: s.services["Тех. обслуживание"],
        DaysAbsent: 5,
        Reason: "Отсутствие с 10.11 по 14.11",
      });
      const [a] = await movements(p, "Recalculation", d.id, "Accruals");
      // 147.50 × 5 / 30 = 24.5833… → −24.58
      expect([a.period, a.Account, a.Service, a.Recalculation, a.Amount, a.Volume]).to.deep.equal([
        "2011-11-01T00:00:00",
        acc(),
        s.services["Тех. обслуживание"],
        "-24.58",
        "0.00",
        "0.0000",
      ]);
      expect(a.Explanation).to.contain("Отсутствие с 10.11 по 14.11").and.contain("147,50 × 5");
      const [st] = await movements(p, "Recalculation", d.id, "Settlements");
      expect([st.recordKind, st.period, st.DebtPeriod, st.Amount]).to.deep.equal([
        "receipt",
        "2011-11-01T00:00:00",
        "2011-11-01",
        "-24.58",
      ]);
      const turn = await read(p, (api) =>
        api.registers.Accruals.turnovers("2011-11-01", "2011-11-30", "none", {
          Account: acc(),
          Service: s.services["Тех. обслуживание"],
        }),
      );
      expect([turn[0].Amount.toFixed(2), turn[0].Recalculation.toFixed(2)]).to.deep.equal(["147.50", "-24.58"]);
    });

    it("rounds half up once: 750.00 × 1 / 30 = 25.00; an explicit amount is taken as is", async () => {
      const d = await doc(p, "Recalculation", {
        date: "2011-12-02T11:00:00",
        Month: "2011-11-01",
        Account: acc(),
        Service: s.services["Вывоз мусора"],
        DaysAbsent: 1,
      });
      expect((await movements(p, "Recalculation", d.id, "Accruals"))[0].Recalculation).to.equal("-25.00");
      const d2 = await doc(p, "Recalculation", {
        date: "2011-12-02T12:00:00",
        Month: "2011-11-01",
        Account: acc(),
        Service: s.services["ХВС"],
        Amount: "100.00",
        Reason: "Ошибка в показаниях",
      });
      const [a] = await movements(p, "Recalculation", d2.id, "Accruals");
      expect([a.Recalculation, a.Explanation]).to.deep.equal(["100.00", "Перерасчет: Ошибка в показаниях (100,00)"]);
      expect((await movements(p, "Recalculation", d2.id, "Settlements"))[0].Amount).to.equal("100.00");
    });

    it("refuses no amount nor days, days beyond the month, and days with nothing accrued", async () => {
      const base = { Month: "2011-11-01", Account: acc(), Service: s.services["Тех. обслуживание"] };
      expect((await rejects(doc(p, "Recalculation", base))).field).to.equal("Amount");
      expect((await rejects(doc(p, "Recalculation", { ...base, DaysAbsent: 31 }))).field).to.equal("DaysAbsent");
      const e = await rejects(doc(p, "Recalculation", { ...base, Service: s.services["Отопление"], DaysAbsent: 3 }));
      expect(e.field).to.equal("DaysAbsent");
      expect(e.message).to.contain("ничего не начислено");
    });
  });
});
