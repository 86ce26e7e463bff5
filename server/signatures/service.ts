/**
 * Signing posted documents («Криптозащита данных с ЭЦП»). The client reads the document's
 * canonical bytes (canonical.ts), signs them with the user's key and posts the signature; the
 * server checks it against the user's registered key (keys.ts) and the document as it is now,
 * under the document's row lock, stores it with signer, time, algorithm and key or certificate,
 * and journals it. Ed25519 (node:crypto) is the default provider; GOST R 34.10-2012 detached CMS
 * (gost.ts) where the openssl gost engine is installed. Any later change, repost, unpost,
 * deletion mark or deletion voids the signatures (store.ts, called from the journal hooks).
 * Verification recomputes the canonical form: a signature stays valid only while the document
 * and its register records are exactly what was signed.
 */
import { verify as edVerify } from "node:crypto";
import type { DocumentMeta } from "../metadata/types.ts";
import { presentation } from "../storage/objects.ts";
import { UserError, conflict } from "../errors.ts";
import { recordEvent } from "../journal/journal.ts";
import type { Ctx } from "../context.ts";
import { documentCanonical, type Canonical } from "./canonical.ts";
import { ED25519, ed25519Key, liveKeys, requireActor } from "./keys.ts";
import {
  GOST_ALGORITHM,
  GOST_MISSING,
  certificateInfo,
  cmsCertificate,
  cmsDer,
  gostAvailable,
  verifyCms,
} from "./gost.ts";
import { documentOf } from "../metadata/lookup.ts";
import type { SignatureList, SignatureView, Verification } from "../http/api-types.ts";

export interface SignatureBody {
  algorithm?: string;
  /** Ed25519: the signature of the canonical bytes, base64. */
  signature?: string;
  /** Ed25519: which of the user's keys (default: whichever live key verifies). */
  keyId?: string;
  /** GOST: the detached CMS, base64 DER or PEM. */
  cms?: string;
  /** The sha256 of the canonical bytes the client signed: refused if the document changed since. */
  canonicalSha256?: string;
}

// The answers' shapes are the API's (http/api-types.ts, which the client imports).
export type { SignatureList, SignatureView, Verification } from "../http/api-types.ts";

/** The canonical bytes a signer signs (GET …/canonical). */
export async function canonicalOf(ctx: Ctx, name: string, id: string): Promise<Canonical> {
  return documentCanonical(ctx, documentOf(ctx.conf, name), id);
}

const b64 = (s: unknown, field: string): Buffer => {
  if (typeof s !== "string" || !/^[A-Za-z0-9+/=\s_-]+$/.test(s))
    throw new UserError(`${field}: ожидается base64`, { field }, "invalid_value");
  return Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
};

