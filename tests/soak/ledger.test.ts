// The ledger invariant under load (a bank test): for SOAK_SECONDS (default 15; run it for
// minutes with SOAK_SECONDS=300) concurrent clients post, repost and unpost payments and
// repost and unpost the month's group accrual through the HTTP API on the demo data, while
// readers check in one snapshot (REPEATABLE READ) that the total of Settlements and Penalties
// balances (a payment pays both) equals what the non-payment documents put in minus the posted
// payments — to the kopeck.
// At the end `verify` finds no difference in any register. Prints operations/s and violations.
import { expect } from "chai";
import { Decimal } from "decimal.js";
import { join } from "node:path";
import { startApi, type Api } from "../platform/api-client.ts";
import { ROOT } from "../helpers/db.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { verify } from "../../server/registers/index.ts";
import { tx } from "../../server/storage/db.ts";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 15);
const WRITERS = 4;
const READERS = 2;

describe("the ledger invariant under load (soak)", function () {
  this.timeout((SECONDS + 120) * 1000);
  let api: Api;
  let accounts: string[];
  let accrual: string;

  before(async () => {
    api = await startApi(join(ROOT, "metadata"));
    await loadInitialData(api.platform, 1);
    accounts = (await api.get("/api/catalogs/PersonalAccounts?limit=100")).body.rows.map((r: { id: string }) => r.id);
    const accruals = (await api.get("/api/documents/GroupAccrual?limit=10")).body.rows;
    expect(accounts.length).to.be.greaterThan(1);
    expect(accruals.length).to.be.greaterThan(0);
    accrual = accruals[0].id;
  });
  after(() => api?.close());

  /** One snapshot: Σ balance, Σ movements of non-payment recorders, Σ posted payments. */
  async function check(): Promise<{ balance: string; others: string; payments: string }> {
    const c = await api.platform.db.app.connect();
    try {
      await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT set_config('app.area', '1', true)");
      // A payment pays penalties (Penalties) and debts (Settlements): the invariant spans both.
      const r =
        await c.query(`SELECT ((SELECT coalesce(sum(amount), 0) FROM acc_settlements__balance) + (SELECT coalesce(sum(amount), 0) FROM acc_penalties__balance))::text AS balance,
                                      ((SELECT coalesce(sum(amount * record_kind), 0) FROM acc_settlements WHERE recorder_kind <> 'Payment')
                                       + (SELECT coalesce(sum(amount * record_kind), 0) FROM acc_penalties WHERE recorder_kind <> 'Payment'))::text AS others,
                                      (SELECT coalesce(sum(amount), 0) FROM doc_payment WHERE posted)::text AS payments`);
      await c.query("COMMIT");
      return r.rows[0];
    } finally {
      c.release();
    }
  }

  it(`holds at every read while ${WRITERS} writers and an accrual reposter work for ${SECONDS} s`, async () => {
    const until = Date.now() + SECONDS * 1000;
    const ops = { created: 0, reposted: 0, unposted: 0, accrual: 0, refused: 0, reads: 0 };
    const violations: string[] = [];
    const failures: string[] = [];
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const amount = () => `${1 + Math.floor(rnd() * 3000)}.${String(Math.floor(rnd() * 100)).padStart(2, "0")}`;
    const ok = (r: { status: number; body: any }, what: string) => {
      if (r.status >= 500) failures.push(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      else if (r.status >= 400) ops.refused++;
      return r.status < 400;
    };

    const writer = async () => {
      const mine: string[] = [];
      while (Date.now() < until) {
        const x = rnd();
        if (x < 0.5 || mine.length === 0) {
          const r = await api.post("/api/documents/Payment?post=true", {
            date: "2011-11-25T10:00:00",
            Account: accounts[Math.floor(rnd() * accounts.length)],
            Amount: amount(),
            Source: "Касса",
          });
          if (ok(r, "create payment")) mine.push(r.body.id), ops.created++;
        } else if (x < 0.8) {
          const id = mine[Math.floor(rnd() * mine.length)];
          if (ok(await api.put(`/api/documents/Payment/${id}?post=true`, { Amount: amount() }), "repost payment"))
            ops.reposted++;
        } else {
          const id = mine[Math.floor(rnd() * mine.length)];
          if (ok(await api.post(`/api/documents/Payment/${id}/unpost`), "unpost payment")) ops.unposted++;
        }
      }
    };
    const accruer = async () => {
      while (Date.now() < until) {
        if (ok(await api.post(`/api/documents/GroupAccrual/${accrual}/unpost`), "unpost accrual")) ops.accrual++;
        if (ok(await api.post(`/api/documents/GroupAccrual/${accrual}/post`), "post accrual")) ops.accrual++;
      }
    };
    const reader = async () => {
      while (Date.now() < until) {
        const s = await check();
        ops.reads++;
        const expected = new Decimal(s.others).minus(s.payments);
        if (!new Decimal(s.balance).equals(expected))
          violations.push(`balance ${s.balance} ≠ ${s.others} − ${s.payments}`);
      }
    };
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: WRITERS }, writer),
      accruer(),
      ...Array.from({ length: READERS }, reader),
    ]);
    const secs = (Date.now() - t0) / 1000;
    const writes = ops.created + ops.reposted + ops.unposted + ops.accrual;
    console.log(
      `      soak: ${secs.toFixed(1)} s, ${writes} writes (${(writes / secs).toFixed(0)}/s: ${ops.created} payments posted, ${ops.reposted} reposted, ${ops.unposted} unposted, ${ops.accrual} accrual posts/unposts), ` +
        `${ops.refused} refused, ${ops.reads} invariant reads (${(ops.reads / secs).toFixed(0)}/s), ${violations.length} violations, ${failures.length} server errors`,
    );
    expect(failures, failures.slice(0, 3).join("\n")).to.deep.equal([]);
    expect(violations.slice(0, 3)).to.deep.equal([]);
    expect(ops.created).to.be.greaterThan(0);
    expect(ops.reads).to.be.greaterThan(0);
    const final = await check();
    expect(new Decimal(final.balance).equals(new Decimal(final.others).minus(final.payments))).to.equal(true);
    for (const reg of api.platform.conf.accumulationRegisters.values()) {
      expect(await tx(api.platform.db.app, 1, (c) => verify(c, reg)), `verify ${reg.name}`).to.deep.equal([]);
    }
  });
});
