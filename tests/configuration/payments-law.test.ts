// Payments by law (issue 15 §7; DOMAIN.md §6; docs/payments.md): the named period first (ГК РФ
// ст.319.1, Пленум ВС № 22 п.32), otherwise the oldest period first and within one period
// proportionally to the services' debts (Правила 354 п.118) — the default; the seed's
// «Пропорционально задолженности» over all periods as an organization's choice; credits of a
// service and month netted against the debts before a payment is split; bad input refused
// naming the object and the field, with nothing written. Every figure is computed by hand in
// the comments.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import type { ListQuery } from "../../server/storage/list.ts";
import {
  distribute,
  distributePayment,
  methodFor,
  netCredits,
  settlePayment,
  type Debt,
} from "../../metadata/common/distribution.ts";
import { gostPaymentString } from "../../reports/receipt/gost.ts";
import {
  openZhkh,
  seedWorld,
  account,
  charge,
  pay,
  doc,
  item,
  repost,
  movements,
  rejects,
  inArea,
  balances,
  type World,
} from "./payments-fixtures.ts";

const D = (x: string | number) => new Decimal(x);
const debt = (
  service: string | null,
  debtPeriod: string,
  amount: string,
  receiptOrder: number | null = null,
): Debt => ({
  service,
  debtPeriod,
  amount: D(amount),
  receiptOrder,
});
type Listed = { service: string | null; debtPeriod: string; amount: Decimal };
const list = (xs: Listed[]) => xs.map((a) => [a.service ?? "-", a.debtPeriod.slice(0, 7), a.amount.toFixed(2)]);
const alloc = (r: { allocations: Listed[] }) => list(r.allocations);
const total = (xs: Listed[]) => xs.reduce((s, a) => s.plus(a.amount), D(0)).toFixed(2);

/** A deterministic pseudo-random sequence (LCG) for the property checks. */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => ((s = (s * 1103515245 + 12345) % 2147483648), s % n);
}

const LAW = "OldestPeriodProportional";

