// Information registers: slices of last and first values (independent ExchangeRates and
// recorder-written PriceHistory, both periodic by day), record sets of recorders with the key
// conflict refused, direct writes, deletes and paged lists, month periods, and a plan check
// that a slice is a lookup per key rather than a scan of history.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { tx, type Client } from "../../server/storage/db.ts";
import { UserError } from "../../server/errors.ts";
import {
  forgetSliceStatistics,
  sliceFirst,
  sliceLast,
  writeRecords,
  deleteRecords,
  listRecords,
  writeInfoRecordSet,
  clearInfoRecordSet,
  readInfoRecordSet,
} from "../../server/registers/index.ts";
import type { InformationRegisterMeta } from "../../server/metadata/types.ts";

type Row = Record<string, unknown>;

describe("information registers", function () {
  this.timeout(120_000);
  let p: Platform;
  let p1: string, p2: string, p3: string;
  const rates = () => p.conf.informationRegisters.get("ExchangeRates")!;
  const prices = () => p.conf.informationRegisters.get("PriceHistory")!;
  const run = <T>(fn: (c: Client) => Promise<T>) => tx(p.db.app, 1, fn);
  const rate = (Currency: string, period: string, Rate: string, Multiplier = "1") => ({
    period,
    Currency,
    Rate,
    Multiplier,
  });
  const pick = (rows: Row[]) => rows.map((r) => `${r.Currency ?? r.Product}@${r.period}=${r.Rate ?? r.Price}`);
  async function failure(fn: () => Promise<unknown>): Promise<UserError> {
    try {
      await fn();
    } catch (e) {
      expect(e).to.be.instanceOf(UserError);
      return e as UserError;
    }
    throw new Error("expected a UserError");
  }

  before(async () => {
    p = await testPlatform();
    await run(async (c) => {
      const ins = async (code: string, name: string) =>
        (await c.query(`INSERT INTO cat_products(code, name) VALUES ($1, $2) RETURNING id`, [code, name])).rows[0]
          .id as string;
      p1 = await ins("00000000001", "Гвозди");
      p2 = await ins("00000000002", "Шурупы");
      p3 = await ins("00000000003", "Дюбели");
    });
  });
  after(() => p?.close());

  it("sliceLast and sliceFirst of an independent register, with filters and moments before the first record", async () => {
    const n = await run((c) =>
      writeRecords(c, p.conf, rates(), [
        rate("USD", "2024-01-01", "90.1234"),
        rate("USD", "2024-01-15", "91"),
        rate("USD", "2024-02-01", "92"),
        rate("EUR", "2024-01-10", "100"),
        rate("EUR", "2024-03-01", "101"),
        rate("CNY", "2024-05-01", "12.5", "10"),
      ]),
    );
    expect(n).to.equal(6);
    expect(pick(await run((c) => sliceLast(c, p.conf, rates(), "2024-01-20")))).to.deep.equal([
      "EUR@2024-01-10=100.0000",
      "USD@2024-01-15=91.0000",
    ]);
    expect(pick(await run((c) => sliceLast(c, p.conf, rates(), "2024-01-15")))).to.deep.equal([
      "EUR@2024-01-10=100.0000",
      "USD@2024-01-15=91.0000",
    ]);
    expect(await run((c) => sliceLast(c, p.conf, rates(), "2023-12-31"))).to.deep.equal([]);
    expect(pick(await run((c) => sliceLast(c, p.conf, rates())))).to.deep.equal([
      "CNY@2024-05-01=12.5000",
      "EUR@2024-03-01=101.0000",
      "USD@2024-02-01=92.0000",
    ]);
    expect(await run((c) => sliceLast(c, p.conf, rates(), "2024-02-15", { Currency: "EUR" }))).to.deep.equal([
      { period: "2024-01-10", Currency: "EUR", Rate: "100.0000", Multiplier: "1" },
    ]);
    expect(await run((c) => sliceLast(c, p.conf, rates(), "2024-01-05", { Currency: "EUR" }))).to.deep.equal([]);
    expect(pick(await run((c) => sliceFirst(c, p.conf, rates(), "2024-01-11")))).to.deep.equal([
      "CNY@2024-05-01=12.5000",
      "EUR@2024-03-01=101.0000",
      "USD@2024-01-15=91.0000",
    ]);
    expect(pick(await run((c) => sliceFirst(c, p.conf, rates())))).to.deep.equal([
      "CNY@2024-05-01=12.5000",
      "EUR@2024-01-10=100.0000",
      "USD@2024-01-01=90.1234",
    ]);
    expect(await run((c) => sliceFirst(c, p.conf, rates(), "2024-06-01"))).to.deep.equal([]);
    const e = await failure(() => run((c) => sliceLast(c, p.conf, rates(), "2024-01-01", { Country: "RU" })));
    expect(e.code).to.equal("unknown_dimension");
  });

  it("writes by key (upsert), deletes by key and lists with a total", async () => {
    await run((c) => writeRecords(c, p.conf, rates(), [rate("USD", "2024-01-15T18:30:00", "91.5")]));
    const usd = await run((c) => listRecords(c, p.conf, rates(), { filter: { Currency: "USD" } }));
    expect(usd.total).to.equal(3);
    expect(pick(usd.rows)).to.deep.equal([
      "USD@2024-02-01=92.0000",
      "USD@2024-01-15=91.5000",
      "USD@2024-01-01=90.1234",
    ]);
    expect(
      await run((c) =>
        deleteRecords(c, p.conf, rates(), [
          { period: "2024-01-15", Currency: "USD" },
          { period: "2024-01-16", Currency: "USD" },
        ]),
      ),
    ).to.equal(1);
    expect(pick(await run((c) => sliceLast(c, p.conf, rates(), "2024-01-20", { Currency: "USD" })))).to.deep.equal([
      "USD@2024-01-01=90.1234",
    ]);
    const page = await run((c) => listRecords(c, p.conf, rates(), { offset: 1, limit: 2 }));
    expect(page.total).to.equal(5);
    expect(page.rows).to.have.length(2);
    expect((await run((c) => listRecords(c, p.conf, rates(), { offset: 50 }))).total).to.equal(5);
    const bad = await failure(() =>
      run((c) => writeRecords(c, p.conf, rates(), [rate("USD", "2024-01-01", "1.23456")])),
    );
    expect(bad.message).to.match(/Курс: не более 4 знаков/);
    expect((await failure(() => run((c) => writeRecords(c, p.conf, prices(), [])))).code).to.equal("recorder_register");
  });

  it("keeps a month register's period on the first day of the month", async () => {
    const monthly: InformationRegisterMeta = { ...rates(), periodicity: "month" };
    await run((c) => writeRecords(c, p.conf, monthly, [rate("GBP", "2024-08-17", "120")]));
    expect(await run((c) => sliceLast(c, p.conf, monthly, "2024-08-31", { Currency: "GBP" }))).to.deep.equal([
      { period: "2024-08-01", Currency: "GBP", Rate: "120.0000", Multiplier: "1" },
    ]);
    await run((c) => deleteRecords(c, p.conf, monthly, [{ period: "2024-08-30", Currency: "GBP" }]));
    expect(await run((c) => sliceLast(c, p.conf, monthly, undefined, { Currency: "GBP" }))).to.deep.equal([]);
  });

  it("recorder record sets: replace, refuse a key held by another recorder, clear", async () => {
    const a = { id: randomUUID(), kind: "Sale" },
      b = { id: randomUUID(), kind: "Sale" },
      c3 = { id: randomUUID(), kind: "Sale" };
    const price = (period: string, Product: string | null, Price: string) => ({ period, values: { Product, Price } });
    await run((c) =>
      writeInfoRecordSet(c, p.conf, prices(), a, [price("2024-01-10", p1, "10"), price("2024-01-10", p2, "20")]),
    );
    await run((c) => writeInfoRecordSet(c, p.conf, prices(), b, [price("2024-02-10", p1, "11")]));
    expect(pick(await run((c) => sliceLast(c, p.conf, prices(), "2024-02-01")))).to.have.members([
      `${p1}@2024-01-10=10.00`,
      `${p2}@2024-01-10=20.00`,
    ]);
    expect(pick(await run((c) => sliceLast(c, p.conf, prices(), "2024-03-01", { Product: p1 })))).to.deep.equal([
      `${p1}@2024-02-10=11.00`,
    ]);
    expect(await run((c) => sliceLast(c, p.conf, prices(), "2024-01-09"))).to.deep.equal([]);
    expect(pick(await run((c) => sliceFirst(c, p.conf, prices(), "2024-01-11", { Product: p1 })))).to.deep.equal([
      `${p1}@2024-02-10=11.00`,
    ]);
    const e = await failure(() =>
      run((c) =>
        writeInfoRecordSet(c, p.conf, prices(), c3, [price("2024-03-01", p3, "5"), price("2024-01-10", p1, "12")]),
      ),
    );
    expect(e.code).to.equal("duplicate_record");
    expect(e.message).to.contain("запись 2").and.contain("Период=2024-01-10").and.contain(a.id);
    const dup = await failure(() =>
      run((c) =>
        writeInfoRecordSet(c, p.conf, prices(), c3, [price("2024-03-01", p3, "5"), price("2024-03-01", p3, "6")]),
      ),
    );
    expect(dup.message).to.contain("этого же набора");
    // Reposting a with a key it already holds is no conflict; its other rows go.
    await run((c) => writeInfoRecordSet(c, p.conf, prices(), a, [price("2024-01-10", p1, "10.5")]));
    expect(await run((c) => readInfoRecordSet(c, p.conf, prices(), a.id))).to.deep.equal([
      { line: 1, period: "2024-01-10", Product: p1, Price: "10.50" },
    ]);
    expect(await run((c) => sliceLast(c, p.conf, prices(), "2024-12-31", { Product: p2 }))).to.deep.equal([]);
    await run((c) => clearInfoRecordSet(c, p.conf, prices(), b.id));
    expect(pick(await run((c) => sliceLast(c, p.conf, prices(), "2024-03-01", { Product: p1 })))).to.deep.equal([
      `${p1}@2024-01-10=10.50`,
    ]);
  });

  it("answers a slice with index lookups per key, not a scan of the history", async () => {
    await p.db.owner.query(`INSERT INTO inf_exchange_rates(area, period, currency, rate, multiplier)
                            SELECT 1, date '2000-01-01' + g, cur, 1 + g / 1000.0, 1 FROM generate_series(1, 9000) g, unnest(array['AAA','BBB','CCC','DDD']) cur
                            ON CONFLICT DO NOTHING`);
    await p.db.owner.query(`ANALYZE inf_exchange_rates`);
    forgetSliceStatistics(); // the register's histories just grew long: measure again
    for (const [at, filter] of [
      ["2010-06-01", undefined],
      ["2010-06-01", { Currency: "BBB" }],
    ] as const) {
      let sql = "",
        params: unknown[] = [];
      const rows = await run((c) => {
        const spy = {
          query: (text: string, values: unknown[]) => ((sql = text), (params = values), c.query(text, values)),
        } as unknown as Client;
        return sliceLast(spy, p.conf, rates(), at, filter);
      });
      expect(rows.length).to.equal(filter ? 1 : 4);
      const plan = await run(
        async (c) => (await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]["QUERY PLAN"][0].Plan,
      );
      const scans: { type: string; rows: number }[] = [];
      const walk = (n: Record<string, any>) => {
        if (n["Relation Name"] === "inf_exchange_rates")
          scans.push({
            type: n["Node Type"],
            rows: n["Actual Rows"] * n["Actual Loops"] + (n["Rows Removed by Filter"] ?? 0),
          });
        (n.Plans ?? []).forEach(walk);
      };
      walk(plan);
      if (process.env.SHOW_PLAN) console.log(JSON.stringify(scans), sql);
      expect(scans.length, JSON.stringify(plan)).to.be.greaterThan(0);
      expect(
        scans.every((s) => s.type === "Index Scan" || s.type === "Index Only Scan"),
        JSON.stringify(scans),
      ).to.equal(true);
      expect(
        scans.reduce((n, s) => n + s.rows, 0),
        JSON.stringify(scans),
      ).to.be.lessThan(100);
    }
  });
});
