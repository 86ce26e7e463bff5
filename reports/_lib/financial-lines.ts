/**
 * The financial statements' line mappings (reports/balance-sheet/lines.yaml,
 * reports/financial-results/lines.yaml): configuration, not code — which accounts each line of
 * the form takes and on which side. A line is a heading, or a line with its code and either
 * `terms` or `sum`:
 *   terms: [{ debit: [codes] }, { credit: [codes], sign: -1 }, { net: [codes] }, { creditNet: [codes] }]
 *     balance sheet: debit — Σ of the Дт balances of the accounts with their sub-accounts, expanded
 *     (per analytics: the Дт balances of 62.01 by building add up, the Кт ones go to `credit`);
 *     credit — Σ of the Кт balances; net — Σ (Дт − Кт); creditNet — Σ (Кт − Дт);
 *     financial results: debit / credit — the Дт / Кт turnovers of the accounts, only those
 *     corresponding with `corr` (when given) and not with `exceptCorr` (the month's close).
 *   sum: ["2110", "-2120"] — the lines (a minus subtracts), computed from the rounded lines.
 *   deduct: true — the figure is printed in parentheses (an expense subtracted).
 * Figures are in thousands of rubles (the forms' unit, Приказ Минфина 66н), each line rounded
 * half up from rubles; totals from the rounded lines;
 * `rounding` names the line that takes the difference rounding leaves between two lines that must
 * be equal (the balance sheet's 1600 and 1700).
 */

import { readFileSync } from "node:fs";
import { Decimal } from "decimal.js";
import { parse } from "yaml";
import type { Ledger } from "../../metadata/common/ledger.ts";
import { dec, ZERO } from "./accounting.ts";
import type { TypedReportContext } from "./typed.ts";

export interface Term {
  debit?: string[];
  credit?: string[];
  net?: string[];
  creditNet?: string[];
  corr?: string[];
  exceptCorr?: string[];
  sign?: 1 | -1;
}

export interface LineDef {
  code?: string;
  title?: string;
  heading?: string;
  terms?: Term[];
  sum?: string[];
  deduct?: boolean;
}

export interface Mapping {
  rounding?: { line: string; equal: [string, string] };
  lines: LineDef[];
}

/** The mapping file, each account checked against the chart: a code not in it is refused naming the file and line. */
export function readMapping(ctx: TypedReportContext, file: URL, chart: Ledger): Mapping {
  const m = parse(readFileSync(file, "utf8")) as Mapping;
  const name = file.pathname.split("/").slice(-2).join("/");
  const codes = new Set(m.lines.filter((l) => l.code).map((l) => l.code!));
  for (const l of m.lines) {
    for (const t of l.terms ?? [])
      for (const k of ["debit", "credit", "net", "creditNet", "corr", "exceptCorr"] as const)
        for (const c of t[k] ?? [])
          if (!chart.byCode.has(String(c)))
            throw ctx.error(
              `${name}, строка ${l.code}: счета «${c}» нет в плане счетов — исправьте сопоставление строк`,
            );
    for (const s of l.sum ?? [])
      if (!codes.has(s.replace(/^-/, "")))
        throw ctx.error(`${name}, строка ${l.code}: в сумме строка «${s}», которой нет в форме`);
  }
  return m;
}

export interface BalanceRowIn {
  Account: string;
  AmountDr: Decimal;
  AmountCr: Decimal;
}

/** A balance-sheet term's rubles from the balances (rows per account and analytics, on their sides). */
export function balanceTerm(chart: Ledger, t: Term, rows: BalanceRowIn[]): Decimal {
  const pick = (codes: string[] | undefined, f: (r: BalanceRowIn) => Decimal) =>
    (codes ?? []).reduce(
      (s, c) => rows.filter((r) => chart.within(r.Account, c)).reduce((x, r) => x.plus(f(r)), s),
      ZERO,
    );
  const v = pick(t.debit, (r) => dec(r.AmountDr))
    .plus(pick(t.credit, (r) => dec(r.AmountCr)))
    .plus(pick(t.net, (r) => dec(r.AmountDr).minus(dec(r.AmountCr))))
    .plus(pick(t.creditNet, (r) => dec(r.AmountCr).minus(dec(r.AmountDr))));
  return t.sign === -1 ? v.neg() : v;
}

export interface PairIn {
  AccountDr: string | null;
  AccountCr: string | null;
  Amount: Decimal;
}

/** A financial-results term's rubles from the correspondence turnovers of the period. */
export function turnoverTerm(chart: Ledger, t: Term, pairs: PairIn[]): Decimal {
  const corrOk = (corr: string | null) =>
    (!t.corr || t.corr.some((c) => chart.within(corr, c))) && !(t.exceptCorr ?? []).some((c) => chart.within(corr, c));
  let v = ZERO;
  for (const p of pairs) {
    if ((t.debit ?? []).some((c) => chart.within(p.AccountDr, c)) && corrOk(p.AccountCr)) v = v.plus(dec(p.Amount));
    if ((t.credit ?? []).some((c) => chart.within(p.AccountCr, c)) && corrOk(p.AccountDr)) v = v.plus(dec(p.Amount));
  }
  return t.sign === -1 ? v.neg() : v;
}

/** Thousands of rubles, half up, from rubles. */
export const thousands = (rubles: Decimal) => rubles.div(1000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);

/**
 * Every line's figure for one column: rubles (exact) and thousands (rounded line by line; sums from
 * the rounded lines; the rounding line takes the difference left between the two equal lines).
 */
export function evaluate(m: Mapping, term: (t: Term) => Decimal): Map<string, { rubles: Decimal; value: Decimal }> {
  const out = new Map<string, { rubles: Decimal; value: Decimal }>();
  const leaves = m.lines.filter((l) => l.code && !l.sum);
  for (const l of leaves) {
    const rubles = (l.terms ?? []).reduce((s, t) => s.plus(term(t)), ZERO);
    out.set(l.code!, { rubles, value: thousands(rubles) });
  }
  const sums = () => {
    for (const l of m.lines.filter((x) => x.code && x.sum)) {
      let rubles = ZERO;
      let value = ZERO;
      for (const s of l.sum!) {
        const neg = s.startsWith("-");
        const v = out.get(s.replace(/^-/, "")) ?? { rubles: ZERO, value: ZERO };
        rubles = neg ? rubles.minus(v.rubles) : rubles.plus(v.rubles);
        value = neg ? value.minus(v.value) : value.plus(v.value);
      }
      out.set(l.code!, { rubles, value });
    }
  };
  sums();
  if (m.rounding) {
    const [a, b] = m.rounding.equal;
    const diff = out.get(a)!.value.minus(out.get(b)!.value);
    if (!diff.isZero()) {
      const r = out.get(m.rounding.line)!;
      out.set(m.rounding.line, { rubles: r.rubles, value: r.value.plus(diff) });
      sums();
    }
  }
  return out;
}

/** A figure as the form prints it: «1 234», a negative one or a deducted line in parentheses, zero as «-». */
export function printed(v: Decimal, deduct = false): string {
  if (v.isZero()) return "-";
  const abs = v
    .abs()
    .toFixed(0)
    .replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  return (deduct ? v.isPos() : v.isNeg()) ? `(${abs})` : abs;
}
