// The account card's «Заявки» tab (docs/service-requests.md): the account's service requests,
// newest first (the first 100), with their number, received moment, type, description, executor,
// deadline and status; a request past its deadline and not completed is marked overdue (red).
// A user without the right to read requests gets an empty list (the list route answers 403).
import { html, type TemplateResult } from "lit";
import { displayValue, get, resolveRefs, type FieldMeta } from "../../../client/src/custom-forms-api.ts";

type Row = Record<string, unknown>;

export const REQUESTS_CAPTION = "Заявки";

const ref = (target: "catalog" | "enum", name: string) => ({ kind: "ref" as const, target, name });
/** The columns: ServiceRequest's attributes as its YAML declares them. */
const COLUMNS: FieldMeta[] = [
  { name: "ReceivedAt", synonym: "Поступила", type: { kind: "datetime" } },
  { name: "RequestType", synonym: "Вид заявки", type: ref("catalog", "RequestTypes") },
  { name: "Description", synonym: "Описание", type: { kind: "string", length: 2000 } },
  { name: "Executor", synonym: "Исполнитель", type: ref("catalog", "Employees") },
  { name: "Deadline", synonym: "Срок выполнения", type: { kind: "datetime" } },
  { name: "Status", synonym: "Статус", type: ref("enum", "RequestStatuses") },
];

/** The account's requests, their references resolved into `refs`. */
export async function loadRequests(account: string, refs: Record<string, string>): Promise<Row[]> {
  const list = await get<{ rows: Row[] }>(`/documents/ServiceRequest?Account=${account}&sort=-date&limit=100`).catch(
    () => ({ rows: [] as Row[] }),
  );
  Object.assign(refs, await resolveRefs(COLUMNS, list.rows, refs));
  return list.rows;
}

const two = (n: number) => String(n).padStart(2, "0");
/** "2011-12-05T10:00:00" → "05.12.2011 10:00". */
const moment = (v: unknown) => {
  const s = typeof v === "string" ? v : "";
  return s ? `${s.slice(8, 10)}.${s.slice(5, 7)}.${s.slice(0, 4)} ${s.slice(11, 16)}` : "";
};

/** Past its deadline and not completed (compared with the browser's local now, as moments are stored). */
function overdue(r: Row): boolean {
  if (!r.Deadline || r.CompletedAt || r.Status === "Rejected" || r.Status === "Closed") return false;
  const d = new Date();
  const now = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return String(r.Deadline) < now;
}

export function requestsTable(rows: Row[], refs: Record<string, string>): TemplateResult {
  if (!rows.length) return html`<div class="empty">Заявок нет</div>`;
  const show = (r: Row, f: FieldMeta) =>
    f.type.kind === "datetime" ? moment(r[f.name]) : displayValue(f.type, r[f.name], refs);
  return html`<table class="card-table" data-table="requests">
    <tr><th>Номер</th>${COLUMNS.map((c) => html`<th>${c.synonym}</th>`)}</tr>
    ${rows.map((r) => {
      const late = overdue(r);
      return html`<tr data-request=${String(r.id)} data-status=${String(r.Status ?? "")} class=${late ? "overdue" : ""} style=${late ? "color:#c62828" : ""}><td>${String(r.number ?? "")}</td>${COLUMNS.map((c) => html`<td>${show(r, c)}</td>`)}</tr>`;
    })}
  </table>`;
}
