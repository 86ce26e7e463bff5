/**
 * Rendering a form: check the parameters (400 naming the field), run its data module in one
 * transaction of the request's data area with the configuration's read API (refsExist first),
 * then produce HTML (template in the document shell), CSV or Excel (the manifest's columns) or PDF.
 * A PDF of a form with `repeat` is printed in chunks: the template runs once per chunk of the
 * repeated array (REPORT_CHUNK or the manifest's chunk, default 250 items), so a batch of ten
 * thousand sheets never sits in one Chromium page. Progress is reported in items.
 */
import { queryApi } from "../documents/context.ts";
import type { Run } from "../http/context.ts";
import { AppError } from "../errors.ts";
import { reportTable, toCsv } from "./csv.ts";
import { toXlsx, XLSX_TYPE } from "../export/table.ts";
import type { Form, ReportContext } from "./discover.ts";
import { htmlDocument, sheetCount } from "./html.ts";
import type { Manifest } from "./manifest.ts";
import { checkParams, refsExist, type ReportParams } from "./params.ts";
import { defaultPrinter, type Printer } from "./pdf.ts";
import { setting } from "../config.ts";
import { today } from "../calendar.ts";

export type Format = "html" | "pdf" | "csv" | "xlsx";
export const FORMATS: readonly Format[] = ["html", "pdf", "csv", "xlsx"];

export interface Rendered {
  contentType: string;
  /** ASCII file name and the Russian one for Content-Disposition. */
  fileName: string;
  title: string;
  body: Uint8Array | string;
  /** Sheets of the HTML (pages of a repeated form); undefined for CSV. */
  sheets?: number;
}

export type Progress = (stage: "data" | "render", done: number, total: number) => void;

/** The manifest of a form that loaded, or its error. */
export function manifestOf(form: Form): Manifest {
  if (!form.manifest) throw new AppError(500, "form_error", `Форма «${form.name}» не загружена: ${form.error}`);
  return form.manifest;
}

/** Checks parameters and runs the data module; returns the template's context. */
export async function loadContext(
  run: Run,
  form: Form,
  body: unknown,
): Promise<{ manifest: Manifest; params: ReportParams; context: Record<string, unknown> }> {
  const manifest = manifestOf(form);
  const params = checkParams(manifest, body, run.conf);
  const data = await form.data();
  form.template(); // a broken template fails before the data is read
  const context = await run(async (ctx) => {
    const api = queryApi(ctx);
    await refsExist(api, manifest, params);
    const rc: ReportContext = { ...api, area: ctx.area, report: { name: manifest.name, title: manifest.title } };
    return data(rc, params);
  });
  if (context === null || typeof context !== "object" || Array.isArray(context))
    throw new AppError(500, "form_error", `Форма «${form.name}»: data.ts должен вернуть объект — контекст шаблона`);
  if (manifest.repeat && !Array.isArray(context[manifest.repeat]))
    throw new AppError(
      500,
      "form_error",
      `Форма «${form.name}»: repeat «${manifest.repeat}» — не массив в контексте шаблона`,
    );
  return { manifest, params, context };
}

function chunkSize(m: Manifest): number {
  return setting("REPORT_CHUNK") ?? m.chunk ?? 250;
}

/** Renders a loaded context to the format. */
export async function output(
  form: Form,
  loaded: { manifest: Manifest; params: ReportParams; context: Record<string, unknown> },
  format: Format,
  o: { progress?: Progress; printer?: Printer } = {},
): Promise<Rendered> {
  const { manifest: m, params, context } = loaded;
  const data = { report: { name: m.name, title: m.title, parameters: params, generated: today() } };
  const base = { title: m.title, fileName: `${m.name}.${format}` };
  const page = (ctx: Record<string, unknown>) =>
    htmlDocument({ name: m.name, title: m.title, page: m.page, style: form.style, body: form.template()(ctx, data) });
  const items = m.repeat ? (context[m.repeat] as unknown[]) : null;
  const total = items ? items.length : 1;
  if (format === "csv") return { ...base, contentType: "text/csv; charset=utf-8", body: toCsv(m, context) };
  // Excel of the same table as the CSV (server/export/table.ts): numbers and dates keep their types
  if (format === "xlsx") return { ...base, contentType: XLSX_TYPE, body: await toXlsx(reportTable(m, context)) };
  if (format === "html") {
    const html = page(context);
    o.progress?.("render", total, total);
    return { ...base, contentType: "text/html; charset=utf-8", body: html, sheets: sheetCount(html) };
  }
  const size = chunkSize(m);
  const count = items ? Math.max(1, Math.ceil(items.length / size)) : 1;
  function* chunks(): Generator<string> {
    if (!items) return yield page(context);
    for (let i = 0; i < count; i++) yield page({ ...context, [m.repeat!]: items.slice(i * size, (i + 1) * size) });
  }
  o.progress?.("render", 0, total);
  const body = await (o.printer ?? defaultPrinter()).print(chunks(), (i) =>
    o.progress?.("render", Math.min(total, (i + 1) * size), total),
  );
  return { ...base, contentType: "application/pdf", body };
}

/** Parameters in, document out: loadContext then output. */
export async function render(
  run: Run,
  form: Form,
  body: unknown,
  format: Format,
  o: { progress?: Progress; printer?: Printer } = {},
): Promise<Rendered> {
  o.progress?.("data", 0, 0);
  return output(form, await loadContext(run, form, body), format, o);
}
