/**
 * Errors that reach the user. Each carries an HTTP status, a stable code, a Russian message
 * that says what to fix, and the field it is about ("Warehouse", "Items[3].Quantity").
 * Anything else thrown inside a request is a bug and answers 500.
 */
export class AppError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message);
    this.name = "AppError";
  }
  toJSON() {
    return { error: { code: this.code, message: this.message, field: this.field ?? null } };
  }
}

/** Where in a document an error points: a header field, or a row and field of a tabular part. */
export interface ErrorTarget {
  table?: string;
  /** 1-based line number of the tabular part. */
  line?: number;
  field?: string;
}

export function targetPath(t: ErrorTarget = {}): string | undefined {
  if (t.table) return `${t.table}${t.line != null ? `[${t.line}]` : ""}${t.field ? "." + t.field : ""}`;
  return t.field;
}

/** A refusal raised by configuration code (posting, checks, fill) or by the engine's rules. */
export class UserError extends AppError {
  constructor(
    message: string,
    public target: ErrorTarget = {},
    code = "rejected",
  ) {
    super(422, code, message, targetPath(target));
    this.name = "UserError";
  }
}

export const badRequest = (message: string, field?: string) => new AppError(400, "bad_request", message, field);
export const notFound = (message: string) => new AppError(404, "not_found", message);
export const conflict = (message: string, field?: string) => new AppError(409, "conflict", message, field);

/** An invariant of the engine: on failure the transaction stops, nothing is written. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`invariant failed: ${message}`);
}
