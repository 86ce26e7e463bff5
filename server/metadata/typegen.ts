/**
 * `npm run types`: the TypeScript types of a configuration, generated from its loaded metadata
 * into `types.gen.ts` at the configuration's root (committed; a test fails when it is stale).
 * For each enum its value names; for each catalog and document the object as its behaviour
 * module sees it (storage/values.ts#forCode: numbers Decimal, references UUID strings, enums
 * value names, dates 'YYYY-MM-DD', datetimes 'YYYY-MM-DDTHH:MM:SS', empty = null; tabular parts
 * as arrays of rows with their `line`); for each register its dimensions, resources and
 * attributes; the registers each document posts to; and `defineDocument` / `defineCatalog`
 * typed by all of it (server/api.ts DocumentDefiner, CatalogDefiner). It imports nothing at run
 * time: a configuration folder copied elsewhere still loads.
 */
import { dirname, relative } from "node:path";
import type {
  AccountingRegisterMeta,
  CatalogMeta,
  Configuration,
  DocumentMeta,
  Field,
  TabularPart,
  TypeDef,
} from "./types.ts";

const HEADER = "// The configuration's types, generated from its metadata by `npm run types`: do not edit.";

/** The type of one value as code reads it. */
function valueType(t: TypeDef): string {
  switch (t.kind) {
    case "string":
      return "string";
    case "number":
      return "Decimal";
    case "boolean":
      return "boolean";
    case "date":
    case "datetime":
      return "DateText";
    case "ref":
      return t.target === "enum" ? t.name : "string";
  }
}

const doc = (text: string, indent: string) => `${indent}/** ${text.replace(/\*\//g, "* /")} */\n`;
const prop = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

function fieldLines(fields: Field[], indent: string, nullable: (f: Field) => boolean): string {
  return fields
    .map(
      (f) =>
        `${doc(`${f.synonym} (${f.typeText})`, indent)}${indent}${prop(f.name)}: ${valueType(f.type)}${nullable(f) ? " | null" : ""};\n`,
    )
    .join("");
}

const attributeNullable = (f: Field) => !f.required || f.type.kind === "boolean";

function tableType(owner: string, tp: TabularPart): { name: string; text: string } {
  const name = `${owner}${tp.name}Row`;
  return {
    name,
    text: `${doc(tp.synonym, "")}export interface ${name} {\n  /** Номер строки */\n  line: number;\n${fieldLines(tp.attributes, "  ", attributeNullable)}}\n`,
  };
}

function objectType(m: CatalogMeta | DocumentMeta): string {
  const suffix = m.kind === "catalog" ? "Catalog" : "Document";
  const name = `${m.name}${suffix}`;
  const tables = m.tabularParts.map((tp) => tableType(m.name, tp));
  let system = "  id: string;\n  version: number;\n  deletionMark: boolean;\n";
  if (m.kind === "catalog") {
    if (m.codeLength > 0) system += "  code: string;\n";
    system += "  name: string;\n";
    if (m.hierarchical) system += "  parent: string | null;\n  isFolder: boolean;\n";
  } else {
    system += "  number: string;\n  date: DateText;\n  posted: boolean;\n";
  }
  const tableFields = m.tabularParts
    .map((tp, i) => `${doc(tp.synonym, "  ")}  ${prop(tp.name)}: ${tables[i].name}[];\n`)
    .join("");
  return `${tables.map((t) => t.text + "\n").join("")}${doc(m.synonym, "")}export interface ${name} {\n${system}${fieldLines(m.attributes, "  ", attributeNullable)}${tableFields}}\n`;
}

function registerType(
  r: { dimensions: Field[]; resources: Field[]; attributes: Field[] },
  kind: string | null,
  indent: string,
): string {
  const inner = indent + "  ";
  const block = (title: string, fields: Field[], nullable: (f: Field) => boolean) =>
    fields.length
      ? `${indent}  ${title}: {\n${fieldLines(fields, inner + "  ", nullable)}${inner}};\n`
      : `${indent}  ${title}: {};\n`;
  return `{\n${kind ? `${inner}kind: "${kind}";\n` : ""}${block("dimensions", r.dimensions, (f) => f.type.kind === "ref" && f.type.target !== "enum")}${block("resources", r.resources, () => false)}${block("attributes", r.attributes, attributeNullable)}${indent}}`;
}

