// Randomized entries through documents (warehouse fixture, document Operation): a fast-check sample
// from a fixed seed (ACC_SEED=… tries another) of documents with entries between random accounts
// and analytics over 18 months, some documents reposted with other entries or unposted. After it:
// per month Σ Дт = Σ Кт over the balance accounts; balances at random moments and turnovers per
// month equal a model summed in Decimal over the entries in force; verify finds no difference.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import fc from "fast-check";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import * as docs from "../../server/documents/service.ts";
import { inArea } from "../helpers/services.ts";
import { accountingBalance, accountingTurnovers, correspondence } from "../../server/accounting/read.ts";
import { verify } from "../../server/registers/index.ts";

type Row = Record<string, unknown>;

/** The leaf accounts of the fixture's chart: code, kind, the row fields their analytics take. */
const ACCOUNTS: { code: string; kind: string; fields: string[]; off?: boolean }[] = [
  { code: "10", kind: "active", fields: ["Product"] },
  { code: "41", kind: "active", fields: ["Product", "Warehouse"] },
  { code: "50", kind: "active", fields: [] },
  { code: "51", kind: "active", fields: [] },
  { code: "60", kind: "activePassive", fields: ["Counterparty"] },
  { code: "62", kind: "activePassive", fields: ["Counterparty"] },
  { code: "80", kind: "passive", fields: [] },
  { code: "90.01", kind: "passive", fields: ["ProductKind"] },
  { code: "90.02", kind: "active", fields: ["ProductKind"] },
  { code: "MZ", kind: "active", fields: ["Product"], off: true },
];
const BALANCE = ACCOUNTS.filter((a) => !a.off);

interface Entry {
  dr: number | null;
  cr: number | null;
  product: number;
  warehouse: number;
  counterparty: number;
  kind: number;
  cents: number;
}

