/**
 * The HTTP API as the client uses it: JSON in and out, errors as ApiError carrying the
 * server's {code, message, field} so a form can show the message at the field (and a
 * tabular cell: field "Rows[3].Quantity"). Same origin; the session cookie goes by itself, the
 * CSRF token is added to every change (auth/session.ts), and a 401 tells the session (the
 * shell then shows the login form).
 */
import { csrfHeader, notifyUnauthorized } from "./auth/session.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Every problem when the server checked past the first (each with its field). */
    readonly problems?: { message: string; field?: string | null }[],
  ) {
    super(message);
  }
}

export async function api<T = any>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const r = await fetch("/api" + path, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(method === "GET" || method === "HEAD" ? {} : csrfHeader()),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  return answerOf<T>(r);
}

/** POSTs a file's bytes as they are (application/octet-stream), e.g. to a document's import route; the answer as api() gives it. */
export async function postBytes<T = any>(path: string, bytes: ArrayBuffer | Blob): Promise<T> {
  const r = await fetch("/api" + path, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/octet-stream", ...csrfHeader() },
    body: bytes,
  });
  return answerOf<T>(r);
}

/** The JSON of an answer, or an ApiError with the server's message and field. */
async function answerOf<T>(r: Response): Promise<T> {
  const text = await r.text();
  if (!r.ok) throw refusalOf(r, text);
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    return null as T;
  }
}

/** A file's answer (a report, an export) as it came, or the ApiError of its refusal. */
export async function fileAnswer(r: Response): Promise<Response> {
  if (!r.ok) throw refusalOf(r, await r.text());
  return r;
}

/** The ApiError of a refused answer: its JSON error's code, message, field and problems. */
function refusalOf(r: Response, text: string): ApiError {
  if (r.status === 401) notifyUnauthorized();
  let e: any;
  try {
    e = text ? JSON.parse(text)?.error : undefined;
  } catch {
    e = undefined;
  }
  const problems = Array.isArray(e?.problems) ? e.problems : undefined;
  return new ApiError(
    r.status,
    e?.code ?? "http_" + r.status,
    e?.message ?? (text || r.statusText),
    e?.field,
    problems,
  );
}

export const get = <T = any>(path: string, signal?: AbortSignal) => api<T>("GET", path, undefined, signal);
export const post = <T = any>(path: string, body?: unknown) => api<T>("POST", path, body);
export const put = <T = any>(path: string, body?: unknown) => api<T>("PUT", path, body);
export const del = <T = any>(path: string, body?: unknown) => api<T>("DELETE", path, body);

/** Splits a server field path "Rows[3].Quantity" into the tabular part, row index and column. */
export function parseFieldPath(field: string | undefined): {
  table?: string;
  row?: number;
  column?: string;
  field?: string;
} {
  if (!field) return {};
  const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(field);
  if (m) return { table: m[1], row: Number(m[2]), column: m[3] };
  return { field };
}
