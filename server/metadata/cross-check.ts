/**
 * Checks across metadata objects, after each file has passed the JSON Schema: references to
 * objects that do not exist, duplicate names inside an object (case-insensitively and by the
 * snake_case column they become), register rules (dimension and resource types, controlNegative,
 * the registers a document posts to), subsystem content, and SQL identifiers past 63 bytes.
 */
import { relative } from "node:path";
import {
  accumBalanceTable,
  accumTable,
  accumTotalsTable,
  catalogTable,
  documentTable,
  infoTable,
  snake,
  tabularTable,
} from "../storage/naming.ts";
import type { Configuration, Field, MetaObject, MetadataIssue, ObjectKind, TabularPart } from "./types.ts";

/** PostgreSQL's limit on identifier length (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

const KIND_LABEL: Record<ObjectKind, string> = {
  enum: "enum",
  catalog: "catalog",
  document: "document",
  accumulationRegister: "accumulation register",
  informationRegister: "information register",
  constant: "constant",
  subsystem: "subsystem",
  role: "role",
  chartOfAccounts: "chart of accounts",
  accountingRegister: "accounting register",
};

/** Named item inside an object (a field or a tabular part) with its path in the YAML file. */
interface Named {
  name: string;
  path: string;
}

class Checker {
  constructor(
    private conf: Configuration,
    private issues: MetadataIssue[],
    /** "kind.Name" of objects that exist but failed the schema: references to them are not reported. */
    private invalid: Set<string>,
  ) {}

  push(o: MetaObject, path: string, message: string): void {
    this.issues.push({ file: relative(process.cwd(), o.file), path, message });
  }

  map(kind: string): Map<string, MetaObject> | undefined {
    const maps: Record<string, Map<string, MetaObject>> = {
      enum: this.conf.enums,
      catalog: this.conf.catalogs,
      document: this.conf.documents,
      accumulationRegister: this.conf.accumulationRegisters,
      informationRegister: this.conf.informationRegisters,
      constant: this.conf.constants,
      subsystem: this.conf.subsystems,
      role: this.conf.roles,
    };
    return maps[kind];
  }

  all(): MetaObject[] {
    const c = this.conf;
    return [
      ...c.enums.values(),
      ...c.catalogs.values(),
      ...c.documents.values(),
      ...c.accumulationRegisters.values(),
      ...c.informationRegisters.values(),
      ...c.constants.values(),
      ...c.subsystems.values(),
      ...c.roles.values(),
    ];
  }

  /** Names of the objects of a kind, the ones that failed the schema included. */
  names(kind: string): string[] {
    const failed = [...this.invalid].filter((k) => k.startsWith(`${kind}.`)).map((k) => k.slice(kind.length + 1));
    return [...new Set([...(this.map(kind)?.keys() ?? []), ...failed])];
  }

  exists(kind: string, name: string): boolean {
    return this.map(kind)?.has(name) === true || this.invalid.has(`${kind}.${name}`);
  }

  /** Why `kind.name` is not found and what was probably meant. */
  hint(kind: string, name: string, refTargets?: readonly string[]): string {
    const other = this.all().find((o) => o.name.toLowerCase() === name.toLowerCase());
    if (other && other.kind === kind) return `; did you mean ${kind}.${other.name}? (names are case-sensitive)`;
    if (other) {
      if (!refTargets || refTargets.includes(other.kind))
        return `; ${other.name} is ${article(KIND_LABEL[other.kind])}: write ${other.kind}.${other.name}`;
      return `; ${other.name} is ${article(KIND_LABEL[other.kind])}, and a reference can point only at a ${refTargets.join(", ")}`;
    }
    const names = this.names(kind);
    const guess = closest(name, names);
    if (guess) return `; did you mean ${kind}.${guess}?`;
    const label = KIND_LABEL[kind as ObjectKind] ?? kind;
    return names.length ? `; the ${label}s are: ${names.join(", ")}` : `; the configuration has no ${label}s`;
  }

