// An advance (credit) consumed by the month's accrual follows the distribution method
// (DOMAIN.md §6: «an advance stays as a credit and is consumed by the next accruals with the
// same method»; ГК РФ ст.319.1, Правила 354 п.118; docs/payments.md): GroupAccrual's own
// DistributionMethod when chosen, else the account's organization's (Organizations.
// DistributionMethod), else OldestPeriodProportional. Every figure by hand.
import { expect } from "chai";
import type { Platform } from "../../server/platform.ts";
import * as cat from "../../server/catalogs/service.ts";
import {
  accrualPlatform,
  account,
  accrue,
  inArea,
  item,
  linesByService,
  movements,
  seedService,
  seedWorld,
  UPKEEP_BY_AREA,
  type Row,
  type ServiceSpec,
  type World,
} from "./accrual-fixtures.ts";
import { doc } from "./documents-fixtures.ts";

// receipt order: Вывоз мусора 1, Содержание 2
const SPECS: ServiceSpec[] = [seedService("Вывоз мусора"), UPKEEP_BY_AREA];

describe("advances consumed by the accrual follow the organization's distribution method (ГК 319.1, Правила 354 п.118)", function () {
  let p: Platform;
  let w: World;
  /** A building of an organization that chose no method. */
  let plain: string;

  before(async () => {
    p = await accrualPlatform("advmeth");
    w = await seedWorld(p, SPECS);
    const update = (name: string, id: string, body: Row) =>
      inArea(p, (ctx) => cat.updateCatalogItem(ctx, name, id, body));
    // the seed's organization pays by service priority: Содержание first
    await update("Organizations", w.org, { DistributionMethod: "ByServicePriority" });
    await update("Services", w.services["Содержание"], { Priority: 1 });
    await update("Services", w.services["Вывоз мусора"], { Priority: 2 });
    const org = await item(p, "Organizations", { name: "УК без выбора" });
    plain = await item(p, "Buildings", { name: "ул. Правды, д.1", Address: "ул. Правды, д.1", Organization: org });
  });
  after(() => p?.close());

  /** An account (3 residents, 59 m²: Вывоз мусора 750,00, Содержание 590,00) with an advance of 100,00 paid in October. */
  const withAdvance = async (body: Row = {}) => {
    const a = await account(w, { Residents: "3", ...body }, ["Вывоз мусора", "Содержание"], SPECS);
    await doc(p, "Payment", { date: "2011-10-20T10:00:00", Account: a, Amount: "100.00" });
    return a;
  };
  /** What the accrual's advance consumption paid, per service name (Settlements expenses at the month's end). */
  const consumed = async (id: string) => {
    const names = Object.fromEntries(Object.entries(w.services).map(([k, v]) => [v, k]));
    const out: Record<string, string> = {};
    for (const r of (await movements(p, id)).Settlements.rows)
      if (r.recordKind === "expense" && r.Service) out[names[r.Service]] = r.Amount;
    return out;
  };

  it("Правила 354 п.118 / Organizations.DistributionMethod = ByServicePriority, the accrual chooses none: the 100,00 advance pays Содержание (priority 1) alone", async () => {
    const a = await withAdvance();
    const g = await accrue(p, "2011-11-01", [a]);
    const l = await linesByService(w, g.id);
    expect([l["Вывоз мусора"].Amount, l["Содержание"].Amount]).to.deep.equal(["750.00", "590.00"]);
    expect(await consumed(g.id)).to.deep.equal({ Содержание: "100.00" });
  });

  it("ГК 319.1, Правила 354 п.118: an organization without a method — the default, in proportion to the month's charges: 100 × 750/1340 = 55,97; 100 × 590/1340 = 44,03", async () => {
    const a = await withAdvance({ Building: plain });
    const g = await accrue(p, "2011-11-01", [a]);
    expect(await consumed(g.id)).to.deep.equal({ "Вывоз мусора": "55.97", Содержание: "44.03" });
  });

  it("the accrual's own choice overrides the organization's: OldestFirst takes the receipt order — Вывоз мусора (order 1) gets the 100,00", async () => {
    const a = await withAdvance();
    const g = await accrue(p, "2011-11-01", [a], { DistributionMethod: "OldestFirst" });
    expect(await consumed(g.id)).to.deep.equal({ "Вывоз мусора": "100.00" });
  });
});
