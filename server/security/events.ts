/**
 * The one place where authentication talks to the journal of user actions (server/journal):
 * login, logout, failed login and password change are recorded in the same transaction as
 * the session change they describe; so are the hard lock of a login after failures from many
 * addresses and its lifting by an administrator (throttle.ts).
 */
import type { Client } from "../storage/db.ts";
import { recordEvent } from "../journal/journal.ts";
import type { Actor } from "../context.ts";

export interface AuthEvent {
  area: number;
  actor: Actor | null;
  action:
    | "login"
    | "logout"
    | "loginFailed"
    | "loginLocked"
    | "loginUnlocked"
    | "passwordChange"
    | "userCreate"
    | "userUpdate";
  /** The login the event is about (for a failed login: the one typed). */
  login: string;
  details?: Record<string, unknown>;
}

/**
 * The events of transactions that commit without waiting for a synchronous standby (sessions.ts)
 * are linked into the journal's "sessions" chain, so they never queue behind a write waiting for
 * the standby on the main chain's head (journal/schema.ts).
 */
const SESSION_CHAIN = new Set<AuthEvent["action"]>(["login", "logout", "loginFailed", "loginLocked"]);

export async function recordAuthEvent(c: Client, e: AuthEvent): Promise<void> {
  const chain = SESSION_CHAIN.has(e.action) ? "sessions" : "main";
  await recordEvent(c, {
    area: e.area,
    actor: e.actor,
    action: e.action,
    objectKind: "session",
    objectName: e.login,
    details: e.details,
    chain,
  });
}
