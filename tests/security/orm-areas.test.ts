// Users, sessions and the journal's reading go through TypeORM (security/entities.ts,
// journal/entities.ts, storage/orm.ts ormOf) on the transaction's own connection, after tx()
// has set app.area: row-level security applies to that path as to plain SQL. A user, a session
// and a journal entry of area 2 are invisible from area 1 — to the repositories, to the
// functions built on them (findUser, listUsers, listJournal), and to a session lookup with a
// forged area, which must not delete the other area's session either.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { tx } from "../../server/storage/db.ts";
import { ormOf } from "../../server/storage/orm.ts";
import { SessionEntity, UserEntity } from "../../server/security/entities.ts";
import { JournalEntity } from "../../server/journal/entities.ts";
import { createUser, findUser, listUsers, updateUser } from "../../server/security/users.ts";
import { SessionStore, parseSessionCookie } from "../../server/security/sessions.ts";
import { recordEvent } from "../../server/journal/journal.ts";
import { listJournal } from "../../server/journal/query.ts";
import { testPlatform } from "../helpers/db.ts";

describe("security: the TypeORM path keeps data areas apart", () => {
  let p: Platform;
  let store: SessionStore;
  let otherId: string;
  const inArea = <T>(area: number, fn: (c: Parameters<typeof ormOf>[0]) => Promise<T>) => tx(p.db.app, area, fn);

  before(async () => {
    p = await testPlatform(undefined, "ormarea");
    store = new SessionStore(p.db.app, { idleMs: 60_000, absoluteMs: 600_000, cacheMs: 0 });
    await inArea(1, (c) => createUser(c, p.conf, { login: "local", roles: [], password: "local-pass-1234" }));
    const other = await inArea(2, (c) =>
      createUser(c, p.conf, { login: "Other", name: "Чужой", roles: [], password: "other-pass-1234" }),
    );
    otherId = other.id;
  });
  after(async () => p?.close());

  it("createUser reads the database's defaults back: id, not disabled, the password's time only with a password", async () => {
    expect(otherId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const made = await inArea(2, (c) => createUser(c, p.conf, { login: "nopass", roles: [] }));
    expect(made).to.deep.include({ login: "nopass", name: "nopass", roles: [], disabled: false, password: null });
    expect(made.locked).to.equal(null);
    const rows = await inArea(2, (c) =>
      ormOf(c)
        .getRepository(UserEntity)
        .find({ order: { login: "ASC" } }),
    );
    expect(rows.map((u) => [u.area, u.login, u.name, u.password_changed_at instanceof Date])).to.deep.equal([
      [2, "nopass", "nopass", false],
      [2, "other", "Чужой", true],
    ]);
    expect(rows[1].created_at).to.be.instanceOf(Date);
    expect(rows[1].password).to.include({ alg: "scrypt" });
  });

  it("a user of area 2 is not visible in area 1, through the repository or findUser/listUsers", async () => {
    const seen = await inArea(1, async (c) => ({
      byRepo: await ormOf(c).getRepository(UserEntity).findBy({ login: "other" }),
      byId: await ormOf(c).getRepository(UserEntity).findOneBy({ id: otherId }),
      find: await findUser(c, "other"),
      list: (await listUsers(c)).map((u) => u.login),
    }));
    expect(seen).to.deep.equal({ byRepo: [], byId: null, find: null, list: ["local"] });
    const there = await inArea(2, (c) => findUser(c, "OTHER"));
    expect(there).to.include({ id: otherId, login: "other", name: "Чужой", disabled: false, locked: null });
  });

  it("nor can area 1 change it: an update by its id touches no row", async () => {
    const r = await inArea(1, (c) => ormOf(c).getRepository(UserEntity).update({ id: otherId }, { disabled: true }));
    expect(r.affected).to.equal(0);
    expect((await inArea(2, (c) => findUser(c, "other")))!.disabled).to.equal(false);
  });

  it("a session of area 2 is found only in area 2: a forged area finds nothing and deletes nothing", async () => {
    const { cookie } = await inArea(2, (c) => store.create(c, 2, otherId, "10.0.0.9", "test"));
    expect(cookie).to.match(/^2\./);
    const forged = `1.${cookie.slice(2)}`;
    const { tokenHash } = parseSessionCookie(cookie)!;
    expect(await store.lookup(forged)).to.equal(null);
    expect(
      await inArea(1, (c) => ormOf(c).getRepository(SessionEntity).findBy({ token_hash: tokenHash })),
    ).to.deep.equal([]);
    const s = await store.lookup(cookie);
    expect(s).to.deep.include({ area: 2, userId: otherId, login: "other", name: "Чужой", roles: [] });
    const row = await inArea(2, (c) =>
      ormOf(c).getRepository(SessionEntity).findOneByOrFail({ token_hash: tokenHash }),
    );
    expect([row.area, row.user_id, row.ip, row.agent]).to.deep.equal([2, otherId, "10.0.0.9", "test"]);
  });

  it("a disabled user's session is no session: the lookup finds none and deletes it", async () => {
    const { cookie } = await inArea(2, (c) => store.create(c, 2, otherId, null, null));
    expect(await store.lookup(cookie)).to.not.equal(null);
    const count = () => inArea(2, (c) => ormOf(c).getRepository(SessionEntity).countBy({ user_id: otherId }));
    const before = await count();
    // Disabled behind the users API's back (updateUser would delete the sessions itself).
    await inArea(2, (c) => ormOf(c).getRepository(UserEntity).update({ id: otherId }, { disabled: true }));
    expect(await store.lookup(cookie)).to.equal(null);
    expect(await count()).to.equal(before - 1);
    await inArea(2, (c) => updateUser(c, p.conf, otherId, { disabled: false }));
    // And updateUser's disabling ends every session of the user.
    const again = await inArea(2, (c) => store.create(c, 2, otherId, null, null));
    await inArea(2, (c) => updateUser(c, p.conf, otherId, { disabled: true }));
    expect(await count()).to.equal(0);
    expect(await store.lookup(again.cookie)).to.equal(null);
    await inArea(2, (c) => updateUser(c, p.conf, otherId, { disabled: false }));
  });

  it("the journal of area 2 is not listed in area 1", async () => {
    await inArea(2, (c) =>
      recordEvent(c, {
        area: 2,
        actor: { userId: otherId, login: "other", ip: "10.0.0.9" },
        action: "login",
        objectKind: "session",
        objectName: "other",
        chain: "sessions",
      }),
    );
    const page = { offset: 0, limit: 10 };
    const one = await inArea(1, (c) => listJournal(c, page));
    const two = await inArea(2, (c) => listJournal(c, { ...page, user: "other" }));
    expect(one).to.deep.equal({ total: 0, rows: [] });
    expect(two.total).to.equal(1);
    expect(two.rows[0]).to.deep.include({ seq: "1", chain: "sessions", ip: "10.0.0.9", action: "login" });
    expect(two.rows[0].user).to.deep.equal({ id: otherId, login: "other" });
    expect(await inArea(1, (c) => ormOf(c).getRepository(JournalEntity).count())).to.equal(0);
  });
});
