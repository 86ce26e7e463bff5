/**
 * The journal of user actions (1C's журнал регистрации, «Мониторинг действий пользователей»).
 * recordEvent writes one entry in the caller's transaction: who (the request's actor, or null
 * for a system action such as the demo loader), from which IP, in which data area, what action
 * on which object, with details (for writes the compact before/after difference, diff.ts).
 * The entry commits with the change or not at all. Its content hash (sha256 of the canonical
 * JSON of everything but the chain, `at` to the microsecond as stored) is computed here; the
 * sequence number and the chained hash are given at COMMIT by the database (schema.ts), and
 * `npm run audit -- verify` (verify.ts) recomputes both.
 */
import { createHash } from "node:crypto";
import { sendWithCommit, type Client } from "../storage/db.ts";
import { lit } from "../storage/naming.ts";
import { canonicalJson } from "./canonical.ts";
import type { ACTION_TITLES } from "./titles.ts";
import type { Actor } from "../context.ts";

/** Actions the platform records (titles.ts names them for the journal form); configuration code may record others. */
export type JournalAction = keyof typeof ACTION_TITLES;

export interface JournalEntry {
  area: number;
  actor?: Actor | null;
  action: JournalAction | string;
  /** "catalog", "document", "report", "session", "register", … */
  objectKind?: string;
  /** The metadata name ("Products", "GoodsReceipt") or a login for sessions. */
  objectName?: string;
  objectId?: string;
  /** How a person reads the object: "Приход товаров №000001 от 01.02.2024". */
  objectTitle?: string;
  details?: unknown;
  /** The chain it is linked into (schema.ts): "sessions" for logins and logouts, else "main". */
  chain?: "main" | "sessions";
}

/** The stored columns an entry's content hash covers, in the form they are read back. */
export interface EntryContent {
  area: number;
  at: string;
  userId: string | null;
  login: string | null;
  ip: string | null;
  action: string;
  objectKind: string | null;
  objectName: string | null;
  objectId: string | null;
  objectTitle: string | null;
  details: unknown;
}

/**
 * An instant as the journal hashes it: exactly what timestamptz stores — UTC with all six
 * fractional digits ("2024-03-01T10:00:00.123000Z"), so moving `at` by one microsecond changes
 * the hash. (Entries written before this form hashed toISOString()'s three digits; verify.ts
 * accepts that form only for an `at` whose stored microseconds beyond the millisecond are zero,
 * where it is just as exact.)
 */
export function journalTime(at: Date): string {
  const iso = at.toISOString();
  if (!/\.\d{3}Z$/.test(iso)) throw new Error(`journal: time out of range: ${iso}`);
  return iso.slice(0, -1) + "000Z";
}

export function contentHash(e: EntryContent): string {
  return createHash("sha256").update(canonicalJson(e), "utf8").digest("hex");
}

/** What a recorded entry's content is before it is stored (details normalised as jsonb keeps them). */
/** PostgreSQL text and jsonb cannot hold U+0000: it is kept visible as U+FFFD. */
const text = (v: string | null | undefined) => (v == null ? null : v.replace(/\u0000/g, "\ufffd"));

export function entryContent(entry: JournalEntry, at: Date): EntryContent {
  if (!Number.isInteger(entry.area) || entry.area < 1) throw new Error(`journal: invalid data area ${entry.area}`);
  if (!entry.action) throw new Error("journal: an entry needs an action");
  return {
    area: entry.area,
    at: journalTime(at),
    userId: text(entry.actor?.userId),
    login: text(entry.actor?.login),
    ip: text(entry.actor?.ip),
    action: text(entry.action)!,
    objectKind: text(entry.objectKind),
    objectName: text(entry.objectName),
    objectId: text(entry.objectId),
    objectTitle: text(entry.objectTitle),
    details:
      entry.details === undefined
        ? null
        : JSON.parse(canonicalJson(entry.details), (_k, v) => (typeof v === "string" ? text(v) : v)),
  };
}

/**
 * Records one entry in the caller's transaction (c must be inside the area's transaction:
 * row-level security refuses another area); its sequence number is given at commit. Inside
 * tx() the INSERT goes with the COMMIT, in its round trip (storage/db.ts sendWithCommit).
 */
export async function recordEvent(c: Client, entry: JournalEntry): Promise<void> {
  const insert = entryInsertSql(entry, new Date());
  if (!sendWithCommit(c, insert)) await c.query(insert);
}

/** Many entries in few statements (a batch of documents): one multi-row INSERT per 1,000 entries. */
export async function recordEvents(c: Client, entries: JournalEntry[]): Promise<void> {
  const at = new Date();
  for (let i = 0; i < entries.length; i += 1000) {
    const rows = entries.slice(i, i + 1000).map((e) => {
      const sql = entryInsertSql(e, at);
      return sql.slice(sql.indexOf(" VALUES ") + 8);
    });
    const head = entryInsertSql(entries[i], at);
    await c.query(head.slice(0, head.indexOf(" VALUES ") + 8) + rows.join(", "));
  }
}

/** The INSERT of one entry, its values inlined (it travels with COMMIT, storage/db.ts sendWithCommit). */
export function entryInsertSql(entry: JournalEntry, at: Date): string {
  const e = entryContent(entry, at);
  const values = [
    String(e.area),
    e.at,
    e.userId,
    e.login,
    e.ip,
    e.action,
    e.objectKind,
    e.objectName,
    e.objectId,
    e.objectTitle,
    e.details === null ? null : JSON.stringify(e.details),
    contentHash(e),
    entry.chain ?? "main",
  ].map((v) => (v == null ? "NULL" : lit(v)));
  return `INSERT INTO _journal (area, at, user_id, login, ip, action, object_kind, object_name, object_id, object_title, details, content_hash, chain) VALUES (${values.join(", ")})`;
}