describe("configuration: payments by law (ГК 319.1, Пленум ВС № 22 п.32, Правила 354 п.118)", function () {
  describe("the method (pure)", () => {
    // January: A 100.00, B 300.00; February: A 200.00, B 200.00 (A first in receipt order)
    const debts = [
      debt("B", "2024-02-01", "200.00", 2),
      debt("A", "2024-01-01", "100.00", 1),
      debt("A", "2024-02-01", "200.00", 1),
      debt("B", "2024-01-01", "300.00", 2),
    ];

    it("ГК 319.1 + Правила 354 п.118: the oldest period is paid first, the period the money runs out in proportionally to the services' debts", () => {
      // 500.00: January 400.00 in full; the last 100.00 over February's 200 : 200 → 50.00 / 50.00
      expect(alloc(distribute(D("500.00"), debts, LAW))).to.deep.equal([
        ["A", "2024-01", "100.00"],
        ["B", "2024-01", "300.00"],
        ["A", "2024-02", "50.00"],
        ["B", "2024-02", "50.00"],
      ]);
      // 200.00: January only, 100 : 300 → 50.00 / 150.00; February untouched
      expect(alloc(distribute(D("200.00"), debts, LAW))).to.deep.equal([
        ["A", "2024-01", "50.00"],
        ["B", "2024-01", "150.00"],
      ]);
      // 1,000.00: all 800.00, 200.00 left over
      const all = distribute(D("1000.00"), debts, LAW);
      expect([total(all.allocations), all.rest.toFixed(2)]).to.deep.equal(["800.00", "200.00"]);
      // the same as the input comes in any order
      expect(alloc(distribute(D("500.00"), [...debts].reverse(), LAW))).to.deep.equal(
        alloc(distribute(D("500.00"), debts, LAW)),
      );
    });

    it("Правила 354 п.118: within a period kopecks add up exactly — 100.00 over three equal debts is 33.34 / 33.33 / 33.33, the extra kopeck to the first in receipt order", () => {
      const three = [
        debt("c", "2024-01-01", "50.00", 3),
        debt("a", "2024-01-01", "50.00", 1),
        debt("b", "2024-01-01", "50.00", 2),
        debt("a", "2024-02-01", "50.00", 1),
      ];
      expect(alloc(distribute(D("100.00"), three, LAW))).to.deep.equal([
        ["a", "2024-01", "33.34"],
        ["b", "2024-01", "33.33"],
        ["c", "2024-01", "33.33"],
      ]);
    });

    it("the seed's «Пропорционально задолженности» is another choice: the same 500.00 split over all periods by each service's whole debt", () => {
      // A owes 300.00, B 500.00: 500.00 × 300/800 = 187.50 (January 100.00 first, February 87.50), B 312.50
      expect(alloc(distribute(D("500.00"), debts, "ProportionalToDebt"))).to.deep.equal([
        ["A", "2024-01", "100.00"],
        ["B", "2024-01", "300.00"],
        ["A", "2024-02", "87.50"],
        ["B", "2024-02", "12.50"],
      ]);
    });

    it("ГК 319.1 vs the seed's method on the demo's payment: 1 994,77 over the opening debt 2 045,64", () => {
      // receipt order: Тех. обслуживание 1, ХВС 2, ГВС 3, Водоотведение 5, Отопление 6
      const seed = [
        debt("Тех", "2011-09-01", "147.50", 1),
        debt("Отопление", "2011-09-01", "850.00", 6),
        debt("ХВС", "2011-10-01", "460.00", 2),
        debt("ГВС", "2011-10-01", "300.00", 3),
        debt("Водоотведение", "2011-10-01", "288.14", 5),
      ];
      // by law: September 997.50 in full; 997.27 over October's 1,048.14: 437.6745 / 285.4399 / 274.1555 →
      // 437.67 / 285.43 / 274.15 (997.25) and the 2 kopecks to the largest remainders (.99, .55)
      expect(alloc(distribute(D("1994.77"), seed, LAW))).to.deep.equal([
        ["Тех", "2011-09", "147.50"],
        ["Отопление", "2011-09", "850.00"],
        ["ХВС", "2011-10", "437.67"],
        ["ГВС", "2011-10", "285.44"],
        ["Водоотведение", "2011-10", "274.16"],
      ]);
      // the seed's method: 1,994.77 × debt / 2,045.64: 143.832 / 828.862 / 448.560 / 292.539 / 280.974 →
      // 143.83 / 828.86 / 448.56 / 292.53 / 280.97 (1,994.75), the 2 kopecks to ГВС (.97) and Водоотведение (.47)
      expect(alloc(distribute(D("1994.77"), seed, "ProportionalToDebt"))).to.deep.equal([
        ["Тех", "2011-09", "143.83"],
        ["Отопление", "2011-09", "828.86"],
        ["ХВС", "2011-10", "448.56"],
        ["ГВС", "2011-10", "292.54"],
        ["Водоотведение", "2011-10", "280.98"],
      ]);
    });

    it("the method: the payment's own choice, else its organization's, else by law", () => {
      expect(methodFor(null, null)).to.equal(LAW);
      expect(methodFor(undefined, "ProportionalToDebt")).to.equal("ProportionalToDebt");
      expect(methodFor("OldestFirst", "ProportionalToDebt")).to.equal("OldestFirst");
      expect(methodFor("", "nonsense")).to.equal(LAW);
    });
  });

  describe("the named period (pure)", () => {
    // January: A 100.00, B 100.00; February: A 300.00, B 100.00
    const debts = [
      debt("A", "2024-01-01", "100.00", 1),
      debt("B", "2024-01-01", "100.00", 2),
      debt("A", "2024-02-01", "300.00", 1),
      debt("B", "2024-02-01", "100.00", 2),
    ];
    const payment = (amount: string, paidMonth: string | null) =>
      distributePayment({ amount: D(amount), debts, penalties: D(0), method: LAW, paidMonth });

    it("ГК 319.1: the named period is paid first, proportionally within it; the rest goes oldest first", () => {
      // 500.00 naming February: February 400.00 in full, the last 100.00 over January 100 : 100
      expect(alloc(payment("500.00", "2024-02-01"))).to.deep.equal([
        ["A", "2024-01", "50.00"],
        ["B", "2024-01", "50.00"],
        ["A", "2024-02", "300.00"],
        ["B", "2024-02", "100.00"],
      ]);
      // 200.00 naming February: February only, 300 : 100 → 150.00 / 50.00 (January, older, untouched)
      expect(alloc(payment("200.00", "2024-02-01"))).to.deep.equal([
        ["A", "2024-02", "150.00"],
        ["B", "2024-02", "50.00"],
      ]);
    });

    it("ГК 319.1: without a named period (or naming one without debt) the oldest period is paid first", () => {
      const oldest = [
        ["A", "2024-01", "100.00"],
        ["B", "2024-01", "100.00"],
      ];
      expect(alloc(payment("200.00", null))).to.deep.equal(oldest);
      expect(alloc(payment("200.00", "2024-03-01"))).to.deep.equal(oldest);
    });
  });

  describe("credits netted before a payment (pure)", () => {
    it("credits of a service and month are netted first: a service's negative opening balance pays that service's debt, then the payment is split over what is left", () => {
      // A: January −50.00 (credit), February 100.00; B: February 100.00
      const bal = [
        debt("A", "2024-01-01", "-50.00", 1),
        debt("A", "2024-02-01", "100.00", 1),
        debt("B", "2024-02-01", "100.00", 2),
      ];
      const n = netCredits(bal, LAW);
      expect(list(n.netting.debts)).to.deep.equal([["A", "2024-02", "50.00"]]);
      expect(list(n.netting.credits)).to.deep.equal([["A", "2024-01", "50.00"]]);
      expect(list(n.debts)).to.deep.equal([
        ["A", "2024-02", "50.00"],
        ["B", "2024-02", "100.00"],
      ]);
      // 100.00 over February's 50 : 100 → 33.333 / 66.667 → 33.33 / 66.66, the kopeck to B (.67 of a kopeck)
      const r = settlePayment({ amount: D("100.00"), balances: bal, penalties: D(0), method: LAW });
      expect(alloc(r)).to.deep.equal([
        ["A", "2024-02", "33.33"],
        ["B", "2024-02", "66.67"],
      ]);
      // without the netting the split would be 50.00 / 50.00, leaving B owing 50.00 while A's credit sat idle
      expect(
        alloc(distributePayment({ amount: D("100.00"), debts: bal, penalties: D(0), method: LAW })).map((a) => a[2]),
      ).to.deep.equal(["50.00", "50.00"]);
    });

    it("credits netted first: a service's credit pays its own oldest debt before any other", () => {
      // A: January 100.00, February −30.00, March 100.00; B: January 500.00 → A January takes the 30.00
      const n = netCredits(
        [
          debt("A", "2024-01-01", "100.00", 1),
          debt("A", "2024-02-01", "-30.00", 1),
          debt("A", "2024-03-01", "100.00", 1),
          debt("B", "2024-01-01", "500.00", 2),
        ],
        LAW,
      );
      expect([list(n.netting.debts), list(n.netting.credits)]).to.deep.equal([
        [["A", "2024-01", "30.00"]],
        [["A", "2024-02", "30.00"]],
      ]);
    });

    it("credits netted first: a refund of a service without debt of its own pays the other debts by law (oldest period first)", () => {
      // B: January −30.00 (a refund); A: January 100.00, February 100.00
      const bal = [
        debt("B", "2024-01-01", "-30.00", 2),
        debt("A", "2024-01-01", "100.00", 1),
        debt("A", "2024-02-01", "100.00", 1),
      ];
      const r = settlePayment({ amount: D("120.00"), balances: bal, penalties: D(0), method: LAW });
      expect([list(r.netting.debts), list(r.netting.credits)]).to.deep.equal([
        [["A", "2024-01", "30.00"]],
        [["B", "2024-01", "30.00"]],
      ]);
      // then 120.00: A January's remaining 70.00, A February 50.00
      expect(alloc(r)).to.deep.equal([
        ["A", "2024-01", "70.00"],
        ["A", "2024-02", "50.00"],
      ]);
    });

    it("credits netted first: an advance (no service) pays the oldest period's debts proportionally", () => {
      // advance February 40.00; January: A 100.00, B 60.00 → 40 × 100/160 = 25.00, 40 × 60/160 = 15.00
      const n = netCredits(
        [debt(null, "2024-02-01", "-40.00"), debt("A", "2024-01-01", "100.00", 1), debt("B", "2024-01-01", "60.00", 2)],
        LAW,
      );
      expect(list(n.netting.debts)).to.deep.equal([
        ["A", "2024-01", "25.00"],
        ["B", "2024-01", "15.00"],
      ]);
      expect(list(n.netting.credits)).to.deep.equal([["-", "2024-02", "40.00"]]);
      // two advances: the older gives first — January's 20.00, then 20.00 of February's 30.00
      const two = netCredits(
        [debt(null, "2024-01-01", "-20.00"), debt(null, "2024-02-01", "-30.00"), debt("A", "2024-03-01", "40.00", 1)],
        LAW,
      );
      expect(list(two.netting.credits)).to.deep.equal([
        ["-", "2024-01", "20.00"],
        ["-", "2024-02", "20.00"],
      ]);
    });

    it("credits netted first: credit beyond every debt stays a credit, and the whole payment is an advance", () => {
      // A: January −500.00, February 100.00; B: February 50.00 → A's credit pays A 100.00, then B 50.00; 350.00 stays
      const r = settlePayment({
        amount: D("70.00"),
        balances: [
          debt("A", "2024-01-01", "-500.00", 1),
          debt("A", "2024-02-01", "100.00", 1),
          debt("B", "2024-02-01", "50.00", 2),
        ],
        penalties: D(0),
        method: LAW,
      });
      expect(list(r.netting.debts)).to.deep.equal([
        ["A", "2024-02", "100.00"],
        ["B", "2024-02", "50.00"],
      ]);
      expect(list(r.netting.credits)).to.deep.equal([["A", "2024-01", "150.00"]]);
      expect([r.allocations.length, r.advance.toFixed(2)]).to.deep.equal([0, "70.00"]);
    });

    it("credits netted first: both sides add up, nothing beyond a debt or a credit, and what is left is only debt or only credit (random cases, every method)", () => {
      const rnd = lcg(5);
      for (let k = 0; k < 200; k++) {
        const byKey = new Map<string, Debt>();
        for (let i = 0; i < 1 + rnd(9); i++) {
          const service = rnd(5) === 0 ? null : `s${rnd(4)}`;
          const d = debt(
            service,
            `2024-0${1 + rnd(6)}-01`,
            D(rnd(40_000) - 15_000)
              .div(100)
              .toFixed(2),
            service ? rnd(5) : null,
          );
          byKey.set(`${d.service}|${d.debtPeriod}`, d);
        }
        const bal = [...byKey.values()];
        const owed = bal.filter((b) => b.service !== null && b.amount.gt(0)).reduce((s, b) => s.plus(b.amount), D(0));
        const credit = bal.filter((b) => b.amount.lt(0)).reduce((s, b) => s.minus(b.amount), D(0));
        for (const m of ["OldestPeriodProportional", "ProportionalToDebt", "OldestFirst", "ByServicePriority"]) {
          const n = netCredits(bal, m);
          const netted = total(n.netting.debts);
          expect(total(n.netting.credits), `${m} ${k}`).to.equal(netted);
          expect(netted, `${m} ${k}`).to.equal(Decimal.min(owed, credit).toFixed(2));
          const find = (a: Listed) => bal.find((b) => b.service === a.service && b.debtPeriod === a.debtPeriod)!;
          for (const a of n.netting.debts) expect(a.amount.lte(find(a).amount)).to.equal(true);
          for (const a of n.netting.credits) expect(a.amount.lte(find(a).amount.neg())).to.equal(true);
          expect(total(n.debts), `${m} ${k}`).to.equal(owed.minus(netted).toFixed(2));
        }
      }
    });
  });

  describe("the Payment document (database)", () => {
    let p: Platform;
    let w: World;
    const count = async () =>
      (await inArea(p, (ctx) => docs.listDocuments(ctx, "Payment", {} as ListQuery))).total as number;
    const names = () => Object.fromEntries(Object.entries(w.services).map(([k, v]) => [v, k]));
    const settlementRows = async (id: string) =>
      (await movements(p, "Payment", id, "Settlements")).map((r) => [
        r.Service ? names()[r.Service] : "-",
        String(r.DebtPeriod).slice(0, 7),
        r.Amount,
      ]);
    /** January: A 100.00, B 300.00; February: A 200.00, B 200.00. */
    const twoMonths = async (acc: string) => {
      await charge(p, "2024-01-01", [
        { account: acc, service: w.services.A, amount: "100.00" },
        { account: acc, service: w.services.B, amount: "300.00" },
      ]);
      await charge(p, "2024-02-01", [
        { account: acc, service: w.services.A, amount: "200.00" },
        { account: acc, service: w.services.B, amount: "200.00" },
      ]);
    };

    before(async () => {
      p = await openZhkh("zpaylaw");
      w = await seedWorld(p);
    });
    after(() => p?.close());

    it("ГК 319.1 + Правила 354 п.118 by default: a payment naming nothing pays the oldest period first, proportionally within the period", async () => {
      const acc = await account(w);
      await twoMonths(acc);
      const r = await pay(p, acc, "2024-03-05T10:00:00", "500.00");
      expect(await settlementRows(r.id)).to.have.deep.members([
        ["A", "2024-01", "100.00"],
        ["B", "2024-01", "300.00"],
        ["A", "2024-02", "50.00"],
        ["B", "2024-02", "50.00"],
      ]);
    });

    it("ГК 319.1: the period named in the bank's purpose («за 02.2024») is filled in and paid first", async () => {
      const acc = await account(w);
      await twoMonths(acc);
      const r = await pay(p, acc, "2024-03-05T10:00:00", "500.00", { Purpose: "Оплата ЖКУ за 02.2024, кв. 001" });
      expect(r.PaidMonth).to.equal("2024-02-01");
      // February 400.00 in full, the last 100.00 over January 100 : 300 → 25.00 / 75.00
      expect(await settlementRows(r.id)).to.have.deep.members([
        ["A", "2024-01", "25.00"],
        ["B", "2024-01", "75.00"],
        ["A", "2024-02", "200.00"],
        ["B", "2024-02", "200.00"],
      ]);
    });

    it("ГК 319.1: the period of the receipt's QR code (paymPeriod) is filled in and paid first; a PaidMonth given is kept as the month", async () => {
      const acc = await account(w);
      await twoMonths(acc);
      const qr = gostPaymentString({
        name: "ТСЖ Машенька",
        personalAcc: "1111111111222222222",
        bankName: "Мой банк",
        bic: "044525225",
        correspAcc: "30101810400000000225",
        payeeInn: "111111111",
        sum: "400.00",
        persAcc: "00000000001",
        period: "2024-02-01",
      });
      const r = await pay(p, acc, "2024-03-05T10:00:00", "200.00", { Purpose: qr });
      expect(r.PaidMonth).to.equal("2024-02-01");
      // February 200 : 200 → 100.00 / 100.00; January untouched
      expect(await settlementRows(r.id)).to.have.deep.members([
        ["A", "2024-02", "100.00"],
        ["B", "2024-02", "100.00"],
      ]);
      // an explicit PaidMonth wins over the purpose, and a day inside the month is kept as the month
      const r2 = await pay(p, acc, "2024-03-06T10:00:00", "100.00", { PaidMonth: "2024-01-20", Purpose: "за 02.2024" });
      expect(r2.PaidMonth).to.equal("2024-01-01");
      // January 100 : 300 → 25.00 / 75.00
      expect(await settlementRows(r2.id)).to.have.deep.members([
        ["A", "2024-01", "25.00"],
        ["B", "2024-01", "75.00"],
      ]);
    });

    it("the seed's «Пропорционально задолженности» remains a choice per organization; a payment's own choice overrides it", async () => {
      const org = await item(p, "Organizations", { name: "УК Пропорция", DistributionMethod: "ProportionalToDebt" });
      const building = await item(p, "Buildings", {
        name: "ул. Другая, д.1",
        Address: "ул. Другая, д.1",
        Organization: org,
      });
      const mk = (apt: string) =>
        item(p, "PersonalAccounts", {
          name: `Жилец ${apt}`,
          Building: building,
          Apartment: apt,
          TotalArea: "40.00",
          Residents: 1,
        });
      const acc = await mk("1");
      await twoMonths(acc);
      // A owes 300.00, B 500.00: A 187.50 (January 100.00, February 87.50), B 312.50 (January 300.00, February 12.50)
      const r = await pay(p, acc, "2024-03-05T10:00:00", "500.00");
      expect(await settlementRows(r.id)).to.have.deep.members([
        ["A", "2024-01", "100.00"],
        ["B", "2024-01", "300.00"],
        ["A", "2024-02", "87.50"],
        ["B", "2024-02", "12.50"],
      ]);
      const acc2 = await mk("2");
      await twoMonths(acc2);
      const own = await pay(p, acc2, "2024-03-05T10:00:00", "500.00", {
        DistributionMethod: "OldestPeriodProportional",
      });
      expect(await settlementRows(own.id)).to.have.deep.members([
        ["A", "2024-01", "100.00"],
        ["B", "2024-01", "300.00"],
        ["A", "2024-02", "50.00"],
        ["B", "2024-02", "50.00"],
      ]);
    });

    it("credits netted first, through the document: a negative opening balance of A pays A's debt, both sides posted, the money split over what is left; a repost is the same", async () => {
      const acc = await account(w);
      await doc(p, "OpeningBalances", {
        date: "2024-01-31T00:00:00",
        Debts: [{ Account: acc, Service: w.services.A, DebtPeriod: "2024-01-01", Amount: "-50.00" }],
        Penalties: [],
      });
      await charge(p, "2024-02-01", [
        { account: acc, service: w.services.A, amount: "100.00" },
        { account: acc, service: w.services.B, amount: "100.00" },
      ]);
      const r = await pay(p, acc, "2024-02-20T10:00:00", "100.00");
      // netting: A February 50.00 paid by A January's credit (a negative expense on the credit);
      // then 100.00 over February's A 50 : B 100 → 33.33 / 66.67
      const expected = [
        ["A", "2024-02", "50.00"],
        ["A", "2024-01", "-50.00"],
        ["A", "2024-02", "33.33"],
        ["B", "2024-02", "66.67"],
      ];
      expect(await settlementRows(r.id)).to.have.deep.members(expected);
      // the payment's records add up to its amount: the netting moves no money
      const sum = (await movements(p, "Payment", r.id, "Settlements")).reduce((s, x) => s.plus(x.Amount), D(0));
      expect(sum.toFixed(2)).to.equal("100.00");
      expect(await balances(p, w, acc)).to.deep.equal({ "A|2024-02-01": "16.67", "B|2024-02-01": "33.33" });
      await repost(p, "Payment", r.id);
      expect(await settlementRows(r.id)).to.have.deep.members(expected);
      expect(await balances(p, w, acc)).to.deep.equal({ "A|2024-02-01": "16.67", "B|2024-02-01": "33.33" });
    });

    it("bad input: a named period in the future is refused naming Оплата and «Период оплаты» (saved or posted), and nothing is written", async () => {
      const acc = await account(w);
      await twoMonths(acc);
      const before = await count();
      for (const post of [true, false]) {
        const e = await rejects(pay(p, acc, "2024-02-10T10:00:00", "100.00", { PaidMonth: "2024-03-01" }, post));
        expect(e.field).to.equal("PaidMonth");
        expect(e.message).to.contain("Оплата").and.contain("«Период оплаты» 03.2024 позже месяца платежа (02.2024)");
      }
      // the bank's purpose naming a future month, too
      const fromPurpose = await rejects(pay(p, acc, "2024-02-10T10:00:00", "100.00", { Purpose: "за март 2024" }));
      expect(fromPurpose.field).to.equal("PaidMonth");
      expect(await count()).to.equal(before);
      expect(await balances(p, w, acc)).to.deep.equal({
        "A|2024-01-01": "100.00",
        "B|2024-01-01": "300.00",
        "A|2024-02-01": "200.00",
        "B|2024-02-01": "200.00",
      });
      // the payment's own month is fine
      await pay(p, acc, "2024-02-10T10:00:00", "100.00", { PaidMonth: "2024-02-01" });
      expect(await count()).to.equal(before + 1);
    });

    it("bad input: a purpose naming no real month («за 13.2024»), a PaidMonth that is no date, an amount of zero or less — refused naming the field, nothing written", async () => {
      const acc = await account(w);
      await twoMonths(acc);
      const before = await count();
      const purpose = await rejects(pay(p, acc, "2024-03-05T10:00:00", "100.00", { Purpose: "Оплата за 13.2024" }));
      expect(purpose.field).to.equal("Purpose");
      expect(purpose.message).to.equal(
        "Оплата: в поле «Назначение платежа» «13.2024» — нет такого месяца; исправьте назначение или укажите «Период оплаты»",
      );
      const notADate = await rejects(pay(p, acc, "2024-03-05T10:00:00", "100.00", { PaidMonth: "2024-02-30" }));
      expect(notADate.field).to.equal("PaidMonth");
      for (const amount of ["0.00", "-1.00"]) {
        const e = await rejects(pay(p, acc, "2024-03-05T10:00:00", amount));
        expect(e.field).to.equal("Amount");
        expect(e.message).to.equal(`Оплата: «Сумма» должна быть больше нуля (указано ${amount})`);
      }
      expect(await count()).to.equal(before);
      expect(Object.keys(await balances(p, w, acc))).to.have.length(4);
    });
  });
});