  // ---- references ---------------------------------------------------------------------------

  refs(o: MetaObject, fields: Field[]): void {
    for (const f of fields) {
      if (f.type.kind !== "ref") continue;
      const { target, name } = f.type;
      if (this.exists(target, name)) continue;
      this.push(
        o,
        `${f.path}/type`,
        `${f.name} refers to ${f.typeText}, which does not exist${this.hint(target, name, REF_TARGETS)}`,
      );
    }
  }

  // ---- names --------------------------------------------------------------------------------

  /**
   * One namespace: names must differ case-insensitively and by their snake_case column.
   * `taken` maps system columns of the table to a description (they are not user names).
   */
  unique(o: MetaObject, items: Named[], taken: Record<string, string> = {}): Map<string, Named> {
    const byLower = new Map<string, Named>();
    const byColumn = new Map<string, Named>();
    for (const it of items) {
      const lower = it.name.toLowerCase();
      const column = snake(it.name);
      const prev = byLower.get(lower) ?? byColumn.get(column);
      if (prev) {
        const how =
          prev.name === it.name ? "" : ` ("${prev.name}" and "${it.name}" both become the SQL column ${column})`;
        this.push(
          o,
          `${it.path}/name`,
          `duplicate name "${it.name}": ${prev.path} already declares "${prev.name}" in ${o.name}${how}`,
        );
        continue;
      }
      if (taken[column]) {
        this.push(
          o,
          `${it.path}/name`,
          `"${it.name}" becomes the SQL column ${column}, which ${taken[column]}; choose another name`,
        );
        continue;
      }
      byLower.set(lower, it);
      byColumn.set(column, it);
    }
    return byColumn;
  }

  /** Catalogs and documents: attributes and tabular parts share a namespace; each part has its own. */
  owner(o: MetaObject, attributes: Field[], parts: TabularPart[]): void {
    this.unique(o, [...attributes, ...parts]);
    for (const tp of parts) this.unique(o, tp.attributes);
    this.refs(o, [...attributes, ...parts.flatMap((t) => t.attributes)]);
  }

  // ---- SQL identifier lengths ---------------------------------------------------------------

  fits(o: MetaObject, path: string, ident: string, what: string): void {
    const bytes = Buffer.byteLength(ident, "utf8");
    if (bytes <= MAX_IDENTIFIER_BYTES) return;
    this.push(
      o,
      path,
      `the ${what} "${ident}" is ${bytes} bytes long; PostgreSQL allows ${MAX_IDENTIFIER_BYTES}: shorten the name`,
    );
  }

  columns(o: MetaObject, fields: Field[]): void {
    for (const f of fields) this.fits(o, `${f.path}/name`, snake(f.name), "SQL column");
  }

  tables(o: MetaObject, ownerTable: string, attributes: Field[], parts: TabularPart[]): void {
    this.fits(o, "/name", ownerTable, "SQL table");
    this.columns(o, attributes);
    for (const tp of parts) {
      this.fits(o, `${tp.path}/name`, tabularTable(ownerTable, tp.name), "SQL table of the tabular part");
      this.columns(o, tp.attributes);
    }
  }

  // ---- per kind -----------------------------------------------------------------------------

