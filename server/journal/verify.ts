/**
 * Verifies the journal's chain in one data area (the caller's transaction sets the area):
 * reads the entries in sequence order, page by page, and recomputes for each its content hash
 * (a modified entry; `at` to the microsecond, as stored: contentMatches), its chained hash
 * sha256(prev ":" seq ":" content_hash) (an altered hash, or an entry moved to another place:
 * its hash then fits another sequence number), the link to the
 * previous entry and the sequence itself (deleted entries leave a gap), and at the end the area's
 * head (entries deleted from the end). Every problem names the entry by its sequence number.
 * Each chain of the area (schema.ts: "main", and "sessions" for logins and logouts) is verified
 * on its own; a problem of another chain than main names it.
 */
import type { JournalRecord } from "./entities.ts";
import { createHash } from "node:crypto";
import type { Client } from "../storage/db.ts";
import { contentHash, type EntryContent } from "./journal.ts";
import { GENESIS_HASH } from "./schema.ts";

export type ProblemKind = "modified" | "deleted" | "reordered" | "broken" | "unchained";

export interface Problem {
  kind: ProblemKind;
  /** The sequence number of the entry concerned (the first missing one for "deleted"). */
  seq: string;
  message: string;
}

interface ChainResult {
  entries: number;
  head: { seq: string; hash: string } | null;
}

export interface VerifyResult extends ChainResult {
  /** Entries and head of each chain (main's are also `entries` and `head`). */
  chains: Record<string, ChainResult>;
  problems: Problem[];
}

const PAGE = 5000;
const MAX_PROBLEMS = 1000;
/** How far from its place a moved entry is looked for. */
const REORDER_WINDOW = 100n;

export const chainHash = (prev: string, seq: bigint | string, content: string) =>
  createHash("sha256").update(`${prev}:${seq}:${content}`, "utf8").digest("hex");

/** A chained row as verify reads it: `at` also to the microsecond. */
interface Stored extends Omit<JournalRecord, "seq" | "chain"> {
  seq: string;
  /** `at` as 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (AT_US). */
  at_us: string;
}

