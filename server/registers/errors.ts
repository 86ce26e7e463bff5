/**
 * Errors of the register engine (accumulation and information registers). Everything a user
 * can cause is a UserError (server/errors.ts) with a stable code; a negative balance found by
 * the server-side posting function arrives as a PostgreSQL error with SQLSTATE ZR001 and the
 * offending keys as JSON in its DETAIL, and is turned here into the message the user reads.
 * Used by post.ts, read.ts, info.ts and verify.ts.
 */
import { Decimal } from "decimal.js";
import type { AccumulationRegisterMeta, Configuration, Field } from "../metadata/types.ts";
import { conflict, UserError } from "../errors.ts";
import { accumTable } from "../storage/naming.ts";
import { col } from "../storage/naming.ts";

/** SQLSTATE raised by acc_<r>__write when a touched key goes negative. */
export const NEGATIVE_SQLSTATE = "ZR001";

export const unknownDimension = (regSynonym: string, name: string, known: Field[]) =>
  new UserError(
    `${regSynonym}: нет измерения «${name}» (есть: ${known.map((d) => d.name).join(", ") || "нет измерений"})`,
    { field: name },
    "unknown_dimension",
  );

export const invalidDate = (what: string, value: unknown) =>
  new UserError(
    `${what}: ожидается дата ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTчч:мм:сс, получено ${JSON.stringify(value)}`,
    { field: what },
    "invalid_date",
  );

export const notBalanceRegister = (reg: AccumulationRegisterMeta) =>
  new UserError(`${reg.synonym}: регистр оборотов, остатков у него нет — запросите обороты`, {}, "wrong_register_kind");

/** How a dimension value reads in a message: the catalog name when the server found one. */
function shown(conf: Configuration | undefined, d: Field, raw: unknown, name: unknown): string {
  if (typeof name === "string" && name !== "") return name;
  if (raw === null || raw === undefined || raw === "") return "<пусто>";
  if (d.type.kind === "ref" && d.type.target === "enum") {
    const v = conf?.enums.get(d.type.name)?.values.find((x) => x.name === raw);
    return v?.synonym ?? String(raw);
  }
  return String(raw);
}

interface NegativeKey {
  [column: string]: unknown;
}

/**
 * The UserError for a negative balance, from the DETAIL of the ZR001 error: a JSON array of
 * keys, each with dimension columns (and `<dim>__name` presentations) and resource balances.
 */
export function negativeBalanceError(
  conf: Configuration | undefined,
  reg: AccumulationRegisterMeta,
  detail: string,
): UserError {
  let keys: NegativeKey[] = [];
  try {
    keys = JSON.parse(detail) as NegativeKey[];
  } catch {
    /* a malformed detail still yields a message below */
  }
  const parts = keys.slice(0, 5).map((k) => {
    const short = reg.resources
      .filter((r) => k[col(r.name)] !== undefined && new Decimal(String(k[col(r.name)])).isNegative())
      .map(
        (r) =>
          `${new Decimal(String(k[col(r.name)])).neg().toFixed(r.type.kind === "number" ? r.type.scale : 0)} (${r.synonym})`,
      );
    const key = reg.dimensions
      .map((d) => `${d.synonym}=${shown(conf, d, k[col(d.name)], k[`${col(d.name)}__name`])}`)
      .join(", ");
    return `не хватает ${short.join(", ")} по ключу ${key}`;
  });
  const more = keys.length > 5 ? ` (и ещё ${keys.length - 5})` : "";
  return new UserError(
    `${reg.synonym}: ${parts.join("; ") || "остаток стал отрицательным"}${more}`,
    {},
    "negative_balance",
  );
}

/** Maps a database error raised by the posting function to a UserError; anything else is rethrown. */
export function mapPostingError(e: unknown, conf: Configuration | undefined, reg: AccumulationRegisterMeta): never {
  const err = e as { code?: string; detail?: string; table?: string };
  if (err?.code === NEGATIVE_SQLSTATE) throw negativeBalanceError(conf, reg, err.detail ?? "[]");
  // Another session wrote the same recorder's set meanwhile (possible only when the caller did
  // not lock the document first): nothing was counted twice; the user may simply retry.
  if (err?.code === "23505" && err.table === accumTable(reg.name))
    throw conflict(`${reg.synonym}: движения этого документа одновременно записал другой сеанс — повторите действие`);
  throw e;
}
