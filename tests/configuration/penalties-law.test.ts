// Penalties by the law, issue 15 §6 (DOMAIN.md §5, docs/penalties.md): capital repair (ЖК РФ
// ст.155 ч.14.1), the moratoria (ПП №424, ПП №497) as data with their excluded days in the court
// table, the cap on the key rate (ПП №474 and its extensions) for the days of its periods, and
// the fixed daily rate never above the statutory penalty (ч.14). Every figure is computed by hand
// in the comment beside it; each test names the rule it checks.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import {
  penaltyTable,
  accruePenalties,
  accountPenaltyTable,
  explainTable,
  MORATORIA,
  PENALTY_RULES,
  type PenaltyInput,
  type PenaltyTable,
} from "../../metadata/common/penalties.ts";
import { KEY_RATES, RATE_CAPS, rateOn } from "../../metadata/common/key-rates.ts";
import {
  openZhkh,
  seedWorld,
  account,
  charge,
  item,
  loadKeyRates,
  penaltySettings,
  withPostingContext,
  read,
  doc,
  rejects,
  penaltyBalance,
  type World,
} from "./payments-fixtures.ts";
import { deleteInfo, loadPenaltyRules, writeInfo } from "./penalties-fixtures.ts";

/** Rows as [from, to, days, fraction, rate, amount, excluded?]. */
const rows = (t: PenaltyTable) =>
  t.rows.map((r) => [r.from, r.to, r.days, r.fraction, r.rate.toString(), r.amount.toFixed(2), r.excluded ?? ""]);
const one = (o: Partial<PenaltyInput> & { month?: string; due?: string; amount?: string; capitalRepair?: boolean }) =>
  penaltyTable({
    debts: [
      {
        debtMonth: o.month ?? "2024-01-01",
        dueDate: o.due ?? "2024-02-10",
        amount: o.amount ?? "1000.00",
        capitalRepair: o.capitalRepair,
      },
    ],
    calcDate: "2024-06-30",
    keyRates: KEY_RATES,
    ...o,
  });
const PP424 = "ПП РФ от 02.04.2020 № 424";
const PP497 = "ПП РФ от 28.03.2022 № 497";

