/**
 * The printed forms and reports as the client sees them (GET /api/reports, server/http/reports.ts):
 * their descriptions (title, what they apply to, parameters with types, formats), loaded once
 * per page; the ones the user may open (metadata rights.reports); rendering with parameters
 * (POST …/render?format=html|pdf|csv, the answer as text or a blob); and batch jobs with
 * progress (POST …/jobs, GET /api/reports/jobs/:id).
 */

import type { ReportInfo, ReportJobStatus, ReportListing } from "../../../server/http/api-types.ts";
import { fileAnswer, get, post } from "../api.ts";
import { csrfHeader } from "../auth/session.ts";
import { metadata } from "../meta.ts";

/** Forms as GET /api/reports lists them: the API's types. */
export type { ReportInfo, ReportListing, ReportParam } from "../../../server/http/api-types.ts";

/** A batch job as GET /api/reports/jobs/:id answers (the API's type). */
export type JobStatus = ReportJobStatus;

let loading: Promise<ReportListing[]> | undefined;

/** Every form of the configuration, broken ones with their error (cached for the page). */
export function loadReports(): Promise<ReportListing[]> {
  return (loading ??= get<{ reports: ReportListing[] }>("/reports").then(
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
  return (await loadReports()).filter((r): r is ReportInfo => r.error === null && mayOpen(r.name));
}

/** The forms a catalog's or document's form offers ("catalog.X"), that the user may open. */
export async function reportsFor(object: string): Promise<ReportInfo[]> {
  return (await openableReports()).filter((r) => r.appliesTo.some((a) => a.object === object));
}

/** A form's description; a broken form throws its error (the form shows it). */
export async function describeReport(name: string): Promise<ReportInfo> {
  const r =
    (await loadReports()).find((x) => x.name === name) ??
    (await get<ReportListing>(`/reports/${encodeURIComponent(name)}`));
  if (r.error !== null) throw new Error(r.error);
  return r;
}

/** Renders a form; the answer's body (text for html/csv, use .blob() for pdf) and its sheet count. */
export async function renderReport(
  name: string,
  params: Record<string, unknown>,
  format: string,
  signal?: AbortSignal,
): Promise<Response> {
  const r = await fetch(`/api/reports/${encodeURIComponent(name)}/render?format=${format}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "*/*", ...csrfHeader() },
    body: JSON.stringify(params),
    signal,
  });
  return fileAnswer(r);
}

export const startJob = (name: string, params: Record<string, unknown>, format = "pdf") =>
  post<JobStatus>(`/reports/${encodeURIComponent(name)}/jobs?format=${format}`, params);
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
