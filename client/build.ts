/**
 * The client bundle: esbuild turns client/src/main.ts (lit + AG Grid) and the configuration's
 * custom forms (every forms/*.ts of CONF_DIR, default metadata/; see client/src/forms/custom.ts)
 * into client/dist/app.js and copies client/index.html beside it. `npm start` builds it first (its
 * prestart script), so a custom form added to the configuration is in the next start's bundle; the
 * server itself never builds (a server started otherwise serves what client/dist holds). The browser
 * tests call buildClient(); `npm run build:client` does the same by hand. Never committed.
 */
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setting } from "../server/config.ts";

export const CLIENT_ROOT = dirname(fileURLToPath(import.meta.url));
export const CLIENT_DIST = join(CLIENT_ROOT, "dist");

/** The configuration's custom form modules, in name order. */
export function formModules(formsDir: string): string[] {
  if (!existsSync(formsDir)) return [];
  return readdirSync(formsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => join(formsDir, f));
}

/** The bundle's entry: the client, then each custom form module (they register themselves). */
function entry(formsDir: string): string {
  return [join(CLIENT_ROOT, "src", "main.ts"), ...formModules(formsDir)]
    .map((f) => `import ${JSON.stringify(f)};`)
    .join("\n");
}

export async function buildClient(
  opts: { outDir?: string; minify?: boolean; formsDir?: string } = {},
): Promise<string> {
  const outDir = opts.outDir ?? CLIENT_DIST;
  const formsDir = opts.formsDir ?? join(resolve(setting("CONF_DIR")), "forms");
  mkdirSync(outDir, { recursive: true });
  await build({
    stdin: { contents: entry(formsDir), resolveDir: CLIENT_ROOT, sourcefile: "entry.ts", loader: "ts" },
    // Forms outside this repository still find lit and the grid here.
    nodePaths: [join(CLIENT_ROOT, "..", "node_modules")],
    outfile: join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: opts.minify ?? true,
    sourcemap: true,
    legalComments: "none",
    logLevel: "silent",
  });
  copyFileSync(join(CLIENT_ROOT, "index.html"), join(outDir, "index.html"));
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildClient();
  console.log(`client built into ${out}`);
}