describe("configuration: penalties by the law (issue 15 §6)", function () {
  describe("penaltyTable (pure)", () => {
    it("ЖК 155 ч.14.1: capital repair 1/300 from day 1 — 1 000,00 → 44,65", () => {
      // due 10.02.2024; 11.02–30.06.2024 = 19 + 31 + 30 + 31 + 30 = 141 days; key rate 16 on 30.06.2024, capped 9.5:
      // 1000 × 141 × 9.5 / 100 / 300 = 44.65
      const t = one({ capitalRepair: true });
      expect(rows(t)).to.deep.equal([["2024-02-11", "2024-06-30", 141, "1/300", "9.5", "44.65", ""]]);
      expect(t.total.toFixed(2)).to.equal("44.65");
      expect(t.rows[0].capitalRepair).to.equal(true);
      // the same debt of an ordinary service: nothing for 30 days, then 1/300, then 1/130 = 56.27
      expect(one({}).total.toFixed(2)).to.equal("56.27");
    });

    it("ЖК 155 ч.14.1: capital repair never goes to 1/130 — 1 000,00 → 102,92 on 31.12.2024", () => {
      // 11.02–31.12.2024 = 141 + 31 + 31 + 30 + 31 + 30 + 31 = 325 days at 1/300; key rate 21, capped 9.5:
      // 1000 × 325 × 9.5 / 30000 = 102.9166 → 102.92
      const t = one({ capitalRepair: true, calcDate: "2024-12-31" });
      expect(rows(t)).to.deep.equal([["2024-02-11", "2024-12-31", 325, "1/300", "9.5", "102.92", ""]]);
    });

    it("ЖК 155 ч.14, ч.14.1: an ordinary and a capital repair debt of one month are separate rows", () => {
      const t = penaltyTable({
        debts: [
          { debtMonth: "2024-01-01", dueDate: "2024-02-10", amount: "1000.00", capitalRepair: true },
          { debtMonth: "2024-01-01", dueDate: "2024-02-10", amount: "1000.00" },
        ],
        calcDate: "2024-06-30",
        keyRates: KEY_RATES,
      });
      expect(t.rows.map((r) => [r.capitalRepair, r.fraction, r.amount.toFixed(2)])).to.deep.equal([
        [false, "1/300", "19.00"],
        [false, "1/130", "37.27"],
        [true, "1/300", "44.65"],
      ]);
      expect(t.total.toFixed(2)).to.equal("100.92"); // 56.27 + 44.65
    });

    it("ПП 424: no penalty 06.04.2020–31.12.2020, its days shown as excluded — 1 000,00 → 18,06 on 31.01.2021", () => {
      // due 10.01.2020: days 31–90 = 10.02–09.04.2020, day 91 = 10.04.2020; key rate on 31.01.2021: 4.25 (no cap in 2021)
      //   10.02–05.04: 56 days × 1/300: 1000 × 56 × 4.25 / 30000 = 7.9333 → 7.93
      //   06.04–09.04: 4 days excluded; 10.04–31.12.2020: 266 days excluded
      //   01.01–31.01.2021: 31 days × 1/130: 1000 × 31 × 4.25 / 13000 = 10.1346 → 10.13
      const t = one({ due: "2020-01-10", month: "2019-12-01", calcDate: "2021-01-31" });
      expect(rows(t)).to.deep.equal([
        ["2020-02-10", "2020-04-05", 56, "1/300", "4.25", "7.93", ""],
        ["2020-04-06", "2020-04-09", 4, "1/300", "4.25", "0.00", PP424],
        ["2020-04-10", "2020-12-31", 266, "1/130", "4.25", "0.00", PP424],
        ["2021-01-01", "2021-01-31", 31, "1/130", "4.25", "10.13", ""],
      ]);
      expect(t.total.toFixed(2)).to.equal("18.06");
      // a debt overdue only inside the moratorium: its days are shown, nothing charged
      const inside = one({ due: "2020-05-10", month: "2020-04-01", calcDate: "2020-12-31" });
      expect(inside.total.toFixed(2)).to.equal("0.00");
      expect(inside.rows.every((r) => r.excluded === PP424)).to.equal(true);
      // without moratoria (the administrator deleted them): the whole period is charged
      const without = one({ due: "2020-01-10", month: "2019-12-01", calcDate: "2021-01-31", rules: { moratoria: [] } });
      expect(rows(without).map((r) => r.slice(0, 3))).to.deep.equal([
        ["2020-02-10", "2020-04-09", 60],
        ["2020-04-10", "2021-01-31", 297],
      ]);
    });

    it("ПП 497: debts arisen before 01.04.2022 pay nothing for 01.04–01.10.2022 — January 2022, 1 000,00 → 22,06 on 31.10.2022", () => {
      // due 10.02.2022: day 31 = 13.03.2022, day 90 = 11.05.2022; key rate on 31.10.2022: 7.5 (below the 9.5 cap)
      //   13.03–31.03: 19 days × 1/300: 1000 × 19 × 7.5 / 30000 = 4.75
      //   01.04–11.05: 41 days excluded (1/300); 12.05–01.10: 143 days excluded (1/130)
      //   02.10–31.10: 30 days × 1/130: 1000 × 30 × 7.5 / 13000 = 17.3077 → 17.31
      const t = one({ month: "2022-01-01", due: "2022-02-10", calcDate: "2022-10-31" });
      expect(rows(t)).to.deep.equal([
        ["2022-03-13", "2022-03-31", 19, "1/300", "7.5", "4.75", ""],
        ["2022-04-01", "2022-05-11", 41, "1/300", "7.5", "0.00", PP497],
        ["2022-05-12", "2022-10-01", 143, "1/130", "7.5", "0.00", PP497],
        ["2022-10-02", "2022-10-31", 30, "1/130", "7.5", "17.31", ""],
      ]);
      expect(t.total.toFixed(2)).to.equal("22.06");
      expect(t.rows.every((r) => r.capped === null)).to.equal(true); // 7.5 < 9.5: the cap lowers nothing
    });

    it("ПП 497: March 2022 (arose 31.03.2022) is covered, April 2022 (arose 30.04.2022) is not", () => {
      // March: due 10.04.2022, days 31–90 = 11.05–09.07 and 91.. = 10.07–01.10 excluded; 02.10–31.10: 30 days × 1/130 at 7.5 = 17.31
      const march = one({ month: "2022-03-01", due: "2022-04-10", calcDate: "2022-10-31" });
      expect(rows(march)).to.deep.equal([
        ["2022-05-11", "2022-07-09", 60, "1/300", "7.5", "0.00", PP497],
        ["2022-07-10", "2022-10-01", 84, "1/130", "7.5", "0.00", PP497],
        ["2022-10-02", "2022-10-31", 30, "1/130", "7.5", "17.31", ""],
      ]);
      // April: due 10.05.2022, a current debt: 10.06–08.08 60 days × 1/300 = 15.00; 09.08–31.10 84 days × 1/130 = 48.4615 → 48.46
      const april = one({ month: "2022-04-01", due: "2022-05-10", calcDate: "2022-10-31" });
      expect(rows(april)).to.deep.equal([
        ["2022-06-10", "2022-08-08", 60, "1/300", "7.5", "15.00", ""],
        ["2022-08-09", "2022-10-31", 84, "1/130", "7.5", "48.46", ""],
      ]);
      expect(april.total.toFixed(2)).to.equal("63.46");
    });

    it("ПП 424, ПП 497: the shipped moratoria are the acts' periods", () => {
      expect(MORATORIA.map((m) => [m.from, m.to, m.debtsBefore])).to.deep.equal([
        ["2020-04-06", "2020-12-31", null],
        ["2022-04-01", "2022-10-01", "2022-04-01"],
      ]);
      expect(PENALTY_RULES.moratoria).to.equal(MORATORIA);
    });

    it("ПП 474: the rate is the lower of the key rate on the payment date and 9,5 % — 1 000,00 → 56,27 at 16 % on 30.06.2024", () => {
      expect(rateOn(KEY_RATES, "2024-06-30")!.toFixed(2)).to.equal("16.00");
      const t = one({});
      expect(t.rows.map((r) => [r.rate.toString(), r.capped])).to.deep.equal([
        ["9.5", RATE_CAPS[0].act],
        ["9.5", RATE_CAPS[0].act],
      ]);
      expect(t.total.toFixed(2)).to.equal("56.27");
      // uncapped (no cap periods): 16 %: 1000 × 60 × 16 / 30000 = 32.00; 1000 × 51 × 16 / 13000 = 62.77
      expect(rows(one({ rules: { caps: [] } })).map((r) => r[5])).to.deep.equal(["32.00", "62.77"]);
    });

    it("ПП 474: the cap holds only for the days of the periods the acts name — a row is split where it ends", () => {
      // A cap through 30.06.2024 only; calculated 31.07.2024 (key rate 18 from 29.07.2024); due 10.02.2024
      //   12.03–10.05 (1/300, 60 days) at 9.5 = 19.00
      //   11.05–30.06 (1/130, 51 days) at 9.5: 1000 × 51 × 9.5 / 13000 = 37.2692 → 37.27
      //   01.07–31.07 (1/130, 31 days) at 18: 1000 × 31 × 18 / 13000 = 42.9231 → 42.92
      const t = one({
        calcDate: "2024-07-31",
        rules: { caps: [{ from: "2022-02-28", to: "2024-06-30", rate: "9.5", act: "ПП № 474" }] },
      });
      expect(rows(t)).to.deep.equal([
        ["2024-03-12", "2024-05-10", 60, "1/300", "9.5", "19.00", ""],
        ["2024-05-11", "2024-06-30", 51, "1/130", "9.5", "37.27", ""],
        ["2024-07-01", "2024-07-31", 31, "1/130", "18", "42.92", ""],
      ]);
      expect(t.rows.map((r) => r.capped)).to.deep.equal(["ПП № 474", "ПП № 474", null]);
      expect(t.total.toFixed(2)).to.equal("99.19");
      // days before the cap's first day (28.02.2022) keep the rate on the payment date: due 10.10.2021, paid 28.02.2022 (20 %)
      //   10.11.2021–08.01.2022 (1/300, 60 days) at 20 = 40.00; 09.01–27.02.2022 (1/130, 50 days) at 20 = 76.9231 → 76.92;
      //   28.02.2022 (1 day) at 9.5: 9.5 / 130 × 10 = 0.7308 → 0.73
      const before = one({ month: "2021-09-01", due: "2021-10-10", calcDate: "2022-02-28" });
      expect(rows(before)).to.deep.equal([
        ["2021-11-10", "2022-01-08", 60, "1/300", "20", "40.00", ""],
        ["2022-01-09", "2022-02-27", 50, "1/130", "20", "76.92", ""],
        ["2022-02-28", "2022-02-28", 1, "1/130", "9.5", "0.73", ""],
      ]);
    });

    it("ПП 474 and its extensions: the shipped caps are 9,5 % without a gap from 28.02.2022 through 31.12.2026", () => {
      expect(RATE_CAPS.map((c) => [c.from, c.to, c.rate])).to.deep.equal([
        ["2022-02-28", "2024-12-31", "9.50"],
        ["2025-01-01", "2026-12-31", "9.50"],
      ]);
      expect(PENALTY_RULES.caps).to.equal(RATE_CAPS);
      // the key rate of 27.02.2022, which the acts name
      expect(rateOn(KEY_RATES, "2022-02-27")!.toFixed(2)).to.equal("9.50");
    });

    it("ЖК 155 ч.14: the fixed 0,0344 % a day is charged when it is below the law — 1 000,00 → 48,50 on 30.06.2024", () => {
      // 11.02–30.06.2024: 141 days × 0.0344 % × 1000 = 48.504 → 48.50 < 56.27 statutory
      const t = one({ mode: "FixedDailyRate", dailyRate: "0.0344" });
      expect(rows(t)).to.deep.equal([["2024-02-11", "2024-06-30", 141, "1", "0.0344", "48.50", ""]]);
      expect(t.limits).to.deep.equal([]);
    });

    it("ЖК 155 ч.14: the fixed daily rate never charges more than the law («увеличение … не допускается») — 17,20 limited to 6,33", () => {
      // on 31.03.2024: fixed 11.02–31.03 = 50 days × 0.0344 % × 1000 = 17.20; statutory 12.03–31.03 = 20 days × 1/300 × 9.5 = 6.3333 → 6.33
      const t = one({ calcDate: "2024-03-31", mode: "FixedDailyRate", dailyRate: "0.0344" });
      expect(rows(t)).to.deep.equal([["2024-03-12", "2024-03-31", 20, "1/300", "9.5", "6.33", ""]]);
      expect(t.limits.map((l) => [l.debtMonth, l.fixed.toFixed(2), l.statutory.toFixed(2)])).to.deep.equal([
        ["2024-01-01", "17.20", "6.33"],
      ]);
      const text = explainTable(t, { mode: "FixedDailyRate", dailyRate: "0.0344" }).join("; ");
      expect(text).to.contain("фиксированная ставка дала бы 17,20, начислено 6,33 по закону");
      expect(text).to.contain("увеличение размера пеней не допускается");
      // the seed's settings on a debt of November 2011 (the rule before 2016: 1/300 from day 1, 8.00 on 29.02.2012):
      // fixed 81 days × 0.0344 % = 27.864 → 27.86; statutory 1000 × 81 × 8 / 30000 = 21.60 → 21.60 charged
      const seed = penaltyTable({
        debts: [{ debtMonth: "2011-11-01", dueDate: "2011-12-10", amount: "1000.00" }],
        calcDate: "2012-02-29",
        mode: "FixedDailyRate",
        dailyRate: "0.0344",
        keyRates: KEY_RATES,
      });
      expect(seed.total.toFixed(2)).to.equal("21.60");
      expect(seed.limits.map((l) => l.fixed.toFixed(2))).to.deep.equal(["27.86"]);
      // 0.1 % a day on the DOMAIN.md example: 141.00 fixed, limited to the statutory 56.27
      expect(one({ mode: "FixedDailyRate", dailyRate: "0.1" }).total.toFixed(2)).to.equal("56.27");
    });

    it("ЖК 155 ч.14, ПП 424: a fixed daily rate skips the moratorium's days too", () => {
      // debt of May 2020 due 10.06.2020, fixed 0.01 % a day (below the law), calculated 10.01.2021:
      // 01.01–10.01.2021 charged: 10 days × 0.01 % × 1000 = 1.00; 11.06–31.12.2020 excluded
      const t = one({
        month: "2020-05-01",
        due: "2020-06-10",
        calcDate: "2021-01-10",
        mode: "FixedDailyRate",
        dailyRate: "0.01",
      });
      expect(rows(t)).to.deep.equal([
        ["2020-06-11", "2020-12-31", 204, "1", "0.01", "0.00", PP424],
        ["2021-01-01", "2021-01-10", 10, "1", "0.01", "1.00", ""],
      ]);
    });
  });

  describe("the registers, the accrual and the court table (database)", () => {
    let p: Platform;
    let w: World;
    let capital: string;
    const accrue = (month: string, accounts: string[]) =>
      withPostingContext(p, "GroupAccrual", { Month: month }, (ctx) => accruePenalties(ctx, { month, accounts }));
    const amount = async (month: string, acc: string) => {
      const [r] = (await accrue(month, [acc])).Penalties;
      return r ? new Decimal(r.Amount).toFixed(2) : "none";
    };

    before(async () => {
      p = await openZhkh("zpenlaw");
      w = await seedWorld(p);
      await loadKeyRates(p);
      await loadPenaltyRules(p);
      capital = await item(p, "Services", {
        name: "Взнос на капитальный ремонт",
        CalculationMethod: "ByTotalArea",
        ReceiptOrder: 9,
        PenaltiesApply: true,
        CapitalRepair: true,
      });
    });
    after(() => p?.close());

    it("ЖК 155 ч.14.1: a service with CapitalRepair accrues 1/300 from day 1 beside the ordinary debt — June 2024: 21,92 + 9,50", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [
        { account: acc, service: w.services.A, amount: "1000.00" },
        { account: acc, service: capital, amount: "1000.00" },
      ]);
      // June 2024 (30 days): ordinary 1/130 × 9.5: 1000 × 30 × 9.5 / 13000 = 21.9231 → 21.92; capital repair 1/300: 9.50
      expect(await amount("2024-06-01", acc)).to.equal("31.42");
      // February 2024: capital repair from 11.02 (19 days × 1/300 × 9.5 = 6.0167 → 6.02), the ordinary debt nothing yet
      expect(await amount("2024-02-01", acc)).to.equal("6.02");
      const t = await read(p, (api) => accountPenaltyTable(api, acc, "2024-06-30"));
      expect(t.rows.map((r) => [r.capitalRepair, r.from, r.to, r.days, r.fraction, r.amount.toFixed(2)])).to.deep.equal(
        [
          [false, "2024-03-12", "2024-05-10", 60, "1/300", "19.00"],
          [false, "2024-05-11", "2024-06-30", 51, "1/130", "37.27"],
          [true, "2024-02-11", "2024-06-30", 141, "1/300", "44.65"],
        ],
      );
      expect(t.total.toFixed(2)).to.equal("100.92");
    });

    it("ПП 497: the moratorium comes from the Moratoria register and the administrator can change it", async () => {
      const acc = await account(w);
      await charge(p, "2022-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
      // March 2022: 13.03–31.03 = 19 days × 1/300, 20 % on 31.03.2022 capped 9.5: 1000 × 19 × 9.5 / 30000 = 6.0167 → 6.02
      expect(await amount("2022-03-01", acc)).to.equal("6.02");
      // April 2022: all days in the moratorium
      expect(await amount("2022-04-01", acc)).to.equal("none");
      const table = await read(p, (api) => accountPenaltyTable(api, acc, "2022-04-30"));
      expect(table.rows.map((r) => [r.from, r.to, r.days, r.excluded])).to.deep.equal([
        ["2022-03-13", "2022-03-31", 19, null],
        ["2022-04-01", "2022-04-30", 30, PP497],
      ]);
      // the administrator deletes ПП 497: April 2022 is charged, 30 days × 1/300 × 9.5 (17 % capped) = 9.50
      await deleteInfo(p, "Moratoria", [{ From: "2022-04-01" }]);
      try {
        expect(await amount("2022-04-01", acc)).to.equal("9.50");
      } finally {
        await loadPenaltyRules(p);
      }
      expect(await amount("2022-04-01", acc)).to.equal("none");
    });

    it("ПП 474: the cap comes from the PenaltyRateCaps register — without it June 2024 is charged at 16 %", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
      expect(await amount("2024-06-01", acc)).to.equal("21.92");
      await deleteInfo(p, "PenaltyRateCaps", [{ From: "2022-02-28" }]);
      try {
        // 1000 × 30 × 16 / 13000 = 36.9231 → 36.92
        expect(await amount("2024-06-01", acc)).to.equal("36.92");
      } finally {
        await loadPenaltyRules(p);
      }
    });

    it("ЖК 155 ч.14: the seed's fixed 0,0344 % is limited to the statutory penalty, and the Explanation says so", async () => {
      const acc = await account(w);
      await charge(p, "2011-11-01", [{ account: acc, service: w.services.B, amount: "1000.00" }]);
      await penaltySettings(p, "2012-01-01", { ChangeRate: true, Mode: "FixedDailyRate", Rate: "0.0344" });
      // January 2012: fixed 31 days × 0.0344 % × 1000 = 10.664 → 10.66; statutory (before 2016: 1/300 from day 1) at 8.00:
      // 1000 × 31 × 8 / 30000 = 8.2667 → 8.27 charged
      const [r] = (await accrue("2012-01-01", [acc])).Penalties;
      expect(new Decimal(r.Amount).toFixed(2)).to.equal("8.27");
      expect(r.Explanation).to.contain("Пени за 01.01.2012–31.01.2012");
      expect(r.Explanation).to.contain("фиксированная ставка дала бы 10,66, начислено 8,27 по закону");
      await penaltySettings(p, "2012-02-01", { ChangeRate: true, Mode: "Statutory" });
    });

    describe("bad data in the registers: a Russian error naming the register, the record and the field; nothing posted", () => {
      const accrueDoc = (acc: string, month: string) =>
        doc(p, "GroupAccrual", {
          date: `${month}T23:00:00`,
          Month: month,
          AccrueServices: false,
          AccruePenalties: true,
          Accounts: [{ Account: acc }],
        });

      it("ПП 424/497 data: a moratorium whose end precedes its start", async () => {
        const acc = await account(w);
        await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
        await writeInfo(p, "Moratoria", [{ From: "2024-05-10", To: "2024-05-01", Act: "ошибка" }]);
        try {
          const e = await rejects(accrueDoc(acc, "2024-06-01"));
          expect(e.message).to.equal(
            "Регистр «Мораторий на начисление пени», запись с 10.05.2024: дата окончания «По» (01.05.2024) раньше даты начала «С» (10.05.2024)",
          );
          expect(e.field).to.equal("To");
          expect(await penaltyBalance(p, acc, "2024-06-30")).to.equal("0.00");
          const docs = await read(p, (api) => api.query("document", "GroupAccrual", {}, { tables: true }));
          expect(docs.filter((d) => d.posted && (d.Accounts ?? []).some((x) => x.Account === acc))).to.have.length(0);
          // the court table refuses the same way
          const t = await rejects(read(p, (api) => accountPenaltyTable(api, acc, "2024-06-30")));
          expect(t.message).to.contain("«Мораторий на начисление пени»");
          // a moratorium without an end
          await deleteInfo(p, "Moratoria", [{ From: "2024-05-10" }]);
          await writeInfo(p, "Moratoria", [{ From: "2024-05-10", To: null }]);
          const e2 = await rejects(accrueDoc(acc, "2024-06-01"));
          expect(e2.message).to.contain("не указана дата окончания «По»");
          expect(e2.field).to.equal("To");
        } finally {
          await deleteInfo(p, "Moratoria", [{ From: "2024-05-10" }]);
        }
        // corrected: posted, 21.92
        await accrueDoc(acc, "2024-06-01");
        expect(await penaltyBalance(p, acc, "2024-06-30")).to.equal("21.92");
      });

      it("ПП 474 data: a cap of zero, and a cap ending before it starts", async () => {
        const acc = await account(w);
        await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
        await writeInfo(p, "PenaltyRateCaps", [{ From: "2030-01-01", To: "2031-01-01", Rate: "0" }]);
        try {
          const e = await rejects(accrueDoc(acc, "2024-06-01"));
          expect(e.message).to.equal(
            "Регистр «Предельная ставка для пени», запись с 01.01.2030: предельная ставка «Ставка, %» должна быть больше нуля",
          );
          expect(e.field).to.equal("Rate");
          await writeInfo(p, "PenaltyRateCaps", [{ From: "2030-01-01", To: "2029-12-31", Rate: "9.5" }]);
          const e2 = await rejects(accrueDoc(acc, "2024-06-01"));
          expect(e2.message).to.contain("дата окончания «По» (31.12.2029) раньше даты начала «С» (01.01.2030)");
          expect(e2.field).to.equal("To");
          expect(await penaltyBalance(p, acc, "2024-06-30")).to.equal("0.00");
        } finally {
          await deleteInfo(p, "PenaltyRateCaps", [{ From: "2030-01-01" }]);
        }
      });

      it("ЖК 155 ч.14 data: a negative key rate", async () => {
        const acc = await account(w);
        await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
        await writeInfo(p, "KeyRates", [{ period: "2024-06-01", Rate: "-1" }]);
        try {
          const e = await rejects(accrueDoc(acc, "2024-06-01"));
          expect(e.message).to.equal(
            "Регистр «Ключевая ставка Банка России», запись с 01.06.2024: ставка «Ставка, %» не может быть отрицательной",
          );
          expect(e.field).to.equal("Rate");
          expect(await penaltyBalance(p, acc, "2024-06-30")).to.equal("0.00");
        } finally {
          await deleteInfo(p, "KeyRates", [{ period: "2024-06-01" }]);
        }
      });
    });
  });
});
