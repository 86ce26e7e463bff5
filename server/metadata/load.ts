/**
 * Loads a configuration folder (metadata/ or a test fixture): every *.yaml below it becomes one
 * metadata object, and a .ts file of the same name beside it is its behaviour module.
 * Problems are collected, never thrown one by one: loadConfiguration throws a single
 * MetadataError listing every file, path and reason, grouped by file, with the YAML line where
 * it can be found (validate.ts adds the JSON Schema and the cross-checks between objects).
 */
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { parseType } from "./types-parse.ts";
import { validateAgainstSchema, crossCheck } from "./validate.ts";
import { addAccounting, normalizeAccountingRegister, normalizeChart } from "./accounting.ts";
import { checkWorkflows, normalizeWorkflow, type RawWorkflow } from "../workflow/meta.ts";
import { checkLists, normalizeList, type RawList } from "./list-meta.ts";
import {
  MetadataError,
  type Configuration,
  type Field,
  type MetaObject,
  type MetadataIssue,
  type ObjectModule,
  type TabularPart,
  type RoleMeta,
  type CatalogMeta,
  type AccumulationRegisterMeta,
  type InformationRegisterMeta,
  type SubsystemMeta,
} from "./types.ts";

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...listYaml(p));
    else if (/\.ya?ml$/.test(entry)) out.push(p);
  }
  return out;
}

/**
 * Reads and checks the configuration; throws MetadataError with every problem found.
 * `modules: false` reads the metadata only (npm run types, which the modules' types come from).
 */
export async function loadConfiguration(root: string, opts: { modules?: boolean } = {}): Promise<Configuration> {
  root = resolve(root);
  const issues: MetadataIssue[] = [];
  const objects: MetaObject[] = [];
  /** "kind.Name" of objects whose file failed the schema: they exist, so references to them are not errors. */
  const invalid = new Set<string>();
  const sources = new Map<string, { doc: Document; lines: LineCounter }>();
  if (!existsSync(root))
    throw new MetadataError([{ file: root, path: "", message: "configuration folder does not exist" }]);
  for (const file of listYaml(root)) {
    const rel = relative(process.cwd(), file);
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: true, lineCounter: lines });
    if (doc.errors.length) {
      for (const e of doc.errors) issues.push({ file: rel, path: "", message: `YAML syntax: ${e.message}` });
      continue;
    }
    sources.set(rel, { doc, lines });
    const raw = doc.toJS();
    const before = issues.length;
    validateAgainstSchema(raw, rel, issues);
    if (issues.length > before) {
      if (typeof raw?.kind === "string" && typeof raw?.name === "string") invalid.add(`${raw.kind}.${raw.name}`);
      continue;
    }
    const obj = normalize(raw as RawObject, file, rel, issues); // schema.json has accepted it
    if (obj) objects.push(obj);
  }
  const conf = assemble(root, objects, issues);
  addAccounting(conf, issues, invalid); // the charts' catalogs and enums (metadata/accounting.ts)
  crossCheck(conf, issues, invalid);
  checkWorkflows(conf, issues); // server/workflow/meta.ts
  checkLists(conf, issues); // list-meta.ts
  if (opts.modules !== false) await loadModules(conf, issues);
  if (issues.length) {
    // Grouped by file (a stable sort keeps each file's issues in the order they were found).
    const sorted = [...issues].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    throw new MetadataError(sorted.map((i) => withLine(i, sources)));
  }
  return conf;
}

/** Adds the YAML line of the issue's path (or of its nearest existing parent) to the message. */
function withLine(issue: MetadataIssue, sources: Map<string, { doc: Document; lines: LineCounter }>): MetadataIssue {
  const src = sources.get(issue.file);
  if (!src || !issue.path.startsWith("/")) return issue;
  const keys = issue.path
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  for (let n = keys.length; n > 0; n--) {
    const node = src.doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) {
      return { ...issue, message: `${issue.message} (line ${src.lines.linePos(node.range[0]).line})` };
    }
  }
  return issue;
}

/** A field as the YAML gives it, once schema.json has accepted the file. */
interface RawField {
  name: string;
  synonym?: string;
  type: string;
  required?: boolean;
  min?: number;
}

interface RawTabularPart {
  name: string;
  synonym?: string;
  attributes?: RawField[];
}

type RawRights = Partial<RoleMeta["rights"]>;