/** An accounting register: its chart's analytics kinds and predefined codes, its resources and attributes. */
function accountingType(conf: Configuration, r: AccountingRegisterMeta, indent: string): string {
  const inner = indent + "  ";
  const chart = conf.chartsOfAccounts.get(r.chart);
  const kinds = (chart?.analytics ?? []).map(
    (a) => `${doc(a.synonym, inner + "  ")}${inner}  ${prop(a.name)}: ${valueType(a.type)};\n`,
  );
  const codes = (chart?.accounts ?? []).map((a) => JSON.stringify(a.code)).join(" | ") || "string";
  const block = (title: string, fields: Field[], nullable: (f: Field) => boolean) =>
    fields.length
      ? `${inner}${title}: {\n${fieldLines(fields, inner + "  ", nullable)}${inner}};\n`
      : `${inner}${title}: {};\n`;
  return `{\n${inner}analytics: ${kinds.length ? `{\n${kinds.join("")}${inner}}` : "{}"};\n${inner}accounts: ${codes};\n${block("resources", r.resources, () => false)}${block("attributes", r.attributes, attributeNullable)}${indent}}`;
}

/** The file's text for a configuration; `file` is where it will be written (for the import path). */
export function generateTypes(conf: Configuration, file: string, apiFile: string): string {
  let api = relative(dirname(file), apiFile).split("\\").join("/");
  if (!api.startsWith(".")) api = "./" + api;
  const byName = <T extends { name: string }>(m: Map<string, T>) =>
    [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [
    HEADER,
    `import type { Decimal } from "decimal.js";\nimport type {\n  CatalogDefiner,\n  DateText,\n  DocumentDefiner,\n  TypedPostingContext,\n  TypedQueryApi,\n} from "${api}";\n`,
    "export type { DateText, Decimal };\n",
  ];
  for (const e of byName(conf.enums)) {
    out.push(
      `${doc(e.synonym, "")}export type ${e.name} = ${e.values.map((v) => JSON.stringify(v.name)).join(" | ") || "never"};\n`,
    );
  }
  for (const c of byName(conf.catalogs)) out.push(objectType(c));
  for (const d of byName(conf.documents)) out.push(objectType(d));
  const map = (entries: string[], indent = "  ") => (entries.length ? `{\n${entries.join("")}${indent}}` : "{}");
  const conftype = [
    "/** Everything above, as server/api.ts#definer takes it. */",
    "export interface Configuration {",
    `  enums: ${map(byName(conf.enums).map((e) => `    ${e.name}: ${e.name};\n`))};`,
    `  catalogs: ${map(byName(conf.catalogs).map((c) => `    ${c.name}: ${c.name}Catalog;\n`))};`,
    `  documents: ${map(byName(conf.documents).map((d) => `    ${d.name}: ${d.name}Document;\n`))};`,
    `  accumulationRegisters: ${map(byName(conf.accumulationRegisters).map((r) => `${doc(r.synonym, "    ")}    ${r.name}: ${registerType(r, r.registerKind, "    ")};\n`))};`,
    `  informationRegisters: ${map(byName(conf.informationRegisters).map((r) => `${doc(r.synonym, "    ")}    ${r.name}: ${registerType(r, null, "    ")};\n`))};`,
    ...(conf.accountingRegisters.size
      ? [
          `  accountingRegisters: ${map(byName(conf.accountingRegisters).map((r) => `${doc(r.synonym, "    ")}    ${r.name}: ${accountingType(conf, r, "    ")};\n`))};`,
        ]
      : []),
    "}\n",
    "/** The registers each document posts to (its YAML's `registers`). */",
    `export interface DocumentRegisters ${map(
      byName(conf.documents).map(
        (d) => `  ${d.name}: ${d.registers.map((r) => JSON.stringify(r)).join(" | ") || "never"};\n`,
      ),
      "",
    )}\n`,
    "/** The reading API of this configuration (registers, information registers, objects), for shared modules. */",
    "export type Query = TypedQueryApi<Configuration>;",
    "",
    "/** The posting context of a document of this configuration, for shared modules that add records. */",
    'export type Posting<N extends keyof DocumentRegisters> = TypedPostingContext<Configuration, Configuration["documents"][N], DocumentRegisters[N]>;',
    "",
    "/** A document's behaviour module, typed by its metadata (server/api.ts DocumentModule). */",
    "export const defineDocument: DocumentDefiner<Configuration, DocumentRegisters> = (name, module) => Object.assign(module, { object: `document.${name}` });",
    "",
    "/** A catalog's behaviour module, typed by its metadata (server/api.ts CatalogModule). */",
    "export const defineCatalog: CatalogDefiner<Configuration> = (name, module) => Object.assign(module, { object: `catalog.${name}` });",
  ];
  out.push(conftype.join("\n"));
  return out.join("\n") + "\n";
}
