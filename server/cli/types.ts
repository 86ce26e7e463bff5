/**
 * `npm run types [-- --check] [CONF_DIR…]`: writes each configuration's `types.gen.ts` from its
 * metadata (server/metadata/typegen.ts); default: CONF_DIR, else ./metadata. With --check it
 * writes nothing and fails (exit 1), naming the stale files, when a file differs from what the
 * metadata gives — CI runs it so that a metadata change without `npm run types` is caught.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfiguration } from "../metadata/load.ts";
import { generateTypes } from "../metadata/typegen.ts";
import { commandLine } from "./args.ts";
import { setting } from "../config.ts";

const USAGE = `Usage: npm run types -- [--check] [configuration folder …]
  Writes <folder>/types.gen.ts from the folder's metadata (default: CONF_DIR, else ./metadata).
  --check   write nothing; exit 1 naming each file that is missing or stale`;

const API_FILE = fileURLToPath(new URL("../api.ts", import.meta.url));

/** The text `npm run types` would write for a configuration folder, and where. */
export async function typesFor(root: string): Promise<{ file: string; text: string }> {
  const conf = await loadConfiguration(root, { modules: false });
  const file = join(conf.root, "types.gen.ts");
  return { file, text: generateTypes(conf, file, API_FILE) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = (() => {
    try {
      return commandLine({ usage: USAGE, options: { check: { type: "boolean" } }, positionals: true });
    } catch (e) {
      console.error((e as Error).message);
      process.exit(2);
    }
  })();
  const roots = positionals.length ? positionals : [setting("CONF_DIR")];
  let stale = 0;
  for (const root of roots) {
    const { file, text } = await typesFor(root);
    const now = existsSync(file) ? readFileSync(file, "utf8") : null;
    if (values.check) {
      if (now !== text) {
        stale++;
        console.error(`${file} is ${now === null ? "missing" : "stale"}: run npm run types`);
      }
    } else if (now !== text) {
      writeFileSync(file, text);
      console.log(`wrote ${file}`);
    } else console.log(`${file} is up to date`);
  }
  process.exit(stale ? 1 : 0);
}