/** A metadata file as the YAML gives it, once schema.json has accepted it: every kind's keys, each optional. */
interface RawObject {
  kind: string;
  name: string;
  synonym?: string;
  values?: { name: string; synonym?: string }[];
  codeLength?: number;
  nameLength?: number;
  hierarchical?: boolean;
  presentation?: CatalogMeta["presentation"];
  attributes?: RawField[];
  tabularParts?: RawTabularPart[];
  numberLength?: number;
  registers?: string[];
  registerKind?: AccumulationRegisterMeta["registerKind"];
  dimensions?: RawField[];
  resources?: RawField[];
  controlNegative?: boolean;
  periodicity?: InformationRegisterMeta["periodicity"];
  writeMode?: InformationRegisterMeta["writeMode"];
  type?: string;
  order?: number;
  content?: SubsystemMeta["content"];
  administrator?: boolean;
  rights?: RawRights;
  attachments?: boolean;
  workflow?: RawWorkflow;
  list?: RawList;
}

function field(raw: RawField, path: string, rel: string, issues: MetadataIssue[]): Field | null {
  const type = parseType(raw.type);
  if (typeof type === "string") {
    issues.push({ file: rel, path: `${path}/type`, message: type });
    return null;
  }
  return {
    name: raw.name,
    synonym: raw.synonym ?? raw.name,
    type,
    typeText: String(raw.type),
    required: raw.required === true,
    ...(typeof raw.min === "number" && type.kind === "number" ? { min: raw.min } : {}),
    path,
  };
}

function fields(list: RawField[] | undefined, path: string, rel: string, issues: MetadataIssue[]): Field[] {
  return (list ?? []).map((r, i) => field(r, `${path}/${i}`, rel, issues)).filter((f): f is Field => f !== null);
}

function tabularParts(list: RawTabularPart[] | undefined, rel: string, issues: MetadataIssue[]): TabularPart[] {
  return (list ?? []).map((t, i) => ({
    name: t.name,
    synonym: t.synonym ?? t.name,
    attributes: fields(t.attributes, `/tabularParts/${i}/attributes`, rel, issues),
    path: `/tabularParts/${i}`,
  }));
}

function normalize(raw: RawObject, file: string, rel: string, issues: MetadataIssue[]): MetaObject | null {
  const moduleFile = file.replace(/\.ya?ml$/, ".ts");
  const base = {
    name: raw.name,
    synonym: raw.synonym ?? raw.name,
    file,
    moduleFile: existsSync(moduleFile) ? moduleFile : undefined,
  };
  switch (raw.kind) {
    case "enum":
      return {
        ...base,
        kind: "enum",
        values: (raw.values ?? []).map((v) => ({ name: v.name, synonym: v.synonym ?? v.name })),
      };
    case "catalog":
      return {
        ...base,
        kind: "catalog",
        codeLength: raw.codeLength ?? 9,
        nameLength: raw.nameLength ?? 150,
        hierarchical: raw.hierarchical === true,
        presentation: raw.presentation ?? "name",
        attributes: fields(raw.attributes, "/attributes", rel, issues),
        tabularParts: tabularParts(raw.tabularParts, rel, issues),
        ...(raw.attachments ? { attachments: true } : {}),
        ...(raw.list ? { list: normalizeList(raw.list) } : {}),
      };
    case "document":
      return {
        ...base,
        kind: "document",
        numberLength: raw.numberLength ?? 9,
        attributes: fields(raw.attributes, "/attributes", rel, issues),
        tabularParts: tabularParts(raw.tabularParts, rel, issues),
        registers: raw.registers ?? [],
        ...(raw.attachments ? { attachments: true } : {}),
        ...(raw.workflow ? { workflow: normalizeWorkflow(raw.workflow) } : {}),
        ...(raw.list ? { list: normalizeList(raw.list) } : {}),
      };
    case "accumulationRegister":
      return {
        ...base,
        kind: "accumulationRegister",
        registerKind: raw.registerKind ?? "balance",
        dimensions: fields(raw.dimensions, "/dimensions", rel, issues),
        resources: fields(raw.resources, "/resources", rel, issues),
        attributes: fields(raw.attributes, "/attributes", rel, issues),
        controlNegative: raw.controlNegative === true,
      };
    case "informationRegister":
      return {
        ...base,
        kind: "informationRegister",
        periodicity: raw.periodicity ?? "none",
        writeMode: raw.writeMode ?? "independent",
        dimensions: fields(raw.dimensions, "/dimensions", rel, issues),
        resources: fields(raw.resources, "/resources", rel, issues),
        attributes: fields(raw.attributes, "/attributes", rel, issues),
      };
    case "constant": {
      const type = parseType(raw.type ?? "");
      if (typeof type === "string") {
        issues.push({ file: rel, path: "/type", message: type });
        return null;
      }
      return { ...base, kind: "constant", type, typeText: String(raw.type) };
    }
    case "subsystem":
      return { ...base, kind: "subsystem", order: raw.order ?? 100, content: raw.content ?? [] };
    case "role": {
      const r = raw.rights ?? {};
      return {
        ...base,
        kind: "role",
        administrator: raw.administrator === true,
        rights: {
          catalogs: r.catalogs ?? {},
          documents: r.documents ?? {},
          registers: r.registers ?? {},
          constants: r.constants ?? [],
          reports: r.reports ?? [],
        },
      };
    }
    case "chartOfAccounts":
      return normalizeChart(raw as unknown as Parameters<typeof normalizeChart>[0], base, rel, issues);
    case "accountingRegister":
      return normalizeAccountingRegister(
        raw as unknown as Parameters<typeof normalizeAccountingRegister>[0],
        base,
        rel,
        issues,
      );
    default:
      issues.push({ file: rel, path: "/kind", message: `unknown kind "${raw.kind}"` });
      return null;
  }
}