  check(o: MetaObject): void {
    switch (o.kind) {
      case "enum":
        this.unique(
          o,
          o.values.map((v, i) => ({ name: v.name, path: `/values/${i}` })),
        );
        return;
      case "catalog":
        this.owner(o, o.attributes, o.tabularParts);
        this.tables(o, catalogTable(o.name), o.attributes, o.tabularParts);
        if (o.presentation !== "name" && o.codeLength === 0)
          this.push(
            o,
            "/presentation",
            `presentation: ${o.presentation} shows the code, but the catalog has none (codeLength: 0); use presentation: name or give it a code`,
          );
        return;
      case "document":
        this.owner(o, o.attributes, o.tabularParts);
        this.tables(o, documentTable(o.name), o.attributes, o.tabularParts);
        this.documentRegisters(o);
        return;
      case "accumulationRegister":
        return this.accumulationRegister(o);
      case "informationRegister": {
        const fields = [...o.dimensions, ...o.resources, ...o.attributes];
        this.unique(
          o,
          fields,
          o.writeMode === "recorder" ? { recorder_kind: "the register keeps for its recorder" } : {},
        );
        this.refs(o, fields);
        this.fits(o, "/name", infoTable(o.name), "SQL table");
        this.columns(o, fields);
        return;
      }
      case "constant":
        if (o.type.kind === "ref" && !this.exists(o.type.target, o.type.name)) {
          this.push(o, "/type", `${o.typeText} does not exist${this.hint(o.type.target, o.type.name, REF_TARGETS)}`);
        }
        this.fits(o, "/name", snake(o.name), "SQL column of the constants table");
        return;
      case "subsystem":
        o.content.forEach((item, i) => {
          const dot = item.indexOf(".");
          const kind = item.slice(0, dot);
          const name = item.slice(dot + 1);
          if (kind === "report" || this.exists(kind, name)) return; // reports live under reports/, not in metadata
          this.push(o, `/content/${i}`, `${item} does not exist${this.hint(kind, name)}`);
        });
        return;
      case "role":
        return this.role(o);
    }
  }

  /** A role names existing objects; registers are written directly only when independent information registers. */
  role(o: Extract<MetaObject, { kind: "role" }>): void {
    for (const [group, kind] of [
      ["catalogs", "catalog"],
      ["documents", "document"],
    ] as const) {
      for (const name of Object.keys(o.rights[group])) {
        if (name !== "*" && !this.exists(kind, name))
          this.push(o, `/rights/${group}/${name}`, `${kind}.${name} does not exist${this.hint(kind, name)}`);
      }
    }
    for (const [name, actions] of Object.entries(o.rights.registers)) {
      const path = `/rights/registers/${name}`;
      if (name === "*") continue;
      const acc = this.conf.accumulationRegisters.get(name) ?? this.conf.accountingRegisters.get(name)?.storage;
      const info = this.conf.informationRegisters.get(name);
      if (!acc && !info) {
        if (!this.exists("accumulationRegister", name) && !this.exists("informationRegister", name)) {
          const guess = closest(name, [...this.names("accumulationRegister"), ...this.names("informationRegister")]);
          this.push(o, path, `register ${name} does not exist${guess ? `; did you mean ${guess}?` : ""}`);
        }
        continue;
      }
      const direct = info?.writeMode === "independent";
      const bad = actions.filter((a) => a !== "read");
      if (bad.length && !direct) {
        this.push(
          o,
          path,
          `${bad.join(", ")} on register ${name}: it is ${acc ? "an accumulation register" : "an information register written by documents"}, whose records only posting writes; give it [read] (posting rights come with the document)`,
        );
      }
    }
  }