const entryArb = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(fc.nat(BALANCE.length - 1), fc.nat(BALANCE.length - 2)) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constant(-1),
      fc.boolean().map((b) => (b ? 1 : 0)),
    ),
  },
);
const docArb = fc.record({
  month: fc.nat(17),
  day: fc.integer({ min: 1, max: 28 }),
  entries: fc.array(
    fc.record({
      pair: entryArb,
      product: fc.nat(2),
      warehouse: fc.nat(1),
      counterparty: fc.nat(2),
      kind: fc.nat(1),
      cents: fc.integer({ min: 1, max: 10_000_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

const toEntry = (e: Omit<Entry, "dr" | "cr"> & { pair: readonly number[] }): Entry => {
  const [a, b] = e.pair;
  if (a === -1) {
    // a one-sided entry of the off-balance MZ: debit or credit
    const mz = ACCOUNTS.findIndex((x) => x.off);
    return { ...e, dr: b ? mz : null, cr: b ? null : mz };
  }
  const dr = ACCOUNTS.indexOf(BALANCE[a]);
  const cr = ACCOUNTS.indexOf(BALANCE[b >= a ? b + 1 : b]);
  return { ...e, dr, cr };
};

describe("accounting register: randomized entries against a model", function () {
  this.timeout(300_000);
  let p: Platform;
  const reg = () => p.conf.accountingRegisters.get("Accounting")!;
  const ids: Record<string, string[]> = { Product: [], Warehouse: [], Counterparty: [] };
  const KINDS = ["Goods", "Service"];
  const seed = Number(process.env.ACC_SEED ?? 20261207);
  /** The entries in force per document id, with each document's date. */
  const inForce = new Map<string, { date: string; entries: Entry[] }>();

  const value = (e: Entry, field: string) =>
    field === "ProductKind"
      ? KINDS[e.kind]
      : ids[field][field === "Product" ? e.product : field === "Warehouse" ? e.warehouse : e.counterparty];
  const row = (e: Entry): Row => ({
    AccountDr: e.dr === null ? null : ACCOUNTS[e.dr].code,
    AccountCr: e.cr === null ? null : ACCOUNTS[e.cr].code,
    Product: ids.Product[e.product],
    Warehouse: ids.Warehouse[e.warehouse],
    Counterparty: ids.Counterparty[e.counterparty],
    ProductKind: KINDS[e.kind],
    Amount: new Decimal(e.cents).div(100).toFixed(2),
  });
  const dateOf = (d: { month: number; day: number }) => {
    const y = 2025 + Math.floor(d.month / 12);
    const m = (d.month % 12) + 1;
    return `${y}-${String(m).padStart(2, "0")}-${String(d.day).padStart(2, "0")}T12:00:00`;
  };

  /** The model: per key (code|analytics…) the net (Дт − Кт) of the entries in force up to `at`. */
  const modelBalance = (at: string) => {
    const net = new Map<string, Decimal>();
    const add = (i: number | null, e: Entry, sign: number) => {
      if (i === null) return;
      const a = ACCOUNTS[i];
      const key = [a.code, ...a.fields.map((f) => value(e, f))].join("|");
      net.set(key, (net.get(key) ?? new Decimal(0)).plus(new Decimal(e.cents).div(100).times(sign)));
    };
    for (const d of inForce.values()) {
      if (d.date > at) continue;
      for (const e of d.entries) {
        add(e.dr, e, 1);
        add(e.cr, e, -1);
      }
    }
    const out: Record<string, [string, string]> = {};
    for (const [key, n] of net) {
      if (n.isZero()) continue;
      const kind = ACCOUNTS.find((a) => a.code === key.split("|")[0])!.kind;
      const z = new Decimal(0);
      const [dr, cr] =
        kind === "active" ? [n, z] : kind === "passive" ? [z, n.neg()] : n.isNeg() ? [z, n.neg()] : [n, z];
      out[key] = [dr.toFixed(2), cr.toFixed(2)];
    }
    return out;
  };

  before(async () => {
    p = await testPlatform();
    await inArea(p, async (ctx) => {
      for (const n of ["Болт", "Гайка", "Шайба"])
        ids.Product.push((await cat.createCatalogItem(ctx, "Products", { name: n })).id);
      for (const n of ["Склад 1", "Склад 2"])
        ids.Warehouse.push((await cat.createCatalogItem(ctx, "Warehouses", { name: n })).id);
      for (const n of ["А", "Б", "В"])
        ids.Counterparty.push((await cat.createCatalogItem(ctx, "Counterparties", { name: `Контрагент ${n}` })).id);
    });
  });
  after(() => p.close());

  it(`posts, reposts and unposts random documents (seed ${seed}); Σ Дт = Σ Кт per month, balances and turnovers equal the model, verify is clean`, async () => {
    const plan = fc.sample(fc.array(docArb, { minLength: 40, maxLength: 40 }), { seed, numRuns: 1 })[0];
    const changes = fc.sample(fc.array(fc.tuple(fc.nat(39), fc.boolean(), docArb), { minLength: 10, maxLength: 10 }), {
      seed: seed + 1,
      numRuns: 1,
    })[0];
    for (const d of plan) {
      const entries = d.entries.map(toEntry);
      const doc = await inArea(p, (ctx) =>
        docs.createDocument(ctx, "Operation", { date: dateOf(d), Entries: entries.map(row) }, { post: true }),
      );
      inForce.set(doc.id as string, { date: dateOf(d), entries });
    }
    const all = [...inForce.keys()];
    for (const [i, unpost, d] of changes) {
      const id = all[i];
      if (unpost) {
        await inArea(p, (ctx) => docs.unpostDocument(ctx, "Operation", id));
        inForce.delete(id);
        continue;
      }
      const entries = d.entries.map(toEntry);
      await inArea(p, async (ctx) => {
        const cur = await docs.getDocument(ctx, "Operation", id);
        await docs.updateDocument(ctx, "Operation", id, {
          version: cur.version,
          date: dateOf(d),
          Entries: entries.map(row),
        });
        await docs.postDocument(ctx, "Operation", id);
      });
      inForce.set(id, { date: dateOf(d), entries });
    }

    // Σ Дт = Σ Кт over the balance accounts, month by month
    const monthly = await inArea(p, (ctx) =>
      accountingTurnovers(ctx.c, p.conf, reg(), "2025-01-01", "2026-06-30T23:59:59", "month"),
    );
    const months = new Map<string, { dr: Decimal; cr: Decimal }>();
    for (const r of monthly) {
      if (r.Account === "MZ") continue;
      const m = months.get(String(r.period)) ?? { dr: new Decimal(0), cr: new Decimal(0) };
      m.dr = m.dr.plus(String(r.AmountTurnoverDr));
      m.cr = m.cr.plus(String(r.AmountTurnoverCr));
      months.set(String(r.period), m);
    }
    expect(months.size).to.be.greaterThan(6);
    for (const [month, m] of months) expect(m.dr.toFixed(2), month).to.equal(m.cr.toFixed(2));

    // the model's turnovers per account and month
    const model = new Map<string, Decimal>();
    for (const d of inForce.values())
      for (const e of d.entries) {
        const month = `${d.date.slice(0, 7)}-01`;
        for (const [i, side] of [
          [e.dr, "Dr"],
          [e.cr, "Cr"],
        ] as const) {
          if (i === null) continue;
          const k = `${month}|${ACCOUNTS[i].code}|${side}`;
          model.set(k, (model.get(k) ?? new Decimal(0)).plus(new Decimal(e.cents).div(100)));
        }
      }
    const got = new Map<string, Decimal>();
    for (const r of monthly)
      for (const side of ["Dr", "Cr"]) {
        const v = new Decimal(String(r[`AmountTurnover${side}`]));
        if (v.isZero()) continue;
        const k = `${r.period}|${r.Account}|${side}`;
        got.set(k, (got.get(k) ?? new Decimal(0)).plus(v));
      }
    const text = (m: Map<string, Decimal>) =>
      Object.fromEntries([...m].filter(([, v]) => !v.isZero()).map(([k, v]) => [k, v.toFixed(2)]));
    expect(text(got)).to.deep.equal(text(model));

    // balances at random moments (and all time)
    const moments = fc.sample(fc.tuple(fc.nat(18), fc.integer({ min: 1, max: 28 })), { seed: seed + 2, numRuns: 8 });
    for (const at of [...moments.map(([m, d]) => dateOf({ month: m, day: d })), "2027-01-01T00:00:00"]) {
      const rows = await inArea(p, (ctx) => accountingBalance(ctx.c, p.conf, reg(), at));
      const got = Object.fromEntries(
        rows.map((r) => [
          [r.Account, r.Analytics1, r.Analytics2].filter((x) => x !== null).join("|"),
          [r.AmountDr, r.AmountCr],
        ]),
      );
      expect(got, `balance at ${at}`).to.deep.equal(modelBalance(at));
    }

    // correspondence over everything: per pair, the sum of the entries in force
    const pairs = new Map<string, Decimal>();
    for (const d of inForce.values())
      for (const e of d.entries) {
        const k = `${e.dr === null ? "" : ACCOUNTS[e.dr].code}>${e.cr === null ? "" : ACCOUNTS[e.cr].code}`;
        pairs.set(k, (pairs.get(k) ?? new Decimal(0)).plus(new Decimal(e.cents).div(100)));
      }
    const cor = await inArea(p, (ctx) => correspondence(ctx.c, p.conf, reg(), "2025-01-01", "2026-12-31"));
    expect(Object.fromEntries(cor.map((r) => [`${r.AccountDr ?? ""}>${r.AccountCr ?? ""}`, r.Amount]))).to.deep.equal(
      text(pairs),
    );

    expect(await inArea(p, (ctx) => verify(ctx.c, reg().storage))).to.deep.equal([]);
  });
});
