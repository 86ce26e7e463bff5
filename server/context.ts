/**
 * The context every service of the platform works in: one transaction (`c`, with its data area
 * set: storage/db.ts tx), the configuration it serves, the data area, and who acts — the session's
 * user, or nobody for a system action (the demo loader, a maintenance command).
 */
import type { Configuration } from "./metadata/types.ts";
import type { Client } from "./storage/db.ts";

/** The acting user as the journal records it. */
export interface Actor {
  userId: string;
  login: string;
  ip: string | null;
}

export interface Ctx {
  c: Client;
  conf: Configuration;
  area: number;
  /** Absent or null: a system action. */
  actor?: Actor | null;
}
