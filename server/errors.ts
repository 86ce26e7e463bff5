/**
 * Errors that reach the user. Each carries an HTTP status, a stable code, a Russian message
 * that says what to fix, and the field it is about ("Warehouse", "Items[3].Quantity").
 * Anything else thrown inside a request is a bug and answers 500.
 */
export class AppError extends Error {
  /**
   * Every problem found when a check goes on past the first (a posting's bad rows): the first
   * is also the error's message and field, so a client that reads only those still works.
   */
  problems?: { message: string; field: string | null }[];
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
    const error = { code: this.code, message: this.message, field: this.field ?? null };
    return { error: this.problems ? { ...error, problems: this.problems } : error };
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

/** A problem of a check that collects all of them: its message and where it points. */
export interface Problem {
  message: string;
  target?: ErrorTarget;
}

/**
 * One refusal for several problems (each row a posting refuses, each required field left
 * empty): the message lists them all, one a line; the field is the first's; `problems` names
 * each with its field, for a form to mark every one.
 */
export function userErrors(problems: Problem[], code = "rejected"): UserError {
  invariant(problems.length > 0, "userErrors needs at least one problem");
  const e = new UserError(problems.map((p) => p.message).join("\n"), problems[0].target, code);
  if (problems.length > 1)
    e.problems = problems.map((p) => ({ message: p.message, field: targetPath(p.target) ?? null }));
  return e;
}

export const badRequest = (message: string, field?: string) => new AppError(400, "bad_request", message, field);
export const notFound = (message: string) => new AppError(404, "not_found", message);
export const conflict = (message: string, field?: string) => new AppError(409, "conflict", message, field);

/** An invariant of the engine: on failure the transaction stops, nothing is written. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`invariant failed: ${message}`);
}
