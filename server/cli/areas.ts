/**
 * Which data areas a maintenance command must go through: every area registered in _areas and
 * every area that holds rows in the given tables, registered or not (an area made by
 * DEFAULT_AREA before it registered itself, or by a configuration's own import). Tables are
 * read as the owner with a loose index scan over their leading `area` column, so a table of a
 * million rows costs one index probe per area. Row-level security hides rows from an owner
 * that is neither superuser nor BYPASSRLS: `complete` says whether the owner could see them all.
 */
import type pg from "pg";
import { q } from "../storage/naming.ts";

export interface Areas {
  areas: number[];
  /** False when the owner cannot see every row (rows of unregistered areas may be missed). */
  complete: boolean;
}

export async function areasWithRows(owner: pg.Pool, tables: string[]): Promise<Areas> {
  const found = new Set<number>((await owner.query("SELECT area FROM _areas")).rows.map((r) => Number(r.area)));
  const seesAll =
    (await owner.query("SELECT rolsuper OR rolbypassrls AS ok FROM pg_roles WHERE rolname = current_user")).rows[0]
      ?.ok === true;
  for (const t of tables) {
    if (!(await owner.query("SELECT to_regclass($1) IS NOT NULL AS ok", [q(t)])).rows[0].ok) continue;
    const r = await owner.query(
      `WITH RECURSIVE a AS (
         SELECT min(area) AS area FROM ${q(t)}
         UNION ALL
         SELECT (SELECT min(area) FROM ${q(t)} WHERE area > a.area) FROM a WHERE a.area IS NOT NULL
       ) SELECT area FROM a WHERE area IS NOT NULL`,
    );
    for (const row of r.rows) found.add(Number(row.area));
  }
  return { areas: [...found].sort((a, b) => a - b), complete: seesAll };
}

/** The line a command prints when the owner could not see every area's rows. */
export const INCOMPLETE =
  "Внимание: владелец базы не суперпользователь и без BYPASSRLS, поэтому видит не все строки: проверены области из _areas и те, что видны. " +
  "Зарегистрируйте каждую область данных в _areas (INSERT INTO _areas(area, name) VALUES (N, '…')).";
