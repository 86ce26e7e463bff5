/**
 * Bank of Russia refinancing rate (until 2015) and key rate (from 01.01.2016 the refinancing
 * rate equals the key rate) — the history the statutory penalty mode needs (DOMAIN.md §5).
 *
 * (verify) The list was typed from memory of the Bank of Russia's published decisions; the
 * decisions of September 2025 – February 2026 (17,00; 16,50; 16,00; 15,50) were checked against
 * press reports of the decisions, not against cbr.ru: confirm it, and append every later decision. It is loaded into
 * the KeyRates information register (independent, periodicity day) by the demo loader or an
 * administrator — the penalty calculation reads the register, never this file.
 */
import { Decimal } from "decimal.js";

export interface KeyRate {
  date: string;
  rate: string;
}

/** (verify) Ascending by date; a rate is in force from its date until the next one. */
export const KEY_RATES: readonly KeyRate[] = Object.freeze([
  // Refinancing rate
  { date: "2010-06-01", rate: "7.75" },
  { date: "2011-02-28", rate: "8.00" },
  { date: "2011-05-03", rate: "8.25" },
  { date: "2011-12-26", rate: "8.00" },
  { date: "2012-09-14", rate: "8.25" },
  // From 2016 the refinancing rate is the key rate
  { date: "2016-01-01", rate: "11.00" },
  { date: "2016-06-14", rate: "10.50" },
  { date: "2016-09-19", rate: "10.00" },
  { date: "2017-03-27", rate: "9.75" },
  { date: "2017-05-02", rate: "9.25" },
  { date: "2017-06-19", rate: "9.00" },
  { date: "2017-09-18", rate: "8.50" },
  { date: "2017-10-30", rate: "8.25" },
  { date: "2017-12-18", rate: "7.75" },
  { date: "2018-02-12", rate: "7.50" },
  { date: "2018-03-26", rate: "7.25" },
  { date: "2018-09-17", rate: "7.50" },
  { date: "2018-12-17", rate: "7.75" },
  { date: "2019-06-17", rate: "7.50" },
  { date: "2019-07-29", rate: "7.25" },
  { date: "2019-09-09", rate: "7.00" },
  { date: "2019-10-28", rate: "6.50" },
  { date: "2019-12-16", rate: "6.25" },
  { date: "2020-02-10", rate: "6.00" },
  { date: "2020-04-27", rate: "5.50" },
  { date: "2020-06-22", rate: "4.50" },
  { date: "2020-07-27", rate: "4.25" },
  { date: "2021-03-22", rate: "4.50" },
  { date: "2021-04-26", rate: "5.00" },
  { date: "2021-06-15", rate: "5.50" },
  { date: "2021-07-26", rate: "6.50" },
  { date: "2021-09-13", rate: "6.75" },
  { date: "2021-10-25", rate: "7.50" },
  { date: "2021-12-20", rate: "8.50" },
  { date: "2022-02-14", rate: "9.50" },
  { date: "2022-02-28", rate: "20.00" },
  { date: "2022-04-11", rate: "17.00" },
  { date: "2022-05-04", rate: "14.00" },
  { date: "2022-05-27", rate: "11.00" },
  { date: "2022-06-14", rate: "9.50" },
  { date: "2022-07-25", rate: "8.00" },
  { date: "2022-09-19", rate: "7.50" },
  { date: "2023-07-24", rate: "8.50" },
  { date: "2023-08-15", rate: "12.00" },
  { date: "2023-09-18", rate: "13.00" },
  { date: "2023-10-30", rate: "15.00" },
  { date: "2023-12-18", rate: "16.00" },
  { date: "2024-07-29", rate: "18.00" },
  { date: "2024-09-16", rate: "19.00" },
  { date: "2024-10-28", rate: "21.00" },
  { date: "2025-06-09", rate: "20.00" },
  { date: "2025-07-28", rate: "18.00" },
  { date: "2025-09-15", rate: "17.00" },
  { date: "2025-10-27", rate: "16.50" },
  { date: "2025-12-22", rate: "16.00" },
  { date: "2026-02-16", rate: "15.50" },
]);

/**
 * The cap on the key rate for penalties (ПП РФ от 26.03.2022 № 474 and its extensions): the
 * rate a penalty day inside [from, to] is charged at is the lower of the rate in force on the
 * payment (calculation) date and `rate` — the key rate of 27.02.2022, 9,5 %. Shipped into the
 * PenaltyRateCaps information register (docs/penalties.md names the sources); an administrator
 * adds a record when the government extends the rule again.
 *  - ПП № 474 (26.03.2022) п.1, extended for 2023 and 2024: from 28.02.2022 (its п.3: the
 *    relations that arose from 28.02.2022) to 31.12.2024;
 *  - the extension of March 2025 for 2025 and 2026 (relations from 01.01.2025): to 31.12.2026
 *    **(verify the act's number and date; DOMAIN.md §5 says «verify the current extension»)**.
 */
export interface RateCap {
  from: string;
  /** Inclusive; null: open-ended. */
  to: string | null;
  rate: string;
  act: string;
}
export const RATE_CAPS: readonly RateCap[] = Object.freeze([
  {
    from: "2022-02-28",
    to: "2024-12-31",
    rate: "9.50",
    act: "ПП РФ от 26.03.2022 № 474 (с продлениями на 2023–2024 гг.)",
  },
  { from: "2025-01-01", to: "2026-12-31", rate: "9.50", act: "ПП РФ № 474 в ред. 2025 г. (на 2025–2026 гг.)" },
]);

/** Records for the PenaltyRateCaps information register (non-periodic, keyed by From). */
export function rateCapRecords(): { From: string; To: string | null; Rate: string; Act: string }[] {
  return RATE_CAPS.map((c) => ({ From: c.from, To: c.to, Rate: c.rate, Act: c.act }));
}

/**
 * Records for the KeyRates information register: `{ period, Rate }` each, ready for
 * server/registers/info.ts writeRecords(c, conf, conf.informationRegisters.get("KeyRates"), rows)
 * or for POST /api/registers/KeyRates/records.
 */
export function keyRateRecords(): { period: string; Rate: string }[] {
  return KEY_RATES.map((r) => ({ period: r.date, Rate: r.rate }));
}

/** The rate in force on `date` from a history (any order), or null before its first record. */
export function rateOn(history: readonly { date: string; rate: Decimal | string }[], date: string): Decimal | null {
  let best: { date: string; rate: Decimal | string } | null = null;
  for (const r of history) if (r.date <= date && (!best || r.date > best.date)) best = r;
  return best ? new Decimal(best.rate) : null;
}
