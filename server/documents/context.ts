/**
 * The contexts handed to configuration code (server/api.ts declares their shape): reading
 * registers and objects, raising a user error that names a row and field, and — for posting —
 * the per-register record sets (`ctx.movements.<Register>.add(...)`) that the engine writes
 * after the handler returns. Numbers that handlers read come back as Decimal.
 */
import { chartAccounts } from "../accounting/accounts.ts";
import { Decimal } from "decimal.js";
import type { AccountingRegisterMeta, Configuration, DocumentMeta } from "../metadata/types.ts";
import {
  accountingBalance,
  accountingBalanceAndTurnovers,
  accountingTurnovers,
  correspondence,
  listEntries,
} from "../accounting/read.ts";
import type { AccountingReader, AccumulationReader, InformationReader, MovementAdder, QueryApi, Row } from "../api.ts";
import { UserError, userErrors, type ErrorTarget, type Problem } from "../errors.ts";
import { headerFields, objectFromRow, objectSelect, tableOf, type ObjMeta } from "../storage/objects.ts";
import { q } from "../storage/naming.ts";
import { toDb } from "../storage/values.ts";
import { balance, turnovers, sliceFirst, sliceLast } from "../registers/index.ts";
import type { Ctx } from "../context.ts";
import type { Periodicity } from "../registers/read.ts";

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Register rows for handler code: resource-like numeric strings become Decimal, in place (the
 * rows are the reader's fresh objects; a slice may have hundreds of thousands of them).
 */
function decimals(rows: Row[], textKeys: Set<string>): Row[] {
  for (const r of rows) {
    for (const k in r) {
      const v = r[k];
      if (typeof v === "string" && !textKeys.has(k) && NUMERIC.test(v)) r[k] = new Decimal(v);
    }
  }
  return rows;
}

/** Information register rows: the number fields (resources, attributes) become Decimal, in place. */
function infoDecimals(rows: Row[], numberFields: string[]): Row[] {
  if (numberFields.length === 0) return rows;
  for (const r of rows) {
    for (const k of numberFields) {
      const v = r[k];
      if (typeof v === "string") r[k] = new Decimal(v);
    }
  }
  return rows;
}

function unknownRegister(kind: string, name: string, _conf: Configuration): never {
  throw new UserError(`${kind} «${name}» нет в конфигурации`, {}, "unknown_register");
}

/** A read-only map by name that explains a missing name instead of returning undefined. */
function named<T>(build: (name: string) => T | undefined, missing: (name: string) => never): Record<string, T> {
  return new Proxy({} as Record<string, T>, {
    get: (_t, name) => (typeof name === "string" ? (build(name) ?? missing(name)) : undefined),
  });
}

const headerOnly = new WeakMap<ObjMeta, ObjMeta>();
/** The object's metadata without tabular parts, one per object so row conversion caches hold. */
function withoutTables(m: ObjMeta): ObjMeta {
  let h = headerOnly.get(m);
  if (!h) headerOnly.set(m, (h = { ...m, tabularParts: [] } as ObjMeta));
  return h;
}

/** A date alone as the end of that day (the movement readers compare moments). */
const endOfDay = (to: string) => (/^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59` : to);

/** An accounting register's reads for handler code and printed forms (accounting/read.ts), amounts as Decimal. */
function accountingReader(c: Ctx["c"], conf: Configuration, reg: AccountingRegisterMeta): AccountingReader {
  const text = new Set(["period", "Account", "AccountId", "Analytics", "Analytics1", "Analytics2", "Analytics3"]);
  const entryText = new Set(["period", "recorder", "recorderKind", "AccountDr", "AccountCr", "Content"]);
  return {
    balance: async (at?: string, filter?: Row) => decimals(await accountingBalance(c, conf, reg, at, filter), text),
    turnovers: async (from: string, to: string, periodicity: Periodicity = "none", filter?: Row) =>
      decimals(await accountingTurnovers(c, conf, reg, from, to, periodicity, filter), text),
    balanceAndTurnovers: async (from: string, to: string, periodicity: Periodicity = "none", filter?: Row) =>
      decimals(await accountingBalanceAndTurnovers(c, conf, reg, from, to, periodicity, filter), text),
    correspondence: async (from: string, to: string, filter?: { AccountDr?: unknown; AccountCr?: unknown }) =>
      decimals(await correspondence(c, conf, reg, from, endOfDay(to), filter), entryText),
    entries: async (from: string, to: string, filter?: Row, limit = 1000) =>
      decimals(
        await listEntries(c, conf, reg, { from, to: endOfDay(to), filter, limit: Math.min(5000, limit) }),
        entryText,
      ),
  };
}

export function queryApi(ctx: Ctx): QueryApi {
  const { c, conf } = ctx;
  return {
    registers: named<AccumulationReader>(
      (name) => {
        const acr = conf.accountingRegisters.get(name);
        if (acr) return accountingReader(c, conf, acr);
        const reg = conf.accumulationRegisters.get(name);
        if (!reg) return undefined;
        const text = new Set(["period", ...reg.dimensions.map((d) => d.name)]);
        return {
          balance: async (at?: string, filter?: Row) => decimals(await balance(c, reg, at, filter), text),
          turnovers: async (from: string, to: string, periodicity: Periodicity = "none", filter?: Row) =>
            decimals(await turnovers(c, reg, from, to, periodicity, filter), text),
        };
      },
      (name) => unknownRegister("Регистра накопления", name, conf),
    ),
    info: named<InformationReader>(
      (name) => {
        const reg = conf.informationRegisters.get(name);
        if (!reg) return undefined;
        const numbers = [...reg.resources, ...reg.attributes]
          .filter((f) => f.type.kind === "number")
          .map((f) => f.name);
        return {
          sliceLast: async (at?: string, filter?: Row) =>
            infoDecimals(await sliceLast(c, conf, reg, at, filter), numbers),
          sliceFirst: async (at?: string, filter?: Row) =>
            infoDecimals(await sliceFirst(c, conf, reg, at, filter), numbers),
        };
      },
      (name) => unknownRegister("Регистра сведений", name, conf),
    ),
    async query(kind, name, filter = {}, opts = {}) {
      const { limit = 1_000_000, tables = false } = typeof opts === "number" ? { limit: opts } : opts;
      const m: ObjMeta | undefined = kind === "catalog" ? conf.catalogs.get(name) : conf.documents.get(name);
      if (!m) throw new UserError(`Объекта ${kind}.${name} нет в конфигурации`, {}, "unknown_object");
      const chart = kind === "catalog" ? conf.chartsOfAccounts.get(name) : undefined;
      if (chart) await chartAccounts(c, chart); // a chart's predefined accounts, written in on first use
      const fields = headerFields(m);
      const where: string[] = [];
      const params: unknown[] = [];
      const dbValue = (f: (typeof fields)[number], v: unknown) =>
        f.name === "id" ? v : toDb(conf, f.type, Decimal.isDecimal(v) ? String(v) : v, f.name, { field: f.name });
      for (const [k, v] of Object.entries(filter)) {
        const f = fields.find((x) => x.name === k);
        if (!f) throw new UserError(`У объекта ${name} нет поля «${k}»`, { field: k }, "unknown_field");
        // An array filters by any of its values (one query for a whole set of keys).
        params.push(Array.isArray(v) ? v.map((x) => dbValue(f, x)) : dbValue(f, v));
        where.push(
          Array.isArray(v) ? `h.${q(f.column)} = ANY($${params.length})` : `h.${q(f.column)} = $${params.length}`,
        );
      }
      const order = m.kind === "document" ? "h.date, h.id" : m.codeLength > 0 ? "h.code" : "h.name, h.id";
      const select = tables ? objectSelect(m, q(tableOf(m))) : `SELECT h.* FROM ${q(tableOf(m))} h`;
      const r = await c.query(
        `${select}${where.length ? " WHERE " + where.join(" AND ") : ""} ORDER BY ${order} LIMIT ${Math.max(0, Math.floor(limit))}`,
        params,
      );
      const shape = tables ? m : withoutTables(m);
      return r.rows.map((row) => objectFromRow(shape, row, "code"));
    },
    enumValues(name: string) {
      const e = conf.enums.get(name);
      if (!e) throw new UserError(`Перечисления «${name}» нет в конфигурации`, {}, "unknown_enum");
      return e.values.map((v) => ({ name: v.name, synonym: v.synonym }));
    },
    error: (message: string, target?: ErrorTarget) => new UserError(message, target),
    errors: (problems: Problem[]) => userErrors(problems),
    async lock(key: string) {
      if (typeof key !== "string" || key === "") throw new Error("lock(key): the key must be a non-empty string");
      // Transaction-scoped: released at commit or rollback. Keys live in the data area's space.
      await c.query(
        "SELECT pg_advisory_xact_lock(hashtext('app-lock' || chr(31) || $1::text || chr(31) || $2::text))",
        [ctx.area, key],
      );
    },
  };
}

export interface RecordSets {
  /** Per register name, the rows added by the handler, in order. */
  sets: Map<string, Row[]>;
  movements: Record<string, MovementAdder>;
}

/** The `ctx.movements` of a posting: one adder per register the document lists. */
export function recordSets(m: DocumentMeta): RecordSets {
  const sets = new Map<string, Row[]>(m.registers.map((r) => [r, []]));
  const adders = new Map<string, MovementAdder>();
  const movements = named<MovementAdder>(
    (name) => {
      let adder = adders.get(name);
      if (adder) return adder;
      const rows = sets.get(name);
      if (!rows) return undefined;
      adder = {
        rows,
        add(row: Row) {
          if (row === null || typeof row !== "object") throw new Error(`movements.${name}.add expects an object`);
          rows.push({ ...row });
        },
      };
      adders.set(name, adder);
      return adder;
    },
    (name) => {
      throw new UserError(
        `Документ ${m.name} не делает движений по регистру «${name}»: добавьте его в список registers в ${m.name}.yaml`,
        {},
        "unknown_register",
      );
    },
  );
  return { sets, movements };
}
