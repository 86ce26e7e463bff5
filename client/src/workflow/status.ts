/**
 * Document statuses in lists (server/workflow; the metadata's `workflow`): the status column is a
 * coloured chip (the statuses' colours), and the list's bar gets a filter by status and «Мои»
 * (documents assigned to the current user: ?mine=true), both remembered per list in the
 * browser (localStorage) until changed. list-columns.ts asks statusCell for each column,
 * list-form.ts renders statusBar and appends statusQuery to its requests.
 */
import { html, nothing } from "lit";
import type { ColDef } from "ag-grid-community";
import { t } from "../i18n/index.ts";
import { objectMeta, type CatalogMeta, type DocumentMeta, type FieldMeta, type ObjectKind } from "../meta.ts";
import type { WorkflowView } from "../../../server/http/workflow-types.ts";

export const NEUTRAL = "#757575";

export function workflowOf(m: CatalogMeta | DocumentMeta | undefined): WorkflowView | undefined {
  return m && "workflow" in m ? (m as DocumentMeta).workflow : undefined;
}

/** A chip element: the status's synonym on its colour. */
export function chipElement(w: WorkflowView, status: string | null | undefined): HTMLElement {
  const s = w.statuses.find((x) => x.name === (status || w.initial));
  const span = document.createElement("span");
  span.className = "status-chip";
  span.dataset.status = s?.name ?? String(status ?? "");
  span.textContent = s?.synonym ?? String(status ?? "");
  span.style.cssText = `display:inline-block;padding:0 8px;border-radius:9px;line-height:18px;color:#fff;font-size:12px;background:${s?.color ?? NEUTRAL}`;
  return span;
}

/** The same chip as a lit template (forms). */
export function chip(w: WorkflowView, status: string | null | undefined) {
  const s = w.statuses.find((x) => x.name === (status || w.initial));
  return html`<span class="status-chip" data-status=${s?.name ?? ""} style="display:inline-block;padding:0 8px;border-radius:9px;line-height:20px;color:#fff;background:${s?.color ?? NEUTRAL}">${s?.synonym ?? status ?? ""}</span>`;
}

/** The status column's renderer (a chip) for the workflow's status field; nothing for other columns. */
export function statusCell<R>(m: CatalogMeta | DocumentMeta, f: FieldMeta): Partial<ColDef<R>> {
  const w = workflowOf(m);
  if (!w || f.name !== w.statusField) return {};
  return {
    cellRenderer: (p: { data?: Record<string, unknown> }) =>
      p.data ? chipElement(w, p.data[w.statusField] as string | null) : "",
    filter: false, // the bar's status filter does it
  };
}

/** What a list with a status filter and «Мои» keeps. */
export interface StatusFilterHost {
  kind: ObjectKind;
  name: string;
  statusFilter: string;
  mineOnly: boolean;
  /** Re-reads the list from its first row. */
  refilter(): void;
}

const restored = new WeakSet<StatusFilterHost>();
const storageKey = (host: StatusFilterHost) => `list-status:${host.kind}.${host.name}`;

/** The list's filter as the user left it last time (kept per list in localStorage: «Мои» stays «Мои»). */
function restore(host: StatusFilterHost): void {
  if (restored.has(host)) return;
  restored.add(host);
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(storageKey(host)) ?? "null");
    if (saved && typeof saved === "object") {
      if (typeof saved.status === "string") host.statusFilter = saved.status;
      if (typeof saved.mine === "boolean") host.mineOnly = saved.mine;
    }
  } catch {
    /* nothing saved, or storage unavailable */
  }
}

function save(host: StatusFilterHost): void {
  try {
    globalThis.localStorage?.setItem(
      storageKey(host),
      JSON.stringify({ status: host.statusFilter, mine: host.mineOnly }),
    );
  } catch {
    /* storage unavailable: the filter lasts while the list is open */
  }
}

/** "&Status=…&mine=true" for the list's requests ("" without workflow or filter). */
export function statusQuery(host: StatusFilterHost): string {
  const w = workflowOf(objectMeta(host.kind, host.name));
  if (!w) return "";
  restore(host);
  const q = new URLSearchParams();
  if (host.statusFilter) q.set(w.statusField, host.statusFilter);
  if (host.mineOnly) q.set("mine", "true");
  const s = q.toString();
  return s ? `&${s}` : "";
}

/** The bar's status filter and «Мои» (only for a document with workflow). */
export function statusBar(host: StatusFilterHost) {
  const w = workflowOf(objectMeta(host.kind, host.name));
  if (!w) return nothing;
  restore(host);
  return html`<select class="status-filter" title=${t("wf.status")} @change=${(e: Event) => {
    host.statusFilter = (e.target as HTMLSelectElement).value;
    save(host);
    host.refilter();
  }}>
      <option value="" ?selected=${host.statusFilter === ""}>${t("wf.allStatuses")}</option>
      ${w.statuses.map((s) => html`<option value=${s.name} ?selected=${host.statusFilter === s.name}>${s.synonym}</option>`)}
    </select>
    ${
      w.assigneeField
        ? html`<label class="mine" title=${t("wf.mineTitle")}><input type="checkbox" data-cmd="mine" .checked=${host.mineOnly} @change=${(
            e: Event,
          ) => {
            host.mineOnly = (e.target as HTMLInputElement).checked;
            save(host);
            host.refilter();
          }} /> ${t("wf.mine")}</label>`
        : nothing
    }`;
}
