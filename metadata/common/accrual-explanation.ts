/**
 * The one place that writes a charge's explanation (Accruals.Explanation, shown on the accrual
 * and the receipt): "43,4205 м3 (показания 100,0000 → 143,4205) × 20,0000 = 868,41". The rules
 * (accrual.ts, accrual-meters.ts) say what a line was computed from — its Basis and the meters'
 * notes, as figures — and the text is written here from them, words and number formats alike.
 * Figures are scaled integers (accrual-figures.ts): volumes, areas, residents and readings in
 * ten-thousandths, the raising factor in hundredths, the amount in kopecks.
 */
import { dateText, decText, ru4 } from "./accrual-figures.ts";

export interface Reading {
  /** 'YYYY-MM-DD' */
  period: string;
  /** In ten-thousandths. */
  value: number;
}

/** Why a meter's line is charged by normative. */
export type NormativeWhy =
  | { no: "readings" }
  /** The meter's first reading ever is in the month: no consumption measured yet. */
  | { no: "consumption"; first: Reading }
  /** No reading for `k` months, more than the `over` months the average may stand for. */
  | { no: "average"; k: number; over: number }
  /** No reading this month and less than `under` months of history for an average. */
  | { no: "history"; under: number };

/** A month estimated before a real reading arrived: its volume, by the average or by normative. */
export interface Estimate {
  volume: number;
  byAverage: boolean;
}

/** How one meter's volume came about (accrual-meters.ts#meterVolume), or several meters' together. */
export type MeterNote =
  | { how: "reading"; previous: number; current: number }
  /** The `k`-th month without a reading: the monthly average of `months` months up to the reading of `last`. */
  | { how: "average"; k: number; months: number; last: string }
  /** The real consumption `real` since `since` over `gap` + 1 months, minus the `estimated` months between. */
  | {
      how: "recalculated";
      previous: number;
      current: number;
      since: string;
      real: number;
      gap: number;
      estimated: number;
      parts: Estimate[];
    }
  | { how: "normative"; meter: string; why: NormativeWhy }
  | { how: "several"; notes: MeterNote[] };

/** What a line's volume is: the head of its explanation. */
export type Basis =
  | { kind: "area"; area: number; living: boolean }
  | { kind: "residents"; residents: number }
  | { kind: "fixed" }
  /** residents × Normative; `via`: no individual meter ("none"), a meter without a measured consumption, or neither. */
  | { kind: "normative"; residents: number; normative: number; unit: string; via: "none" | MeterNote | null }
  | { kind: "meter"; volume: number; unit: string; note: MeterNote }
  | { kind: "derived"; volume: number; unit: string; sources: { name: string; volume: number }[] }
  | {
      kind: "house";
      consumption: number;
      unit: string;
      meters: { name: string; previous: number; current: number }[];
      area: number;
      buildingArea: number;
      volume: number;
    };

/** How the volume was priced: at `rate`, or split at the norm (`within` at rate, `over` at `overRate`), × `factor`. */
export interface Pricing {
  /** Rate and rate over norm as the explanation writes them ("20,0000"). */
  rate: string;
  overRate: string | null;
  /** Ten-thousandths within and over the norm; over = 0: no split. */
  within: number;
  over: number;
  /** The raising factor in hundredths (null: none). */
  factor: number | null;
  /** Kopecks. */
  amount: number;
}

/** A line's explanation: its basis, × the rate (or the split over the norm), × the raising factor, = the amount. */
export function explanation(basis: Basis, p: Pricing): string {
  let tail =
    p.over > 0
      ? ` = ${ru4(p.within)} в пределах норматива × ${p.rate} + ${ru4(p.over)} сверх норматива × ${p.overRate}`
      : ` × ${p.rate}`;
  if (p.factor !== null) tail += ` × ${decText(p.factor, 2, 2, ",")} (повышающий коэффициент)`;
  return `${head(basis)}${tail} = ${decText(p.amount, 2, 2, ",")}`;
}

function head(b: Basis): string {
  switch (b.kind) {
    case "area":
      return `${ru4(b.area, 2)} м²${b.living ? " (жилая)" : ""}`;
    case "residents":
      return `${ru4(b.residents, 0)} чел.`;
    case "fixed":
      return "фиксированная сумма: 1";
    case "normative": {
      const prefix = b.via === null ? "" : b.via === "none" ? "нет прибора учета: " : `${meterNote(b.via)}: `;
      return `${prefix}${ru4(b.residents, 0)} чел. × ${ru4(b.normative)} ${b.unit}`.trimEnd();
    }
    case "meter":
      return `${ru4(b.volume)} ${b.unit} (${meterNote(b.note)})`;
    case "derived": {
      const names = b.sources.map((s) => `${s.name} ${ru4(s.volume)}`).join(" + ");
      return `${ru4(b.volume)} ${b.unit}${names ? ` (${names})` : ""}`;
    }
    case "house": {
      const meters = b.meters.map((m) => `«${m.name}» ${ru4(m.previous)} → ${ru4(m.current)}`).join("; ");
      return `${ru4(b.consumption)} ${b.unit} по дому${meters ? ` (${meters})` : ""} × ${ru4(b.area, 2)} м² / ${ru4(b.buildingArea, 2)} м² = ${ru4(b.volume)}`;
    }
  }
}

/** The words of a meter's note: "показания 100,0000 → 143,4205". */
export function meterNote(n: MeterNote): string {
  switch (n.how) {
    case "reading":
      return `показания ${ru4(n.previous)} → ${ru4(n.current)}`;
    case "average":
      return `нет показания за месяц (${n.k}-й мес. без показаний), среднемесячный расход за ${n.months} мес. до ${dateText(n.last)}`;
    case "recalculated": {
      const parts = n.parts.map((e) => `${ru4(e.volume)} ${e.byAverage ? "ср." : "норм."}`).join(" + ");
      return `показания ${ru4(n.previous)} → ${ru4(n.current)} с ${dateText(n.since)}: ${ru4(n.real)} за ${n.gap + 1} мес. минус начисленное без показаний за ${n.gap} мес. ${ru4(n.estimated)}${parts ? ` (${parts})` : ""}`;
    }
    case "normative":
      return `прибор «${n.meter}»: ${normativeWhy(n.why)}, по нормативу`;
    case "several":
      return n.notes.map(meterNote).join("; ");
  }
}

/** Why there is no measured consumption: also the words of the refusal when the service has no normative. */
export function normativeWhy(w: NormativeWhy): string {
  switch (w.no) {
    case "readings":
      return "нет показаний";
    case "consumption":
      return `первое показание ${ru4(w.first.value)} на ${dateText(w.first.period)}, расход еще не измерен`;
    case "average":
      return `нет показаний ${w.k} мес. (более ${w.over})`;
    case "history":
      return `нет показания за месяц и истории для среднего (менее ${w.under} мес.)`;
  }
}
