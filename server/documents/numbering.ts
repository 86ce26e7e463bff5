/**
 * Counters for document numbers (per kind and year) and catalog codes (year 0). The counter
 * row is upserted and incremented inside the caller's transaction, so the row lock serialises
 * concurrent writers and a rolled-back transaction gives its number back: no duplicates, no
 * gaps from failed writes. Plain SQL, not TypeORM (storage/orm.ts): its upsert can only
 * overwrite a column with the inserted value, not increment it.
 */
import type { Client } from "../storage/db.ts";

export async function nextCounter(c: Client, kind: string, year: number): Promise<number> {
  const r = await c.query(
    `INSERT INTO _numbering(kind, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (area, kind, year) DO UPDATE SET last = _numbering.last + 1
     RETURNING last`,
    [kind, year],
  );
  return Number(r.rows[0].last);
}
