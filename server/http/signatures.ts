/**
 * Signed documents over HTTP (server/signatures), mounted on /api:
 *   POST   /signatures/keys                     register the acting user's public key:
 *            {"publicKey": "<SPKI PEM or 32 bytes base64>", "title"?} (Ed25519, the default) or
 *            {"algorithm": "gost2012", "certificate": "<PEM>"}
 *   GET    /signatures/keys                     the acting user's keys
 *   DELETE /signatures/keys/:id                 revoke one (signatures made with it stay verifiable)
 *   GET    /signatures/providers                which algorithms this server can verify
 *   GET    /documents/:name/:id/canonical       the canonical bytes to sign (application/json;
 *            header X-Canonical-SHA256)
 *   POST   /documents/:name/:id/signatures      {"signature": "<base64>", "keyId"?, "canonicalSha256"?}
 *            or {"algorithm": "gost2012", "cms": "<detached CMS, base64 DER or PEM>"} → 201
 *   GET    /documents/:name/:id/signatures      {signed, canonicalSha256, signatures: [… verify]}
 */
import type { Router } from "express";
import { rules, secureRouter } from "./access.ts";
import { badRequest } from "../errors.ts";
import { UUID_RE } from "../storage/values.ts";
import { myKeys, registerKey, revokeKey, ED25519 } from "../signatures/keys.ts";
import { addSignature, canonicalOf, listSignatures, type SignatureBody } from "../signatures/service.ts";
import { GOST_ALGORITHM, gostAvailable } from "../signatures/gost.ts";
import { idOf, jsonBody, param, type Run } from "./context.ts";
import { documentOf } from "../metadata/lookup.ts";

const STRING_FIELDS: Record<string, string[]> = {
  key: ["algorithm", "publicKey", "certificate", "title"],
  signature: ["algorithm", "signature", "keyId", "cms", "canonicalSha256"],
};

/** A JSON object whose members are the listed strings (anything else is named and refused). */
function stringBody(req: Parameters<typeof jsonBody>[0], kind: keyof typeof STRING_FIELDS): Record<string, string> {
  const body = jsonBody(req) ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Ожидается объект JSON");
  for (const [k, v] of Object.entries(body)) {
    if (!STRING_FIELDS[kind].includes(k))
      throw badRequest(`Неизвестное поле «${k}»: возможны ${STRING_FIELDS[kind].join(", ")}`, k);
    if (typeof v !== "string") throw badRequest(`Поле ${k}: ожидается строка`, k);
  }
  const b = body as Record<string, string>;
  if (b.keyId !== undefined && !UUID_RE.test(b.keyId))
    throw badRequest(`Поле keyId: ожидается UUID, получено «${b.keyId}»`, "keyId");
  return b;
}

export function signatureRoutes(run: Run): Router {
  const r = secureRouter();
  const allow = rules(run.conf);
  r.get("/signatures/providers", allow.session(), async (_req, res) => {
    res.json({ algorithms: [ED25519, ...((await gostAvailable()) ? [GOST_ALGORITHM] : [])] });
  });
  r.post("/signatures/keys", allow.session(), async (req, res) => {
    const body = stringBody(req, "key");
    res.status(201).json(await run((ctx) => registerKey(ctx, body)));
  });
  r.get("/signatures/keys", allow.session(), async (_req, res) => {
    res.json({ keys: await run((ctx) => myKeys(ctx)) });
  });
  r.delete("/signatures/keys/:id", allow.session(), async (req, res) => {
    const id = idOf(req);
    res.json(await run((ctx) => revokeKey(ctx, id)));
  });
  r.get("/documents/:name/:id/canonical", allow.document("read"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    const canon = await run((ctx) => canonicalOf(ctx, m.name, id));
    res.set("X-Canonical-SHA256", canon.sha256).type("application/json; charset=utf-8").send(canon.bytes);
  });
  r.post("/documents/:name/:id/signatures", allow.document("write"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    const body: SignatureBody = stringBody(req, "signature");
    res.status(201).json(await run((ctx) => addSignature(ctx, m.name, id, body)));
  });
  r.get("/documents/:name/:id/signatures", allow.document("read"), async (req, res) => {
    const m = documentOf(run.conf, param(req, "name"));
    const id = idOf(req);
    res.json(await run((ctx) => listSignatures(ctx, m.name, id)));
  });
  return r.router;
}
