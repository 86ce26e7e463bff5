// The demo data reproduces the seed's receipt for account 00000000001 to the kopeck
// (DOMAIN.md §4), checked through the HTTP API as a client would read it.
import { expect } from "chai";
import { join } from "node:path";
import type { Server } from "node:http";
import { Decimal } from "decimal.js";
import { ROOT, testPlatform } from "../helpers/db.ts";
import type { Platform } from "../../server/platform.ts";
import { serve } from "../platform/api-client.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import { SEED_LINES } from "./accrual-fixtures.ts";

const sum = (rows: Record<string, string>[], key: string) =>
  rows.reduce((s, r) => s.plus(r[key] ?? 0), new Decimal(0)).toFixed(2);

describe("demo data: the seed's receipt", function () {
  let p: Platform;
  let server: Server;
  let base: string;
  let account: Record<string, any>;
  const get = async (path: string) => {
    const r = await fetch(base + path);
    const body = await r.json();
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    p = await testPlatform(join(ROOT, "metadata"), "demo");
    expect(await loadInitialData(p, 1)).to.equal(true);
    const s = await serve(p); // logged in as the administrator
    server = s.server;
    base = `${s.base}/api`;
    const list = await get(`/catalogs/PersonalAccounts?search=00000000001`);
    account = list.rows.find((r: any) => r.code === "00000000001");
  });
  after(async () => {
    server?.close();
    await p?.close();
  });

  it("has the seed's five accounts and the recipient (and the three of the common property building)", async () => {
    const list = await get(`/catalogs/PersonalAccounts?sort=code`);
    expect(list.rows.map((r: any) => `${r.code}, ${r.name}`)).to.deep.equal([
      "00000000001, Калинин Вячеслав Петрович",
      "00000000002, Ржига Игорь Сергеевич",
      "00000000003, Симак Галина Владимировна",
      "00000000004, Иванова Лидия Константиновна",
      "00000000005, Морозова Анастасия Петровна",
      "00000000006, Попова Марина Андреевна",
      "00000000007, Лебедев Олег Игоревич",
      "00000000008, Кузнецова Ирина Павловна",
    ]);
    const buildings = (await get(`/catalogs/Buildings`)).rows;
    expect(list.rows.slice(0, 5).every((r: any) => r.Building === buildings[0].id)).to.equal(true);
    expect(buildings[0].name).to.equal("Петрозаводск, ул. Балтийская, д.55");
    const orgs = await get(`/catalogs/Organizations`);
    expect(orgs.rows[0]).to.include({
      name: "ТСЖ Машенька",
      Inn: "111111111",
      BankAccount: "1111111111222222222",
      BankName: "Мой банк",
    });
    expect(account).to.include({ TotalArea: "59.00", LivingArea: "0.00", Residents: "3", Beneficiaries: "0" });
  });

  it("accrued 13 752,73 for November 2011, line by line", async () => {
    const t = await get(`/registers/Accruals/turnovers?from=2011-11-01&to=2011-11-30&Account=${account.id}`);
    expect(sum(t.rows, "Amount")).to.equal("13752.73");
    const services = await get(`/catalogs/Services?limit=100`);
    const byName: Record<string, string> = {};
    for (const r of t.rows)
      byName[services.rows.find((s: any) => s.id === r.Service).name] = new Decimal(r.Amount).toFixed(2);
    expect(byName).to.deep.equal(SEED_LINES);
  });

  it("owed 2 045,64 on 01.11.11, paid 1 994,77 on 24.11.11, has 13 803,60 to pay", async () => {
    const opening = await get(`/registers/Settlements/balance?at=2011-10-31&Account=${account.id}`);
    expect(sum(opening.rows, "Amount")).to.equal("2045.64");
    const paid = await get(`/registers/Settlements/turnovers?from=2011-11-01&to=2011-11-30&Account=${account.id}`);
    expect(sum(paid.rows, "AmountExpense")).to.equal("1994.77");
    const payments = await get(`/documents/Payment?sort=-date&Account=${account.id}`);
    expect(payments.rows[0].date.slice(0, 10)).to.equal("2011-11-24");
    const closing = await get(`/registers/Settlements/balance?at=2011-11-30&Account=${account.id}`);
    expect(sum(closing.rows, "Amount")).to.equal("13803.60");
  });

  it("November 2011 over all accounts: 57 553,73 accrued and 1 994,77 paid, the second building adding nothing", async () => {
    const t = await get(`/registers/Accruals/turnovers?from=2011-11-01&to=2011-11-30`);
    expect(sum(t.rows, "Amount")).to.equal("57553.73");
    const paid = await get(`/registers/Settlements/turnovers?from=2011-11-01&to=2011-11-30`);
    expect(sum(paid.rows, "AmountExpense")).to.equal("1994.77");
    const payments = (await get(`/documents/Payment`)).rows;
    expect(sum(payments, "Amount")).to.equal("1994.77");
  });

  it("the common property building (docs/common-property.md): December 2011 with СОИ by the house meter, capped, and by the normative", async () => {
    const list = await get(`/catalogs/PersonalAccounts?sort=code`);
    const services = (await get(`/catalogs/Services?limit=100`)).rows;
    const name = (id: string) => services.find((s: any) => s.id === id).name;
    const lines = async (code: string) => {
      const a = list.rows.find((r: any) => r.code === code);
      const t = await get(`/registers/Accruals/turnovers?from=2011-12-01&to=2011-12-31&Account=${a.id}`);
      return Object.fromEntries(
        t.rows.map((r: any) => [
          name(r.Service),
          `${new Decimal(r.Volume).toFixed(4)} ${new Decimal(r.Amount).toFixed(2)}`,
        ]),
      );
    };
    // house 40 − flats 37,5 = 2,5 m³ > the normative 0,03 × 30 = 0,9: each flat its share of the normative
    expect(await lines("00000000006")).to.deep.equal({
      "Тех. обслуживание": "60.0000 150.00",
      ХВС: "15.0000 300.00",
      "ХВС на СОИ": "0.3600 7.20",
      "Электроэнергия на СОИ": "6.0000 30.00",
    });
    expect(await lines("00000000007")).to.deep.equal({
      "Тех. обслуживание": "50.0000 125.00",
      ХВС: "12.5000 250.00",
      "ХВС на СОИ": "0.3000 6.00",
      "Электроэнергия на СОИ": "5.0000 25.00",
    });
    const all = await get(`/registers/Accruals/turnovers?from=2011-12-01&to=2011-12-31`);
    expect(sum(all.rows, "Amount")).to.equal("1218.00"); // 487,20 + 406,00 + 324,80
  });

  it("has penalties of 192,64 and 13 996,24 to pay with them", async () => {
    const pen = await get(`/registers/Penalties/balance?at=2011-11-30&Account=${account.id}`);
    expect(sum(pen.rows, "Amount")).to.equal("192.64");
    const closing = await get(`/registers/Settlements/balance?at=2011-11-30&Account=${account.id}`);
    expect(new Decimal(sum(closing.rows, "Amount")).plus(sum(pen.rows, "Amount")).toFixed(2)).to.equal("13996.24");
  });

  it("explains every accrual record", async () => {
    const docs = await get(`/documents/GroupAccrual`);
    const mv = await get(`/documents/GroupAccrual/${docs.rows[0].id}/movements`);
    const mine = mv.registers.Accruals.rows.filter((r: any) => r.Account === account.id);
    expect(mine).to.have.length(6);
    for (const r of mine) expect(r.Explanation, JSON.stringify(r)).to.be.a("string").and.not.equal("");
    const cold = mine.find((r: any) => r.Amount === "868.41");
    expect(cold).to.include({
      PreviousReading: "100.0000",
      CurrentReading: "143.4205",
      Volume: "43.4205",
      Rate: "20.0000",
    });
  });

  it("demo:reset wipes the area and loads the same figures again", async () => {
    expect(await loadInitialData(p, 1)).to.equal(false); // already loaded
    expect(await loadInitialData(p, 1, { reset: true })).to.equal(true);
    const list = await get(`/catalogs/PersonalAccounts`);
    expect(list.total).to.equal(8);
    const acc = list.rows.find((r: any) => r.code === "00000000001");
    const closing = await get(`/registers/Settlements/balance?at=2011-11-30&Account=${acc.id}`);
    expect(sum(closing.rows, "Amount")).to.equal("13803.60");
  });
});
