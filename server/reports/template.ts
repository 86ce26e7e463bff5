/**
 * Compiling and running a form's template.hbs. Compiling parses it (a syntax error names the
 * line) and checks every helper call against the engine's helpers (an unknown helper names the
 * line too), so a broken template fails when first used, not halfway through a batch. Running
 * maps a helper's failure to the line of the call. Every error says which form and which file.
 */
import type { TemplateDelegate } from "handlebars";
import { AppError } from "../errors.ts";
import { handlebars, HelperError, HELPERS } from "./helpers.ts";

const hb = handlebars();

/** A template that does not compile or fails while rendering: a bug in the form, shown to its designer. */
export function templateError(form: string, file: string, line: number | undefined, message: string): AppError {
  return new AppError(500, "template_error", `Форма «${form}», ${file}${line ? `, строка ${line}` : ""}: ${message}`);
}

interface Node {
  type: string;
  path?: Node & { original?: unknown; parts?: string[]; data?: boolean };
  params?: Node[];
  hash?: { pairs: { value: Node }[] };
  program?: { body: Node[] };
  inverse?: { body: Node[] };
  body?: Node[];
  loc?: { start: { line: number } };
}

/** Helper calls (a mustache with arguments, a block, a sub-expression) that name no known helper. */
function unknownHelpers(node: Node, out: { name: string; line: number }[]): void {
  const isCall = node.type === "SubExpression" || node.type === "BlockStatement" || (node.type === "MustacheStatement" && ((node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0));
  if (isCall && node.path?.type === "PathExpression" && !node.path.data && node.path.parts?.length === 1) {
    const name = String(node.path.original);
    if (!HELPERS.includes(name)) out.push({ name, line: node.loc?.start.line ?? 0 });
  }
  for (const p of node.params ?? []) unknownHelpers(p, out);
  for (const p of node.hash?.pairs ?? []) unknownHelpers(p.value, out);
  for (const b of [node.body, node.program?.body, node.inverse?.body]) for (const n of b ?? []) unknownHelpers(n, out);
}

export type Template = (context: unknown, data: Record<string, unknown>) => string;

/** Compiles template text of form `form` (file names it in errors). */
export function compileTemplate(form: string, file: string, text: string): Template {
  let fn: TemplateDelegate;
  try {
    const ast = hb.parse(text) as unknown as Node;
    const unknown: { name: string; line: number }[] = [];
    unknownHelpers(ast, unknown);
    if (unknown.length) {
      const u = unknown[0];
      throw templateError(form, file, u.line, `неизвестный помощник «${u.name}»; есть: ${HELPERS.filter((h) => !h.startsWith("helper") && !h.startsWith("block")).join(", ")}`);
    }
    hb.precompile(text); // compile() is lazy: this surfaces its errors now, with their lines
    fn = hb.compile(text);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw describe(form, file, e);
  }
  return (context, data) => {
    try {
      return fn(context, { data, allowProtoPropertiesByDefault: false });
    } catch (e) {
      throw describe(form, file, e);
    }
  };
}

function describe(form: string, file: string, e: unknown): AppError {
  if (e instanceof AppError) return e;
  const err = e as Error & { lineNumber?: number };
  let line = e instanceof HelperError ? e.line : err.lineNumber;
  const m = /line (\d+)/.exec(err.message ?? "");
  if (line === undefined && m) line = Number(m[1]);
  const message = String(err.message ?? e).replace(/^Parse error on line \d+:\s*/, "синтаксическая ошибка: ").replace(/\s*\n\s*/g, " ");
  return templateError(form, file, line, message);
}
