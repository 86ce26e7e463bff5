// Residents and owners over time (Правила 354 п.56(2), п.38) and a tariff changed within the month:
// GroupAccrual on a real database, the persons from the Residents register (periodic by day),
// pro rata by days; nobody registered → the owners; every figure computed by hand in the test.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import { writeRecords } from "../../server/registers/index.ts";
import { writeCheckedRecords } from "../../server/registers/checked.ts";
import { serve } from "../platform/api-client.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  linesByService,
  rejects,
  seedWorld,
  setTariffs,
  seedService,
  UPKEEP_BY_AREA,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";

const SPECS: ServiceSpec[] = [seedService("ХВС"), seedService("Вывоз мусора"), UPKEEP_BY_AREA];

describe("accrual: residents and owners over time, tariffs within the month", function () {
  let p: Platform;
  let w: World;

  before(async () => {
    p = await accrualPlatform("accres");
    w = await seedWorld(p, SPECS);
  });
  after(() => p?.close());

  type Rec = { account: string; period: string; registered: unknown; owners?: unknown };
  const records = (rows: Rec[]) =>
    rows.map((r) => ({ period: r.period, Account: r.account, Registered: r.registered, Owners: r.owners ?? 0 }));
  /** Writes Residents records as the API and the initial data do: through the register's check. */
  const residents = (rows: Rec[]) =>
    inArea(p, (ctx) => writeCheckedRecords(ctx, ctx.conf.informationRegisters.get("Residents")!, records(rows)));

  it("Правила 354 п.56(2): nobody registered, 1 owner, no ХВС meter — 1 × 6,935 × 20,00 × 1,5 = 208,05; per person 1 × 250,00", async () => {
    const a = await account(w, { Residents: "0" }, ["ХВС", "Вывоз мусора"], SPECS);
    await residents([{ account: a, period: "2011-01-01", registered: 0, owners: 1 }]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["ХВС"]).to.include({ Volume: "6.9350", Amount: "208.05", Base: "1.0000" });
    expect(l["ХВС"].Explanation).to.equal(
      "нет прибора учета: 1 чел. (никто не зарегистрирован — по числу собственников, п.56(2)) × 6,9350 м3 × 20,0000 × 1,50 (повышающий коэффициент) = 208,05",
    );
    expect(l["Вывоз мусора"]).to.include({ Volume: "1.0000", Amount: "250.00" });
  });

  it("Правила 354 п.56(2): the register, not the account's field, is the source — 2 registered (the card says 3) → 2 × 250,00 = 500,00", async () => {
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await residents([{ account: a, period: "2011-06-01", registered: 2, owners: 1 }]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["Вывоз мусора"]).to.include({ Volume: "2.0000", Amount: "500.00" });
    expect(l["Вывоз мусора"].Explanation).to.equal("2 чел. × 250,0000 = 500,00");
  });

  it("Правила 354 п.56(2): a change on 16.11 is charged pro rata — 3 × 15/30 + 4 × 15/30 = 3,5 persons: 875,00; ХВС 3,5 × 6,935 × 20 × 1,5 = 728,18", async () => {
    const a = await account(w, { Residents: "3" }, ["ХВС", "Вывоз мусора"], SPECS);
    await residents([
      { account: a, period: "2011-01-01", registered: 3 },
      { account: a, period: "2011-11-16", registered: 4 },
    ]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["Вывоз мусора"]).to.include({ Volume: "3.5000", Amount: "875.00" });
    expect(l["Вывоз мусора"].Explanation).to.equal(
      "(3 чел. × 15/30 дн. + 4 чел. × 15/30 дн.) = 3,5000 чел. × 250,0000 = 875,00",
    );
    // 3,5 × 6,935 = 24,2725 m³ × 20 × 1,5 = 728,175 → 728,18
    expect(l["ХВС"]).to.include({ Volume: "24.2725", Amount: "728.18" });
  });

  it("Правила 354 п.56(2): days before the first record take the card — 2 until 10.11, 5 from 11.11: 2 × 10/30 + 5 × 20/30 = 4 → 1 000,00", async () => {
    const a = await account(w, { Residents: "2" }, ["Вывоз мусора"], SPECS);
    await residents([{ account: a, period: "2011-11-11", registered: 5 }]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    expect(l["Вывоз мусора"]).to.include({ Volume: "4.0000", Amount: "1000.00" });
  });

  it("Правила 354 п.56(2): everybody leaves on 21.11, 2 owners remain — 3 × 20/30 + 2 × 10/30 (owners) = 2,6667 → 666,68", async () => {
    const a = await account(w, { Residents: "3" }, ["Вывоз мусора"], SPECS);
    await residents([
      { account: a, period: "2011-10-01", registered: 3, owners: 2 },
      { account: a, period: "2011-11-21", registered: 0, owners: 2 },
    ]);
    const l = await linesByService(w, (await accrue(p, "2011-11-01", [a])).id);
    // 80 / 30 = 2,66666… → 2,6667 persons × 250 = 666,675 → 666,68
    expect(l["Вывоз мусора"]).to.include({ Volume: "2.6667", Amount: "666.68" });
    expect(l["Вывоз мусора"].Explanation).to.include("2 чел. (никто не зарегистрирован");
  });

  it("refuses writing a negative Registered or Owners, naming the account, the date and the field; nothing is written", async () => {
    const a = await account(w, { Residents: "1" }, ["Вывоз мусора"], SPECS);
    const count = async () =>
      (await inArea(p, (ctx) => ctx.c.query("SELECT count(*)::int AS n FROM inf_residents WHERE account = $1", [a])))
        .rows[0].n;
    const e = await rejects(
      residents([
        { account: a, period: "2011-11-01", registered: 1, owners: 1 },
        { account: a, period: "2011-11-05", registered: -1, owners: 0 },
      ]),
    );
    expect(e.status).to.equal(422);
    expect(e.field).to.equal("Registered");
    expect(e.message)
      .to.include("Проживающие и собственники, запись 2")
      .and.include("лицевой счет")
      .and.include("на 05.11.2011")
      .and.include("«Зарегистрировано»")
      .and.include("-1");
    const e2 = await rejects(residents([{ account: a, period: "2011-11-05", registered: 1, owners: "-2" }]));
    expect(e2.field).to.equal("Owners");
    expect(e2.message).to.include("«Собственников»");
    expect(await count()).to.equal(0);
  });

  it("the API refuses a negative Registered the same way (422, the field, the account); nothing is written", async () => {
    const a = await account(w, { Residents: "1" }, ["Вывоз мусора"], SPECS);
    const { server, base } = await serve(p);
    try {
      const post = (registered: unknown) =>
        fetch(`${base}/api/registers/Residents/records`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ records: [{ period: "2011-11-01", Account: a, Registered: registered, Owners: 1 }] }),
        });
      const r = await post(-3);
      const body = await r.json();
      expect(r.status).to.equal(422);
      expect(body.field ?? body.error?.field ?? JSON.stringify(body)).to.include("Registered");
      expect(JSON.stringify(body)).to.include("«Зарегистрировано»").and.include("лицевой счет");
      const ok = await post(2);
      expect(ok.status).to.equal(200);
      const n = await inArea(p, (ctx) =>
        ctx.c.query("SELECT registered::text AS r FROM inf_residents WHERE account = $1", [a]),
      );
      expect(n.rows.map((x) => x.r)).to.deep.equal(["2"]);
    } finally {
      server.closeAllConnections();
      await new Promise((res) => server.close(res));
    }
  });

  it("refuses a negative number found in the register at the accrual (written past the check), naming the account, the date and the field; nothing is posted", async () => {
    const a = await account(w, { Residents: "1" }, ["Вывоз мусора"], SPECS);
    await inArea(p, (ctx) =>
      writeRecords(
        ctx.c,
        ctx.conf,
        ctx.conf.informationRegisters.get("Residents")!,
        records([{ account: a, period: "2011-11-05", registered: -1, owners: 0 }]),
      ),
    );
    const e = await rejects(accrue(p, "2011-11-01", [a]));
    expect(e.status).to.equal(422);
    expect(e.message).to.include("на 05.11.2011").and.include("«Зарегистрировано»").and.include("-1");
    const n = await inArea(p, (ctx) =>
      ctx.c.query("SELECT count(*)::int AS n FROM acc_accruals WHERE account = $1", [a]),
    );
    expect(n.rows[0].n).to.equal(0);
  });

  it("Правила 354: a tariff changed on 11.12 is charged pro rata — 59 m² × (10,00 × 10/31 + 12,00 × 21/31) = 669,94", async () => {
    const a = await account(w, {}, ["Содержание"], SPECS);
    await setTariffs(p, "2011-12-11T00:00:00", [
      { service: w.services["Содержание"], kind: w.kinds["Основной"], rate: "12.0000" },
    ]);
    const l = await linesByService(w, (await accrue(p, "2011-12-01", [a])).id);
    // 59 × (10 × 10 + 12 × 21) / 31 = 59 × 352 / 31 = 669,935… → 669,94
    expect(l["Содержание"]).to.include({ Volume: "59.0000", Amount: "669.94", Rate: "12.0000" });
    expect(l["Содержание"].Explanation).to.equal("59,00 м² × (10,0000 × 10/31 дн. + 12,0000 × 21/31 дн.) = 669,94");
    // the month after: the new rate alone, 59 × 12 = 708,00
    const l2 = await linesByService(w, (await accrue(p, "2012-01-01", [a])).id);
    expect(l2["Содержание"]).to.include({ Amount: "708.00" });
  });
});
