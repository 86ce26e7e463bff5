/**
 * Signature keys registered per user: an Ed25519 public key (SPKI PEM, or the 32 raw bytes in
 * base64) or a GOST R 34.10-2012 certificate (PEM). The private key stays with the user: the
 * client signs the canonical bytes itself. A key is revoked, never deleted, so signatures made
 * with it stay verifiable.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { AppError, UserError, notFound } from "../errors.ts";
import { recordEvent } from "../journal/journal.ts";
import type { Actor, Ctx } from "../context.ts";
import { GOST_ALGORITHM, GOST_MISSING, certificateInfo, gostAvailable } from "./gost.ts";

export const ED25519 = "ed25519";
export const ALGORITHMS = [ED25519, GOST_ALGORITHM] as const;

export interface KeyRow {
  id: string;
  userId: string;
  login: string;
  algorithm: string;
  publicKey: string;
  fingerprint: string;
  title: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export function requireActor(ctx: { actor?: Actor | null }, what: string): Actor {
  if (!ctx.actor)
    throw new AppError(401, "unauthenticated", `${what}: нужен вошедший пользователь (POST /api/auth/login)`);
  return ctx.actor;
}

/** The 12-byte DER prefix of an Ed25519 SubjectPublicKeyInfo. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** An Ed25519 public key from SPKI PEM or 32 raw bytes in base64. */
export function ed25519Key(text: string): KeyObject {
  let key: KeyObject;
  try {
    if (/-----BEGIN PUBLIC KEY-----/.test(text)) key = createPublicKey(text);
    else {
      const raw = Buffer.from(text.trim(), "base64");
      if (raw.length !== 32) throw new Error(`ожидается 32 байта, получено ${raw.length}`);
      key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
    }
  } catch (e) {
    throw new UserError(
      `Открытый ключ не читается (${(e as Error).message}): нужен PEM «BEGIN PUBLIC KEY» или 32 байта ключа в base64`,
      { field: "publicKey" },
      "invalid_key",
    );
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new UserError(
      `Открытый ключ — ${key.asymmetricKeyType}, а ожидается Ed25519`,
      { field: "publicKey" },
      "invalid_key",
    );
  return key;
}

const view = (r: Record<string, any>): KeyRow => ({
  id: r.id,
  userId: r.user_id,
  login: r.login,
  algorithm: r.algorithm,
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  title: r.title,
  createdAt: (r.created_at as Date).toISOString(),
  revokedAt: r.revoked_at ? (r.revoked_at as Date).toISOString() : null,
});

/** Registers a public key (or GOST certificate) for the acting user. */
export async function registerKey(
  ctx: Ctx,
  body: { algorithm?: string; publicKey?: string; certificate?: string; title?: string },
): Promise<KeyRow> {
  const actor = requireActor(ctx, "Регистрация ключа подписи");
  const algorithm = body.algorithm ?? (body.certificate ? GOST_ALGORITHM : ED25519);
  let pem: string;
  let fingerprint: string;
  if (algorithm === ED25519) {
    if (typeof body.publicKey !== "string" || !body.publicKey)
      throw new UserError("Не указан открытый ключ Ed25519 (publicKey)", { field: "publicKey" }, "required");
    const key = ed25519Key(body.publicKey);
    pem = key.export({ format: "pem", type: "spki" }).toString();
    fingerprint = createHash("sha256")
      .update(key.export({ format: "der", type: "spki" }))
      .digest("hex");
  } else if (algorithm === GOST_ALGORITHM) {
    if (!(await gostAvailable())) throw new UserError(GOST_MISSING, { field: "algorithm" }, "gost_unavailable");
    if (typeof body.certificate !== "string" || !/-----BEGIN CERTIFICATE-----/.test(body.certificate))
      throw new UserError(
        "Для ГОСТ нужен сертификат в PEM (certificate: «-----BEGIN CERTIFICATE-----…»)",
        { field: "certificate" },
        "required",
      );
    const info = await certificateInfo(body.certificate).catch((e: Error) => {
      throw new UserError(`Сертификат не читается: ${e.message}`, { field: "certificate" }, "invalid_key");
    });
    if (!info.gost)
      throw new UserError("Сертификат не для ключа ГОСТ Р 34.10-2012", { field: "certificate" }, "invalid_key");
    pem = body.certificate.trim() + "\n";
    fingerprint = info.fingerprint;
  } else {
    throw new UserError(
      `Неизвестный алгоритм подписи «${algorithm}»: возможны ${ALGORITHMS.join(", ")}`,
      { field: "algorithm" },
      "invalid_value",
    );
  }
  const title = typeof body.title === "string" ? body.title.slice(0, 200) : null;
  const r = await ctx.c.query(
    `INSERT INTO _signature_keys (user_id, login, algorithm, public_key, fingerprint, title) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (area, fingerprint) DO NOTHING RETURNING *`,
    [actor.userId, actor.login, algorithm, pem, fingerprint, title],
  );
  if (r.rowCount === 0) throw new AppError(409, "conflict", "Этот ключ уже зарегистрирован", "publicKey");
  const key = view(r.rows[0]);
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor,
    action: "keyRegister",
    objectKind: "signatureKey",
    objectName: algorithm,
    objectId: key.id,
    details: { fingerprint, title },
  });
  return key;
}

/** The acting user's keys (revoked ones too). */
export async function myKeys(ctx: Ctx): Promise<KeyRow[]> {
  const actor = requireActor(ctx, "Ключи подписи");
  const r = await ctx.c.query(`SELECT * FROM _signature_keys WHERE user_id = $1 ORDER BY created_at, id`, [
    actor.userId,
  ]);
  return r.rows.map(view);
}

export async function revokeKey(ctx: Ctx, id: string): Promise<KeyRow> {
  const actor = requireActor(ctx, "Отзыв ключа подписи");
  const r = await ctx.c.query(
    `UPDATE _signature_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2 RETURNING *`,
    [id, actor.userId],
  );
  if (r.rowCount === 0) throw notFound(`Ключ подписи ${id} не найден среди ваших ключей`);
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor,
    action: "keyRevoke",
    objectKind: "signatureKey",
    objectName: r.rows[0].algorithm,
    objectId: id,
  });
  return view(r.rows[0]);
}

/** The acting user's live keys of an algorithm (one by id when given). */
export async function liveKeys(ctx: Ctx, actor: Actor, algorithm: string, keyId?: string): Promise<KeyRow[]> {
  const r = await ctx.c.query(
    `SELECT * FROM _signature_keys WHERE user_id = $1 AND algorithm = $2 AND revoked_at IS NULL ${keyId ? "AND id = $3" : ""} ORDER BY created_at DESC`,
    keyId ? [actor.userId, algorithm, keyId] : [actor.userId, algorithm],
  );
  return r.rows.map(view);
}
