/**
 * Benefits (льготы, ЖК РФ ст.159–160; ФЗ №181 ст.17 and the like; docs/benefits.md): a benefit of
 * P % for the benefit holders' share of a charge, rounded half up to kopecks once:
 *   ByPersons (the default)  benefit = charge × min(k, registered) / registered × P % × d / D
 *   BySocialNormOfArea       benefit = charge × min(area, norm × k) / area × P % × d / D
 *   ByNormativeVolume        benefit = charge × min(volume, normative × k) / volume × P % × d / D
 * k: the account's benefit holders (AccountBenefits.Persons), registered: the persons of the month
 * (Residents, pro rata), area: the account's total area, norm: the category's m² per person,
 * volume: the line's, normative: the service's per person; d of D: the days of the month the
 * benefit is in force (From–To). Several benefits of a line add up, never above the charge.
 * Figures are scaled integers (accrual-figures.ts); the explanation is written by
 * accrual-explanation.ts#benefitText. Pure: no database (accrual-inputs.ts#benefitsOf reads them).
 */
import { AccrualError, bigQuotient, decText, scaled } from "./accrual-figures.ts";
import { benefitText, type BenefitNote } from "./accrual-explanation.ts";
import { text500, unitOf, type AccountFacts, type LineRecord, type ServiceFacts } from "./accrual.ts";

export type BenefitLimit = BenefitNote["limit"];

/** One benefit of an account in force in the month. */
export interface BenefitFacts {
  category: string;
  /** Percent in hundredths (50 % = 5000). */
  percent: number;
  limit: BenefitLimit;
  /** BySocialNormOfArea: m² per person in ten-thousandths. */
  norm: number | null;
  /** Service ids the category applies to. */
  services: Set<string>;
  persons: number;
  days: number;
  monthDays: number;
}

/** A category's facts from its catalog row; a percent outside 0–100 or a missing social norm is refused naming it. */
export function categoryFacts(c: {
  name: string;
  Percent?: { toString(): string } | string | null;
  Limit?: string | null;
  SocialNorm?: { toString(): string } | string | null;
  Services?: { Service: string }[] | null;
}): Omit<BenefitFacts, "persons" | "days" | "monthDays"> {
  const what = `Категория льготы «${c.name}»`;
  const percent = scaled(c.Percent == null ? null : String(c.Percent), 2, `${what}: размер льготы`) ?? 0;
  if (percent < 0 || percent > 10000)
    throw new AccrualError(`${what}: размер льготы — от 0 до 100 %, указано ${decText(percent, 2, 2, ",")}`);
  const limit = (c.Limit || "ByPersons") as BenefitLimit;
  const norm = scaled(c.SocialNorm == null ? null : String(c.SocialNorm), 4, `${what}: социальная норма площади`);
  if (limit === "BySocialNormOfArea" && (norm === null || norm < 0))
    throw new AccrualError(`${what}: укажите социальную норму площади на человека (м²)`);
  return {
    category: c.name,
    percent,
    limit,
    norm,
    services: new Set((c.Services ?? []).map((r) => r.Service).filter(Boolean)),
  };
}

/** '868.41' / '-0.50' → kopecks. */
const kopecks = (amount: string): number => {
  const neg = amount.startsWith("-");
  const [i, f = ""] = (neg ? amount.slice(1) : amount).split(".");
  const k = Number(i) * 100 + Number(f.padEnd(2, "0").slice(0, 2));
  return neg ? -k : k;
};

/**
 * The line with its benefits (Benefits, the explanation and `due` = Amount − Benefits), or the
 * line itself when none applies. Never changes `line` (one record may serve many accounts).
 */
export function withBenefits(
  line: LineRecord,
  benefits: BenefitFacts[] | undefined,
  account: AccountFacts,
  serviceId: string,
  service: ServiceFacts,
): LineRecord {
  if (!benefits?.length) return line;
  const amount = kopecks(line.fields.Amount);
  if (amount <= 0) return line;
  const notes: BenefitNote[] = [];
  let sum = 0;
  for (const b of benefits) {
    if (!b.services.has(serviceId) || b.percent === 0 || b.persons <= 0 || b.days <= 0) continue;
    const k = b.persons;
    let of: number,
      within: number,
      norm: number | null = null;
    if (b.limit === "ByPersons") {
      of = account.residents;
      within = Math.min(k * 10000, of);
    } else if (b.limit === "BySocialNormOfArea") {
      of = account.area;
      norm = b.norm ?? 0;
      within = Math.min(of, norm * k);
    } else {
      if (service.normative === null)
        throw new AccrualError(
          `Услуга «${service.name}»: не задан норматив на человека — льготу «${b.category}» в пределах норматива потребления не рассчитать`,
        );
      of = line.volume;
      norm = service.normative;
      within = Math.min(of, norm * k);
    }
    // (nobody registered, no area, no volume: no share to reduce)
    if (of <= 0) continue;
    const benefit = bigQuotient(
      BigInt(amount) * BigInt(within) * BigInt(b.percent) * BigInt(b.days),
      BigInt(of) * 10000n * BigInt(b.monthDays),
    );
    sum += benefit;
    notes.push({
      category: b.category,
      percent: b.percent,
      amount,
      limit: b.limit,
      persons: k,
      of,
      norm,
      unit: unitOf(service, ""),
      days: b.days,
      monthDays: b.monthDays,
      benefit,
    });
  }
  if (!notes.length) return line;
  const total = Math.min(sum, amount);
  const over = sum > amount ? " (льготы ограничены суммой начисления)" : "";
  const due = amount - total;
  return {
    fields: {
      ...line.fields,
      Benefits: decText(total, 2, 2),
      Explanation: text500(`${line.fields.Explanation}; ${notes.map(benefitText).join("; ")}${over}`),
    },
    charged: due !== 0,
    volume: line.volume,
    due: decText(due, 2, 2),
  };
}
