/**
 * Browser tests: the real server (createApp) on a fresh database with the ЖКХ configuration
 * and its demo data, the client bundle built by esbuild, and Debian's Chromium driven by
 * puppeteer. Screenshots go to artifacts/screenshots (outside git) so a person can look.
 * Not a test file itself.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import puppeteer, { type Browser, type Page } from "puppeteer";
import { CHROMIUM_ARGS, chromiumExecutable } from "../../../server/reports/pdf.ts";
import { buildClient } from "../../../client/build.ts";
import { loadInitialData } from "../../../server/initial-data.ts";
import type { Platform } from "../../../server/platform.ts";
import { serve } from "../../platform/api-client.ts";
import { ROOT, testPlatform } from "../../helpers/db.ts";

export const CONF = join(ROOT, "metadata");
export const SCREENSHOTS = join(ROOT, "artifacts", "screenshots");

export { CHROMIUM_ARGS };

export function chromiumPath(): string {
  const p = chromiumExecutable();
  if (!existsSync(p)) {
    throw new Error(
      `Chromium is not at ${p}: install it (apt-get install -y chromium) or set PUPPETEER_EXECUTABLE_PATH`,
    );
  }
  return p;
}

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    defaultViewport: { width: 1400, height: 900 },
  });
}

let built: Promise<string> | undefined;
/** Builds the bundle once per test run. */
export const ensureClient = () => (built ??= buildClient());

export interface App {
  platform: Platform;
  base: string;
  server: Server;
  browser: Browser;
  /** A new page on the app's start URL (or `path`), with console errors collected. */
  open(path?: string): Promise<Page & { errors: string[] }>;
  /** GET/POST to the API as the browser's user would. */
  api(method: string, path: string, body?: unknown): Promise<any>;
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** The demo application in a browser: one per describe block. */
export async function startApp(opts: { demo?: boolean; conf?: string } = {}): Promise<App> {
  await ensureClient();
  const platform = await testPlatform(opts.conf ?? CONF, "ui"); // conf: another configuration (the warehouse fixture)
  if (opts.demo !== false) await loadInitialData(platform, 1);
  const { server, base, session } = await serve(platform); // logged in as the administrator
  const browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const gridProblems: string[] = [];
  const app: App = {
    platform,
    base,
    server,
    browser,
    async open(path = "/") {
      const page = (await browser.newPage()) as Page & { errors: string[] };
      page.errors = [];
      page.on("pageerror", (e) => page.errors.push(String((e as Error).message ?? e)));
      page.on("console", (m) => {
        if (m.type() === "error") page.errors.push(m.text());
        // A grid feature whose module is not registered (client/src/grid.ts) only warns in the console.
        if (/AG Grid/.test(m.text())) gridProblems.push(`${path}: ${m.text()}`);
      });
      await page.setCookie(
        { name: "sid", value: session.sid, url: base, httpOnly: true, sameSite: "Strict" },
        { name: "csrf", value: session.csrf, url: base, sameSite: "Strict" },
      );
      await page.goto(base + path, { waitUntil: "load" });
      return page;
    },
    async api(method, path, body) {
      const r = await fetch(base + "/api" + path, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      const parsed = text ? JSON.parse(text) : null;
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return parsed;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, "_")}.png`) as `${string}.png` });
    },
    async close() {
      await browser.close().catch(() => {});
      await new Promise((r) => server.close(r));
      await platform.close();
      const problems = gridProblems.splice(0);
      if (problems.length)
        throw new Error(`AG Grid complained (a module missing in client/src/grid.ts?):\n${problems.join("\n")}`);
    },
  };
  return app;
}