  accumulationRegister(o: Extract<MetaObject, { kind: "accumulationRegister" }>): void {
    const balance = o.registerKind === "balance";
    const fields = [...o.dimensions, ...o.resources, ...o.attributes];
    const taken: Record<string, string> = {
      recorder_kind: "the register keeps for its recorder",
      month: "the totals table uses for the month of a total",
    };
    if (balance) {
      for (const r of o.resources) {
        taken[`${snake(r.name)}_receipt`] = `the totals table uses for the receipts of resource ${r.name}`;
        taken[`${snake(r.name)}_expense`] = `the totals table uses for the expenses of resource ${r.name}`;
      }
    }
    this.unique(o, fields, taken);
    this.refs(o, fields);
    for (const d of o.dimensions) {
      const t = d.type;
      const ok =
        t.kind === "ref" ||
        t.kind === "string" ||
        t.kind === "boolean" ||
        t.kind === "date" ||
        (t.kind === "number" && t.scale === 0);
      if (!ok) {
        this.push(
          o,
          `${d.path}/type`,
          `dimension ${d.name} has type ${d.typeText}: a dimension of an accumulation register is a reference, string, boolean, date or whole number (number(p) or number(p,0)); totals are grouped by it`,
        );
      }
    }
    for (const r of o.resources) {
      if (r.type.kind !== "number") {
        this.push(
          o,
          `${r.path}/type`,
          `resource ${r.name} has type ${r.typeText}: the resources of an accumulation register are numbers, e.g. number(15,2)`,
        );
      }
    }
    if (o.controlNegative && !balance) {
      this.push(
        o,
        "/controlNegative",
        `controlNegative applies to balance registers only; ${o.name} is a turnover register (remove controlNegative or set registerKind: balance)`,
      );
    }
    this.fits(o, "/name", balance ? accumBalanceTable(o.name) : accumTotalsTable(o.name), "SQL table");
    this.fits(o, "/name", accumTable(o.name), "SQL table");
    this.columns(o, fields);
    if (balance) {
      for (const r of o.resources)
        this.fits(o, `${r.path}/name`, `${snake(r.name)}_receipt`, "SQL column of the totals");
      for (const r of o.resources)
        this.fits(o, `${r.path}/name`, `${snake(r.name)}_expense`, "SQL column of the totals");
    }
  }

  documentRegisters(o: Extract<MetaObject, { kind: "document" }>): void {
    o.registers.forEach((name, i) => {
      const path = `/registers/${i}`;
      if (this.conf.accumulationRegisters.has(name) || this.conf.accountingRegisters.has(name)) return;
      const info = this.conf.informationRegisters.get(name);
      if (info) {
        if (info.writeMode !== "recorder") {
          this.push(
            o,
            path,
            `${name} is an information register with writeMode: ${info.writeMode}; a document posts only to accumulation registers and to information registers with writeMode: recorder`,
          );
        }
        return;
      }
      if (this.invalid.has(`accumulationRegister.${name}`) || this.invalid.has(`informationRegister.${name}`)) return;
      const registers = [
        ...this.names("accumulationRegister"),
        ...[...this.conf.informationRegisters.values()].filter((r) => r.writeMode === "recorder").map((r) => r.name),
      ];
      const other = this.all().find((x) => x.name.toLowerCase() === name.toLowerCase());
      let hint: string;
      if (other && (other.kind === "accumulationRegister" || other.kind === "informationRegister"))
        hint = `; did you mean ${other.name}? (names are case-sensitive)`;
      else if (other) hint = `; ${other.name} is ${article(KIND_LABEL[other.kind])}, not a register`;
      else {
        const guess = closest(name, registers);
        hint = guess
          ? `; did you mean ${guess}?`
          : registers.length
            ? `; the registers a document can post to are: ${registers.join(", ")}`
            : "; the configuration has no registers";
      }
      this.push(o, path, `document ${o.name} posts to register "${name}", which does not exist${hint}`);
    });
  }
}

const REF_TARGETS = ["catalog", "document", "enum"] as const;

function article(label: string): string {
  return `${/^[aeiou]/i.test(label) ? "an" : "a"} ${label}`;
}

/**
 * Checks the assembled configuration; pushes every problem found. `invalid` holds "kind.Name" of
 * objects that exist but failed the schema, so references to them do not add a second error.
 */
export function crossCheck(conf: Configuration, issues: MetadataIssue[], invalid: Set<string> = new Set()): void {
  const checker = new Checker(conf, issues, invalid);
  for (const o of checker.all()) checker.check(o);
}

/** Edit distance with transpositions (case-insensitive), for "did you mean" hints. */
export function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate most like `word`, if any is close enough to be a typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}
