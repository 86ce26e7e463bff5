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
  | { no: "history"; under: number }
  /**
   * The meter is past its verification date `until` (Правила 354 п.59а, 60): the `k`-th month
   * after it, more than the `over` months the average may stand for, or no average (`average`
   * false); `ignored`: a reading taken after that date, kept but not used.
   */
  | { no: "verification"; until: string; k: number; over: number; average: boolean; ignored: Reading | null };

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
  /** Past the verification date `until`: the `k`-th month after it, by the average of `months` months up to the reading of `last`. */
  | {
      how: "unverified";
      meter: string;
      until: string;
      k: number;
      months: number;
      last: string;
      ignored: Reading | null;
    }
  | { how: "several"; notes: MeterNote[] };

/**
 * How a month's number of persons came about when it is not simply the account's residents
 * (Правила 354 п.56(2), п.38): the parts of the month (`days` of `monthDays`) with their
 * persons — the registered ones, or the owners when nobody is registered (`owners`).
 */
export interface PeopleNote {
  monthDays: number;
  parts: { persons: number; owners: boolean; days: number }[];
}

/** The common property (СОИ) figures of a line, Правила 354 п.44–48 (areas and volumes in ten-thousandths). */
export interface CommonBasis {
  kind: "common";
  unit: string;
  area: number;
  premises: number;
  /** The normative cap: normative × common area × area / premises (null: not capped, the owners decided otherwise). */
  cap: { normative: number; commonArea: number; volume: number } | null;
  /** By the house meter: its consumption, the meters, the individual volumes and the difference (null: by normative). */
  house: {
    consumption: number;
    meters: { name: string; previous: number; current: number }[];
    individual: number;
    difference: number;
    /** The difference × area / premises (0 when the difference is negative). */
    share: number;
  } | null;
  volume: number;
}

/** What a line's volume is: the head of its explanation. */
export type Basis =
  | { kind: "area"; area: number; living: boolean }
  | { kind: "residents"; residents: number; people?: PeopleNote | null }
  | { kind: "fixed" }
  /** residents × Normative; `via`: no individual meter ("none"), a meter without a measured consumption, or neither. */
  | {
      kind: "normative";
      residents: number;
      normative: number;
      unit: string;
      via: "none" | MeterNote | null;
      people?: PeopleNote | null;
    }
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
    }
  | CommonBasis;

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
  /** A tariff changed within the month: each rate with its days of `monthDays` (absent: one rate). */
  parts?: { rate: string; overRate: string | null; days: number }[];
  monthDays?: number;
  /** Kopecks. */
  amount: number;
}

/** A line's explanation: its basis, × the rate (or the split over the norm), × the raising factor, = the amount. */
export function explanation(basis: Basis, p: Pricing): string {
  const rates = (over: boolean): string => {
    if (!p.parts) return (over ? p.overRate : p.rate) ?? "0";
    const parts = p.parts.map((x) => `${(over ? x.overRate : x.rate) ?? "0"} × ${x.days}/${p.monthDays} дн.`);
    return `(${parts.join(" + ")})`;
  };
  let tail =
    p.over > 0
      ? ` = ${ru4(p.within)} в пределах норматива × ${rates(false)} + ${ru4(p.over)} сверх норматива × ${rates(true)}`
      : ` × ${rates(false)}`;
  if (p.factor !== null) tail += ` × ${decText(p.factor, 2, 2, ",")} (повышающий коэффициент)`;
  return `${head(basis)}${tail} = ${decText(p.amount, 2, 2, ",")}`;
}

