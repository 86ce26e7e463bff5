// Payments, DOMAIN.md §6: the pure distribution (each method, kopeck remainders, named services
// and period first, penalties after principal, advances), money helpers, and the Payment
// document and consumeAdvances against a real database (refusals write nothing; reposts are
// stable; the next GroupAccrual consumes an advance).
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import { monthStart, monthEnd, addMonths, addDays, daysBetween, momentBefore } from "../../server/api.ts";
import { largestRemainder, round2 } from "../../metadata/common/money.ts";
import {
  distribute,
  distributePayment,
  consumeAdvances,
  advanceMoment,
  type Debt,
} from "../../metadata/common/distribution.ts";
import {
  openZhkh,
  seedWorld,
  account,
  charge,
  pay,
  doc,
  repost,
  movements,
  rejects,
  inArea,
  withPostingContext,
  balances,
  penaltyBalance,
  t2,
  type World,
} from "./payments-fixtures.ts";

const D = (x: string | number) => new Decimal(x);
const debt = (
  service: string,
  debtPeriod: string,
  amount: string,
  receiptOrder: number | null = null,
  priority: number | null = null,
): Debt => ({ service, debtPeriod, amount: D(amount), receiptOrder, priority });
const alloc = (r: { allocations: { service: string | null; debtPeriod: string; amount: Decimal }[] }) =>
  r.allocations.map((a) => [a.service, a.debtPeriod.slice(0, 7), a.amount.toFixed(2)]);

/** A deterministic pseudo-random sequence (LCG) for the property checks. */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => ((s = (s * 1103515245 + 12345) % 2147483648), s % n);
}

