/** Error text for the maintenance commands' output. */

/**
 * The text of anything thrown, never "undefined": its message, the first of an AggregateError's,
 * its code, or — when something rejected with nothing — a sentence saying so.
 */
export function errorText(e: unknown): string {
  const err = e as (NodeJS.ErrnoException & { errors?: Error[] }) | null | undefined;
  const plain = typeof e === "string" || typeof e === "number" ? String(e) : "";
  const text = err?.message || err?.errors?.[0]?.message || err?.code || plain;
  return (
    text ||
    "причина не сообщена (операция завершилась ошибкой без описания; подробности — в журнале сервера PostgreSQL)"
  );
}
