// Bookkeeping on random documents (issue 16 §5): a fast-check plan from a fixed seed (FC_SEED=…
// tries another; a failure prints the seed) of hundreds of ЖКХ documents over eight months of
// 2011 — opening balances (debts, credits, penalties), monthly group accruals (with penalties in
// some months), recalculations of either sign, payments from the bank, the cash desk and an agent
// (some naming services), a repost and an unpost — posted on a real database. Then, whatever the
// plan: Σ Дт = Σ Кт in every month; verify finds no difference between the register's totals and
// its movements; and the books agree with the operational registers — 62.01 per building and
// service is the Settlements balance of that building's accounts, 62.02 per building their advances
// (Settlements without a service), 76.02 per building the Penalties balance, 90.01 the charges
// (Accruals.Amount + Recalculation), 51 + 50.01 + 57.01 the payments.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import * as cat from "../../server/catalogs/service.ts";
import { accountingTurnovers } from "../../server/accounting/read.ts";
import { verify } from "../../server/registers/index.ts";
import { writeCheckedRecords } from "../../server/registers/checked.ts";
import {
  account,
  doc,
  inArea,
  item,
  loadKeyRates,
  openZhkh,
  penaltySettings,
  read,
  seedWorld,
  type Row,
  type World,
} from "./payments-fixtures.ts";

const SEED = Number(process.env.FC_SEED ?? 20111130);
const MONTHS = ["2011-01", "2011-02", "2011-03", "2011-04", "2011-05", "2011-06", "2011-07", "2011-08"];
const SERVICES = ["A", "B", "C", "N"] as const;
const ACCOUNTS = 8;

/** Kopecks as an amount text. */
const money = (k: number) => new Decimal(k).div(100).toFixed(2);

interface Plan {
  connections: (typeof SERVICES)[number][][];
  opening: { account: number; service: number; month: number; kopecks: number }[];
  openingPenalties: { account: number; kopecks: number }[];
  months: {
    penalties: boolean;
    payments: {
      account: number;
      kopecks: number;
      day: number;
      source: "Bank" | "Cash" | "Agent";
      service: number | null;
    }[];
    recalculations: { account: number; service: number; kopecks: number; back: number; day: number }[];
  }[];
}

const nonZero = (min: number, max: number) => fc.integer({ min, max }).filter((x) => x !== 0);
const plan: fc.Arbitrary<Plan> = fc.record({
  connections: fc.array(fc.subarray([...SERVICES], { minLength: 1 }), {
    minLength: ACCOUNTS,
    maxLength: ACCOUNTS,
  }),
  opening: fc.array(
    fc.record({
      account: fc.nat(ACCOUNTS - 1),
      service: fc.nat(SERVICES.length - 1),
      month: fc.nat(2),
      kopecks: nonZero(-50_000, 300_000),
    }),
    { minLength: 5, maxLength: 12 },
  ),
  openingPenalties: fc.array(fc.record({ account: fc.nat(ACCOUNTS - 1), kopecks: nonZero(1, 50_000) }), {
    minLength: 1,
    maxLength: 4,
  }),
  months: fc.array(
    fc.record({
      penalties: fc.boolean(),
      payments: fc.array(
        fc.record({
          account: fc.nat(ACCOUNTS - 1),
          kopecks: fc.integer({ min: 1, max: 40_000 }),
          day: fc.integer({ min: 1, max: 27 }),
          source: fc.constantFrom("Bank" as const, "Cash" as const, "Agent" as const),
          service: fc.option(fc.nat(SERVICES.length - 1), { freq: 4 }),
        }),
        { minLength: 20, maxLength: 30 },
      ),
      recalculations: fc.array(
        fc.record({
          account: fc.nat(ACCOUNTS - 1),
          service: fc.nat(SERVICES.length - 1),
          kopecks: nonZero(-30_000, 30_000),
          back: fc.nat(1),
          day: fc.integer({ min: 1, max: 27 }),
        }),
        { minLength: 6, maxLength: 12 },
      ),
    }),
    { minLength: MONTHS.length, maxLength: MONTHS.length },
  ),
});

const dd = (d: number) => String(d).padStart(2, "0");

