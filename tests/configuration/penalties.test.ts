// Penalties (пени), DOMAIN.md §5: the pure court table (penaltyTable) to the kopeck, and the
// monthly accrual (accruePenalties) and the account's table against a real database.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import {
  penaltyTable,
  accruePenalties,
  accountPenaltyTable,
  dueDateOf,
  type PenaltyInput,
  type PenaltyTable,
} from "../../metadata/common/penalties.ts";
import { KEY_RATES, keyRateRecords, rateOn } from "../../metadata/common/key-rates.ts";
import { addDays } from "../../server/api.ts";
import {
  openZhkh,
  seedWorld,
  account,
  charge,
  loadKeyRates,
  penaltySettings,
  pay,
  withPostingContext,
  read,
  doc,
  movements,
  rejects,
  penaltyBalance,
  type World,
  type Row,
} from "./payments-fixtures.ts";
import { loadPenaltyRules } from "./penalties-fixtures.ts";

const plain = (t: PenaltyTable) =>
  t.rows.map((r) => [
    r.debtMonth,
    r.from,
    r.to,
    r.days,
    r.fraction,
    r.rate.toString(),
    r.debt.toFixed(2),
    r.amount.toFixed(2),
  ]);
const table = (
  o: Partial<PenaltyInput> & { amount?: string; due?: string; payments?: { date: string; amount: string }[] },
) =>
  penaltyTable({
    debts: [
      {
        debtMonth: "2024-01-01",
        dueDate: o.due ?? "2024-02-10",
        amount: o.amount ?? "1000.00",
        payments: o.payments?.map((x) => ({ date: x.date, amount: new Decimal(x.amount) })),
      },
    ],
    calcDate: "2024-06-30",
    keyRates: KEY_RATES,
    ...o,
  });

