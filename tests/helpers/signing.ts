/**
 * Signing on the server side, for tests only (production signs in the client: the private key
 * never reaches the server): a GOST 2012 key and self-signed certificate made by openssl, a
 * detached CMS over some bytes, and signOnServer — the canonical form signed with a key given
 * here and stored through addSignature, as a client's signature would be.
 */
import { createPrivateKey, sign as edSign } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GOST_ALGORITHM, inTemp, run } from "../../server/signatures/gost.ts";
import { ED25519 } from "../../server/signatures/keys.ts";
import { addSignature, canonicalOf, type SignatureView } from "../../server/signatures/service.ts";
import type { Ctx } from "../../server/context.ts";

/** Signs `content` (detached CMS, DER) with a GOST key and certificate. */
export async function signCms(content: Buffer, keyPem: string, certPem: string): Promise<Buffer> {
  return inTemp(async (dir) => {
    await writeFile(join(dir, "key.pem"), keyPem, { mode: 0o600 });
    await writeFile(join(dir, "cert.pem"), certPem);
    await writeFile(join(dir, "data.bin"), content);
    const r = await run([
      "cms",
      "-sign",
      "-engine",
      "gost",
      "-binary",
      "-outform",
      "DER",
      "-md",
      "md_gost12_256",
      "-in",
      join(dir, "data.bin"),
      "-signer",
      join(dir, "cert.pem"),
      "-inkey",
      join(dir, "key.pem"),
      "-out",
      join(dir, "sig.der"),
    ]);
    if (r.code !== 0) throw new Error(`openssl cms -sign failed: ${r.err}`);
    return readFile(join(dir, "sig.der"));
  });
}

/** A self-signed GOST 2012 (256-bit) key and certificate. */
export async function gostTestCertificate(commonName: string): Promise<{ keyPem: string; certPem: string }> {
  return inTemp(async (dir) => {
    const r = await run([
      "req",
      "-engine",
      "gost",
      "-x509",
      "-newkey",
      "gost2012_256",
      "-pkeyopt",
      "paramset:A",
      "-nodes",
      "-md_gost12_256",
      "-days",
      "365",
      "-subj",
      `/CN=${commonName.replace(/[/\\]/g, " ")}`,
      "-utf8",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ]);
    if (r.code !== 0) throw new Error(`openssl req failed: ${r.err}`);
    return {
      keyPem: await readFile(join(dir, "key.pem"), "utf8"),
      certPem: await readFile(join(dir, "cert.pem"), "utf8"),
    };
  });
}

/**
 * Signs on the server with a private key given
 * here — Ed25519 PEM, or a GOST key and certificate — and stores the signature as addSignature.
 */
export async function signOnServer(
  ctx: Ctx,
  name: string,
  id: string,
  key: { ed25519Pem: string } | { gostKeyPem: string; gostCertPem: string },
): Promise<SignatureView> {
  const canon = await canonicalOf(ctx, name, id);
  if ("ed25519Pem" in key) {
    const signature = edSign(null, canon.bytes, createPrivateKey(key.ed25519Pem)).toString("base64");
    return addSignature(ctx, name, id, { algorithm: ED25519, signature, canonicalSha256: canon.sha256 });
  }
  const cms = (await signCms(canon.bytes, key.gostKeyPem, key.gostCertPem)).toString("base64");
  return addSignature(ctx, name, id, { algorithm: GOST_ALGORITHM, cms, canonicalSha256: canon.sha256 });
}
