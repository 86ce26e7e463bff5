/**
 * Test databases: every call makes a fresh database on the run's PostgreSQL (the embedded
 * one tests/run.ts started, or TEST_DATABASE_URL) and opens the platform on it with the given
 * configuration. No mocks: the tests talk to a real server through the application role.
 */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { openPlatform, type Platform } from "../../server/platform.ts";
import { startEmbedded } from "../../server/storage/embedded.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WAREHOUSE = join(ROOT, "tests", "fixtures", "warehouse");
export const TEST_APP_PASSWORD = "test-app-password";

let counter = 0;

/** The server URL (owner, database "postgres"); starts an embedded server if none is set. */
export async function serverUrl(): Promise<string> {
  if (!process.env.TEST_DATABASE_URL) {
    const db = await startEmbedded(mkdtempSync(join(tmpdir(), "zhkh-test-")));
    process.env.TEST_DATABASE_URL = db.url;
    process.on("exit", () => void db.stop());
  }
  return process.env.TEST_DATABASE_URL!;
}

/** A URL of a new, empty database on the test server. */
export async function freshDatabaseUrl(tag = "t"): Promise<string> {
  const u = new URL(await serverUrl());
  u.pathname = `/${tag}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  return u.toString();
}

export async function testPlatform(confRoot = WAREHOUSE, tag = "t", url?: string): Promise<Platform> {
  return openPlatform({
    confRoot,
    ownerUrl: url ?? (await freshDatabaseUrl(tag)),
    appPassword: TEST_APP_PASSWORD,
  });
}
