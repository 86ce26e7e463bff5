/**
 * Routes of registers. Accumulation registers: balance at a moment, turnovers over a period
 * (by day, month, year or the whole period), both at once, and the movements of a period
 * with their attributes (/movements?from=&to=&limit=). Information registers: the
 * slice of last or first values at a moment, a paged list of records, and — for registers
 * written independently, not by documents — writing and deleting records. Every other query
 * parameter is a dimension filter (by metadata name) and must name a dimension.
 */
import { accountingRoute } from "./accounting.ts";
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import { balance, balanceAndTurnovers, listRecords, sliceFirst, sliceLast, turnovers } from "../registers/index.ts";
import { deleteCheckedRecords, writeCheckedRecords } from "../registers/checked.ts";
import { AppError } from "../errors.ts";
import { listMovements } from "../registers/movements.ts";
import { jsonBody, param, type Run } from "./context.ts";
import { accumulationOf, informationOf } from "../metadata/lookup.ts";
import { checkRange, dateParam, dimensionFilter, pageParams, periodicityParam, type Query } from "./query.ts";
import { validRegisterBody } from "./schemas.ts";
import { journalRecords } from "../journal/hooks.ts";

export function registerRoutes(run: Run): Router {
  const r = secureRouter();
  const conf = run.conf;
  const allow = rules(conf);
  /** from/to (required; `to` inclusive to the end of its day), periodicity and dimension filters. */
  const rangeQuery = (reg: Parameters<typeof dimensionFilter>[1], q: Query) => {
    const from = dateParam(q, "from", { required: true })!;
    const to = dateParam(q, "to", { required: true, endOfDay: true })!;
    checkRange(from, to);
    return {
      from,
      to,
      periodicity: periodicityParam(q),
      filter: dimensionFilter(conf, reg, q, ["from", "to", "periodicity"]),
    };
  };

  r.get("/:name/balance", allow.register("read"), async (req, res) => {
    const acr = conf.accountingRegisters.get(param(req, "name")); // an accounting register: http/accounting.ts
    if (acr) return void res.json(await accountingRoute(run, acr, "balance", req));
    const reg = accumulationOf(conf, param(req, "name"), "Остатки");
    if (reg.registerKind !== "balance")
      throw new AppError(
        400,
        "wrong_register_kind",
        `Регистр ${reg.name} — регистр оборотов: у него нет остатков, запросите обороты (turnovers)`,
      );
    const q = req.query as Query;
    const at = dateParam(q, "at", { endOfDay: true });
    const filter = dimensionFilter(conf, reg, q, ["at"]);
    res.json({ rows: await run((ctx) => balance(ctx.c, reg, at, filter)) });
  });

  r.get("/:name/turnovers", allow.register("read"), async (req, res) => {
    const acr = conf.accountingRegisters.get(param(req, "name")); // an accounting register: http/accounting.ts
    if (acr) return void res.json(await accountingRoute(run, acr, "turnovers", req));
    const reg = accumulationOf(conf, param(req, "name"), "Обороты");
    const { from, to, periodicity, filter } = rangeQuery(reg, req.query as Query);
    res.json({ rows: await run((ctx) => turnovers(ctx.c, reg, from, to, periodicity, filter)) });
  });

  // The records themselves, attributes included (balances and turnovers sum them away).
  r.get("/:name/movements", allow.register("read"), async (req, res) => {
    const reg = accumulationOf(conf, param(req, "name"), "Движения");
    const q = req.query as Query;
    const from = dateParam(q, "from", { required: true })!;
    const to = dateParam(q, "to", { required: true, endOfDay: true })!;
    checkRange(from, to);
    const { limit } = pageParams(q);
    const filter = dimensionFilter(conf, reg, q, ["from", "to", "limit"]);
    res.json({ rows: await run((ctx) => listMovements(ctx.c, reg, { from, to, filter, limit })) });
  });

  r.get("/:name/balance-and-turnovers", allow.register("read"), async (req, res) => {
    const acr = conf.accountingRegisters.get(param(req, "name")); // an accounting register: http/accounting.ts
    if (acr) return void res.json(await accountingRoute(run, acr, "balance-and-turnovers", req));
    const reg = accumulationOf(conf, param(req, "name"), "Остатки и обороты");
    if (reg.registerKind !== "balance")
      throw new AppError(
        400,
        "wrong_register_kind",
        `Регистр ${reg.name} — регистр оборотов: у него нет остатков, запросите обороты (turnovers)`,
      );
    const { from, to, periodicity, filter } = rangeQuery(reg, req.query as Query);
    res.json({ rows: await run((ctx) => balanceAndTurnovers(ctx.c, reg, from, to, periodicity, filter)) });
  });

  for (const [path, slice] of [
    ["slice-last", sliceLast],
    ["slice-first", sliceFirst],
  ] as const) {
    r.get(`/:name/${path}`, allow.register("read"), async (req, res) => {
      const reg = informationOf(conf, param(req, "name"), path === "slice-last" ? "Срез последних" : "Срез первых");
      const q = req.query as Query;
      const at = dateParam(q, "at", { endOfDay: true });
      const filter = dimensionFilter(conf, reg, q, ["at"]);
      res.json({ rows: await run((ctx) => slice(ctx.c, ctx.conf, reg, at, filter)) });
    });
  }

  r.get("/:name/records", allow.register("read"), async (req, res) => {
    const acr = conf.accountingRegisters.get(param(req, "name")); // an accounting register: http/accounting.ts
    if (acr) return void res.json(await accountingRoute(run, acr, "records", req));
    const reg = informationOf(conf, param(req, "name"), "Записи");
    const q = req.query as Query;
    const page = pageParams(q);
    const filter = dimensionFilter(conf, reg, q, ["offset", "limit"]);
    const out = await run((ctx) => listRecords(ctx.c, ctx.conf, reg, { filter, ...page }));
    res.json({ ...out, ...page });
  });

  // Correspondence turnovers (Дт × Кт) of an accounting register.
  r.get("/:name/correspondence", allow.register("read"), async (req, res) => {
    const acr = conf.accountingRegisters.get(param(req, "name"));
    if (!acr)
      throw new AppError(
        400,
        "wrong_register_kind",
        `Обороты между счетами: ${param(req, "name")} — не регистр бухгалтерии`,
      );
    res.json(await accountingRoute(run, acr, "correspondence", req));
  });

  r.post("/:name/records", allow.register("write"), async (req, res) => {
    const reg = informationOf(conf, param(req, "name"), "Запись");
    const records = validRegisterBody(conf, reg, "records", jsonBody(req) ?? {});
    res.json({
      written: await run(async (ctx) => {
        const n = await writeCheckedRecords(ctx, reg, records);
        await journalRecords(ctx, reg.name, "recordsWrite", records, Number(n)); // journal (server/journal/hooks.ts)
        return n;
      }),
    });
  });

  r.delete("/:name/records", allow.register("delete"), async (req, res) => {
    const reg = informationOf(conf, param(req, "name"), "Удаление записей");
    const keys = validRegisterBody(conf, reg, "keys", jsonBody(req) ?? {});
    res.json({
      deleted: await run(async (ctx) => {
        const n = await deleteCheckedRecords(ctx, reg, keys);
        await journalRecords(ctx, reg.name, "recordsDelete", keys, Number(n)); // journal
        return n;
      }),
    });
  });

  return r.router;
}
