/**
 * Оборотно-сальдовая ведомость (trial balance) of the register Accounting over [from, to]: per
 * account the opening balance, the turnovers and the closing balance, each on its side. A
 * balance is expanded (развернутое сальдо, as 1C shows 60, 62, 76): an account's Дт is the sum of
 * the Дт balances of its analytics and sub-accounts, its Кт the sum of their Кт balances — so a
 * debt of one building and an advance of another both show. The total row sums the first-level
 * balance accounts: Σ Дт = Σ Кт in every column pair (each entry has both sides). Off-balance
 * accounts follow the total, outside it. Options: by sub-accounts, by analytics (субконто); with
 * `account`, the ОСВ by that account — its sub-accounts and analytics in full (the drill-down a
 * row's code leads to: a link `data-open` the report viewer opens as a tab; data-account on each row).
 */

import type { Decimal } from "decimal.js";
import { type LedgerAccount, ledger } from "../../metadata/common/ledger.ts";
import type { ChartOfAccountsAnalytics } from "../../metadata/types.gen.ts";
import type { ReportContext, ReportParams } from "../../server/api.ts";
import { analyticsNames, analyticsText, dec, period, ZERO } from "../_lib/accounting.ts";
import { typed } from "../_lib/typed.ts";

const KEYS = ["od", "oc", "td", "tc", "cd", "cc"] as const;
type Figures = Record<(typeof KEYS)[number], Decimal>;
const zero = (): Figures => ({ od: ZERO, oc: ZERO, td: ZERO, tc: ZERO, cd: ZERO, cc: ZERO });
const add = (a: Figures, b: Figures) => {
  for (const k of KEYS) a[k] = a[k].plus(b[k]);
};
const isZero = (f: Figures) => KEYS.every((k) => f[k].isZero());

export interface TrialRow extends Figures {
  code: string;
  name: string;
  level: number;
  kind: "account" | "analytics" | "total";
  /** The tab a click on the code opens (client/src/reports/report-viewer.ts: a[data-open]). */
  open?: string;
}

export default async function trialBalance(context: ReportContext, p: ReportParams) {
  const ctx = typed(context);
  const { from, to } = period(ctx, p.from, p.to);
  const chart = await ledger(ctx);
  const root = p.account ? chart.find(p.account) : undefined;
  if (p.account && !root) throw ctx.error("Счета нет в плане счетов", { field: "account" });
  const raw = await ctx.registers.Accounting.balanceAndTurnovers(
    from,
    to,
    "none",
    root ? { Account: root.code } : undefined,
  );
  const byAccount = new Map<string, Figures>();
  const byAnalytics = new Map<string, { analytics: Record<string, string> | null; f: Figures }[]>();
  for (const r of raw) {
    const f: Figures = {
      od: dec(r.AmountOpeningBalanceDr),
      oc: dec(r.AmountOpeningBalanceCr),
      td: dec(r.AmountTurnoverDr),
      tc: dec(r.AmountTurnoverCr),
      cd: dec(r.AmountClosingBalanceDr),
      cc: dec(r.AmountClosingBalanceCr),
    };
    const leaf = chart.find(r.AccountId) ?? chart.find(r.Account);
    if (!leaf) continue;
    for (let a: LedgerAccount | undefined = leaf; a; a = a.parent ? chart.byId.get(a.parent) : undefined) {
      const s = byAccount.get(a.code) ?? byAccount.set(a.code, zero()).get(a.code)!;
      add(s, f);
    }
    if (r.Analytics)
      (byAnalytics.get(leaf.code) ?? byAnalytics.set(leaf.code, []).get(leaf.code)!).push({
        analytics: r.Analytics,
        f,
      });
  }
  const withAnalytics = root !== undefined || p.analytics === true;
  const withSub = root !== undefined || p.subaccounts === true || p.analytics === true;
  const name = withAnalytics
    ? await analyticsNames(
        ctx,
        [...byAnalytics.values()].flatMap((list) =>
          list.flatMap((x) =>
            Object.entries(x.analytics ?? {}).map(
              ([k, v]) => [k as ChartOfAccountsAnalytics, v] as [ChartOfAccountsAnalytics, string],
            ),
          ),
        ),
      )
    : () => "";

  const rows: TrialRow[] = [];
  const base = root?.depth ?? 0;
  const visit = (a: LedgerAccount) => {
    const f = byAccount.get(a.code);
    if (!f || isZero(f)) return;
    const link = new URLSearchParams({ from, to, account: a.id });
    // the drill-down: a row opens the ОСВ by its account; in the ОСВ by an account, the account's card
    const open = `report/${root ? "account-card" : "trial-balance"}/${link}`;
    rows.push({ code: a.code, name: a.name, level: a.depth - base, kind: "account", open, ...f });
    if (a.children.length && withSub) for (const c of a.children) visit(chart.byCode.get(c)!);
    else if (withAnalytics && a.kinds.length) {
      const lines = (byAnalytics.get(a.code) ?? [])
        .map((x) => ({ text: analyticsText(a, x.analytics, name), f: x.f }))
        .sort((x, y) => x.text.localeCompare(y.text, "ru"));
      for (const l of lines)
        if (!isZero(l.f)) rows.push({ code: "", name: l.text, level: a.depth - base + 1, kind: "analytics", ...l.f });
    }
  };
  const total = zero();
  let offBalance: TrialRow[] = [];
  if (root) {
    visit(root);
    add(total, byAccount.get(root.code) ?? zero());
  } else {
    for (const a of chart.ordered.filter((x) => x.depth === 0 && !x.offBalance)) {
      visit(a);
      add(total, byAccount.get(a.code) ?? zero());
    }
    const before = rows.length;
    for (const a of chart.ordered.filter((x) => x.depth === 0 && x.offBalance)) visit(a);
    offBalance = rows.splice(before);
  }
  const totalRow: TrialRow = { code: "", name: "Итого", level: 0, kind: "total", ...total };
  return {
    from,
    to,
    account: root ? { code: root.code, name: root.name } : null,
    rows,
    offBalance,
    total: totalRow,
    csvRows: [...rows, totalRow, ...offBalance],
  };
}
