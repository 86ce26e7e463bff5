/**
 * Reading the journal for the UI's journal form (1C's Журнал регистрации): entries of the
 * current area, newest first, filtered by period, user, object and action, paged, with the
 * total count. Runs in the caller's transaction (row-level security keeps it to the area).
 */
import type { Client } from "../storage/db.ts";
import type { JournalPage, JournalRow } from "../http/api-types.ts";
import { ACTION_TITLES } from "./titles.ts";

/** An entry as GET /api/journal sends it: the shape is the API's (server/http/api-types.ts). */
export type { JournalRow };

export interface JournalQuery {
  /** ISO instants (inclusive). */
  from?: Date;
  to?: Date;
  /** A login or a user id. */
  user?: string;
  /** An object id, a metadata name ("Products") or kind.name ("catalog.Products"). */
  object?: string;
  actions?: string[];
  offset: number;
  limit: number;
  order?: "asc" | "desc";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listJournal(c: Client, jq: JournalQuery): Promise<JournalPage> {
  const where: string[] = ["seq IS NOT NULL"];
  const params: unknown[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  if (jq.from) where.push(`at >= ${p(jq.from.toISOString())}`);
  if (jq.to) where.push(`at <= ${p(jq.to.toISOString())}`);
  if (jq.user) where.push(`(login = ${p(jq.user)} OR user_id = $${params.length})`);
  if (jq.object) {
    const dot = jq.object.indexOf(".");
    if (UUID.test(jq.object)) where.push(`object_id = ${p(jq.object.toLowerCase())}`);
    else if (dot > 0)
      where.push(`object_kind = ${p(jq.object.slice(0, dot))} AND object_name = ${p(jq.object.slice(dot + 1))}`);
    else where.push(`object_name = ${p(jq.object)}`);
  }
  if (jq.actions?.length) where.push(`action = ANY(${p(jq.actions)}::text[])`);
  const w = where.join(" AND ");
  const order = jq.order === "asc" ? "ASC" : "DESC";
  const [rows, total] = await Promise.all([
    // In time order across the chains (each chain's seq is its own).
    c.query(
      `SELECT * FROM _journal WHERE ${w} ORDER BY at ${order}, id ${order} OFFSET ${jq.offset} LIMIT ${jq.limit}`,
      params,
    ),
    c.query(`SELECT count(*)::text AS n FROM _journal WHERE ${w}`, params),
  ]);
  return {
    total: Number(total.rows[0].n),
    rows: rows.rows.map((r) => ({
      seq: r.seq,
      chain: r.chain,
      at: (r.at as Date).toISOString(),
      user: r.login || r.user_id ? { id: r.user_id, login: r.login } : null,
      ip: r.ip,
      action: r.action,
      actionTitle: ACTION_TITLES[r.action as keyof typeof ACTION_TITLES] ?? r.action,
      object: { kind: r.object_kind, name: r.object_name, id: r.object_id, title: r.object_title },
      details: r.details,
    })),
  };
}