describe("configuration: payments", function () {
  describe("money helpers", () => {
    it("largestRemainder: exact sums, ties to the lower index, deterministic", () => {
      expect(t2(largestRemainder(D("100.00"), [D(1), D(1), D(1)]))).to.deep.equal(["33.34", "33.33", "33.33"]);
      expect(t2(largestRemainder(D("0.05"), [D(1), D(1), D(1)]))).to.deep.equal(["0.02", "0.02", "0.01"]);
      expect(t2(largestRemainder(D("10.00"), [D(0), D(3), D(-1), D(1)]))).to.deep.equal([
        "0.00",
        "7.50",
        "0.00",
        "2.50",
      ]);
      expect(t2(largestRemainder(D("-100.00"), [D(1), D(1), D(1)]))).to.deep.equal(["-33.34", "-33.33", "-33.33"]);
      expect(t2(largestRemainder(D("1.00"), [D(0), D(0)]))).to.deep.equal(["1.00", "0.00"]);
      expect(largestRemainder(D("1.00"), [])).to.deep.equal([]);
      // largest remainder, not the first index: 1.00 over 1 : 2 : 3 → 16.67 (r .666), 33.33 (r .333), 50.00
      expect(t2(largestRemainder(D("100.00"), [D(1), D(2), D(3)]))).to.deep.equal(["16.67", "33.33", "50.00"]);
      const rnd = lcg(7);
      for (let k = 0; k < 300; k++) {
        const total = D(rnd(1_000_000)).div(100);
        const weights = Array.from({ length: 1 + rnd(7) }, () => D(rnd(100_000)).div(100));
        const parts = largestRemainder(total, weights);
        const sw = weights.reduce((s, x) => s.plus(x), D(0));
        expect(parts.reduce((s, x) => s.plus(x), D(0)).eq(total), `sum ${k}`).to.equal(true);
        parts.forEach((x, i) => {
          expect(x.decimalPlaces()).to.be.at.most(2);
          if (!sw.isZero())
            expect(x.minus(total.times(weights[i]).div(sw)).abs().lt("0.01"), `share ${k}.${i}`).to.equal(true);
        });
      }
    });

    it("round2 half up; month and day arithmetic", () => {
      expect(
        [round2(D("0.005")), round2(D("0.0049")), round2(D("2.675")), round2(D("-0.005"))].map((x) => x.toFixed(2)),
      ).to.deep.equal(["0.01", "0.00", "2.68", "-0.01"]);
      expect(monthStart("2024-02-17T10:00:00")).to.equal("2024-02-01");
      expect([monthEnd("2024-02-01"), monthEnd("2023-02-15"), monthEnd("2024-12-01")]).to.deep.equal([
        "2024-02-29",
        "2023-02-28",
        "2024-12-31",
      ]);
      expect([addMonths("2024-11-01", 2), addMonths("2024-01-31", -1), addMonths("2024-03-01", -15)]).to.deep.equal([
        "2025-01-01",
        "2023-12-01",
        "2022-12-01",
      ]);
      expect([addDays("2024-02-28", 1), addDays("2024-03-01", -1), addDays("2023-12-31", 1)]).to.deep.equal([
        "2024-02-29",
        "2024-02-29",
        "2024-01-01",
      ]);
      expect(daysBetween("2024-02-10", "2024-06-30")).to.equal(141);
      expect([
        momentBefore("2024-03-01T00:00:00"),
        momentBefore("2024-03-15T12:00:00"),
        momentBefore("2024-01-01"),
      ]).to.deep.equal(["2024-02-29T23:59:59", "2024-03-15T11:59:59", "2023-12-31T23:59:59"]);
      expect(advanceMoment("2024-02-10")).to.equal("2024-02-29T23:59:59");
    });
  });

  describe("distribute (pure)", () => {
    const three = [
      debt("c", "2024-01-01", "50.00", 3),
      debt("a", "2024-01-01", "50.00", 1),
      debt("b", "2024-01-01", "50.00", 2),
    ];

    it("ProportionalToDebt: 100.00 over three equal debts → 33.34 / 33.33 / 33.33, the extra kopeck to the first in receipt order, whatever the input order", () => {
      const r = distribute(D("100.00"), three, "ProportionalToDebt");
      expect(alloc(r)).to.deep.equal([
        ["a", "2024-01", "33.34"],
        ["b", "2024-01", "33.33"],
        ["c", "2024-01", "33.33"],
      ]);
      expect(r.rest.toFixed(2)).to.equal("0.00");
      expect(alloc(distribute(D("100.00"), [...three].reverse(), "ProportionalToDebt"))).to.deep.equal(alloc(r));
      // without receipt order: by service id
      const noOrder = three.map((d) => ({ ...d, receiptOrder: null }));
      expect(alloc(distribute(D("100.00"), [noOrder[2], noOrder[0], noOrder[1]], "ProportionalToDebt"))).to.deep.equal(
        alloc(r),
      );
    });

    it("ProportionalToDebt: in proportion to each service's debt; inside a service the oldest period first", () => {
      const debts = [
        debt("a", "2024-01-01", "100.00", 1),
        debt("a", "2024-02-01", "200.00", 1),
        debt("b", "2024-02-01", "600.00", 2),
      ];
      // 300.00 over a: 300, b: 600 → a 100.00 (January 100.00), b 200.00
      expect(alloc(distribute(D("300.00"), debts, "ProportionalToDebt"))).to.deep.equal([
        ["a", "2024-01", "100.00"],
        ["b", "2024-02", "200.00"],
      ]);
      // 10.00 over 147.50 / 868.41 / 600.00 (1,615.91): exact shares 0.9128 / 5.3741 / 3.7131 → 0.91 / 5.37 / 3.71
      // and the one kopeck left to the largest remainder (.41 of a kopeck): 5.38
      const seed = [
        debt("t", "2011-11-01", "147.50", 1),
        debt("x", "2011-11-01", "868.41", 2),
        debt("g", "2011-11-01", "600.00", 3),
      ];
      expect(alloc(distribute(D("10.00"), seed, "ProportionalToDebt")).map((a) => a[2])).to.deep.equal([
        "0.91",
        "5.38",
        "3.71",
      ]);
    });

    it("OldestFirst: by debt period, then the service's receipt order", () => {
      const debts = [
        debt("b", "2024-01-01", "100.00", 2),
        debt("a", "2024-02-01", "100.00", 1),
        debt("a", "2024-01-01", "100.00", 1),
      ];
      expect(alloc(distribute(D("150.00"), debts, "OldestFirst"))).to.deep.equal([
        ["a", "2024-01", "100.00"],
        ["b", "2024-01", "50.00"],
      ]);
    });

    it("ByServicePriority: priority 1 first (empty last), then the oldest period", () => {
      const debts = [
        debt("a", "2024-01-01", "100.00", 1, 2),
        debt("b", "2024-02-01", "100.00", 2, 1),
        debt("b", "2024-01-01", "30.00", 2, 1),
        debt("c", "2023-12-01", "500.00", 3, null),
      ];
      // paid: b Jan 30, b Feb 100, then a Jan 50 (c, without priority, gets nothing); listed oldest first
      expect(alloc(distribute(D("180.00"), debts, "ByServicePriority"))).to.deep.equal([
        ["a", "2024-01", "50.00"],
        ["b", "2024-01", "30.00"],
        ["b", "2024-02", "100.00"],
      ]);
      expect(alloc(distribute(D("130.00"), debts, "ByServicePriority"))).to.deep.equal([
        ["b", "2024-01", "30.00"],
        ["b", "2024-02", "100.00"],
      ]);
    });

    it("pays every debt and returns the rest; nothing for zero; negative debts are skipped", () => {
      for (const m of ["ProportionalToDebt", "OldestFirst", "ByServicePriority"]) {
        const r = distribute(D("200.00"), [...three, debt("d", "2024-01-01", "-20.00", 4)], m);
        expect(
          alloc(r).map((a) => a[2]),
          m,
        ).to.deep.equal(["50.00", "50.00", "50.00"]);
        expect(r.rest.toFixed(2), m).to.equal("50.00");
      }
      expect(distribute(D(0), three, "OldestFirst").allocations).to.deep.equal([]);
    });

    it("every method: allocations never exceed a debt and add up to the amount exactly (random cases)", () => {
      const rnd = lcg(11);
      for (let k = 0; k < 200; k++) {
        const debts = Array.from({ length: 1 + rnd(8) }, (_, _i) =>
          debt(
            `s${rnd(4)}`,
            `2024-0${1 + rnd(6)}-01`,
            D(1 + rnd(50_000))
              .div(100)
              .toFixed(2),
            rnd(5),
            rnd(3),
          ),
        );
        const unique = [...new Map(debts.map((d) => [`${d.service}|${d.debtPeriod}`, d])).values()];
        const amount = D(rnd(120_000)).div(100);
        for (const m of ["ProportionalToDebt", "OldestFirst", "ByServicePriority"]) {
          const r = distribute(amount, unique, m);
          const sum = r.allocations.reduce((s, a) => s.plus(a.amount), D(0));
          expect(sum.plus(r.rest).eq(amount), `${m} ${k}`).to.equal(true);
          for (const a of r.allocations)
            expect(
              a.amount.lte(unique.find((d) => d.service === a.service && d.debtPeriod === a.debtPeriod)!.amount),
            ).to.equal(true);
          const total = unique.reduce((s, d) => s.plus(d.amount), D(0));
          expect(r.rest.eq(Decimal.max(amount.minus(total), 0)), `${m} rest ${k}`).to.equal(true);
        }
      }
    });
  });

  describe("distributePayment (pure)", () => {
    const debts = [
      debt("a", "2024-01-01", "100.00", 1),
      debt("b", "2024-01-01", "100.00", 2),
      debt("a", "2024-02-01", "100.00", 1),
      debt("b", "2024-02-01", "100.00", 2),
    ];

    it("named services with amounts first (the excess over their debt returns to the pool), then by the method", () => {
      const r = distributePayment({
        amount: D("300.00"),
        debts,
        penalties: D(0),
        method: "OldestFirst",
        services: [{ service: "b", amount: D("150.00") }],
      });
      // b: 150 → Jan 100, Feb 50; the rest 150 oldest first: a Jan 100, a Feb 50
      expect(alloc(r)).to.deep.equal([
        ["a", "2024-01", "100.00"],
        ["b", "2024-01", "100.00"],
        ["a", "2024-02", "50.00"],
        ["b", "2024-02", "50.00"],
      ]);
      const over = distributePayment({
        amount: D("300.00"),
        debts,
        penalties: D(0),
        method: "OldestFirst",
        services: [{ service: "b", amount: D("250.00") }],
      });
      expect(alloc(over)).to.deep.equal([
        ["a", "2024-01", "100.00"],
        ["b", "2024-01", "100.00"],
        ["b", "2024-02", "100.00"],
      ]);
      expect(over.advance.toFixed(2)).to.equal("0.00");
    });

    it("services named without amounts take the payment before the others", () => {
      const r = distributePayment({
        amount: D("150.00"),
        debts,
        penalties: D(0),
        method: "ProportionalToDebt",
        services: [{ service: "b", amount: null }],
      });
      expect(alloc(r)).to.deep.equal([
        ["b", "2024-01", "100.00"],
        ["b", "2024-02", "50.00"],
      ]);
    });

    it("a named period is paid first, by the method inside it", () => {
      const r = distributePayment({
        amount: D("250.00"),
        debts,
        penalties: D(0),
        method: "ProportionalToDebt",
        paidMonth: "2024-02-01",
      });
      expect(alloc(r)).to.deep.equal([
        ["a", "2024-01", "25.00"],
        ["b", "2024-01", "25.00"],
        ["a", "2024-02", "100.00"],
        ["b", "2024-02", "100.00"],
      ]);
    });

    it("penalties after the principal unless PenaltiesFirst; the rest is an advance", () => {
      const after = distributePayment({ amount: D("450.00"), debts, penalties: D("70.00"), method: "OldestFirst" });
      expect(after.allocations.reduce((s, a) => s.plus(a.amount), D(0)).toFixed(2)).to.equal("400.00");
      expect([after.penalties.toFixed(2), after.advance.toFixed(2)]).to.deep.equal(["50.00", "0.00"]);
      const first = distributePayment({
        amount: D("100.00"),
        debts,
        penalties: D("70.00"),
        method: "OldestFirst",
        penaltiesFirst: true,
      });
      expect(first.penalties.toFixed(2)).to.equal("70.00");
      expect(alloc(first)).to.deep.equal([["a", "2024-01", "30.00"]]);
      const over = distributePayment({ amount: D("500.00"), debts, penalties: D("70.00"), method: "OldestFirst" });
      expect([over.penalties.toFixed(2), over.advance.toFixed(2)]).to.deep.equal(["70.00", "30.00"]);
      const none = distributePayment({ amount: D("123.45"), debts: [], penalties: D(0), method: "OldestFirst" });
      expect([none.allocations.length, none.advance.toFixed(2)]).to.deep.equal([0, "123.45"]);
    });
  });

  describe("Payment document and advances (database)", () => {
    let p: Platform;
    let w: World;
    const count = async () => (await inArea(p, (ctx) => docs.listDocuments(ctx, "Payment", {} as any))).total as number;
    const names = () => Object.fromEntries(Object.entries(w.services).map(([k, v]) => [v, k]));
    const settlementRows = async (id: string) =>
      (await movements(p, "Payment", id, "Settlements")).map((r) => [
        r.Service ? names()[r.Service] : "-",
        String(r.DebtPeriod).slice(0, 7),
        r.Amount,
        r.kind ?? r.recordKind,
      ]);

    before(async () => {
      p = await openZhkh("zpay");
      w = await seedWorld(p);
    });
    after(() => p?.close());

    it("refuses an amount of zero or less naming the field Amount, and writes nothing", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [{ account: acc, service: w.services.A, amount: "100.00" }]);
      const before = await count();
      for (const amount of ["0.00", "-5.00"]) {
        const e = await rejects(pay(p, acc, "2024-02-05T10:00:00", amount));
        expect(e.field, amount).to.equal("Amount");
        expect(e.message).to.contain("больше нуля");
      }
      expect(await count()).to.equal(before);
      expect(await balances(p, w, acc)).to.deep.equal({ "A|2024-01-01": "100.00" });
    });

    it("refuses Services amounts above the payment or negative, naming the row; nothing written", async () => {
      const acc = await account(w);
      const before = await count();
      const over = await rejects(
        pay(p, acc, "2024-02-05T10:00:00", "100.00", {
          Services: [
            { Service: w.services.A, Amount: "60.00" },
            { Service: w.services.B, Amount: "40.01" },
          ],
        }),
      );
      expect(over.field).to.equal("Services[2].Amount");
      const neg = await rejects(
        pay(p, acc, "2024-02-05T10:00:00", "100.00", { Services: [{ Service: w.services.A, Amount: "-1.00" }] }),
      );
      expect(neg.field).to.equal("Services[1].Amount");
      expect(await count()).to.equal(before);
      // exactly the amount is fine
      await pay(p, acc, "2024-02-05T10:00:00", "100.00", {
        Services: [
          { Service: w.services.A, Amount: "60.00" },
          { Service: w.services.B, Amount: "40.00" },
        ],
      });
      expect(await count()).to.equal(before + 1);
    });

    it("posts by the default method (one period: proportionally to the services' debts), penalties after principal, the rest as an advance; a repost gives the same records", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [
        { account: acc, service: w.services.A, amount: "100.00" },
        { account: acc, service: w.services.B, amount: "100.00" },
        { account: acc, service: w.services.C, amount: "100.00" },
      ]);
      await doc(p, "OpeningBalances", {
        date: "2024-01-31T00:00:00",
        Debts: [],
        Penalties: [{ Account: acc, Amount: "12.34" }],
      });
      // 100.00 over three equal debts
      const p1 = await pay(p, acc, "2024-02-05T10:00:00", "100.00");
      expect(await settlementRows(p1.id)).to.deep.equal([
        ["A", "2024-01", "33.34", "expense"],
        ["B", "2024-01", "33.33", "expense"],
        ["C", "2024-01", "33.33", "expense"],
      ]);
      expect(await movements(p, "Payment", p1.id, "Penalties")).to.deep.equal([]);
      await repost(p, "Payment", p1.id);
      expect(await settlementRows(p1.id)).to.deep.equal([
        ["A", "2024-01", "33.34", "expense"],
        ["B", "2024-01", "33.33", "expense"],
        ["C", "2024-01", "33.33", "expense"],
      ]);
      // 250.00: the remaining 200.00 principal, 12.34 penalties, 37.66 advance on (empty service, February)
      const p2 = await pay(p, acc, "2024-02-20T09:30:00", "250.00");
      expect(await settlementRows(p2.id)).to.deep.equal([
        ["A", "2024-01", "66.66", "expense"],
        ["B", "2024-01", "66.67", "expense"],
        ["C", "2024-01", "66.67", "expense"],
        ["-", "2024-02", "37.66", "expense"],
      ]);
      expect((await movements(p, "Payment", p2.id, "Penalties")).map((r) => [r.Account, r.Amount])).to.deep.equal([
        [acc, "12.34"],
      ]);
      expect(await balances(p, w, acc)).to.deep.equal({ "-|2024-02-01": "-37.66" });
      expect(await penaltyBalance(p, acc)).to.equal("0.00");
      await repost(p, "Payment", p2.id);
      expect(await balances(p, w, acc)).to.deep.equal({ "-|2024-02-01": "-37.66" });
      // a payment dated before the first one does not see it (balances as of its own moment)
      const early = await pay(p, acc, "2024-02-01T08:00:00", "10.00", { DistributionMethod: "OldestFirst" });
      expect(await settlementRows(early.id)).to.deep.equal([["A", "2024-01", "10.00", "expense"]]);
    });

    it("pays the named service and period first and penalties first when asked, through the document", async () => {
      const acc = await account(w);
      await charge(p, "2024-01-01", [
        { account: acc, service: w.services.A, amount: "100.00" },
        { account: acc, service: w.services.B, amount: "100.00" },
      ]);
      await charge(p, "2024-02-01", [
        { account: acc, service: w.services.A, amount: "100.00" },
        { account: acc, service: w.services.B, amount: "100.00" },
      ]);
      await doc(p, "OpeningBalances", {
        date: "2024-01-31T00:00:00",
        Debts: [],
        Penalties: [{ Account: acc, Amount: "5.00" }],
      });
      const pm = await pay(p, acc, "2024-02-10T10:00:00", "150.00", {
        PaidMonth: "2024-02-15",
        DistributionMethod: "OldestFirst",
      });
      // February first (oldest first inside it: A then B), January untouched
      expect(await settlementRows(pm.id)).to.deep.equal([
        ["A", "2024-02", "100.00", "expense"],
        ["B", "2024-02", "50.00", "expense"],
      ]);
      // penalties 5.00 first, then 70.00 on B (its oldest: January), the last 5.00 oldest first: A January
      const ns = await pay(p, acc, "2024-02-11T10:00:00", "80.00", {
        PenaltiesFirst: true,
        DistributionMethod: "OldestFirst",
        Services: [{ Service: w.services.B, Amount: "70.00" }],
      });
      expect(await settlementRows(ns.id)).to.deep.equal([
        ["A", "2024-01", "5.00", "expense"],
        ["B", "2024-01", "70.00", "expense"],
      ]);
      expect((await movements(p, "Payment", ns.id, "Penalties")).map((r) => r.Amount)).to.deep.equal(["5.00"]);
    });

    it("consumeAdvances (minimal posting context): credits pay the month's new charges by the method, oldest credit first, kopecks exact", async () => {
      const acc = await account(w);
      await pay(p, acc, "2024-01-15T10:00:00", "40.00");
      await pay(p, acc, "2024-02-03T10:00:00", "60.00");
      const other = await account(w);
      await pay(p, other, "2024-02-03T10:00:00", "1000.00");
      const sets = await withPostingContext(p, "GroupAccrual", { Month: "2024-02-01" }, async (ctx) => {
        for (const s of ["A", "B", "C"] as const)
          ctx.movements.Settlements.add({
            period: "2024-02-01T00:00:00",
            kind: "receipt",
            Account: acc,
            Service: w.services[s],
            DebtPeriod: "2024-02-01",
            Amount: "50.00",
          });
        ctx.movements.Settlements.add({
          period: "2024-02-01T00:00:00",
          kind: "receipt",
          Account: other,
          Service: w.services.A,
          DebtPeriod: "2024-02-01",
          Amount: "10.00",
        });
        await consumeAdvances(ctx, { month: "2024-02-01", accounts: [acc, other], method: "ProportionalToDebt" });
      });
      const added = sets.Settlements.slice(4).map((r) => [
        r.Account === acc ? "acc" : "other",
        r.kind,
        r.Service ? names()[r.Service] : "-",
        r.DebtPeriod,
        r.Amount,
        r.period,
      ]);
      expect(added.filter((r) => r[0] === "acc").concat(added.filter((r) => r[0] === "other"))).to.deep.equal([
        ["acc", "expense", "A", "2024-02-01", "33.34", "2024-02-29T23:59:59"],
        ["acc", "expense", "B", "2024-02-01", "33.33", "2024-02-29T23:59:59"],
        ["acc", "expense", "C", "2024-02-01", "33.33", "2024-02-29T23:59:59"],
        ["acc", "receipt", "-", "2024-01-01", "40.00", "2024-02-29T23:59:59"],
        ["acc", "receipt", "-", "2024-02-01", "60.00", "2024-02-29T23:59:59"],
        ["other", "expense", "A", "2024-02-01", "10.00", "2024-02-29T23:59:59"],
        ["other", "receipt", "-", "2024-02-01", "10.00", "2024-02-29T23:59:59"],
      ]);
      // by priority: B (1), C (2), A (3)
      const byPriority = await withPostingContext(p, "GroupAccrual", { Month: "2024-02-01" }, async (ctx) => {
        for (const s of ["A", "B", "C"] as const)
          ctx.movements.Settlements.add({
            period: "2024-02-01T00:00:00",
            kind: "receipt",
            Account: acc,
            Service: w.services[s],
            DebtPeriod: "2024-02-01",
            Amount: "40.00",
          });
        await consumeAdvances(ctx, { month: "2024-02-01", accounts: [acc], method: "ByServicePriority" });
      });
      // the credit 100.00 (nothing was written above) over 40.00 each: B (priority 1) and C (2) in full, A (3) the last 20.00
      expect(
        byPriority.Settlements.slice(3)
          .filter((r) => r.kind === "expense")
          .map((r) => [names()[r.Service], r.Amount]),
      ).to.deep.equal([
        ["A", "20.00"],
        ["B", "40.00"],
        ["C", "40.00"],
      ]);
      // no new charges, or no credit: nothing
      const none = await withPostingContext(p, "GroupAccrual", { Month: "2024-02-01" }, (ctx) =>
        consumeAdvances(ctx, { month: "2024-02-01", accounts: [acc], method: "OldestFirst" }),
      );
      expect(none.Settlements).to.deep.equal([]);
    });

    it("end to end: an overpayment stays as credit and the next GroupAccrual consumes it (a repost too)", async () => {
      const acc = await account(w, ["A", "B"]); // 1 resident: A 100.00, B 200.00 a month
      const adv = await pay(p, acc, "2024-03-20T10:00:00", "450.00");
      expect(await settlementRows(adv.id)).to.deep.equal([["-", "2024-03", "450.00", "expense"]]);
      const march = await doc(p, "GroupAccrual", {
        date: "2024-03-31T20:00:00",
        Month: "2024-03-01",
        AccrueServices: true,
        AccruePenalties: false,
        DistributionMethod: "ProportionalToDebt",
        Accounts: [{ Account: acc }],
      });
      expect(await balances(p, w, acc, "2024-03-31")).to.deep.equal({ "-|2024-03-01": "-150.00" });
      await repost(p, "GroupAccrual", march.id);
      expect(await balances(p, w, acc, "2024-03-31")).to.deep.equal({ "-|2024-03-01": "-150.00" });
      // April's charges 300.00 take the remaining 150.00 in proportion: A 50.00, B 100.00
      await doc(p, "GroupAccrual", {
        date: "2024-04-30T20:00:00",
        Month: "2024-04-01",
        AccrueServices: true,
        AccruePenalties: false,
        Accounts: [{ Account: acc }],
      });
      expect(await balances(p, w, acc, "2024-04-30")).to.deep.equal({
        "A|2024-04-01": "50.00",
        "B|2024-04-01": "100.00",
      });
      // the advance was not penalised nor are the consumed charges: a payment of exactly the debt leaves nothing
      const last = await pay(p, acc, "2024-05-05T10:00:00", "150.00");
      expect(await settlementRows(last.id)).to.deep.equal([
        ["A", "2024-04", "50.00", "expense"],
        ["B", "2024-04", "100.00", "expense"],
      ]);
      expect(await balances(p, w, acc)).to.deep.equal({});
    });
  });
});
