/**
 * Saved form settings per user (schema.ts): read, save (replacing) and forget one form's. The
 * user is the context's actor — a user reads and writes only their own rows (and RLS keeps them
 * in the data area).
 */
import type { Ctx } from "../context.ts";
import { badRequest } from "../errors.ts";

/** The largest settings a form keeps (its JSON text). */
export const MAX_SETTINGS_BYTES = 64 * 1024;
/** A form's key: «list:document.Invoice», «table:document.Invoice.Goods». */
export const FORM_KEY = /^[A-Za-z][A-Za-z0-9_]*:[A-Za-z0-9_.]{1,200}$/;

const userOf = (ctx: Ctx) => ctx.actor?.userId ?? "";

export function checkFormKey(form: string): string {
  if (!FORM_KEY.test(form))
    throw badRequest(
      `Ключ формы «${form.slice(0, 100)}»: ожидается вид:объект, например list:document.Invoice`,
      "form",
    );
  return form;
}

export async function readSettings(ctx: Ctx, form: string): Promise<unknown> {
  const r = await ctx.c.query<{ settings: unknown }>(
    "SELECT settings FROM _form_settings WHERE user_id = $1 AND form = $2",
    [userOf(ctx), checkFormKey(form)],
  );
  return r.rows[0]?.settings ?? null;
}

export async function saveSettings(ctx: Ctx, form: string, settings: unknown): Promise<void> {
  if (settings === null || typeof settings !== "object" || Array.isArray(settings))
    throw badRequest("Настройки формы: ожидается объект JSON", "settings");
  const text = JSON.stringify(settings);
  if (Buffer.byteLength(text) > MAX_SETTINGS_BYTES)
    throw badRequest(`Настройки формы больше ${MAX_SETTINGS_BYTES / 1024} КБ`, "settings");
  await ctx.c.query(
    `INSERT INTO _form_settings (user_id, form, settings) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (area, user_id, form) DO UPDATE SET settings = EXCLUDED.settings, updated_at = clock_timestamp()`,
    [userOf(ctx), checkFormKey(form), text],
  );
}

export async function deleteSettings(ctx: Ctx, form: string): Promise<void> {
  await ctx.c.query("DELETE FROM _form_settings WHERE user_id = $1 AND form = $2", [userOf(ctx), checkFormKey(form)]);
}
