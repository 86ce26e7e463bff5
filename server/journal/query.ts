/**
 * Reading the journal for the UI's journal form (1C's Журнал регистрации): entries of the
 * current area, newest first, filtered by period, user, object and action, paged, with the
 * total count. Runs in the caller's transaction (row-level security keeps it to the area).
 */
import type { Client } from "../storage/db.ts";
import { ormOf } from "../storage/orm.ts";
import { JournalEntity } from "./entities.ts";
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
  const qb = ormOf(c).getRepository(JournalEntity).createQueryBuilder("j").where("j.seq IS NOT NULL");
  if (jq.from) qb.andWhere("j.at >= :from", { from: jq.from.toISOString() });
  if (jq.to) qb.andWhere("j.at <= :to", { to: jq.to.toISOString() });
  if (jq.user) qb.andWhere("(j.login = :user OR j.user_id = :user)", { user: jq.user });
  if (jq.object) {
    const dot = jq.object.indexOf(".");
    if (UUID.test(jq.object)) qb.andWhere("j.object_id = :objectId", { objectId: jq.object.toLowerCase() });
    else if (dot > 0)
      qb.andWhere("j.object_kind = :objectKind AND j.object_name = :objectName", {
        objectKind: jq.object.slice(0, dot),
        objectName: jq.object.slice(dot + 1),
      });
    else qb.andWhere("j.object_name = :objectName", { objectName: jq.object });
  }
  if (jq.actions?.length) qb.andWhere("j.action = ANY(:actions::text[])", { actions: jq.actions });
  const order = jq.order === "asc" ? "ASC" : "DESC";
  const [rows, total] = await Promise.all([
    // In time order across the chains (each chain's seq is its own).
    qb.clone().orderBy("j.at", order).addOrderBy("j.id", order).offset(jq.offset).limit(jq.limit).getMany(),
    // count(*), not getCount(): that counts DISTINCT primary keys, a sort the filter does not need.
    qb.clone().select("count(*)::text", "n").getRawOne<{ n: string }>(),
  ]);
  return {
    total: Number(total!.n),
    rows: rows.map((r) => ({
      seq: r.seq,
      chain: r.chain,
      at: r.at.toISOString(),
      user: r.login || r.user_id ? { id: r.user_id, login: r.login } : null,
      ip: r.ip,
      action: r.action,
      actionTitle: ACTION_TITLES[r.action as keyof typeof ACTION_TITLES] ?? r.action,
      object: { kind: r.object_kind, name: r.object_name, id: r.object_id, title: r.object_title },
      details: r.details,
    })),
  };
}
