// Изменение тарифов на услуги.
// Posting: each row sets the rate and the rate over norm (Тариф сверх) of a service and tariff
// kind in the Tariffs information register from the document's day on. An empty cell keeps the
// value in force the day before (0 if there was none); a row with both cells empty is refused,
// and so is a (service, tariff kind) repeated, each naming its row — every bad row at once; a
// negative rate is refused by the metadata (`min: 0`: the form as it is typed, the platform on
// posting).
// Posted GroupAccruals of the document's month or later are marked as needing recalculation
// (accrual-changes.ts).
// Fill (Заполнить): every (service, tariff kind) that has a rate at the document's date, with
// that rate, plus every pair connected to some account (AccountServices at that date, status
// Подключена) that has none, with empty rates to type in; ordered by service and kind code.
import { defineDocument } from "../types.gen.ts";
import { addDays, today } from "../../server/api.ts";
import { num } from "./MeterReadings.ts";
import { documentTitle, markAccrualChanges } from "./accrual-changes.ts";

export default defineDocument("TariffChange", {
  async post(ctx) {
    const day = ctx.doc.date.slice(0, 10);
    const rows = ctx.doc.Tariffs;
    const seen = new Map<string, number>();
    // every bad row is reported at once, each at its cell
    const problems: { message: string; target: { table: string; line: number; field: string } }[] = [];
    rows.forEach((r, i) => {
      const bad = (field: string, message: string) =>
        problems.push({ message: `Строка ${i + 1}: ${message}`, target: { table: "Tariffs", line: i + 1, field } });
      // (a negative rate: the platform refuses it by the metadata's `min: 0`, the form as it is typed)
      if (r.Rate == null && r.RateOverNorm == null) bad("Rate", "укажите тариф или тариф сверх нормы");
      const key = `${r.Service}|${r.TariffKind}`;
      const earlier = seen.get(key);
      if (earlier) bad("Service", `тариф этой услуги и вида тарифа уже указан в строке ${earlier}`);
      else seen.set(key, i + 1);
    });
    if (problems.length) throw ctx.errors(problems);
    const partial = rows.some((r) => r.Rate == null || r.RateOverNorm == null);
    const before = partial ? await ctx.info.Tariffs.sliceLast(addDays(day, -1)) : [];
    const prev = new Map(before.map((t) => [`${t.Service}|${t.TariffKind}`, t]));
    for (const r of rows) {
      const p = prev.get(`${r.Service}|${r.TariffKind}`);
      ctx.movements.Tariffs.add({
        period: day,
        Service: r.Service,
        TariffKind: r.TariffKind,
        // decimal strings, not Decimal objects (see MeterReadings.ts#num)
        Rate: num(r.Rate ?? p?.Rate) ?? "0",
        RateOverNorm: num(r.RateOverNorm ?? p?.RateOverNorm) ?? "0",
      });
    }
    // Posted accruals of the document's month or later are marked as needing recalculation.
    const names = new Map<string, string>();
    await markAccrualChanges(
      ctx,
      ctx.movements.AccrualChanges,
      `TariffChange ${ctx.doc.id}`,
      documentTitle("Изменение тарифов на услуги", ctx.doc),
      rows.map((r) => ({
        from: day,
        what: () =>
          `тариф «${names.get(r.Service) ?? "?"}» (${names.get(r.TariffKind) ?? "?"}) с ${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`,
      })),
      async () => {
        for (const s of await ctx.query("catalog", "Services", { id: rows.map((r) => r.Service) }))
          names.set(s.id, s.name);
        for (const k of await ctx.query("catalog", "TariffKinds", { id: rows.map((r) => r.TariffKind) }))
          names.set(k.id, k.name);
      },
    );
  },

  fill: {
    async Tariffs(ctx) {
      const day = String(ctx.doc.date ?? today()).slice(0, 10);
      const serviceOrder = new Map((await ctx.query("catalog", "Services")).map((s, i) => [s.id, i]));
      const kindOrder = new Map((await ctx.query("catalog", "TariffKinds")).map((k, i) => [k.id, i]));
      const pairs = new Map<
        string,
        { Service: string | null; TariffKind: string | null; Rate: string | null; RateOverNorm: string | null }
      >();
      for (const t of await ctx.info.Tariffs.sliceLast(day))
        pairs.set(`${t.Service}|${t.TariffKind}`, {
          Service: t.Service,
          TariffKind: t.TariffKind,
          Rate: num(t.Rate),
          RateOverNorm: num(t.RateOverNorm),
        });
      for (const a of await ctx.info.AccountServices.sliceLast(day)) {
        const key = `${a.Service}|${a.TariffKind}`;
        if (a.Status === "Connected" && a.TariffKind && !pairs.has(key))
          pairs.set(key, { Service: a.Service, TariffKind: a.TariffKind, Rate: null, RateOverNorm: null });
      }
      const ord = (m: Map<string, number>, id: string | null) =>
        (id === null ? undefined : m.get(id)) ?? Number.MAX_SAFE_INTEGER;
      return [...pairs.values()].sort(
        (a, b) =>
          ord(serviceOrder, a.Service) - ord(serviceOrder, b.Service) ||
          ord(kindOrder, a.TariffKind) - ord(kindOrder, b.TariffKind),
      );
    },
  },
});