/** The stored `at` to the microsecond (node-postgres's Date keeps only milliseconds). */
const AT_US = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_us`;

/** The entry's content as stored, `at` with its six fractional digits (journal.ts journalTime). */
export function storedContent(r: Stored): EntryContent {
  return {
    area: Number(r.area),
    at: r.at_us,
    userId: r.user_id,
    login: r.login,
    ip: r.ip,
    action: r.action,
    objectKind: r.object_kind,
    objectName: r.object_name,
    objectId: r.object_id,
    objectTitle: r.object_title,
    details: r.details ?? null,
  };
}

export async function verifyJournal(c: Client): Promise<VerifyResult> {
  const problems: Problem[] = [];
  const unchained = await c.query(`SELECT id FROM _journal WHERE seq IS NULL ORDER BY id LIMIT 100`);
  for (const r of unchained.rows)
    problems.push({
      kind: "unchained",
      seq: "-",
      message: `entry id ${r.id} has no sequence number: it was inserted bypassing the chain`,
    });
  const names = await c.query<{ chain: string }>(
    `SELECT chain FROM _journal_head UNION SELECT DISTINCT chain FROM _journal ORDER BY 1`,
  );
  const chains: Record<string, ChainResult> = {};
  for (const chain of new Set(["main", ...names.rows.map((r) => r.chain)])) {
    chains[chain] = await verifyChain(c, chain, (p) => {
      if (problems.length < MAX_PROBLEMS)
        problems.push(chain === "main" ? p : { ...p, message: `${chain} chain: ${p.message}` });
    });
  }
  return { ...chains.main, chains, problems };
}

async function verifyChain(c: Client, chain: string, add: (p: Problem) => void): Promise<ChainResult> {
  let prevHash = GENESIS_HASH;
  /** Hash by the place each entry was chained at (a moved entry counts at its original place). */
  const chainedAt = new Map<bigint, string>([[0n, GENESIS_HASH]]);
  let expected = 1n;
  let entries = 0;
  let last = 0n;
  for (;;) {
    const page = await c.query<Stored>(
      `SELECT *, ${AT_US} FROM _journal WHERE chain = $2 AND seq > $1 ORDER BY seq LIMIT ${PAGE}`,
      [String(last), chain],
    );
    for (const r of page.rows) {
      entries++;
      const seq = BigInt(r.seq);
      if (seq > expected) {
        const missing = seq - expected === 1n ? `#${expected}` : `#${expected}…#${seq - 1n}`;
        add({
          kind: "deleted",
          seq: String(expected),
          message: `entry ${missing} deleted: the sequence jumps from #${expected - 1n} to #${seq}`,
        });
      }
      let reported = false;
      if (!contentMatches(r)) {
        add({
          kind: "modified",
          seq: r.seq,
          message: `entry #${r.seq} modified: its content (${describe(r)}) does not match its content hash`,
        });
        reported = true;
      }
      let place = seq;
      if (r.prev_hash == null || r.hash == null || chainHash(r.prev_hash, seq, r.content_hash) !== r.hash) {
        const was = r.prev_hash && r.hash ? placeOf(r.prev_hash, r.hash, r.content_hash, seq) : null;
        if (was != null)
          add({
            kind: "reordered",
            seq: r.seq,
            message: `entry #${r.seq} (${describe(r)}) was moved: it was chained as #${was}`,
          });
        else if (!reported)
          add({
            kind: "modified",
            seq: r.seq,
            message: `entry #${r.seq} modified: its hash does not match its content and place in the chain`,
          });
        place = was ?? seq;
        reported = true;
      }
      chainedAt.set(place, r.hash ?? "");
      chainedAt.delete(seq - 2n * REORDER_WINDOW);
      const linked = r.prev_hash === prevHash || (chainedAt.has(seq - 1n) && r.prev_hash === chainedAt.get(seq - 1n));
      if (!linked && seq === expected && !reported)
        add({
          kind: "broken",
          seq: r.seq,
          message: `entry #${r.seq} does not follow entry #${seq - 1n}: the previous entry was replaced or the entries were reordered`,
        });
      prevHash = r.hash ?? "";
      expected = seq + 1n;
      last = seq;
    }
    if (page.rows.length < PAGE) break;
  }
  const h = await c.query(`SELECT seq, hash FROM _journal_head WHERE chain = $1`, [chain]);
  const head = h.rows[0] ? { seq: String(h.rows[0].seq), hash: String(h.rows[0].hash) } : null;
  if (head && BigInt(head.seq) > last) {
    const from = last + 1n;
    const missing = BigInt(head.seq) === from ? `#${from}` : `#${from}…#${head.seq}`;
    add({
      kind: "deleted",
      seq: String(from),
      message: `entry ${missing} deleted from the end: the chain's head is at #${head.seq}, the last entry is #${last}`,
    });
  } else if (head && BigInt(head.seq) === last && head.hash !== prevHash && entries > 0) {
    add({
      kind: "modified",
      seq: String(last),
      message: `entry #${last} does not match the chain's head: the last entry was replaced`,
    });
  } else if (!head && entries > 0) {
    add({
      kind: "broken",
      seq: "-",
      message: `the chain's head is missing although the journal has ${entries} entries`,
    });
  }
  return { entries, head };
}

/**
 * The entry's content hash matches what is stored: `at` hashed to the microsecond; or, for an
 * entry hashed before the journal did so (its `at` at three digits), only when the stored
 * microseconds beyond the millisecond are zero — then those three digits are the whole stored
 * value, and a `at` moved by even one microsecond matches neither form.
 */
function contentMatches(r: Stored): boolean {
  const content = storedContent(r);
  if (contentHash(content) === r.content_hash) return true;
  const millis = /^(.*\.\d{3})000Z$/.exec(r.at_us);
  return millis !== null && contentHash({ ...content, at: `${millis[1]}Z` }) === r.content_hash;
}

/** The sequence number an entry's own hash was computed for, if it is near `seq` and not `seq`. */
function placeOf(prev: string, hash: string, content: string, seq: bigint): bigint | null {
  for (let d = 1n; d <= REORDER_WINDOW; d++) {
    for (const k of [seq - d, seq + d]) if (k > 0n && chainHash(prev, k, content) === hash) return k;
  }
  return null;
}

function describe(r: Stored): string {
  return [r.at.toISOString(), r.login ?? "system", r.action, r.object_name, r.object_title].filter(Boolean).join(", ");
}
