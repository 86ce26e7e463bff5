// Whole-register slices take one of two plans — a skip-scan with a probe per key (no
// statistics yet, or long histories) or one ordered DISTINCT ON pass (statistics say few
// records per key) — and both give the same rows, in key order, at any moment; filters may
// be one value or an array of values. Checked on AccountServices (two dimensions) with random
// histories against a brute-force slice computed here.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import type { Platform } from "../../server/platform.ts";
import {
  forgetSliceStatistics,
  sliceFirst,
  sliceLast,
  sliceStrategy,
  writeInfoRecordSet,
} from "../../server/registers/index.ts";
import { account, accrualPlatform, inArea, seedWorld, type World } from "./accrual-fixtures.ts";

type Row = Record<string, any>;

describe("information register slices: skip-scan and DISTINCT ON agree", function () {
  this.timeout(120_000);
  let p: Platform;
  let w: World;
  let accounts: string[];
  const services = () => Object.values(w.services) as string[];
  const written: { period: string; Account: string; Service: string; Status: string; TariffKind: string }[] = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const day = () =>
    `2012-${String(1 + Math.floor(rnd() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rnd() * 28)).padStart(2, "0")}`;

  before(async () => {
    p = await accrualPlatform("slices");
    w = await seedWorld(p);
    accounts = [];
    for (let i = 0; i < 12; i++) accounts.push(await account(w, {}, []));
    const reg = p.conf.informationRegisters.get("AccountServices")!;
    // Several recorders, each a set of (account, service, day) records; keys repeat across them on other days.
    const used = new Set<string>();
    for (let r = 0; r < 6; r++) {
      const rows: { period: string; values: Row }[] = [];
      for (let k = 0; k < 30; k++) {
        const a = accounts[Math.floor(rnd() * accounts.length)],
          s = services()[Math.floor(rnd() * services().length)],
          period = day();
        if (used.has(`${a}|${s}|${period}`)) continue;
        used.add(`${a}|${s}|${period}`);
        const rec = {
          period,
          Account: a,
          Service: s,
          Status: rnd() < 0.7 ? "Connected" : "Disconnected",
          TariffKind: w.kinds["Основной"],
        };
        written.push(rec);
        rows.push({ period, values: { Account: a, Service: s, Status: rec.Status, TariffKind: rec.TariffKind } });
      }
      await inArea(p, (ctx) =>
        writeInfoRecordSet(ctx.c, p.conf, reg, { id: randomUUID(), kind: "AccountServiceChange" }, rows),
      );
    }
  });
  after(() => p?.close());

  const brute = (at: string, last: boolean, keep: (r: Row) => boolean) => {
    const best = new Map<string, Row>();
    for (const r of written.filter(keep)) {
      if (last ? r.period > at : r.period < at) continue;
      const k = `${r.Account}|${r.Service}`;
      const b = best.get(k);
      if (!b || (last ? r.period > b.period : r.period < b.period)) best.set(k, r);
    }
    return [...best.values()]
      .sort((x, y) =>
        x.Account < y.Account
          ? -1
          : x.Account > y.Account
            ? 1
            : x.Service < y.Service
              ? -1
              : x.Service > y.Service
                ? 1
                : 0,
      )
      .map((r) => `${r.Account}|${r.Service}|${r.period}|${r.Status}`);
  };
  const shown = (rows: Row[]) => rows.map((r) => `${r.Account}|${r.Service}|${r.period}|${r.Status}`);

  async function compareAll(): Promise<void> {
    const reg = p.conf.informationRegisters.get("AccountServices")!;
    const some = accounts.slice(0, 5);
    for (const at of ["2011-12-31", "2012-01-15", "2012-04-01", "2012-07-20", "2012-12-31", "2013-06-01"]) {
      const cases: [Row | undefined, (r: Row) => boolean][] = [
        [undefined, () => true],
        [{ Account: accounts[3] }, (r) => r.Account === accounts[3]],
        [{ Account: some }, (r) => some.includes(r.Account)],
        [{ Service: services()[1] }, (r) => r.Service === services()[1]],
      ];
      for (const [filter, keep] of cases) {
        const a = await inArea(p, (ctx) => sliceLast(ctx.c, p.conf, reg, at, filter));
        expect(shown(a), `sliceLast ${at} ${JSON.stringify(filter)}`).to.deep.equal(brute(at, true, keep));
        const b = await inArea(p, (ctx) => sliceFirst(ctx.c, p.conf, reg, at, filter));
        expect(shown(b), `sliceFirst ${at} ${JSON.stringify(filter)}`).to.deep.equal(brute(at, false, keep));
      }
    }
  }

  it("the skip-scan gives the brute-force slices", async () => {
    forgetSliceStatistics("skip-scan");
    await compareAll();
  });

  it("the one-pass DISTINCT ON gives the same", async () => {
    forgetSliceStatistics("distinct");
    await compareAll();
  });

  it("chooses by the histories it measures: few records per key — one pass; long histories — the skip-scan", async () => {
    const reg = p.conf.informationRegisters.get("AccountServices")!;
    forgetSliceStatistics();
    expect(await inArea(p, (ctx) => sliceStrategy(ctx.c, reg))).to.equal("distinct");
    // Twenty years of daily changes for one key make the measured history long.
    await p.db.owner.query(
      `INSERT INTO inf_account_services(area, period, account, service, tariff_kind, status, recorder, recorder_kind, line)
       SELECT 1, date '1990-01-01' + g, $1, $2, $3, 'Connected', gen_random_uuid(), 'AccountServiceChange', 1 FROM generate_series(1, 8000) g`,
      [accounts[0], services()[0], w.kinds["Основной"]],
    );
    forgetSliceStatistics();
    expect(await inArea(p, (ctx) => sliceStrategy(ctx.c, reg))).to.equal("skip-scan");
    forgetSliceStatistics();
  });
});
