/**
 * The detail panel of a journal entry: the before/after difference the server keeps for a write
 * (server/journal/diff.ts: header fields as [old, new]; per tabular part the rows added, removed
 * and changed), with the object's field names and values as its forms show them (synonyms,
 * dates, numbers, enum synonyms, reference presentations resolved through the API). Details of
 * other actions (a login's reason, a report's parameters) are listed as they are.
 */
import { html, nothing, type TemplateResult } from "lit";
import { t } from "../i18n/index.ts";
import { displayValue, objectMeta, type FieldMeta } from "../meta.ts";
import { resolveRefs } from "../refs.ts";

type Pair = [unknown, unknown];
interface RowsDiff {
  added: Record<string, unknown>[];
  removed: Record<string, unknown>[];
  changed: { line: number; was: number; fields: Record<string, Pair> }[];
  more?: { added?: number; removed?: number; changed?: number };
}
export interface ObjectDiff {
  fields?: Record<string, Pair>;
  tables?: Record<string, RowsDiff>;
}

export interface EntryObject {
  kind: string | null;
  name: string | null;
}

const isDiff = (d: unknown): d is ObjectDiff =>
  typeof d === "object" &&
  d !== null &&
  !Array.isArray(d) &&
  Object.keys(d).length > 0 &&
  Object.keys(d).every((k) => k === "fields" || k === "tables");

function fieldsOf(o: EntryObject): {
  header: FieldMeta[];
  tables: Record<string, { synonym: string; fields: FieldMeta[] }>;
} {
  const m = o.kind === "catalog" || o.kind === "document" ? objectMeta(o.kind, o.name ?? "") : undefined;
  if (!m) return { header: [], tables: {} };
  const sys = m.system.map((f) => ({
    ...f,
    synonym: t(`field.${f.name}`).startsWith("[") ? f.synonym : t(`field.${f.name}`),
  }));
  return {
    header: [...sys, ...m.attributes],
    tables: Object.fromEntries(m.tabularParts.map((tp) => [tp.name, { synonym: tp.synonym, fields: tp.attributes }])),
  };
}

/** The presentations of the references a diff mentions. */
export async function diffRefs(o: EntryObject, d: unknown): Promise<Record<string, string>> {
  if (!isDiff(d)) return {};
  const f = fieldsOf(o);
  const rows: Record<string, unknown>[] = [];
  for (const [k, [a, b]] of Object.entries(d.fields ?? {})) rows.push({ [k]: a }, { [k]: b });
  const all = [...f.header];
  for (const [name, td] of Object.entries(d.tables ?? {})) {
    all.push(...(f.tables[name]?.fields ?? []));
    rows.push(...td.added, ...td.removed);
    for (const c of td.changed) for (const [k, [a, b]] of Object.entries(c.fields)) rows.push({ [k]: a }, { [k]: b });
  }
  return resolveRefs(all, rows).catch(() => ({}));
}

const plain = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

function pairRows(pairs: Record<string, Pair>, fields: FieldMeta[], refs: Record<string, string>): TemplateResult[] {
  return Object.entries(pairs).map(([k, [a, b]]) => {
    const f = fields.find((x) => x.name === k);
    return html`<tr data-field=${k}><td class="name">${f?.synonym ?? k}</td><td class="before">${f ? displayValue(f.type, a, refs) : plain(a)}</td><td class="after">${f ? displayValue(f.type, b, refs) : plain(b)}</td></tr>`;
  });
}

function rowText(r: Record<string, unknown>, fields: FieldMeta[], refs: Record<string, string>): string {
  return Object.entries(r)
    .filter(([k]) => k !== "line" && k !== "id")
    .map(([k, v]) => {
      const f = fields.find((x) => x.name === k);
      return `${f?.synonym ?? k}: ${f ? displayValue(f.type, v, refs) : plain(v)}`;
    })
    .join("; ");
}

/** The panel's content for one entry's details. */
export function renderDetails(o: EntryObject, details: unknown, refs: Record<string, string>): unknown {
  if (
    details === null ||
    details === undefined ||
    (typeof details === "object" && Object.keys(details as object).length === 0)
  )
    return html`<div class="none">${t("journal.noDetails")}</div>`;
  if (!isDiff(details)) {
    const entries =
      typeof details === "object" && !Array.isArray(details) ? Object.entries(details as object) : [["", details]];
    return html`<table class="diff"><tbody>${entries.map(([k, v]) => html`<tr><td class="name">${k}</td><td colspan="2">${plain(v)}</td></tr>`)}</tbody></table>`;
  }
  const f = fieldsOf(o);
  const head = html`<tr><th>${t("journal.field")}</th><th>${t("journal.before")}</th><th>${t("journal.after")}</th></tr>`;
  return html`
    ${details.fields ? html`<table class="diff"><thead>${head}</thead><tbody>${pairRows(details.fields, f.header, refs)}</tbody></table>` : nothing}
    ${Object.entries(details.tables ?? {}).map(([name, d]) => {
      const tf = f.tables[name]?.fields ?? [];
      return html`<h4>${f.tables[name]?.synonym ?? name}</h4>
        ${d.added.length ? html`<div class="rows added"><b>${t("journal.rowsAdded")}:</b>${d.added.map((r) => html`<div class="row">+ ${rowText(r, tf, refs)}</div>`)}${d.more?.added ? html`<div>${t("journal.more", { n: d.more.added })}</div>` : nothing}</div>` : nothing}
        ${d.removed.length ? html`<div class="rows removed"><b>${t("journal.rowsRemoved")}:</b>${d.removed.map((r) => html`<div class="row">− ${rowText(r, tf, refs)}</div>`)}${d.more?.removed ? html`<div>${t("journal.more", { n: d.more.removed })}</div>` : nothing}</div>` : nothing}
        ${
          d.changed.length
            ? html`<table class="diff"><thead>${head}</thead>${d.changed.map((c) => html`<tbody><tr class="line"><td colspan="3">${t("journal.rowChanged", { line: c.line })}</td></tr>${pairRows(c.fields, tf, refs)}</tbody>`)}</table>`
            : nothing
        }`;
    })}`;
}
