/**
 * Validation of metadata. validateAgainstSchema checks one YAML object against schema.json (the
 * same schema editors use while the YAML is typed) and turns ajv's errors into readable issues;
 * crossCheck (cross-check.ts) checks what a single file cannot: references between objects,
 * duplicate names, register rules and the length of the SQL identifiers made from names.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { MetadataIssue } from "./types.ts";

import { closest } from "./cross-check.ts";

export { crossCheck } from "./cross-check.ts";

/** The published JSON Schema of one metadata YAML file. */
export const metadataSchema: Record<string, any> = JSON.parse(
  readFileSync(new URL("./schema.json", import.meta.url), "utf8"),
);

const IDENTIFIER = /^[A-Z][A-Za-z0-9]*$/;

let compiled: ValidateFunction | undefined;

/** Compiles schema.json once. The editor-only keywords (patternErrorMessage) are known to ajv. */
export function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
    ajv.addVocabulary(["patternErrorMessage"]);
    compiled = ajv.compile(metadataSchema);
  }
  return compiled;
}

/** Checks one parsed YAML file; pushes one issue per problem (all of them, not the first). */
export function validateAgainstSchema(raw: unknown, file: string, issues: MetadataIssue[]): void {
  const validate = schemaValidator();
  if (validate(raw)) return;
  const seen = new Set<string>();
  for (const split of commaSplits(raw, "")) {
    issues.push({
      file,
      path: `${split.path}/type`,
      message: `write the type in quotes: type: "${split.text}" (inside { } a comma separates entries, so unquoted ${split.text} reads as "${split.head}" and a key "${split.key}")`,
    });
    seen.add(`${split.path}/type`).add(`${split.path}/${escapePointer(split.key)}`);
  }
  for (const e of validate.errors ?? []) {
    const issue = describeError(e, file);
    if (!issue || seen.has(issue.path)) continue;
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
}

function describeError(e: ErrorObject, file: string): MetadataIssue | null {
  const path = e.instancePath;
  const data = e.data as unknown;
  const parent = (e.parentSchema ?? {}) as Record<string, any>;
  const p = e.params as Record<string, any>;
  const issue = (message: string, at = path): MetadataIssue => ({ file, path: at, message });
  switch (e.keyword) {
    case "if":
      return null; // the failing `then` branch reports the details
    case "additionalProperties": {
      const prop = String(p.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const guess = closest(prop, allowed);
      return issue(
        `unknown property "${prop}"${guess ? ` (did you mean "${guess}"?)` : ""}; allowed here: ${allowed.join(", ")}`,
        `${path}/${escapePointer(prop)}`,
      );
    }
    case "required":
      return issue(`missing required property "${p.missingProperty}"`);
    case "enum":
      return issue(`${show(data)} is not allowed here: use one of ${(p.allowedValues as unknown[]).join(", ")}`);
    case "const":
      return issue(`must be ${show(p.allowedValue)}, not ${show(data)}`);
    case "pattern": {
      const hint = String(parent.patternErrorMessage ?? "");
      if (hint.includes("system column name") && typeof data === "string" && IDENTIFIER.test(data)) {
        // A field name that is a valid identifier but fails the field-name pattern is reserved.
        return issue(
          `"${data}" is a system column name (${hint.replace(/^.*system column name: /, "")}); choose another name`,
        );
      }
      const text = typeof data === "string" && /^number/.test(data) ? hint : hint.replace(/ \(inside \{ \}.*\)$/, "");
      return issue(`${show(data)}: ${text || `must match ${p.pattern}`}`);
    }
    case "type":
      if (path === "") return issue(`the file must be a YAML mapping with kind, name and synonym, not ${kindOf(data)}`);
      if (data === null || data === undefined)
        return issue(`must be ${article(String(p.type))} ${p.type}, but is empty`);
      return issue(
        `must be ${article(String(p.type))} ${p.type}, not ${kindOf(data)}${typeof data === "object" ? "" : ` (${show(data)})`}`,
      );
    case "maxLength":
      return issue(`${show(data)} is ${String(data).length} characters long; at most ${p.limit} are allowed`);
    case "minLength":
      return issue(`may not be empty`);
    case "minItems":
      return issue(`must list at least ${p.limit} item${p.limit === 1 ? "" : "s"}`);
    case "uniqueItems":
      return issue(`${show((data as unknown[])[p.i])} is listed twice (items ${p.j} and ${p.i})`, `${path}/${p.i}`);
    case "minimum":
    case "maximum": {
      const range =
        parent.minimum !== undefined && parent.maximum !== undefined
          ? `from ${parent.minimum} to ${parent.maximum}`
          : e.keyword === "minimum"
            ? `at least ${p.limit}`
            : `at most ${p.limit}`;
      return issue(`${show(data)} is out of range: must be ${range}`);
    }
    default:
      return issue(e.message ?? `fails ${e.keyword}`);
  }
}

interface CommaSplit {
  path: string;
  text: string;
  head: string;
  key: string;
}

/**
 * Finds `{ …, type: number(15,2) }` written unquoted in a YAML flow mapping: YAML reads it as
 * type "number(15" plus a key "2)" with no value. One clear issue beats two puzzling ones.
 */
function commaSplits(v: unknown, path: string): CommaSplit[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => commaSplits(x, `${path}/${i}`));
  if (v === null || typeof v !== "object") return [];
  const o = v as Record<string, unknown>;
  const out: CommaSplit[] = [];
  const key = Object.keys(o).find((k) => /^\s*\d+\s*\)$/.test(k) && o[k] === null);
  if (key !== undefined && typeof o.type === "string" && /^number\(\s*\d+$/.test(o.type)) {
    out.push({ path, text: `${o.type},${key.trim()}`, head: o.type, key });
  }
  for (const [k, x] of Object.entries(o)) out.push(...commaSplits(x, `${path}/${escapePointer(k)}`));
  return out;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

function show(v: unknown): string {
  return typeof v === "string" ? `"${v}"` : (JSON.stringify(v) ?? String(v));
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${article(typeof v)} ${typeof v}`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? "an" : "a";
}
