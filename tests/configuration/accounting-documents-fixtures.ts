// Shared by the bookkeeping documents' tests (tests/configuration/accounting-documents-*.test.ts):
// accounts of the chart by code, a document's entries as short lines, balances and turnovers of
// the register Accounting read as handlers read them.
import { ensurePredefinedAccounts, predefinedId } from "../../server/accounting/accounts.ts";
import { accountingBalance, accountingTurnovers } from "../../server/accounting/read.ts";
import type { Platform } from "../../server/platform.ts";
import { inArea, movements, openZhkh, type Row } from "./documents-fixtures.ts";

/** A fresh database with the ЖКХ metadata and the chart's predefined accounts (as the start writes them). */
export async function openLedger(tag: string): Promise<Platform> {
  const p = await openZhkh(tag);
  await inArea(p, (ctx) => ensurePredefinedAccounts(ctx.c, p.conf));
  return p;
}

/** The id of a predefined account of ChartOfAccounts by its code. */
export const acc = (code: string) => predefinedId("ChartOfAccounts", code);

/** «Движения» of Accounting as lines "Дт 51 Кт 80 100000.00" (+ " Дт{kind=id,…}" / " Кт{…}" when analytics). */
export async function entryLines(p: Platform, name: string, id: string, names: Record<string, string> = {}) {
  const rows = await movements(p, name, id, "Accounting");
  const an = (side: string, a: unknown) =>
    a && typeof a === "object"
      ? ` ${side}{${Object.entries(a as Row)
          .map(([k, v]) => `${k}=${names[String(v)] ?? v}`)
          .join(",")}}`
      : "";
  return rows.map(
    (r) =>
      `Дт ${r.AccountDr ?? "—"} Кт ${r.AccountCr ?? "—"} ${r.Amount}${an("Дт", r.AnalyticsDr)}${an("Кт", r.AnalyticsCr)}`,
  );
}

/** Net balance (Dr − Cr) of an account (with its sub-accounts) at a moment (omitted: all entries). */
export async function net(p: Platform, code: string, at?: string): Promise<string> {
  const rows = await inArea(p, (ctx) =>
    accountingBalance(ctx.c, p.conf, p.conf.accountingRegisters.get("Accounting")!, at, { Account: code }),
  );
  let s = 0n;
  for (const r of rows) s += kop(r.AmountDr) - kop(r.AmountCr);
  return fromKop(s);
}

/** Dr and Cr turnovers of an account (with sub-accounts) over [from, to]. */
export async function turns(p: Platform, code: string, from: string, to: string): Promise<[string, string]> {
  const rows = await inArea(p, (ctx) =>
    accountingTurnovers(ctx.c, p.conf, p.conf.accountingRegisters.get("Accounting")!, from, to, "none", {
      Account: code,
    }),
  );
  let d = 0n;
  let c = 0n;
  for (const r of rows) (d += kop(r.AmountTurnoverDr)), (c += kop(r.AmountTurnoverCr));
  return [fromKop(d), fromKop(c)];
}

const kop = (v: unknown) => {
  const s = String(v ?? "0");
  const neg = s.startsWith("-");
  const [i, f = ""] = (neg ? s.slice(1) : s).split(".");
  const k = BigInt(i) * 100n + BigInt((f + "00").slice(0, 2));
  return neg ? -k : k;
};
const fromKop = (k: bigint) => {
  const neg = k < 0n;
  const a = neg ? -k : k;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
};
