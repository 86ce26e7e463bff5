// Payments posted as a set (Payment.postMany through the batch path, server/documents/post-many.ts)
// make EXACTLY the movements of the same payments posted one by one: twin accounts with the same
// debts and penalties, a random set of payments (several per account, two in the same second, named
// services and periods, penalties first), a charge dated between two payments of an account (the
// window the set reads again), then per twin the same Settlements, Penalties and Accounting records,
// the same balances, and verify clean.
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import type { Platform } from "../../server/platform.ts";
import * as docs from "../../server/documents/service.ts";
import { createDocuments } from "../../server/documents/batch.ts";
import { verify, writeRecordSet } from "../../server/registers/index.ts";
import {
  account,
  balances,
  charge,
  inArea,
  movements,
  openZhkh,
  penaltyBalance,
  rejects,
  seedWorld,
  type Row,
  type World,
} from "./payments-fixtures.ts";

/** A small deterministic generator (the set is random but the same on every run). */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe("payments posted as a set (postMany) equal the same payments posted one by one", function () {
  this.timeout(120_000);
  let p: Platform;
  let w: World;
  const pairs: { one: string; set: string }[] = [];
  const oneIds: string[] = [];
  const setIds: string[] = [];

  const penalties = (acc: string, amount: string) =>
    inArea(p, (ctx) =>
      writeRecordSet(
        ctx.c,
        ctx.conf,
        ctx.conf.accumulationRegisters.get("Penalties")!,
        { id: randomUUID(), kind: "PenaltyAccrual" },
        [{ period: "2024-02-29T23:59:59", recordKind: 1, values: { Account: acc, Amount: amount } }],
      ),
    );

  before(async () => {
    p = await openZhkh("zpayset");
    w = await seedWorld(p);
    const { A, B, C, N } = w.services;
    const random = rng(7);
    for (let k = 0; k < 6; k++) {
      const pair = { one: await account(w), set: await account(w) };
      pairs.push(pair);
      for (const acc of [pair.one, pair.set]) {
        await charge(p, "2024-01-01", [
          { account: acc, service: A, amount: (100 + 10 * k).toFixed(2) },
          { account: acc, service: B, amount: "200.00" },
        ]);
        await charge(p, "2024-02-01", [
          { account: acc, service: C, amount: "300.00" },
          { account: acc, service: N, amount: (50 + k).toFixed(2) },
        ]);
        if (k % 2 === 0) await penalties(acc, `${12 + k}.34`);
        if (k === 5) await charge(p, "2023-12-01", [{ account: acc, service: A, amount: "-40.00" }]); // a credit to net
      }
    }
    // the payments: 2–4 per account over two days, two of account 0 in the same second
    const bodies: { k: number; body: Row }[] = [];
    let line = 0;
    for (const [k] of pairs.entries()) {
      const count = 2 + Math.floor(random() * 3);
      for (let j = 0; j < count; j++) {
        line++;
        const r0 = random();
        // account 1 pays before and after the charge dated between its payments (below)
        const day = (k === 1 ? j > 0 : r0 < 0.5) ? "2024-03-11" : "2024-03-10";
        const second = String(line % 60).padStart(2, "0");
        const body: Row = {
          date: `${day}T08:${String(10 + j).padStart(2, "0")}:${second}`,
          Amount: (50 + Math.floor(random() * 40000) / 100).toFixed(2),
          Services: [],
        };
        const r = random();
        if (r < 0.2) body.PaidMonth = "2024-01-01";
        else if (r < 0.35) body.PenaltiesFirst = true;
        else if (r < 0.5) body.Services = [{ Service: w.services.C, Amount: "20.00" }];
        bodies.push({ k, body });
      }
    }
    bodies.push({ k: 0, body: { ...bodies[0].body, Amount: "33.33", Services: [] } }); // the same second as the first
    // a charge between account 1's payments: the set reads that account again at each payment
    for (const acc of [pairs[1].one, pairs[1].set])
      await charge(
        p,
        "2024-03-01",
        [
          { account: acc, service: w.services.B, amount: "77.00" },
          { account: acc, service: w.services.A, amount: "-25.00" }, // a credit the later payments net
        ],
        "2024-03-10T12:00:00",
      );

    // one by one, in (date, line) order as the import sorts them
    const order = bodies
      .map((b, i) => ({ ...b, i }))
      .sort((a, b) => (a.body.date < b.body.date ? -1 : a.body.date > b.body.date ? 1 : a.i - b.i));
    for (const b of order) {
      const d = await inArea(p, (ctx) =>
        docs.createDocument(ctx, "Payment", { ...b.body, Account: pairs[b.k].one }, { post: true }),
      );
      oneIds[b.i] = d.id as string;
    }
    // the twins' payments as one set, in the file's order (postMany orders them itself)
    const { ids } = await inArea(p, (ctx) =>
      createDocuments(
        ctx,
        "Payment",
        bodies.map((b) => ({ ...b.body, Account: pairs[b.k].set })),
        { post: true },
      ),
    );
    ids.forEach((id, i) => (setIds[i] = id));
  });

  /** A record without its account (the twins differ there) and with «л/с <code>» in the entries' content made neutral. */
  const strip = (rows: Row[]) =>
    rows.map((r) => {
      const { Account: _a, ...rest } = r;
      return JSON.parse(JSON.stringify(rest).replace(/л\/с [^ "]+/g, "л/с <код>")) as Row;
    });

  it("every payment of the set has the records its twin posted one by one got (Settlements, Penalties, Accounting)", async () => {
    expect(setIds.length).to.be.greaterThan(15);
    let compared = 0;
    for (let i = 0; i < setIds.length; i++) {
      const one = await inArea(p, (ctx) => docs.documentMovements(ctx, "Payment", oneIds[i]));
      const set = await inArea(p, (ctx) => docs.documentMovements(ctx, "Payment", setIds[i]));
      for (const reg of ["Settlements", "Penalties", "Accounting"]) {
        expect(strip(set[reg].rows), `${reg} of payment ${i + 1}`).to.deep.equal(strip(one[reg].rows));
        compared += set[reg].rows.length;
      }
      const a = await inArea(p, (ctx) => docs.getDocument(ctx, "Payment", setIds[i]));
      expect(a.posted).to.equal(true);
    }
    expect(compared).to.be.greaterThan(40);
  });

  it("the twins end with the same Settlements and Penalties balances, and verify finds no difference", async () => {
    for (const { one, set } of pairs) {
      expect(await balances(p, w, set)).to.deep.equal(await balances(p, w, one));
      expect(await penaltyBalance(p, set)).to.equal(await penaltyBalance(p, one));
    }
    for (const name of ["Settlements", "Penalties"])
      expect(await inArea(p, (ctx) => verify(ctx.c, ctx.conf.accumulationRegisters.get(name)!))).to.deep.equal([]);
    expect(
      await inArea(p, (ctx) => verify(ctx.c, ctx.conf.accountingRegisters.get("Accounting")!.storage)),
    ).to.deep.equal([]);
  });

  it("each document of the set has its «create» and «post» journal entries and a number of its own", async () => {
    const rows = await inArea(
      p,
      async (ctx) =>
        (
          await ctx.c.query(
            "SELECT object_id, array_agg(action ORDER BY action) AS actions FROM _journal WHERE object_id = ANY($1::text[]) GROUP BY object_id",
            [setIds],
          )
        ).rows,
    );
    expect(rows.length).to.equal(setIds.length);
    for (const r of rows) expect(r.actions).to.deep.equal(["create", "post"]);
    const numbers = await Promise.all(
      setIds.map(async (id) => (await inArea(p, (ctx) => docs.getDocument(ctx, "Payment", id))).number),
    );
    expect(new Set(numbers).size).to.equal(setIds.length);
  });

  it("a refusal of one document refuses the whole set, naming it; nothing is written", async () => {
    const before = await balances(p, w, pairs[2].set);
    const e = await rejects(
      inArea(p, (ctx) =>
        createDocuments(
          ctx,
          "Payment",
          [
            { date: "2024-03-12T08:00:00", Account: pairs[2].set, Amount: "10.00", Services: [] },
            { date: "2024-03-12T08:00:01", Account: pairs[2].set, Amount: "0", Services: [] },
          ],
          { post: true },
        ),
      ),
    );
    expect(e.message).to.match(/^Документ 2 из 2: Оплата: «Сумма» должна быть больше нуля/);
    expect(e.field).to.equal("items[1].Amount");
    expect(await balances(p, w, pairs[2].set)).to.deep.equal(before);
    expect(new Decimal((await movements(p, "Payment", setIds[0], "Settlements")).length).gt(0)).to.equal(true);
  });
});
