/**
 * TypeORM's view of the users and sessions tables (DDL: schema.ts), for users.ts and
 * sessions.ts through ormOf(client) — always inside a transaction of one data area, so
 * row-level security keeps other areas' rows out. Column names are the DDL's. The defaults are
 * the database's (area from app.area, id from gen_random_uuid(), now()…): TypeORM leaves them
 * to it and reads them back after an insert. The throttle's tables (_login_failures,
 * _login_locks) stay plain SQL (throttle.ts: its upserts increment counters).
 */
import { EntitySchema } from "typeorm";
import { AREA_DEFAULT } from "../storage/columns.ts";
import type { PasswordHash } from "./passwords.ts";

/** A row of _users. */
export interface UserRecord {
  area: number;
  id: string;
  /** Normalized (users.ts normalizeLogin), unique per area. */
  login: string;
  name: string;
  /** Names of metadata roles. */
  roles: string[];
  /** The scrypt hash with its salt and parameters (passwords.ts); null: cannot log in. */
  password: PasswordHash | null;
  disabled: boolean;
  created_at: Date;
  password_changed_at: Date | null;
  /** Whether the password is long enough for an administrator. */
  password_admin_length: boolean;
}

/** A row of _sessions. */
export interface SessionRecord {
  area: number;
  /** sha256 of the session token (never the token itself). */
  token_hash: string;
  user_id: string;
  csrf: string;
  created_at: Date;
  last_seen: Date;
  ip: string | null;
  agent: string | null;
}

const area = { type: "integer", primary: true, default: () => AREA_DEFAULT } as const;
const now = { type: "timestamptz", default: () => "now()" } as const;

export const UserEntity = new EntitySchema<UserRecord>({
  name: "_users",
  tableName: "_users",
  columns: {
    area,
    id: { type: "uuid", primary: true, generated: "uuid" }, // the DDL's gen_random_uuid(), which TypeORM reads as this
    login: { type: "text" },
    name: { type: "text", default: () => "''" },
    roles: { type: "text", array: true, default: () => "'{}'" },
    password: { type: "jsonb", nullable: true },
    disabled: { type: "boolean", default: () => "false" },
    created_at: now,
    password_changed_at: { type: "timestamptz", nullable: true },
    password_admin_length: { type: "boolean", default: () => "false" },
  },
});

export const SessionEntity = new EntitySchema<SessionRecord>({
  name: "_sessions",
  tableName: "_sessions",
  columns: {
    area,
    token_hash: { type: "text", primary: true },
    user_id: { type: "uuid" },
    csrf: { type: "text" },
    created_at: now,
    last_seen: now,
    ip: { type: "text", nullable: true },
    agent: { type: "text", nullable: true },
  },
});