/** Checks a signature and stores it; the document must be posted and unchanged since the client read it. */
export async function addSignature(ctx: Ctx, name: string, id: string, body: SignatureBody): Promise<SignatureView> {
  const actor = requireActor(ctx, "Подписание документа");
  const m = documentOf(ctx.conf, name);
  const canon = await documentCanonical(ctx, m, id, true);
  const title = presentation(m, canon.doc);
  if (!canon.doc.posted)
    throw new UserError(
      `${title} не проведен: подписать можно только проведенный документ`,
      { field: "posted" },
      "not_posted",
    );
  if (body.canonicalSha256 !== undefined && body.canonicalSha256 !== canon.sha256)
    throw conflict(
      `${title} изменился после того, как была получена его каноническая форма: получите её заново (GET …/canonical) и подпишите снова`,
      "canonicalSha256",
    );
  const algorithm = body.algorithm ?? (body.cms ? GOST_ALGORITHM : ED25519);
  let row: {
    keyId: string | null;
    publicKey: string | null;
    certificate: string | null;
    subject: string | null;
    signature: string;
  };
  if (algorithm === ED25519) {
    const sig = b64(body.signature, "signature");
    if (sig.length !== 64)
      throw new UserError(
        `Подпись Ed25519 — 64 байта, получено ${sig.length}`,
        { field: "signature" },
        "invalid_signature",
      );
    const keys = await liveKeys(ctx, actor, ED25519, body.keyId);
    if (keys.length === 0)
      throw new UserError(
        body.keyId
          ? `Ключ ${body.keyId} не найден среди действующих ключей пользователя ${actor.login}`
          : `У пользователя ${actor.login} нет зарегистрированного ключа Ed25519: зарегистрируйте открытый ключ (POST /api/signatures/keys)`,
        { field: "keyId" },
        "no_key",
      );
    const key = keys.find((k) => edVerify(null, canon.bytes, ed25519Key(k.publicKey), sig));
    if (!key)
      throw new UserError(
        `Подпись не сходится с документом ${title} и ключом пользователя ${actor.login}: подписывайте байты канонической формы (GET …/canonical) ключом, открытая часть которого зарегистрирована`,
        { field: "signature" },
        "invalid_signature",
      );
    row = {
      keyId: key.id,
      publicKey: key.publicKey,
      certificate: null,
      subject: null,
      signature: sig.toString("base64"),
    };
  } else if (algorithm === GOST_ALGORITHM) {
    if (!(await gostAvailable())) throw new UserError(GOST_MISSING, { field: "algorithm" }, "gost_unavailable");
    if (typeof body.cms !== "string" || !body.cms)
      throw new UserError("Не указана подпись CMS (cms)", { field: "cms" }, "required");
    const der = cmsDer(body.cms);
    const cert = await cmsCertificate(der).catch((e: Error) => {
      throw new UserError(`Подпись CMS не читается: ${e.message}`, { field: "cms" }, "invalid_signature");
    });
    const info = await certificateInfo(cert);
    if (!info.gost)
      throw new UserError("Сертификат подписи не для ключа ГОСТ Р 34.10-2012", { field: "cms" }, "invalid_signature");
    const key = (await liveKeys(ctx, actor, GOST_ALGORITHM)).find((k) => k.fingerprint === info.fingerprint);
    if (!key)
      throw new UserError(
        `Сертификат «${info.subject}» не зарегистрирован за пользователем ${actor.login}: зарегистрируйте его (POST /api/signatures/keys с certificate)`,
        { field: "cms" },
        "no_key",
      );
    const why = await verifyCms(der, canon.bytes);
    if (why)
      throw new UserError(
        `Подпись ГОСТ не сходится с документом ${title}: ${why}`,
        { field: "cms" },
        "invalid_signature",
      );
    row = {
      keyId: key.id,
      publicKey: null,
      certificate: cert,
      subject: info.subject,
      signature: der.toString("base64"),
    };
  } else {
    throw new UserError(
      `Неизвестный алгоритм подписи «${algorithm}»: возможны ${ED25519}, ${GOST_ALGORITHM}`,
      { field: "algorithm" },
      "invalid_value",
    );
  }
  const r = await ctx.c.query(
    `INSERT INTO _signatures (doc_kind, doc_id, user_id, login, algorithm, key_id, public_key, certificate, subject, canonical_sha256, signature, sealed_registers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      m.name,
      id,
      actor.userId,
      actor.login,
      algorithm,
      row.keyId,
      row.publicKey,
      row.certificate,
      row.subject,
      canon.sha256,
      row.signature,
      canon.sealed,
    ],
  );
  await recordEvent(ctx.c, {
    area: ctx.area,
    actor,
    action: "sign",
    objectKind: "document",
    objectName: m.name,
    objectId: id,
    objectTitle: title,
    details: {
      signature: r.rows[0].id,
      algorithm,
      key: row.keyId,
      subject: row.subject,
      canonicalSha256: canon.sha256,
    },
  });
  return (await viewsOf(ctx, m, id, r.rows, canon))[0];
}

/** Every signature of the document (void ones too) with its verification against the document as it is now. */
export async function listSignatures(ctx: Ctx, name: string, id: string): Promise<SignatureList> {
  const m = documentOf(ctx.conf, name);
  const canon = await documentCanonical(ctx, m, id);
  const r = await ctx.c.query(`SELECT * FROM _signatures WHERE doc_id = $1 AND doc_kind = $2 ORDER BY signed_at, id`, [
    id,
    m.name,
  ]);
  const signatures = await viewsOf(ctx, m, id, r.rows, canon);
  return { signed: signatures.some((s) => !s.void), canonicalSha256: canon.sha256, signatures };
}

/**
 * Each signature verified against the view its signer signed: the registers sealed for that
 * signer are sealed again (their digest still covers every record), whoever reads the list.
 */
async function viewsOf(
  ctx: Ctx,
  m: DocumentMeta,
  id: string,
  rows: Record<string, any>[],
  current: Canonical,
): Promise<SignatureView[]> {
  const views = new Map<string, Canonical>([[current.sealed.join(","), current]]);
  const out: SignatureView[] = [];
  for (const r of rows) {
    const sealed: string[] = r.sealed_registers ?? [];
    let canon = views.get(sealed.join(","));
    if (!canon) views.set(sealed.join(","), (canon = await documentCanonical(ctx, m, id, false, sealed)));
    out.push({
      id: r.id,
      signer: { userId: r.user_id, login: r.login },
      signedAt: (r.signed_at as Date).toISOString(),
      algorithm: r.algorithm,
      keyId: r.key_id,
      publicKey: r.public_key,
      certificate: r.certificate,
      subject: r.subject,
      canonicalSha256: r.canonical_sha256,
      sealedRegisters: sealed,
      signature: r.signature,
      void: r.void_at ? { at: (r.void_at as Date).toISOString(), reason: r.void_reason, by: r.void_by } : null,
      verify: await verifyOne(r, canon),
    });
  }
  return out;
}

async function verifyOne(r: Record<string, any>, canon: Canonical): Promise<Verification> {
  if (r.void_at)
    return {
      valid: false,
      status: "void",
      message: `Подпись аннулирована ${(r.void_at as Date).toISOString()}: ${r.void_reason}`,
    };
  if (r.canonical_sha256 !== canon.sha256)
    return {
      valid: false,
      status: "changed",
      message: "Документ или его движения изменены после подписания: подпись к ним не относится",
    };
  const sig = Buffer.from(r.signature, "base64");
  if (r.algorithm === ED25519) {
    const ok = edVerify(null, canon.bytes, ed25519Key(r.public_key), sig);
    return ok
      ? { valid: true, status: "valid", message: "Подпись верна" }
      : { valid: false, status: "invalid", message: "Подпись не сходится с документом и ключом" };
  }
  if (r.algorithm === GOST_ALGORITHM) {
    if (!(await gostAvailable())) return { valid: false, status: "invalid", message: GOST_MISSING };
    const why = await verifyCms(sig, canon.bytes);
    return why
      ? { valid: false, status: "invalid", message: `Подпись ГОСТ не сходится: ${why}` }
      : { valid: true, status: "valid", message: "Подпись ГОСТ верна" };
  }
  return { valid: false, status: "invalid", message: `Неизвестный алгоритм ${r.algorithm}` };
}
