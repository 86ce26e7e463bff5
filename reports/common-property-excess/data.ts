/**
 * Сверхнормативный расход на СОИ (Правила 354 п.44; docs/common-property.md): for a month, per
 * building and common property service charged by the house meter (CommonPropertyByHouseMeter):
 *  - house: the consumption of the building's collective meters of the service (or of its
 *    source service, as the accrual takes them) in the month;
 *  - individual: Σ the posted Accruals volumes of the source services (ХВС for «ХВС на СОИ») of
 *    the building's accounts — metered, average or normative, as charged;
 *  - difference = house − individual (negative: nothing is charged for СОИ, the row says so);
 *  - normative = CommonPropertyNormative × the building's CommonArea (the cap for the whole
 *    house: Σ of the accounts' caps over all premises);
 *  - charged: Σ the posted volumes of the СОИ service;
 *  - excess = difference − normative when the cap applies and the difference is above it: the
 *    volume the management company pays for itself (not charged to the owners).
 */
import { Decimal } from "decimal.js";
import { AccrualError, decText } from "../../metadata/common/accrual-figures.ts";
import { type LoadedMeter, meterHistories } from "../../metadata/common/accrual-inputs.ts";
import { houseConsumption } from "../../metadata/common/accrual-meters.ts";
import type { MeterTypesCatalog, Query } from "../../metadata/types.gen.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { monthEnd } from "../../server/api.ts";
import { accruals } from "../_lib/figures.ts";
import { typed } from "../_lib/typed.ts";

const ZERO = new Decimal(0);
const s = (v: unknown) => (v == null ? "" : String(v));

export default async function commonPropertyExcess(context: ReportContext, p: ReportParams) {
  const ctx: Query = typed(context);
  const month: string = p.period;
  const services = (await ctx.query("catalog", "Services", {}, { tables: true })).filter(
    (x) => x.CalculationMethod === "CommonPropertyByHouseMeter",
  );
  const rows: Record<string, unknown>[] = [];
  if (services.length === 0) return { period: month, rows };
  const only: { id?: string } = p.building ? { id: String(p.building) } : {};
  const buildings = await ctx.query("catalog", "Buildings", only);
  const ids = buildings.map((b) => b.id);
  const meters = (await ctx.query("catalog", "Meters", { Kind: "Collective", Building: ids })).filter(
    (m) => !m.deletionMark,
  );
  const types = new Map<string, MeterTypesCatalog>(
    (await ctx.query("catalog", "MeterTypes", {})).map((t) => [t.id, t]),
  );
  const loaded = meters.map((m): LoadedMeter & { building: string | null } => ({
    id: m.id,
    name: m.name || m.code,
    ReadingType: types.get(m.MeterType)?.ReadingType ?? null,
    DigitCapacity: types.get(m.MeterType)?.DigitCapacity?.toNumber() || null,
    service: m.Service,
    building: m.Building,
    current: null,
    previous: null,
    windowStart: null,
  }));
  await meterHistories(ctx, month, loaded, true);
  const inBuilding: { Building?: string } = ids.length === 1 ? { Building: ids[0] } : {};
  const accounts = await ctx.query("catalog", "PersonalAccounts", inBuilding);
  const buildingOf = new Map(accounts.map((a) => [a.id, a.Building]));
  const lines = await accruals(ctx, month, monthEnd(month), null);
  // building → service → Σ posted volume
  const volumes = new Map<string, Map<string, Decimal>>();
  for (const [account, list] of lines) {
    const b = buildingOf.get(account);
    if (!b) continue;
    let byService = volumes.get(b);
    if (!byService) volumes.set(b, (byService = new Map()));
    for (const l of list) byService.set(l.service, (byService.get(l.service) ?? ZERO).plus(l.volume));
  }
  for (const b of [...buildings].sort((x, y) => s(x.name).localeCompare(s(y.name)))) {
    const posted = volumes.get(b.id) ?? new Map<string, Decimal>();
    for (const svc of services) {
      const sources = (svc.SourceServices ?? []).map((r) => r.Service).filter(Boolean);
      const of = (service: string) => loaded.filter((m) => m.building === b.id && m.service === service);
      let house = of(svc.id);
      if (!house.length) house = sources.map(of).find((x) => x.length) ?? [];
      const charged = posted.get(svc.id) ?? null;
      // (only the services accrued in the building this month)
      if (charged === null) continue;
      const individual = sources.reduce((sum, id) => sum.plus(posted.get(id) ?? ZERO), ZERO);
      let houseVolume: Decimal | null = null;
      let note = "";
      if (!house.length) note = "нет общедомового прибора учета";
      else
        try {
          houseVolume = new Decimal(decText(houseConsumption(house).consumption, 4, 4));
        } catch (e) {
          if (!(e instanceof AccrualError)) throw e;
          note = e.message;
        }
      const difference = houseVolume === null ? null : houseVolume.minus(individual);
      const capped = svc.CommonPropertyCap !== false;
      const normative =
        svc.CommonPropertyNormative != null && b.CommonArea != null
          ? svc.CommonPropertyNormative.times(b.CommonArea)
          : null;
      let excess: Decimal | null = null;
      if (difference !== null) {
        if (difference.lt(0)) {
          excess = ZERO;
          note = "отрицательная разница: на СОИ не начислено (Правила 354 п.44)";
        } else if (!capped) {
          excess = ZERO;
          note = "без ограничения нормативом (решение собственников): весь объем распределен";
        } else if (normative === null) note = "не задан норматив на СОИ или площадь общего имущества";
        else excess = difference.gt(normative) ? difference.minus(normative) : ZERO;
      }
      rows.push({
        building: s(b.name || b.Address),
        service: s(svc.name),
        unit: s(svc.Unit),
        house: houseVolume,
        individual,
        difference,
        normative,
        charged: charged ?? ZERO,
        excess,
        note,
      });
    }
  }
  return { period: month, rows };
}