describe("configuration: penalties", function () {
  describe("penaltyTable (pure)", () => {
    it("reproduces DOMAIN.md's example: 1,000.00 for January 2024, unpaid on 30.06.2024 → 19.00 + 37.27 = 56.27", () => {
      const t = table({});
      expect(plain(t)).to.deep.equal([
        ["2024-01-01", "2024-03-12", "2024-05-10", 60, "1/300", "9.5", "1000.00", "19.00"],
        ["2024-01-01", "2024-05-11", "2024-06-30", 51, "1/130", "9.5", "1000.00", "37.27"],
      ]);
      expect(t.total.toFixed(2)).to.equal("56.27");
    });

    it("charges nothing through day 30, 1/300 from day 31", () => {
      expect(table({ calcDate: addDays("2024-02-10", 30) }).rows).to.deep.equal([]);
      const t = table({ calcDate: addDays("2024-02-10", 31) });
      expect(plain(t)).to.deep.equal([
        ["2024-01-01", "2024-03-12", "2024-03-12", 1, "1/300", "9.5", "1000.00", "0.32"],
      ]);
    });

    it("switches from 1/300 to 1/130 after day 90", () => {
      const at90 = table({ calcDate: addDays("2024-02-10", 90) });
      expect(plain(at90)).to.deep.equal([
        ["2024-01-01", "2024-03-12", "2024-05-10", 60, "1/300", "9.5", "1000.00", "19.00"],
      ]);
      const at91 = table({ calcDate: addDays("2024-02-10", 91) });
      expect(at91.rows.map((r) => [r.from, r.days, r.fraction, r.amount.toFixed(2)])).to.deep.equal([
        ["2024-03-12", 60, "1/300", "19.00"],
        ["2024-05-11", 1, "1/130", "0.73"],
      ]);
    });

    it("uses the rate in force on the calculation date for the whole unpaid debt, not the rates along the way", () => {
      // due 10.06.2021; key rate 5.50 → 6.50 (26.07) → 6.75 (13.09) → 7.50 (25.10); calculated 31.10.2021
      const t = table({ due: "2021-06-10", calcDate: "2021-10-31" });
      expect(t.rows.map((r) => r.rate.toString())).to.deep.equal(["7.5", "7.5"]);
      // days 31–90: 11.07–08.09 (60); 91+: 09.09–31.10 (53)
      expect(t.rows.map((r) => [r.from, r.to, r.days])).to.deep.equal([
        ["2021-07-11", "2021-09-08", 60],
        ["2021-09-09", "2021-10-31", 53],
      ]);
      expect(t.rows.map((r) => r.amount.toFixed(2))).to.deep.equal(["15.00", "30.58"]); // 1000×60×7.5%/300; 1000×53×7.5%/130 = 30.577
      // calculated a week earlier the rate is 6.75
      expect(table({ due: "2021-06-10", calcDate: "2021-10-24" }).rows[0].rate.toString()).to.equal("6.75");
    });

    it("takes the rate on the payment date for the part a payment closes", () => {
      // 1000 due 10.06.2021; 400 paid 20.09.2021 (rate 6.75), the rest unpaid on 31.10.2021 (7.50)
      const t = table({
        due: "2021-06-10",
        calcDate: "2021-10-31",
        payments: [{ date: "2021-09-20", amount: "400.00" }],
      });
      expect(plain(t)).to.deep.equal([
        ["2024-01-01", "2021-07-11", "2021-09-08", 60, "1/300", "6.75", "400.00", "5.40"],
        ["2024-01-01", "2021-07-11", "2021-09-08", 60, "1/300", "7.5", "600.00", "9.00"],
        ["2024-01-01", "2021-09-09", "2021-09-20", 12, "1/130", "6.75", "400.00", "2.49"],
        ["2024-01-01", "2021-09-09", "2021-10-31", 53, "1/130", "7.5", "600.00", "18.35"],
      ]);
      expect(t.total.toFixed(2)).to.equal("35.24");
    });

    // The cap (ПП №474), the moratoria (ПП №424, №497), capital repair (ч.14.1) and the fixed
    // daily rate's limit (ч.14) are tested in penalties-law.test.ts.

    it("reduces the debt by partial payments from the day after each payment", () => {
      const t = table({ payments: [{ date: "2024-04-15", amount: "400.00" }] });
      expect(plain(t)).to.deep.equal([
        ["2024-01-01", "2024-03-12", "2024-04-15", 35, "1/300", "9.5", "400.00", "4.43"],
        ["2024-01-01", "2024-03-12", "2024-05-10", 60, "1/300", "9.5", "600.00", "11.40"],
        ["2024-01-01", "2024-05-11", "2024-06-30", 51, "1/130", "9.5", "600.00", "22.36"],
      ]);
      expect(t.total.toFixed(2)).to.equal("38.19");
      // paid in full before day 31: nothing; paid after the calculation date: as if unpaid
      expect(table({ payments: [{ date: "2024-03-11", amount: "1000.00" }] }).total.toFixed(2)).to.equal("0.00");
      expect(table({ payments: [{ date: "2024-07-01", amount: "1000.00" }] }).total.toFixed(2)).to.equal("56.27");
      // two payments, the second one more than what is left: nothing after it
      const two = table({
        payments: [
          { date: "2024-03-20", amount: "500.00" },
          { date: "2024-04-01", amount: "900.00" },
        ],
      });
      expect(two.rows.map((r) => [r.to, r.debt.toFixed(2), r.days])).to.deep.equal([
        ["2024-03-20", "500.00", 9],
        ["2024-04-01", "500.00", 21],
      ]);
    });

    it("applies 1/300 from day 1 to a debt due before 2016 (the rule before 307-ФЗ)", () => {
      // November 2011, due 10.12.2011; 31.01.2012: 52 days at 8.00 (from 26.12.2011)
      const t = penaltyTable({
        debts: [{ debtMonth: "2011-11-01", dueDate: "2011-12-10", amount: "1000.00" }],
        calcDate: "2012-01-31",
        keyRates: KEY_RATES,
      });
      expect(plain(t)).to.deep.equal([
        ["2011-11-01", "2011-12-11", "2012-01-31", 52, "1/300", "8", "1000.00", "13.87"],
      ]);
      // a debt due 10.01.2016 follows the new rule: nothing for the first 30 days
      expect(
        penaltyTable({
          debts: [{ debtMonth: "2015-12-01", dueDate: "2016-01-10", amount: "1000.00" }],
          calcDate: "2016-02-09",
          keyRates: KEY_RATES,
        }).rows,
      ).to.deep.equal([]);
    });

    it("counts only the window's days (fromDate): monthly slices add up to the whole", () => {
      const slices = ["2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"].map((m, i) =>
        table({ fromDate: m, calcDate: ["2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"][i] }).total.toFixed(2),
      );
      expect(slices).to.deep.equal(["6.33", "9.50", "18.52", "21.92"]);
      expect(slices.reduce((s, x) => s.plus(x), new Decimal(0)).toFixed(2)).to.equal("56.27");
    });

    it("refuses a calculation without a key rate", () => {
      expect(() =>
        penaltyTable({
          debts: [{ debtMonth: "2024-01-01", dueDate: "2024-02-10", amount: "1.00" }],
          calcDate: "2024-06-30",
          keyRates: [],
        }),
      ).to.throw(/key rate/);
    });

    it("due date: DueDay of the following month, clamped to its length", () => {
      expect(dueDateOf("2024-01-01", 10)).to.equal("2024-02-10");
      expect(dueDateOf("2024-01-01", 31)).to.equal("2024-02-29");
      expect(dueDateOf("2023-12-01", 10)).to.equal("2024-01-10");
    });

    it("key-rate data: ascending dates, and the values the brief lists", () => {
      const dates = KEY_RATES.map((r) => r.date);
      expect([...dates].sort()).to.deep.equal(dates);
      expect(new Set(dates).size).to.equal(dates.length);
      const want: [string, string][] = [
        ["2011-05-03", "8.25"],
        ["2011-12-26", "8.00"],
        ["2012-09-14", "8.25"],
        ["2022-02-28", "20.00"],
        ["2022-04-11", "17.00"],
        ["2022-05-04", "14.00"],
        ["2022-05-27", "11.00"],
        ["2022-06-14", "9.50"],
        ["2022-07-25", "8.00"],
        ["2022-09-19", "7.50"],
        ["2023-07-24", "8.50"],
        ["2023-08-15", "12.00"],
        ["2023-09-18", "13.00"],
        ["2023-10-30", "15.00"],
        ["2023-12-18", "16.00"],
        ["2024-07-29", "18.00"],
        ["2024-09-16", "19.00"],
        ["2024-10-28", "21.00"],
      ];
      for (const [d, r] of want) expect(rateOn(KEY_RATES, d)!.toFixed(2), d).to.equal(r);
      expect(rateOn(KEY_RATES, "2015-12-31")!.toFixed(2)).to.equal("8.25");
      expect(keyRateRecords()[0]).to.have.keys(["period", "Rate"]);
    });
  });

  describe("accruePenalties and the account's table (database)", () => {
    let p: Platform;
    let w: World;
    const accrue = (month: string, accounts: string[]) =>
      withPostingContext(p, "GroupAccrual", { Month: month }, (ctx) => accruePenalties(ctx, { month, accounts }));

    before(async () => {
      p = await openZhkh("zpen");
      w = await seedWorld(p);
      await loadKeyRates(p);
      await loadPenaltyRules(p);
    });
    after(() => p?.close());

    it("accrues the penalty days inside the month only, on services with PenaltiesApply", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [
        { account: acc, service: w.services.A, amount: "600.00" },
        { account: acc, service: w.services.B, amount: "400.00" },
        { account: acc, service: w.services.N, amount: "5000.00" },
      ]);
      const months = ["2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-15"];
      const got: string[] = [];
      for (const m of months) {
        const sets = await accrue(m, [acc]);
        const rows = sets.Penalties;
        expect(rows.length, m).to.be.at.most(1);
        if (rows[0]) {
          expect(rows[0].kind).to.equal("receipt");
          expect(rows[0].Account).to.equal(acc);
          expect(rows[0].period).to.equal(`${m.slice(0, 8)}01T00:00:00`);
        }
        got.push(rows[0] ? new Decimal(rows[0].Amount).toFixed(2) : "none");
      }
      // A + B = 1,000.00 (N has no penalties): the monthly slices of DOMAIN.md's example
      expect(got).to.deep.equal(["none", "6.33", "9.50", "18.52", "21.92"]);
    });

    it("reads a payment from the Settlements day turnovers: the debt is lower from the day after", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
      await pay(p, acc, "2024-04-15T12:00:00", "400.00");
      const april = (await accrue("2024-04-01", [acc])).Penalties;
      // 400 × 15 days (01.04–15.04) + 600 × 30 days, 1/300 of 9.5%: 1.90 + 5.70
      expect(new Decimal(april[0].Amount).toFixed(2)).to.equal("7.60");
      const may = (await accrue("2024-05-01", [acc])).Penalties;
      // 600: 01.05–10.05 1/300 = 1.90; 11.05–31.05 1/130 = 9.21
      expect(new Decimal(may[0].Amount).toFixed(2)).to.equal("11.11");
      // the table for the court through 30.06.2024 equals the pure calculation (38.19)
      const full = await read(p, (api) => accountPenaltyTable(api, acc, "2024-06-30"));
      expect(full.total.toFixed(2)).to.equal("38.19");
      expect(full.rows.map((r) => [r.debtMonth, r.from, r.to, r.days, r.fraction, r.amount.toFixed(2)])).to.deep.equal([
        ["2024-01-01", "2024-03-12", "2024-04-15", 35, "1/300", "4.43"],
        ["2024-01-01", "2024-03-12", "2024-05-10", 60, "1/300", "11.40"],
        ["2024-01-01", "2024-05-11", "2024-06-30", 51, "1/130", "22.36"],
      ]);
    });

    it("handles many accounts in one call, and only the listed ones", async () => {
      const a1 = await account(w),
        a2 = await account(w),
        a3 = await account(w);
      await charge(
        p,
        "2024-01-01",
        [a1, a2, a3].map((a, i) => ({ account: a, service: w.services.C, amount: `${(i + 1) * 1000}.00` })),
      );
      const rows = (await accrue("2024-04-01", [a1, a2])).Penalties;
      expect(rows.map((r) => [r.Account, new Decimal(r.Amount).toFixed(2)])).to.have.deep.members([
        [a1, "9.50"],
        [a2, "19.00"],
      ]);
      expect((await accrue("2024-04-01", [])).Penalties).to.deep.equal([]);
    });

    it("takes the due day from the penalty settings of the debt's month", async () => {
      const acc = await account(w);
      await penaltySettings(p, "2023-06-01", { ChangeDueDay: true, DueDay: 25 });
      await charge(p, "2023-06-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
      // due 25.07.2023: day 31 = 25.08.2023; August: 7 days, key rate 12.00 on 31.08.2023 capped at 9.5: 1000 × 7 × 9.5% / 300 = 2.217
      // (with the default due day 10 it would be 22 days: 6.97)
      const aug = (await accrue("2023-08-01", [acc])).Penalties;
      expect(new Decimal(aug[0].Amount).toFixed(2)).to.equal("2.22");
      await penaltySettings(p, "2023-07-01", { ChangeDueDay: true, DueDay: 10 }); // later settings do not move June's due date
      const aug2 = (await accrue("2023-08-01", [acc])).Penalties;
      expect(new Decimal(aug2[0].Amount).toFixed(2)).to.equal("2.22");
    });

    it("fixed daily mode from the penalty settings (the seed's 0.0344 from 2012), limited to the pre-2016 statutory rule", async () => {
      const acc = await account(w);
      await charge(p, "2011-11-01", [{ account: acc, service: w.services.B, amount: "1000.00" }]);
      // statutory, before 2016: 1/300 from day 1 (11.12.2011), rate on 31.12.2011 = 8.00: 21 days
      const dec2011 = (await accrue("2011-12-01", [acc])).Penalties;
      expect(new Decimal(dec2011[0].Amount).toFixed(2)).to.equal("5.60");
      await penaltySettings(p, "2012-01-01", { ChangeRate: true, Mode: "FixedDailyRate", Rate: "0.0344" });
      // January 2012: 31 days × 0.0344% × 1000 = 10.664 fixed, more than the law allows (ЖК РФ ст.155 ч.14):
      // the statutory 1/300 × 8.00 × 31 days × 1000 = 8.2667 → 8.27 is charged
      const jan2012 = (await accrue("2012-01-01", [acc])).Penalties;
      expect(new Decimal(jan2012[0].Amount).toFixed(2)).to.equal("8.27");
    });

    it("refuses to accrue without a key rate in force, naming the register", async () => {
      const acc = await account(w);
      await charge(p, "2009-01-01", [{ account: acc, service: w.services.A, amount: "100.00" }]);
      const e = await rejects(accrue("2009-03-01", [acc]));
      expect(e.message).to.contain("Ключевая ставка Банка России");
      expect(e.message).to.contain("31.03.2009");
    });

    it("is called by GroupAccrual (AccruePenalties): the receipt lands in Penalties at the month's start", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "1000.00" }]);
      const ga = await doc(p, "GroupAccrual", {
        date: "2024-06-30T23:00:00",
        Month: "2024-06-01",
        AccrueServices: false,
        AccruePenalties: true,
        Accounts: [{ Account: acc }],
      });
      const rows: Row[] = await movements(p, "GroupAccrual", ga.id, "Penalties");
      expect(rows.map((r) => [r.Account, r.Amount])).to.deep.equal([[acc, "21.92"]]);
      expect(await penaltyBalance(p, acc, "2024-06-30")).to.equal("21.92");
      expect(await penaltyBalance(p, acc, "2024-05-31")).to.equal("0.00");
    });
  });
});
