/**
 * V8 settings the application's node process runs with (package.json "start" passes them; a
 * test keeps the two in step, and the benchmarks re-run themselves with them).
 *  --max-semi-space-size=64: a posting handler's large record set (a million records) makes
 *    short-lived garbage — converted rows and COPY text — faster than the default 16 MB young
 *    generation can hold; with 64 MB, far less of it is promoted and marked again in the old
 *    generation. Measured on a 1.2M-record posting: node's CPU 17–18 s → 14 s (garbage
 *    collection 7 s → ~3 s).
 */
import { spawnSync } from "node:child_process";

export const NODE_FLAGS = ["--max-semi-space-size=64"];

/** Whether this process was started with NODE_FLAGS (on the command line or in NODE_OPTIONS). */
export function hasNodeFlags(): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  return NODE_FLAGS.every((f) => given.includes(f));
}

/** Runs `script` again in a node with NODE_FLAGS (same arguments and environment) and exits with its status. */
export function rerunWithNodeFlags(script: string): never {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, "--import", "tsx", script, ...process.argv.slice(2)], { stdio: "inherit", env: process.env });
  process.exit(r.status ?? 1);
}
