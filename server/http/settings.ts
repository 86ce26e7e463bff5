/**
 * Saved form settings of the session's user (server/settings), 1C's «Настройки формы»:
 *   GET    /api/settings/forms/:form   { form, settings } (settings null: the defaults)
 *   PUT    /api/settings/forms/:form   body: { settings: {…} }  → { form, settings }
 *   DELETE /api/settings/forms/:form   «Восстановить настройки по умолчанию» → 204
 * Any signed-in user, for their own settings only.
 */
import type { Router } from "express";
import { badRequest } from "../errors.ts";
import { deleteSettings, readSettings, saveSettings } from "../settings/service.ts";
import { jsonBody, param, type Run } from "./context.ts";
import { rules, secureRouter } from "./access.ts";

export function settingsRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  r.get("/forms/:form", allow.session(), async (req, res) => {
    const form = param(req, "form");
    res.json({ form, settings: await run((ctx) => readSettings(ctx, form)) });
  });
  r.put("/forms/:form", allow.session(), async (req, res) => {
    const form = param(req, "form");
    const body = jsonBody(req) as { settings?: unknown } | undefined;
    if (!body || typeof body !== "object" || !("settings" in body))
      throw badRequest("Ожидается { settings: {…} }", "settings");
    await run((ctx) => saveSettings(ctx, form, body.settings));
    res.json({ form, settings: body.settings });
  });
  r.delete("/forms/:form", allow.session(), async (req, res) => {
    const form = param(req, "form");
    await run((ctx) => deleteSettings(ctx, form));
    res.status(204).end();
  });
  return r.router;
}
