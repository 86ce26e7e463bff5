import { CONSTANTS_TABLE, q, snake } from "./storage/naming.ts";
import { forJson, toDb } from "./storage/values.ts";
import { targetTable } from "./storage/objects.ts";
import { UserError } from "./errors.ts";
import { journalConstant } from "./journal/hooks.ts";
import type { Ctx } from "./context.ts";
import { constantOf } from "./metadata/lookup.ts";

export type { Ctx };

/** Every constant of the configuration as {Name: value} (JSON form: numbers as decimal strings). */
export async function getConstants(ctx: Ctx): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const list = [...ctx.conf.constants.values()];
  if (list.length === 0) return out;
  const r = await ctx.c.query(`SELECT * FROM ${q(CONSTANTS_TABLE)}`);
  const row = r.rows[0] ?? {};
  for (const m of list) out[m.name] = forJson(m.type, row[snake(m.name)] ?? null);
  return out;
}

/** Sets one constant in the current area; returns its stored value (JSON form). */
export async function setConstant(ctx: Ctx, name: string, value: unknown): Promise<unknown> {
  const m = constantOf(ctx.conf, name);
  const v = toDb(ctx.conf, m.type, value, m.synonym, { field: m.name });
  if (v !== null && m.type.kind === "ref" && m.type.target !== "enum") {
    const found = await ctx.c.query(`SELECT 1 FROM ${q(targetTable(m.type))} WHERE id = $1`, [v]);
    if (found.rowCount === 0)
      throw new UserError(`${m.synonym}: объект ${v} не существует`, { field: m.name }, "invalid_reference");
  }
  const column = q(snake(m.name));
  const before = (await ctx.c.query(`SELECT ${column} AS v FROM ${q(CONSTANTS_TABLE)}`)).rows[0]?.v ?? null; // for the journal
  const r = await ctx.c.query(
    `INSERT INTO ${q(CONSTANTS_TABLE)} (${column}) VALUES ($1)
     ON CONFLICT (area) DO UPDATE SET ${column} = EXCLUDED.${column}
     RETURNING ${column} AS v`,
    [v],
  );
  const after = forJson(m.type, r.rows[0].v);
  await journalConstant(ctx, m.name, forJson(m.type, before), after); // journal (server/journal/hooks.ts)
  return after;
}
