/**
 * Helpers of the printed-forms tests: the demo (ЖКХ configuration with its initial data) served
 * on a fresh database, a render call, PDF text extraction (pdfjs-dist, offline) and reading a
 * CSV answer. Not a test file itself.
 */
import { join } from "node:path";
import { ROOT, testPlatform } from "../helpers/db.ts";
import { loadInitialData } from "../../server/initial-data.ts";
import type { Platform } from "../../server/platform.ts";
import { serve } from "../platform/api-client.ts";
import type { Server } from "node:http";

export interface Demo {
  platform: Platform;
  base: string;
  server: Server;
  /** id of the seed's account 00000000001 */
  account: string;
  get(path: string): Promise<any>;
  render(
    name: string,
    params: unknown,
    format?: string,
  ): Promise<{ status: number; text: string; bytes: Uint8Array; headers: Headers; json: any }>;
  close(): Promise<void>;
}

export async function startDemo(confRoot = join(ROOT, "metadata"), demo = true): Promise<Demo> {
  const platform = await testPlatform(confRoot, "rep");
  if (demo) await loadInitialData(platform, 1);
  const { server, base } = await serve(platform);
  const get = async (path: string) => {
    const r = await fetch(base + path);
    const body = await r.json();
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
    return body;
  };
  const account = demo
    ? (await get("/api/catalogs/PersonalAccounts?search=00000000001")).rows.find((r: any) => r.code === "00000000001")
        .id
    : "";
  return {
    platform,
    base,
    server,
    account,
    get,
    async render(name, params, format = "html") {
      const r = await fetch(`${base}/api/reports/${name}/render?format=${format}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
      });
      const bytes = new Uint8Array(await r.arrayBuffer());
      const text = Buffer.from(bytes).toString("utf8");
      let json: any = null;
      if ((r.headers.get("content-type") ?? "").includes("json")) json = JSON.parse(text);
      return { status: r.status, text, bytes, headers: r.headers, json };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await platform.close();
    },
  };
}

/** The text of every page of a PDF, pages joined by newlines. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const c = await (await doc.getPage(i)).getTextContent();
    pages.push(c.items.map((it: any) => ("str" in it ? it.str + (it.hasEOL ? "\n" : " ") : "")).join(""));
  }
  await doc.destroy();
  return { pages: doc.numPages, text: pages.join("\n") };
}

/** Figures as the seed writes them: no-break and thousands spaces removed ("13 996,24" → "13996,24"). */
export const plain = (s: string) =>
  s
    .replace(/\u00a0/g, " ")
    .replace(/(\d) (?=\d{3}(\D|$))/g, "$1")
    .replace(/[ \t]+/g, " ");

/** A CSV answer (";"-separated, BOM, CRLF) as objects by header title; repeated titles get "#2". */
export function csvRows(text: string): Record<string, string>[] {
  const lines = text
    .replace(/^\ufeff/, "")
    .split("\r\n")
    .filter(Boolean);
  const split = (l: string) =>
    (l.match(/("([^"]|"")*"|[^;]*)(;|$)/g) ?? [])
      .slice(0, -1)
      .map((f) => f.replace(/;$/, "").replace(/^"|"$/g, "").replace(/""/g, '"'));
  const head = split(lines[0]);
  const names = head.map((h, i) => (head.indexOf(h) < i ? `${h}#2` : h));
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [names[i], v])));
}

/** "13996,24" → "13996.24" for Decimal. */
export const num = (s: string) => (s ?? "").replace(",", ".");
