/**
 * The printed forms and reports as the client sees them (GET /api/reports, server/http/reports.ts):
 * their descriptions (title, what they apply to, parameters with types, formats), loaded once
 * per page; the ones the user may open (metadata rights.reports); rendering with parameters
 * (POST …/render?format=html|pdf|csv, the answer as text or a blob); and batch jobs with
 * progress (POST …/jobs, GET /api/reports/jobs/:id).
 */
import { ApiError, get, post } from "../api.ts";
import { csrfHeader, notifyUnauthorized } from "../auth/session.ts";
import { metadata } from "../meta.ts";
import type { ReportJobStatus } from "../../../server/http/api-types.ts";

export interface ReportParam {
  name: string;
  title: string;
  /** string integer number boolean date month catalog.X document.X enum.X */
  type: string;
  required?: boolean;
  default?: unknown;
  min?: number;
  max?: number;
}

export interface ReportInfo {
  name: string;
  title: string;
  description?: string;
  /** The objects whose forms offer it, with the parameter that takes the object's id (empty: standalone). */
  appliesTo: { object: string; parameter: string }[];
  parameters: ReportParam[];
  formats: string[];
  /** Printed in chunks with progress (the manifest's `repeat`). */
  batch?: boolean;
  error: string | null;
}

/** A batch job as GET /api/reports/jobs/:id answers (the API's type). */
export type JobStatus = ReportJobStatus;

let loading: Promise<ReportInfo[]> | undefined;

/** Every form of the configuration (cached for the page). */
export function loadReports(): Promise<ReportInfo[]> {
  return (loading ??= get<{ reports: ReportInfo[] }>("/reports").then(
    (r) => r.reports,
    (e) => {
      loading = undefined;
      throw e;
    },
  ));
}

/** Whether the user's roles give access to the form (metadata rights.reports). */
export function mayOpen(name: string): boolean {
  const r = metadata().rights?.reports;
  return r === undefined || r === "*" || r.includes(name);
}

/** The forms the user may open, in the server's order, without broken ones. */
export async function openableReports(): Promise<ReportInfo[]> {
  return (await loadReports()).filter((r) => !r.error && mayOpen(r.name));
}

/** The forms a catalog's or document's form offers ("catalog.X"), that the user may open. */
export async function reportsFor(object: string): Promise<ReportInfo[]> {
  return (await openableReports()).filter((r) => r.appliesTo.some((a) => a.object === object));
}

export async function describeReport(name: string): Promise<ReportInfo> {
  return (await loadReports()).find((r) => r.name === name) ?? get<ReportInfo>(`/reports/${encodeURIComponent(name)}`);
}

/** Renders a form; the answer's body (text for html/csv, use .blob() for pdf) and its sheet count. */
export async function renderReport(name: string, params: Record<string, unknown>, format: string, signal?: AbortSignal): Promise<Response> {
  const r = await fetch(`/api/reports/${encodeURIComponent(name)}/render?format=${format}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "*/*", ...csrfHeader() },
    body: JSON.stringify(params),
    signal,
  });
  if (!r.ok) {
    if (r.status === 401) notifyUnauthorized();
    const text = await r.text();
    let e: { code?: string; message?: string; field?: string } | undefined;
    try {
      e = JSON.parse(text)?.error;
    } catch {
      e = undefined;
    }
    throw new ApiError(r.status, e?.code ?? "http_" + r.status, e?.message ?? (text || r.statusText), e?.field);
  }
  return r;
}

export const startJob = (name: string, params: Record<string, unknown>, format = "pdf") => post<JobStatus>(`/reports/${encodeURIComponent(name)}/jobs?format=${format}`, params);
export const jobStatus = (id: string) => get<JobStatus>(`/reports/jobs/${encodeURIComponent(id)}`);
export const jobResultUrl = (id: string) => `/api/reports/jobs/${encodeURIComponent(id)}/result`;

/** The file name the server gave (Content-Disposition filename*), else `fallback`. */
export function fileNameOf(r: Response, fallback: string): string {
  const cd = r.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      /* the plain name below */
    }
  }
  return /filename="([^"]+)"/.exec(cd)?.[1] ?? fallback;
}

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
