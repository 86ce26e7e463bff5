/**
 * The register routes of an accounting register (registers.ts hands them over by name): the same
 * paths as an accumulation register's, answering entries' shapes (server/accounting/read.ts):
 *   GET /api/registers/:name/balance?at=&Account=&Analytics1=…          <R>Dr, <R>Cr
 *   GET /api/registers/:name/turnovers?from=&to=&periodicity=&…         <R>TurnoverDr, <R>TurnoverCr
 *   GET /api/registers/:name/balance-and-turnovers?from=&to=&…          opening, turnovers, closing
 *   GET /api/registers/:name/records?from=&to=&limit=&Account=          the entries of a period
 *   GET /api/registers/:name/correspondence?from=&to=&AccountDr=&AccountCr=   Дт × Кт pairs
 * Account (a code such as 62 or 62.01, or an account's id) includes the sub-accounts.
 */
import type { Request } from "express";
import type { AccountingRegisterMeta } from "../metadata/types.ts";
import { ANALYTICS_FIELDS } from "../metadata/accounting.ts";
import { badRequest } from "../errors.ts";
import {
  accountingBalance,
  accountingBalanceAndTurnovers,
  accountingTurnovers,
  correspondence,
  listEntries,
} from "../accounting/read.ts";
import type { Run } from "./context.ts";
import { checkRange, dateParam, MAX_LIMIT, periodicityParam, single, type Query } from "./query.ts";

export type AccountingRoute = "balance" | "turnovers" | "balance-and-turnovers" | "records" | "correspondence";

/** The filter parameters (Account, Analytics1..3, or AccountDr / AccountCr); any other unknown one is refused. */
function filterOf(reg: AccountingRegisterMeta, q: Query, keys: string[], reserved: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(q)) {
    if (reserved.includes(key)) continue;
    if (!keys.includes(key))
      throw badRequest(
        `Неизвестный параметр ${key}: у регистра ${reg.name} можно указать ${[...reserved, ...keys].join(", ")}`,
        key,
      );
    const v = single(q, key);
    if (v !== undefined && v !== "") out[key] = v;
  }
  return out;
}

function range(q: Query): { from: string; to: string } {
  const from = dateParam(q, "from", { required: true })!;
  const to = dateParam(q, "to", { required: true, endOfDay: true })!;
  checkRange(from, to);
  return { from, to };
}

/** Answers one of the routes for an accounting register: { rows }. */
export async function accountingRoute(
  run: Run,
  reg: AccountingRegisterMeta,
  route: AccountingRoute,
  req: Request,
): Promise<{ rows: Record<string, unknown>[] }> {
  const q = req.query as Query;
  const keys = ["Account", ...ANALYTICS_FIELDS];
  switch (route) {
    case "balance": {
      const at = dateParam(q, "at", { endOfDay: true });
      const filter = filterOf(reg, q, keys, ["at"]);
      return { rows: await run((ctx) => accountingBalance(ctx.c, ctx.conf, reg, at, filter)) };
    }
    case "turnovers":
    case "balance-and-turnovers": {
      const { from, to } = range(q);
      const periodicity = periodicityParam(q);
      const filter = filterOf(reg, q, keys, ["from", "to", "periodicity"]);
      const read = route === "turnovers" ? accountingTurnovers : accountingBalanceAndTurnovers;
      return { rows: await run((ctx) => read(ctx.c, ctx.conf, reg, from, to, periodicity, filter)) };
    }
    case "records": {
      const { from, to } = range(q);
      const limitText = single(q, "limit");
      if (limitText !== undefined && !/^\d{1,9}$/.test(limitText))
        throw badRequest(`Параметр limit: ожидается целое число не меньше 0, получено «${limitText}»`, "limit");
      const limit = Math.min(MAX_LIMIT, limitText ? Number(limitText) : MAX_LIMIT);
      const filter = filterOf(reg, q, keys, ["from", "to", "limit"]);
      return { rows: await run((ctx) => listEntries(ctx.c, ctx.conf, reg, { from, to, filter, limit })) };
    }
    case "correspondence": {
      const { from, to } = range(q);
      const filter = filterOf(reg, q, ["AccountDr", "AccountCr"], ["from", "to"]);
      return { rows: await run((ctx) => correspondence(ctx.c, ctx.conf, reg, from, to, filter)) };
    }
  }
}
