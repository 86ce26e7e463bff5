/**
 * A batch of documents of one kind written (and, when asked, posted) in the caller's
 * transaction — all or none. For imports such as a bank's registry of payments: a refusal of
 * any item rolls back every item and names it ("items[12].Amount", "Документ 13 из 500: …").
 * Posted documents of a kind whose module has `postMany` are written and posted as a set
 * (post-many.ts); the others one by one.
 */
import { AppError, badRequest } from "../errors.ts";
import type { Row } from "../storage/objects.ts";
import { createDocument } from "./service.ts";
import type { Ctx } from "./service.ts";
import { documentOf } from "../metadata/lookup.ts";
import { createPostedSet, setPostable } from "./post-many.ts";

/** More than this in one request is refused: split the file (a transaction stays bounded). */
export const MAX_BATCH = 10_000;

export async function createDocuments(
  ctx: Ctx,
  name: string,
  items: unknown,
  opts: { post?: boolean } = {},
): Promise<{ ids: string[] }> {
  if (!Array.isArray(items) || items.length === 0)
    throw badRequest("items: ожидается непустой массив документов", "items");
  if (items.length > MAX_BATCH)
    throw badRequest(
      `items: не больше ${MAX_BATCH} документов за раз, передано ${items.length} — разделите пакет`,
      "items",
    );
  const m = documentOf(ctx.conf, name);
  if (opts.post && setPostable(ctx, m)) {
    // the module posts them as a set (post-many.ts): one statement per table and register
    items.forEach((item, i) => {
      if (item === null || typeof item !== "object" || Array.isArray(item))
        throw badRequest(`items[${i}]: ожидается объект документа`, `items[${i}]`);
    });
    try {
      return { ids: await createPostedSet(ctx, m, items as Row[]) };
    } catch (e) {
      const item = (e as { item?: unknown }).item;
      throw typeof item === "number" ? itemError(e, item, items.length) : e;
    }
  }
  const ids: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== "object" || Array.isArray(item))
      throw badRequest(`items[${i}]: ожидается объект документа`, `items[${i}]`);
    try {
      ids.push((await createDocument(ctx, name, item as Row, opts)).id as string);
    } catch (e) {
      throw itemError(e, i, items.length);
    }
  }
  return { ids };
}

/** A refusal of item i (0-based) of n, named for the user: "Документ 3 из 500: …", field items[2].… */
export function itemError(e: unknown, i: number, n: number): unknown {
  if (!(e instanceof AppError)) return e;
  return new AppError(
    e.status,
    e.code,
    `Документ ${i + 1} из ${n}: ${e.message}`,
    `items[${i}]` + (e.field ? "." + e.field : ""),
  );
}
