/**
 * The client bundle: esbuild turns client/src/main.ts (lit + AG Grid) into client/dist/app.js
 * and copies client/index.html beside it. `npm start` and the browser tests call
 * buildClient(); it is fast (well under a second), so the bundle is rebuilt on every start and
 * is never committed. `npm run build:client` does the same by hand.
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLIENT_ROOT = dirname(fileURLToPath(import.meta.url));
export const CLIENT_DIST = join(CLIENT_ROOT, "dist");

export async function buildClient(opts: { outDir?: string; minify?: boolean } = {}): Promise<string> {
  const outDir = opts.outDir ?? CLIENT_DIST;
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(CLIENT_ROOT, "src", "main.ts")],
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