function head(b: Basis): string {
  switch (b.kind) {
    case "area":
      return `${ru4(b.area, 2)} м²${b.living ? " (жилая)" : ""}`;
    case "residents":
      return persons(b.residents, b.people);
    case "fixed":
      return "фиксированная сумма: 1";
    case "normative": {
      const prefix = b.via === null ? "" : b.via === "none" ? "нет прибора учета: " : `${meterNote(b.via)}: `;
      return `${prefix}${persons(b.residents, b.people)} × ${ru4(b.normative)} ${b.unit}`.trimEnd();
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
    case "common":
      return commonHead(b);
  }
}

/** "3 чел.", or the persons by parts of the month and by owners (п.56(2)): "(3 чел. × 15/30 дн. + 4 чел. × 15/30 дн.) = 3,5000 чел.". */
function persons(n: number, people: PeopleNote | null | undefined): string {
  if (!people) return `${ru4(n, 0)} чел.`;
  const who = (x: { persons: number; owners: boolean }) =>
    `${x.persons} чел.${x.owners ? " (никто не зарегистрирован — по числу собственников, п.56(2))" : ""}`;
  if (people.parts.length === 1 && people.parts[0].days === people.monthDays) return who(people.parts[0]);
  const parts = people.parts.map((x) => `${who(x)} × ${x.days}/${people.monthDays} дн.`).join(" + ");
  return `(${parts}) = ${ru4(n)} чел.`;
}

/** СОИ (Правила 354 п.44–48, формулы 10–15): the house's difference shared by area, capped by the normative. */
function commonHead(b: CommonBasis): string {
  const share = `× ${ru4(b.area, 2)} м² / ${ru4(b.premises, 2)} м²`;
  const cap = b.cap
    ? `норматив ${ru4(b.cap.normative)} × ${ru4(b.cap.commonArea, 2)} м² ${share} = ${ru4(b.cap.volume)} ${b.unit}`
    : "";
  const h = b.house;
  if (!h) return `СОИ по нормативу: ${cap}`;
  const meters = h.meters.map((m) => `«${m.name}» ${ru4(m.previous)} → ${ru4(m.current)}`).join("; ");
  let text = `СОИ: по дому ${ru4(h.consumption)} ${b.unit}${meters ? ` (${meters})` : ""} − индивидуальные ${ru4(h.individual)} = ${ru4(h.difference)}`;
  if (h.difference < 0) text += " < 0: на СОИ 0 (отрицательная разница не начисляется)";
  else text += ` ${share} = ${ru4(h.share)}`;
  if (!b.cap) return `${text} (без ограничения нормативом — решение собственников)`;
  if (h.share > b.cap.volume)
    return `${text}, больше норматива (${cap}): ${ru4(b.volume)}, сверхнормативный расход за счет управляющей организации`;
  return `${text} (не больше норматива: ${cap})`;
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
      return `прибор «${n.meter}»: ${normativeWhy(n.why)}${n.why.no === "verification" ? "" : ", по нормативу"}`;
    case "unverified":
      return `прибор «${n.meter}»: истек срок поверки ${dateText(n.until)} (п.59а), ${n.k}-й мес., среднемесячный расход за ${n.months} мес. до ${dateText(n.last)}${ignoredText(n.ignored)}`;
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
    case "verification":
      return `истек срок поверки ${dateText(w.until)}, ${w.k}-й мес. — ${w.average ? `более ${w.over} мес. по среднему (п.59а)` : "нет истории для среднего"}, по нормативу с повышающим коэффициентом (п.60)${ignoredText(w.ignored)}`;
  }
}

/** A reading taken after the verification date: kept, not used for the charge. */
const ignoredText = (r: Reading | null): string =>
  r ? `; показание ${ru4(r.value)} на ${dateText(r.period)} не учтено (прибор не поверен)` : "";

/**
 * One benefit of a line (accrual-benefits.ts), as figures: the category, its percentage in
 * hundredths, the share's numerator and denominator with their words, the days in force.
 */
export interface BenefitNote {
  category: string;
  /** Percent in hundredths (50 % = 5000). */
  percent: number;
  /** The line's amount in kopecks. */
  amount: number;
  limit: "ByPersons" | "BySocialNormOfArea" | "ByNormativeVolume";
  persons: number;
  /** ByPersons: registered persons; BySocialNormOfArea: the area; ByNormativeVolume: the volume (ten-thousandths). */
  of: number;
  /** BySocialNormOfArea: m² per person; ByNormativeVolume: the normative per person (ten-thousandths). */
  norm: number | null;
  unit: string;
  days: number;
  monthDays: number;
  /** The benefit in kopecks. */
  benefit: number;
}

const pct = (x: number) => `${decText(x, 2, 2, ",").replace(/,00$/, "")} %`;

/** "льгота «Ветеран труда» 50 %: 540,00 × min(54,00 м²; 18,0000 м² × 1 чел.) / 54,00 м² × 50 % = 90,00". */
export function benefitText(b: BenefitNote): string {
  const amount = decText(b.amount, 2, 2, ",");
  let share: string;
  switch (b.limit) {
    case "ByPersons":
      share = `${b.persons} из ${ru4(b.of, b.of % 10000 === 0 ? 0 : 4)} чел.`;
      break;
    case "BySocialNormOfArea":
      share = `min(${ru4(b.of, 2)} м²; ${ru4(b.norm ?? 0)} м² × ${b.persons} чел.) / ${ru4(b.of, 2)} м²`;
      break;
    case "ByNormativeVolume":
      share = `min(${ru4(b.of)}; ${ru4(b.norm ?? 0)} ${b.unit} × ${b.persons} чел.) / ${ru4(b.of)} ${b.unit}`.replace(
        /\s+\//,
        " /",
      );
      break;
  }
  const days = b.days === b.monthDays ? "" : ` × ${b.days}/${b.monthDays} дн.`;
  return `льгота «${b.category}»: ${amount} × ${share} × ${pct(b.percent)}${days} = ${decText(b.benefit, 2, 2, ",")}`;
}
