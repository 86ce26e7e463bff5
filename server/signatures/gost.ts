/**
 * GOST R 34.10-2012 / 34.11-2012 signatures as detached CMS (PKCS#7) through the openssl
 * command with the gost engine (Debian: libengine-gost-openssl). available() says whether the
 * engine loads here; without it GOST signatures are refused with a message saying what to
 * install. Verification checks the CMS signature over the canonical bytes and that the signer's
 * certificate has a GOST 2012 key; the certificate chain is checked against GOST_CA_FILE when
 * that is set (a qualified signature needs the accredited CA's chain), otherwise not.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setting } from "../config.ts";

const OPENSSL = setting("OPENSSL_BIN");
export const GOST_ALGORITHM = "gost2012";

/** Runs the openssl command (OPENSSL_BIN, else openssl) with these arguments. */
export function run(args: string[], input?: Buffer): Promise<{ code: number; out: Buffer; err: string }> {
  return new Promise((res) => {
    const child = execFile(
      OPENSSL,
      args,
      { encoding: "buffer", maxBuffer: 64 << 20, timeout: 30_000 },
      (e, stdout, stderr) =>
        res({
          code: e ? Number((e as { code?: number }).code ?? 1) || 1 : 0,
          out: stdout,
          err: stderr.toString("utf8"),
        }),
    );
    if (input) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

let probe: Promise<boolean> | undefined;
/** Does `openssl engine gost` load here? (checked once) */
export function gostAvailable(): Promise<boolean> {
  probe ??= run(["engine", "gost", "-t"]).then(
    (r) => r.code === 0 && /available/.test(r.out.toString("utf8")),
    () => false,
  );
  return probe;
}

export const GOST_MISSING =
  "Подпись по ГОСТ Р 34.10-2012 недоступна: на сервере нет движка gost для OpenSSL (установите пакет libengine-gost-openssl)";

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
export async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "gost-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CMS given as PEM text or base64 DER, as DER bytes. */
export function cmsDer(text: string): Buffer {
  const pem = /-----BEGIN (?:CMS|PKCS7)-----([\s\S]*?)-----END (?:CMS|PKCS7)-----/.exec(text);
  return Buffer.from((pem ? pem[1] : text).replace(/\s+/g, ""), "base64");
}

/** The signer's certificate (PEM) inside a CMS. */
export async function cmsCertificate(der: Buffer): Promise<string> {
  const r = await run(["pkcs7", "-inform", "DER", "-print_certs", "-engine", "gost"], der);
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(r.out.toString("utf8"));
  if (r.code !== 0 || !pem)
    throw new Error(`в подписи CMS нет сертификата подписанта${r.err ? ": " + firstLine(r.err) : ""}`);
  return pem[0] + "\n";
}

/** Subject and key algorithm of a certificate. */
export async function certificateInfo(pem: string): Promise<{ subject: string; gost: boolean; fingerprint: string }> {
  const r = await run(
    [
      "x509",
      "-noout",
      "-subject",
      "-fingerprint",
      "-sha256",
      "-text",
      "-nameopt",
      "utf8,sep_comma_plus_space",
      "-engine",
      "gost",
    ],
    Buffer.from(pem),
  );
  if (r.code !== 0) throw new Error(`сертификат не читается: ${firstLine(r.err)}`);
  const text = r.out.toString("utf8");
  const subject = /^subject=\s*(.*)$/m.exec(text)?.[1]?.trim() ?? "";
  const fingerprint = (/Fingerprint=([0-9A-F:]+)/i.exec(text)?.[1] ?? "").replace(/:/g, "").toLowerCase();
  return { subject, gost: /GOST R 34\.10-2012/i.test(text), fingerprint };
}

/** Verifies a detached CMS over `content`; returns null when valid, else why not. */
export async function verifyCms(der: Buffer, content: Buffer): Promise<string | null> {
  return inTemp(async (dir) => {
    await writeFile(join(dir, "sig.der"), der);
    await writeFile(join(dir, "data.bin"), content);
    const ca = setting("GOST_CA_FILE");
    const r = await run([
      "cms",
      "-verify",
      "-engine",
      "gost",
      "-binary",
      "-inform",
      "DER",
      "-in",
      join(dir, "sig.der"),
      "-content",
      join(dir, "data.bin"),
      ...(ca ? ["-CAfile", ca] : ["-noverify"]),
      "-out",
      join(dir, "out.bin"),
    ]);
    return r.code === 0
      ? null
      : firstLine(r.err.replace(/^Engine "gost" set\.\s*/m, "")) || "подпись CMS не сходится с документом";
  });
}

const firstLine = (s: string) =>
  s
    .split("\n")
    .map((x) => x.trim())
    .find((x) => x && !/^Engine "gost" set/.test(x)) ?? "";
