/**
 * The parameters form of a printed form, generated from its manifest (GET /api/reports/:name):
 * dates, months («мм.гггг», sent as ГГГГ-ММ), integers and numbers, booleans, enums (a select),
 * references to catalogs (<ref-input>) and documents — each parameter as one row of the
 * form's .fields grid, built with the object forms' field inputs (forms/fields.ts). Values stay
 * the API's strings; the body sent leaves out empty parameters.
 */
import { html, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { t } from "../i18n/index.ts";
import { fieldRow, type FieldCtx } from "../forms/fields.ts";
import type { FieldMeta, TypeDef } from "../meta.ts";
import type { ReportParam } from "./api.ts";
import { formatDate, formatMonth } from "../../../server/format.ts";
import { today } from "../../../server/calendar.ts";
import "../widgets/ref-input.ts";

export type Values = Record<string, unknown>;

/** The metadata type a parameter is edited as (months have their own input). */
export function paramType(p: ReportParam): TypeDef | "month" {
  const [kind, name] = p.type.split(".");
  switch (kind) {
    case "month":
      return "month";
    case "date":
      return { kind: "date" };
    case "boolean":
      return { kind: "boolean" };
    case "integer":
      return { kind: "number", precision: 15, scale: 0 };
    case "number":
      return { kind: "number", precision: 15, scale: 2 };
    case "catalog":
    case "document":
    case "enum":
      return { kind: "ref", target: kind, name };
    default:
      return { kind: "string", length: 1000 };
  }
}

/** The parameters' fields as metadata fields (for resolving reference presentations). */
export function paramFields(params: ReportParam[]): FieldMeta[] {
  return params.flatMap((p) => {
    const type = paramType(p);
    return type === "month" ? [] : [{ name: p.name, synonym: p.title, type, required: p.required }];
  });
}

/**
 * The manifest's defaults (booleans default to false so the checkbox says what is sent); without
 * one, a form opens on the current period: a month is this month, a required date today — the
 * start of a range («from» beside a «to») the first day of this month.
 */
export function defaults(params: ReportParam[], day = today()): Values {
  const v: Values = {};
  const names = new Set(params.map((p) => p.name));
  for (const p of params) {
    if (p.default !== undefined && p.default !== null)
      v[p.name] = typeof p.default === "number" ? String(p.default) : p.default;
    else if (p.type === "boolean") v[p.name] = false;
    else if (p.type === "month") v[p.name] = day.slice(0, 7);
    else if (p.type === "date" && p.required)
      v[p.name] = p.name === "from" && names.has("to") ? `${day.slice(0, 8)}01` : day;
  }
  return v;
}

/**
 * A downloaded file's name from what it holds: the form's title (without its bracketed part) and
 * the parameters given — references by their code (the presentation up to its comma), months as
 * «ноябрь 2011», dates as dd.mm.yyyy: «Квитанция на оплату 00000000001 ноябрь 2011.pdf».
 */
export function contentFileName(
  title: string,
  params: ReportParam[],
  values: Values,
  refs: Record<string, string>,
  ext: string,
): string {
  // who first (references), then when (months, dates), each in the manifest's order
  const who: string[] = [];
  const when: string[] = [];
  for (const p of params) {
    const v = values[p.name];
    if (v === null || v === undefined || v === "" || typeof v === "boolean") continue;
    const type = paramType(p);
    if (type === "month")
      when.push(
        formatMonth(`${String(v).slice(0, 7)}-01`)
          .replace(/ г\.$/, "")
          .toLowerCase(),
      );
    else if (type.kind === "date") when.push(formatDate(v));
    else if (type.kind === "ref" && type.target !== "enum") who.push((refs[String(v)] ?? "").split(", ")[0]);
    else if (type.kind === "ref") who.push(String(v));
  }
  const parts = [title.replace(/\s*\(.*\)\s*$/, ""), ...who, ...when];
  const name = parts
    .filter(Boolean)
    .join(" ")
    .replace(/[\\/:*?"<>|]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return `${name}.${ext}`;
}

/** "11.2011", "11/2011", "2011-11" → "2011-11"; "" → null; otherwise undefined (unreadable). */
export function parseMonth(text: string): string | null | undefined {
  const s = text.trim();
  if (!s) return null;
  let m = /^(\d{1,2})[./\-\s](\d{4})$/.exec(s);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `${m[2]}-${m[1].padStart(2, "0")}` : undefined;
  m = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/.exec(s);
  if (m) return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${m[1]}-${m[2].padStart(2, "0")}` : undefined;
  return undefined;
}

export const showMonth = (v: unknown) =>
  typeof v === "string" && /^\d{4}-\d{2}/.test(v) ? `${v.slice(5, 7)}.${v.slice(0, 4)}` : "";

/** The body of a render or a job: the parameters that have a value. */
export function body(params: ReportParam[], values: Values): Values {
  const out: Values = {};
  for (const p of params) {
    const v = values[p.name];
    if (v !== null && v !== undefined && v !== "") out[p.name] = v;
  }
  return out;
}

/** The required parameters left empty (their titles). */
export function missing(params: ReportParam[], values: Values): ReportParam[] {
  return params.filter(
    (p) => p.required && (values[p.name] === null || values[p.name] === undefined || values[p.name] === ""),
  );
}

/** One row of the parameters form; `ctx` binds a field like an object form's. */
export function paramRow(p: ReportParam, ctx: (f: FieldMeta) => FieldCtx): TemplateResult {
  const type = paramType(p);
  if (type !== "month" && type.kind === "ref" && type.target === "document")
    return documentRow(p, type.name, ctx({ name: p.name, synonym: p.title, type, required: p.required }));
  if (type !== "month") return fieldRow(ctx({ name: p.name, synonym: p.title, type, required: p.required }));
  const c = ctx({ name: p.name, synonym: p.title, type: { kind: "string", length: 1000 }, required: p.required });
  const id = "f-" + p.name;
  return html`<label class="caption" for=${id}>${p.title}${p.required ? html`<span class="req">*</span>` : nothing}:</label>
    <div class="field ${c.error ? "error" : ""}" data-field=${p.name}>
      <input id=${id} name=${p.name} class="month" style="width:95px" placeholder=${t("report.monthHint")} .value=${live(showMonth(c.value))}
        @change=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          const v = parseMonth(text);
          if (v === undefined) c.invalid(t("field.notDate", { text }));
          else c.set(v);
        }} />
      ${c.error ? html`<span class="err">${c.error}</span>` : nothing}
    </div>`;
}

/** A reference to a document: <ref-input kind="document"> (the object forms' fields pick catalogs only). */
function documentRow(p: ReportParam, name: string, c: FieldCtx): TemplateResult {
  const id = "f-" + p.name;
  const presentation = c.value ? (c.refs[String(c.value)] ?? "") : "";
  return html`<label class="caption" for=${id}>${p.title}${p.required ? html`<span class="req">*</span>` : nothing}:</label>
    <div class="field ${c.error ? "error" : ""}" data-field=${p.name}>
      <ref-input id=${id} name=${p.name} .kind=${"document"} .catalog=${name} .value=${c.value ?? null} .presentation=${presentation}
        @change=${(e: CustomEvent<{ value: string | null; presentation: string }>) => e.detail && c.set(e.detail.value, e.detail.presentation)}></ref-input>
      ${c.error ? html`<span class="err">${c.error}</span>` : nothing}
    </div>`;
}
