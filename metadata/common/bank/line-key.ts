/**
 * The key by which a statement line is known again when the same file (or another statement
 * holding the same payment) is imported twice: the bank's number, the date, the sum and the
 * payer's account — as the issue defines it — as one stable string:
 *
 *     "<number>|<YYYY-MM-DD>|<sum with kopecks>|<payer's account>"
 *
 * Normalized so that the same payment gives the same key whatever the file's spelling: the number
 * trimmed and without leading zeros ("000123" = "123"), the sum as 1500.00 (not 1500 / 1500.0),
 * the account's digits only. A "|" or "\" inside a part is escaped, so parts never run together.
 * Two lines of ONE file with the same key (two equal payments the same day from the same bank's
 * transit account) are different payments: lineKeys() gives the second "…#2", the third "…#3" —
 * so importing the file again still gives the same keys, and nothing is lost.
 * A payment agent's register line is keyed the same way by registryLineKey / registryLineKeys
 * (account, period, sum, commission, date: a register has no bank numbers).
 */
import { Decimal } from "decimal.js";
import type { ExchangeDocument } from "./exchange-read.ts";

export type KeyedLine = Pick<ExchangeDocument, "number" | "date" | "sum"> & {
  payer: Pick<ExchangeDocument["payer"], "account">;
};

const escapePart = (s: string) => s.replace(/[\\|#]/g, (c) => `\\${c}`);

/** The line's key (see the top of this file). */
export function lineKey(doc: KeyedLine): string {
  const number = doc.number.trim().replace(/^0+(?=.)/, "");
  const sum = new Decimal(doc.sum).toFixed(2);
  const account = doc.payer.account.replace(/\D/g, "");
  return [number, doc.date, sum, account].map(escapePart).join("|");
}

/** Keys in order, a key's repeats numbered «#2», «#3»… (the first stays as it is). */
export function numberRepeats(keys: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? key : `${key}#${n}`;
  });
}

/** The keys of a file's lines, in order, repeats within the file numbered «#2», «#3»… */
export const lineKeys = (docs: readonly KeyedLine[]): string[] => numberRepeats(docs.map(lineKey));

/** What a payment agent's register line is known by: account, period, sum, commission, date. */
export interface RegistryKeyedLine {
  account: string;
  period: string | null;
  sum: Decimal;
  commission: Decimal;
  date: string | null;
}

/** The key of an agent's register line, "<account>|<period>|<sum>|<commission>|<date>" (empty parts ""). */
export function registryLineKey(l: RegistryKeyedLine): string {
  return [
    l.account.trim(),
    l.period ?? "",
    new Decimal(l.sum).toFixed(2),
    new Decimal(l.commission).toFixed(2),
    l.date ?? "",
  ]
    .map(escapePart)
    .join("|");
}

/** The keys of a register's lines, repeats numbered as lineKeys() does. */
export const registryLineKeys = (lines: readonly RegistryKeyedLine[]): string[] =>
  numberRepeats(lines.map(registryLineKey));