function assemble(root: string, objects: MetaObject[], issues: MetadataIssue[]): Configuration {
  const conf: Configuration = {
    root,
    enums: new Map(),
    catalogs: new Map(),
    documents: new Map(),
    accumulationRegisters: new Map(),
    informationRegisters: new Map(),
    constants: new Map(),
    subsystems: new Map(),
    roles: new Map(),
    chartsOfAccounts: new Map(),
    accountingRegisters: new Map(),
    modules: new Map(),
  };
  const seen = new Map<string, MetaObject>();
  for (const o of objects) {
    // Names are unique within a kind; the two kinds of register share one namespace (documents
    // list them by bare name, and the API serves both under /api/registers).
    const ns =
      o.kind === "accumulationRegister" || o.kind === "informationRegister" || o.kind === "accountingRegister"
        ? "register"
        : o.kind;
    const key = `${ns}.${o.name.toLowerCase()}`;
    const prev = seen.get(key);
    if (prev) {
      issues.push({
        file: relative(process.cwd(), o.file),
        path: "/name",
        message: `duplicate name "${o.name}": ${relative(process.cwd(), prev.file)} already defines ${prev.kind} ${prev.name} (names are unique within a kind, case-insensitively; accumulation and information registers share one namespace)`,
      });
      continue;
    }
    seen.set(key, o);
    const map = {
      enum: conf.enums,
      catalog: conf.catalogs,
      document: conf.documents,
      accumulationRegister: conf.accumulationRegisters,
      informationRegister: conf.informationRegisters,
      constant: conf.constants,
      subsystem: conf.subsystems,
      role: conf.roles,
      chartOfAccounts: conf.chartsOfAccounts,
      accountingRegister: conf.accountingRegisters,
    }[o.kind] as Map<string, MetaObject>;
    map.set(o.name, o);
  }
  return conf;
}

async function loadModules(conf: Configuration, issues: MetadataIssue[]): Promise<void> {
  const owners: MetaObject[] = [
    ...conf.catalogs.values(),
    ...conf.documents.values(),
    ...conf.informationRegisters.values(),
  ];
  for (const o of owners) {
    if (!o.moduleFile) continue;
    const rel = relative(process.cwd(), o.moduleFile);
    try {
      const mod = await import(pathToFileURL(o.moduleFile).href);
      const m: ObjectModule = mod.default ?? mod;
      // A module declared with defineDocument / defineCatalog (types.gen.ts) names its object.
      const declared = (m as { object?: unknown }).object;
      if (declared !== undefined && declared !== `${o.kind}.${o.name}`) {
        issues.push({
          file: rel,
          path: "",
          message: `the module is declared for ${String(declared)}, but it stands beside ${o.kind} ${o.name}: pass "${o.name}" to define${o.kind === "document" ? "Document" : "Catalog"}`,
        });
      }
      const tables = new Set(o.kind === "catalog" || o.kind === "document" ? o.tabularParts.map((t) => t.name) : []);
      for (const t of Object.keys(m.fill ?? {})) {
        if (!tables.has(t)) {
          issues.push({
            file: rel,
            path: `fill.${t}`,
            message: `fill handler for tabular part "${t}", which ${o.name} does not have (it has: ${[...tables].join(", ") || "none"})`,
          });
        }
      }
      if (m.post && o.kind !== "document") {
        issues.push({
          file: rel,
          path: "post",
          message: `a posting handler on ${o.kind} ${o.name}: only documents post`,
        });
      }
      if (o.kind === "document" && o.registers.length > 0 && !m.post) {
        issues.push({
          file: rel,
          path: "post",
          message: `document ${o.name} lists registers but its module exports no post handler`,
        });
      }
      conf.modules.set(`${o.kind}.${o.name}`, m);
    } catch (e) {
      issues.push({ file: rel, path: "", message: `cannot load the module: ${(e as Error).message}` });
    }
  }
}
