/**
 * The journal of user actions for the UI's journal form (like 1C's Журнал регистрации):
 *   GET /api/journal?from=&to=&user=&object=&action=&offset=&limit=&order=asc|desc
 *     entries of the session's area, newest first: {rows, total, offset, limit}. from/to are
 *     dates or date-times (server time; a bare `to` date includes that day); user is a login
 *     or user id; object an object id, a metadata name or kind.name; action one or several
 *     actions separated by commas (see server/journal/titles.ts).
 *   GET /api/journal/verify   the chain check of `npm run audit -- verify` for this area.
 * Both are for administrators only (403 for anyone else).
 */
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import { listJournal } from "../journal/query.ts";
import { ACTION_TITLES } from "../journal/titles.ts";
import { verifyJournal } from "../journal/verify.ts";
import { badRequest } from "../errors.ts";
import type { Run } from "./context.ts";
import { dateParam, pageParams, single, checkRange, type Query } from "./query.ts";

const localDate = (text: string | undefined, endMs = 0) =>
  text ? new Date(new Date(text).getTime() + endMs) : undefined;

export function journalRoutes(run: Run): Router {
  const r = secureRouter();
  const admin = rules(run.conf).administrator("Журнал регистрации доступен только администратору");
  r.get("/", admin, async (req, res) => {
    const q = req.query as Query;
    const page = pageParams(q);
    const from = dateParam(q, "from");
    const to = dateParam(q, "to", { endOfDay: true });
    if (from && to) checkRange(from, to);
    const actions = single(q, "action")
      ?.split(",")
      .map((a) => a.trim())
      .filter(Boolean);
    for (const a of actions ?? [])
      if (!(a in ACTION_TITLES))
        throw badRequest(
          `Параметр action: неизвестное действие «${a}»; возможны: ${Object.keys(ACTION_TITLES).join(", ")}`,
          "action",
        );
    const order = single(q, "order");
    if (order !== undefined && order !== "asc" && order !== "desc")
      throw badRequest(`Параметр order: ожидается asc или desc, получено «${order}»`, "order");
    const user = single(q, "user") || undefined;
    const object = single(q, "object") || undefined;
    const out = await run((ctx) =>
      listJournal(ctx.c, { from: localDate(from), to: localDate(to, 999), user, object, actions, order, ...page }),
    );
    res.json({ ...out, ...page });
  });
  r.get("/verify", admin, async (_req, res) => {
    res.json(await run((ctx) => verifyJournal(ctx.c)));
  });
  return r.router;
}
