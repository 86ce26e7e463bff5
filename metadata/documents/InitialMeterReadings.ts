// Ввод начальных показаний приборов учета.
// Posting: every row of both tabs (Индивидуальные, Коллективные) with a reading records it in
// the MeterReadings information register on its ReadingDate. Checks, each naming the tab, row
// and field, nothing written on refusal: the meter must be of the tab's kind and belong to the
// row's account (individual) or building (collective) — field "Meter"; the same meter twice on
// the same date — "Meter"; a negative reading, or one that does not fit a cyclic meter's digit
// capacity — "Reading". A row without a reading is skipped (the meter's start is not known yet).
// Fill (Заполнить, per tab): every meter of that kind that has no reading at all yet —
// individual meters with their account (in account code order), collective meters with their
// building — with the document's date as ReadingDate and the reading to type in.
// A reading dated in a month whose accrual is already posted marks that accrual (and later ones)
// as needing recalculation, as MeterReadings does (accrual-changes.ts).
import { type Row, type TypedFillContext, today } from "../../server/api.ts";
import { ddmmyyyy, fmt, loadMeters, num, readingRangeError } from "./MeterReadings.ts";
import { documentTitle, type InputChange, markAccrualChanges } from "./accrual-changes.ts";
import { type Configuration, defineDocument, type InitialMeterReadingsDocument } from "../types.gen.ts";

const TABS = [
  { table: "Individual", kind: "Individual", owner: "Account", what: "лицевому счету" },
  { table: "Collective", kind: "Collective", owner: "Building", what: "зданию" },
] as const;

async function fillTab(
  ctx: TypedFillContext<Configuration, InitialMeterReadingsDocument>,
  tab: (typeof TABS)[number],
): Promise<Row[]> {
  const day = String(ctx.doc.date ?? today()).slice(0, 10);
  const meters = (await ctx.query("catalog", "Meters", { Kind: tab.kind })).filter(
    (m) => !m.deletionMark && m[tab.owner],
  );
  if (meters.length === 0) return [];
  const read = new Set((await ctx.info.MeterReadings.sliceLast()).map((r) => r.Meter));
  const owners = await ctx.query("catalog", tab.kind === "Individual" ? "PersonalAccounts" : "Buildings", {
    // (the owners are set: meters without one are left out above)
    id: [...new Set(meters.map((m) => m[tab.owner] as string))],
  });
  const order = new Map<string | null, number>(owners.map((o, i) => [o.id, i]));
  return meters
    .filter((m) => !read.has(m.id) && order.has(m[tab.owner]))
    .sort(
      (a, b) => order.get(a[tab.owner])! - order.get(b[tab.owner])! || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    )
    .map((m) => ({ [tab.owner]: m[tab.owner], Meter: m.id, Reading: null, ReadingDate: day }));
}

export default defineDocument("InitialMeterReadings", {
  async post(ctx) {
    const meters = await loadMeters(
      ctx,
      TABS.flatMap((t) => ctx.doc[t.table].map((r) => r.Meter)),
    );
    const seen = new Map<string, string>();
    const changes: InputChange[] = [];
    for (const tab of TABS) {
      ctx.doc[tab.table].forEach((r, i) => {
        if (r.Reading == null) return;
        const at = (field: string) => ({ table: tab.table, line: i + 1, field });
        const m = meters.get(r.Meter);
        if (!m) throw ctx.error(`Строка ${i + 1}: прибор учета не найден`, at("Meter"));
        if (m.Kind !== tab.kind)
          throw ctx.error(
            `Строка ${i + 1}: «${m.name}» — ${m.Kind === "Individual" ? "индивидуальный" : "коллективный"} прибор учета; введите его показание на вкладке «${m.Kind === "Individual" ? "Индивидуальные" : "Коллективные"} приборы учета»`,
            at("Meter"),
          );
        const rowOwner = "Account" in r ? r.Account : r.Building;
        if (m[tab.owner] !== rowOwner)
          throw ctx.error(
            `Строка ${i + 1}: прибор учета «${m.name}» не принадлежит ${tab.what} этой строки`,
            at("Meter"),
          );
        const key = `${r.Meter}|${r.ReadingDate}`;
        if (seen.has(key))
          throw ctx.error(
            `Строка ${i + 1}: показание прибора «${m.name}» на ${ddmmyyyy(r.ReadingDate)} уже указано (${seen.get(key)})`,
            at("Meter"),
          );
        seen.set(key, `${tab.table === "Individual" ? "индивидуальные" : "коллективные"}, строка ${i + 1}`);
        const bad = readingRangeError(r.Reading, m);
        if (bad) throw ctx.error(`Строка ${i + 1}: ${bad}`, at("Reading"));
        ctx.movements.MeterReadings.add({ period: r.ReadingDate, Meter: r.Meter, Reading: num(r.Reading) });
        const reading = r.Reading;
        changes.push({
          from: r.ReadingDate,
          account: m.Kind === "Individual" ? m.Account : null,
          building: m.Kind === "Collective" ? m.Building : null,
          what: () => `«${m.name}» — начальное показание ${fmt(reading)} на ${ddmmyyyy(r.ReadingDate)}`,
        });
      });
    }
    await markAccrualChanges(
      ctx,
      ctx.movements.AccrualChanges,
      `InitialMeterReadings ${ctx.doc.id}`,
      documentTitle("Ввод начальных показаний приборов учета", ctx.doc),
      changes,
    );
  },

  fill: {
    Individual: (ctx) => fillTab(ctx, TABS[0]),
    Collective: (ctx) => fillTab(ctx, TABS[1]),
  },
});
