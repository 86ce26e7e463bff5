/**
 * Compiling and running a form's template.hbs. Compiling parses it (a syntax error names the
 * line) and, with Handlebars' knownHelpersOnly, refuses a call of any helper the engine does not
 * have (naming the line too), so a broken template fails when first used, not halfway through a batch. Running
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

export type Template = (context: unknown, data: Record<string, unknown>) => string;

/** Handlebars refuses a call of any other helper when compiling (knownHelpersOnly). */
const OPTIONS = { knownHelpers: Object.fromEntries(HELPERS.map((h) => [h, true])), knownHelpersOnly: true } as const;
const UNKNOWN_HELPER = /^You specified knownHelpersOnly, but used the unknown helper (\S+) - (\d+):\d+/;

/** Compiles template text of form `form` (file names it in errors). */
export function compileTemplate(form: string, file: string, text: string): Template {
  let fn: TemplateDelegate;
  try {
    hb.precompile(text, OPTIONS); // compile() is lazy: this surfaces its errors now, with their lines
    fn = hb.compile(text, OPTIONS);
  } catch (e) {
    const unknown = UNKNOWN_HELPER.exec((e as Error)?.message ?? "");
    if (unknown) {
      const known = HELPERS.filter((h) => !h.startsWith("helper") && !h.startsWith("block")).join(", ");
      throw templateError(form, file, Number(unknown[2]), `неизвестный помощник «${unknown[1]}»; есть: ${known}`);
    }
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
  const message = String(err.message ?? e)
    .replace(/^Parse error on line \d+:\s*/, "синтаксическая ошибка: ")
    .replace(/\s*\n\s*/g, " ");
  return templateError(form, file, line, message);
}
