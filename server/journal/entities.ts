/**
 * TypeORM's view of the journal's entries (_journal, DDL: schema.ts), for reading them
 * (query.ts) through ormOf(client) inside a transaction of one data area. Column names are the
 * DDL's. The application role may only INSERT and SELECT; entries are written by record.ts
 * (sent with the transaction's COMMIT) and chained by the _journal_chain trigger, so this entity
 * is only read.
 */
import { EntitySchema } from "typeorm";
import { AREA_DEFAULT } from "../storage/columns.ts";

/** A row of _journal. bigint columns come back as strings (storage/db.ts type parsers). */
export interface JournalRecord {
  area: number;
  id: string;
  /** The place in its chain; null until the chain trigger has run at COMMIT. */
  seq: string | null;
  at: Date;
  user_id: string | null;
  login: string | null;
  ip: string | null;
  action: string;
  object_kind: string | null;
  object_name: string | null;
  object_id: string | null;
  object_title: string | null;
  details: unknown;
  content_hash: string;
  prev_hash: string | null;
  hash: string | null;
  /** "main", or "sessions" for logins and logouts. */
  chain: string;
}

const text = { type: "text", nullable: true } as const;

export const JournalEntity = new EntitySchema<JournalRecord>({
  name: "_journal",
  tableName: "_journal",
  columns: {
    area: { type: "integer", primary: true, default: () => AREA_DEFAULT },
    id: { type: "bigint", primary: true, generated: "increment" },
    seq: { type: "bigint", nullable: true },
    at: { type: "timestamptz" },
    user_id: text,
    login: text,
    ip: text,
    action: { type: "text" },
    object_kind: text,
    object_name: text,
    object_id: text,
    object_title: text,
    details: { type: "jsonb", nullable: true },
    content_hash: { type: "text" },
    prev_hash: text,
    hash: text,
    chain: { type: "text", default: () => "'main'" },
  },
});