describe("accounting: hundreds of random ЖКХ documents keep the books balanced and equal to the registers", function () {
  this.timeout(600_000);
  let p: Platform;

  after(() => p?.close());

  it(`Σ Дт = Σ Кт per month, verify clean, 62.01 / 62.02 / 76.02 / 90.01 / cash accounts = the registers (seed ${SEED})`, async () => {
    const [generated] = fc.sample(plan, { seed: SEED, numRuns: 1 });
    p = await openZhkh("accrandom");
    const w: World = await seedWorld(p);
    await loadKeyRates(p);
    await penaltySettings(p, "2010-10-01", { ChangeDueDay: true, DueDay: 10, ChangeRate: true, Mode: "Statutory" });
    // a second building of an organization on УСН; service B carries 20 % VAT (posted for ОСНО only)
    const org2 = await item(p, "Organizations", { name: "ООО Второе", TaxRegime: "SimplifiedIncome" });
    const building2 = await item(p, "Buildings", { name: "д.57", Address: "д.57", Organization: org2 });
    await inArea(p, (ctx) => cat.updateCatalogItem(ctx, "Services", w.services.B, { VatRate: "Vat20" }));
    const agent = await item(p, "Counterparties", { name: "Платежный агент" });
    const accounts: string[] = [];
    for (const [i, c] of generated.connections.entries()) {
      const a = await account(w, c);
      if (i % 3 === 2)
        await inArea(p, (ctx) => cat.updateCatalogItem(ctx, "PersonalAccounts", a, { Building: building2 }));
      accounts.push(a);
    }
    // a 50 % benefit on service A for the one person of the first account with A (Дт 76.09 Кт 62.01)
    const category = await item(p, "BenefitCategories", {
      name: "Ветеран труда",
      Percent: "50.00",
      Services: [{ Service: w.services.A }],
    });
    await inArea(p, (ctx) =>
      writeCheckedRecords(ctx, ctx.conf.informationRegisters.get("AccountBenefits")!, [
        {
          Account:
            accounts[
              Math.max(
                0,
                generated.connections.findIndex((c) => c.includes("A")),
              )
            ],
          Category: category,
          Persons: 1,
          From: null,
          To: null,
        },
      ]),
    );
    const connected = (a: number, s: number) => generated.connections[a].includes(SERVICES[s]);
    let count = 0;
    const payments: string[] = [];
    let paid = new Decimal(0);

    // opening balances on 31.12.2010 (debts of Oct–Dec 2010, a negative one a credit)
    const debts = generated.opening.filter((o) => connected(o.account, o.service));
    await doc(p, "OpeningBalances", {
      date: "2010-12-31T23:00:00",
      Debts: debts.map((o) => ({
        Account: accounts[o.account],
        Service: w.services[SERVICES[o.service]],
        DebtPeriod: `2010-${10 + o.month}-01`,
        Amount: money(o.kopecks),
      })),
      Penalties: generated.openingPenalties.map((o) => ({ Account: accounts[o.account], Amount: money(o.kopecks) })),
    });
    count++;

    for (const [m, spec] of generated.months.entries()) {
      const month = MONTHS[m];
      const events: { day: number; run: () => Promise<void> }[] = [];
      for (const [i, pay] of spec.payments.entries()) {
        const service = pay.service !== null && connected(pay.account, pay.service) ? pay.service : null;
        events.push({
          day: pay.day,
          run: async () => {
            const d = await doc(p, "Payment", {
              date: `${month}-${dd(pay.day)}T10:${dd(i % 60)}:00`,
              Account: accounts[pay.account],
              Amount: money(pay.kopecks),
              SourceKind: pay.source,
              Agent: pay.source === "Agent" ? agent : null,
              Services:
                service === null ? [] : [{ Service: w.services[SERVICES[service]], Amount: money(pay.kopecks) }],
            });
            payments.push(d.id);
            paid = paid.plus(money(pay.kopecks));
          },
        });
      }
      if (m > 0)
        for (const r of spec.recalculations.filter((x) => connected(x.account, x.service)))
          events.push({
            day: r.day,
            run: async () => {
              await doc(p, "Recalculation", {
                date: `${month}-${dd(r.day)}T09:00:00`,
                Month: `${month}-01`,
                CorrectedPeriod: `${MONTHS[m - 1 - (m > 1 ? r.back : 0)]}-01`,
                Account: accounts[r.account],
                Service: w.services[SERVICES[r.service]],
                ReasonKind: "Correction",
                Amount: money(r.kopecks),
              });
            },
          });
      events.sort((a, b) => a.day - b.day);
      for (const e of events) {
        await e.run();
        count++;
      }
      await doc(p, "GroupAccrual", {
        date: `${month}-28T23:00:00`,
        Month: `${month}-01`,
        AccrueServices: true,
        AccruePenalties: spec.penalties,
        Accounts: accounts.map((a) => ({ Account: a })),
      });
      count++;
    }
    // a repost and an unpost change nothing of the above
    await inArea(p, (ctx) => docs.postDocument(ctx, "Payment", payments[3]));
    const dropped = payments[7];
    await inArea(p, (ctx) => docs.unpostDocument(ctx, "Payment", dropped));
    const droppedAmount = new Decimal(
      String((await inArea(p, (ctx) => docs.getDocument(ctx, "Payment", dropped))).Amount),
    );
    paid = paid.minus(droppedAmount);
    expect(count, "documents posted").to.be.greaterThan(200);

    const reg = p.conf.accountingRegisters.get("Accounting")!;
    // 1. Σ Дт = Σ Кт in every month
    const monthly = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg, "2010-12-01", "2011-08-31", "month"),
    );
    const byMonth = new Map<string, [Decimal, Decimal]>();
    for (const r of monthly) {
      const k = String(r.period);
      const t = byMonth.get(k) ?? [new Decimal(0), new Decimal(0)];
      byMonth.set(k, [t[0].plus(String(r.AmountTurnoverDr)), t[1].plus(String(r.AmountTurnoverCr))]);
    }
    expect(byMonth.size).to.equal(9);
    for (const [k, [dr, cr]] of byMonth) expect(dr.toFixed(2), k).to.equal(cr.toFixed(2));
    // 2. verify: totals = movements
    expect(await inArea(p, (ctx) => verify(ctx.c, reg.storage))).to.deep.equal([]);

    // 3. the books = the registers
    const all = await inArea(p, (ctx) => accountingTurnovers(ctx.c, p.conf, reg, "2010-01-01", "2011-12-31", "none"));
    const net = (code: string) => {
      const out = new Map<string, Decimal>();
      for (const r of all.filter((x) => x.Account === code)) {
        const k = [r.Analytics1, r.Analytics2].map((x) => x ?? "").join("|");
        out.set(k, (out.get(k) ?? new Decimal(0)).plus(String(r.AmountTurnoverDr)).minus(String(r.AmountTurnoverCr)));
      }
      return Object.fromEntries([...out].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
    };
    const buildingOf = new Map<string, string>();
    for (const [i, a] of accounts.entries()) buildingOf.set(a, i % 3 === 2 ? building2 : w.building);
    const settlements = await read(p, (api) => api.registers.Settlements.balance(undefined, { Account: accounts }));
    const bySettlement = (advance: boolean) => {
      const out = new Map<string, Decimal>();
      for (const r of settlements) {
        if ((r.Service === null) !== advance) continue;
        const k = advance ? `${buildingOf.get(r.Account!)}|` : `${buildingOf.get(r.Account!)}|${r.Service}`;
        out.set(k, (out.get(k) ?? new Decimal(0)).plus(String(r.Amount)));
      }
      return Object.fromEntries([...out].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
    };
    expect(net("62.01"), "62.01 = Settlements by building and service").to.deep.equal(bySettlement(false));
    expect(net("62.02"), "62.02 = the advances by building").to.deep.equal(bySettlement(true));
    const penalties = await read(p, (api) => api.registers.Penalties.balance(undefined, { Account: accounts }));
    const penaltyBy = new Map<string, Decimal>();
    for (const r of penalties) {
      const k = `${buildingOf.get(r.Account!)}|`;
      penaltyBy.set(k, (penaltyBy.get(k) ?? new Decimal(0)).plus(String(r.Amount)));
    }
    expect(net("76.02"), "76.02 = Penalties by building").to.deep.equal(
      Object.fromEntries([...penaltyBy].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)])),
    );
    const accruals = await read(p, (api) =>
      api.registers.Accruals.turnovers("2011-01-01", "2011-12-31", "none", { Account: accounts }),
    );
    const charged = accruals.reduce((s, r) => s.plus(String(r.Amount)).plus(String(r.Recalculation)), new Decimal(0));
    const revenue = Object.values(net("90.01")).reduce((s, v) => s.minus(v), new Decimal(0));
    expect(revenue.toFixed(2), "90.01 = Σ charges").to.equal(charged.toFixed(2));
    const cash = ["51", "50.01", "57.01"]
      .flatMap((c) => Object.values(net(c)))
      .reduce((s, v) => s.plus(v), new Decimal(0));
    expect(cash.toFixed(2), "51 + 50.01 + 57.01 = Σ payments").to.equal(paid.toFixed(2));
    if (SEED === 20111130) {
      // the fixed seed's plan reaches every kind of entry: penalties, advances, VAT, benefits, netting
      expect(Object.keys(net("76.02")), "penalties").not.to.be.empty;
      expect(Object.keys(net("62.02")), "advances").not.to.be.empty;
      expect(Object.keys(net("68.02")), "VAT").not.to.be.empty;
      expect(Object.keys(net("76.09")), "benefits").not.to.be.empty;
    }
    if (process.env.ACC_RANDOM_DEBUG)
      console.log({
        count,
        penalties: net("76.02"),
        advances: net("62.02"),
        vat: net("68.02"),
        benefits: net("76.09"),
        netting: all.filter((r) => r.Account === "62.01").length,
      });
    // 000 nets to the opening balances only: its balance is −(opening debts + penalties)
    const opening = [...debts.map((o) => o.kopecks), ...generated.openingPenalties.map((o) => o.kopecks)].reduce(
      (s, k) => s + k,
      0,
    );
    expect(
      Object.values(net("000"))
        .reduce((s, v) => s.plus(v), new Decimal(0))
        .toFixed(2),
    ).to.equal(money(-opening));
  });
});
