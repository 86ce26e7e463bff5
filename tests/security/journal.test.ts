/**
 * The journal of user actions: entries written in the caller's transaction, chained per data
 * area at commit (sequence 1, 2, 3… and each hash over the previous one).
 */
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { recordEvent } from "../../server/journal/journal.ts";
import { GENESIS_HASH } from "../../server/journal/schema.ts";
import { testPlatform } from "../helpers/db.ts";
import { inArea } from "../helpers/services.ts";

describe("security: journal entries", function () {
  let p: Platform;
  before(async () => {
    p = await testPlatform(undefined, "journal");
  });
  after(async () => p?.close());

  it("records an entry in the transaction and chains it at commit", async () => {
    const actor = { userId: "u1", login: "ivanov", ip: "10.0.0.1" };
    await inArea(p, (ctx) => recordEvent(ctx.c, { area: ctx.area, actor, action: "login", objectKind: "session", objectName: "ivanov" }));
    await inArea(p, (ctx) => recordEvent(ctx.c, { area: ctx.area, actor: null, action: "logout", details: { n: 1, s: "x\u0000y" } }));
    const rows = await inArea(p, (ctx) => ctx.c.query("SELECT seq, login, ip, action, prev_hash, hash, details FROM _journal ORDER BY seq").then((r) => r.rows));
    expect(rows.map((r) => [r.seq, r.login, r.action])).to.deep.equal([
      ["1", "ivanov", "login"],
      ["2", null, "logout"],
    ]);
    expect(rows[0].prev_hash).to.equal(GENESIS_HASH);
    expect(rows[1].prev_hash).to.equal(rows[0].hash);
    expect(rows[1].details).to.deep.equal({ n: "1", s: "x\ufffdy" });
  });
});
