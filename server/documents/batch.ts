/**
 * A batch of documents of one kind written (and, when asked, posted) in the caller's
 * transaction — all or none. For imports such as a bank's registry of payments: a refusal of
 * any item rolls back every item and names it ("items[12].Amount", "Документ 13 из 500: …").
 */
import { AppError, badRequest } from "../errors.ts";
import type { Row } from "../storage/objects.ts";
import { createDocument } from "./service.ts";
import type { Ctx } from "./service.ts";

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
