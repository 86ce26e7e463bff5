/**
 * Password hashing with scrypt (node:crypto). Each hash is stored as JSON with its own random
 * salt and the parameters it was made with, so the parameters can be raised later without
 * invalidating old hashes (verify uses the stored ones; needsRehash says when to upgrade).
 * Comparison is constant-time; a missing user is verified against a dummy hash so a wrong login
 * and a wrong password take the same time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface PasswordHash {
  alg: "scrypt";
  /** CPU/memory cost (a power of two), block size, parallelisation. */
  N: number;
  r: number;
  p: number;
  keylen: number;
  salt: string;
  hash: string;
}

/** 2^15 × 8 × 128 B = 32 MiB per hash, about 50–100 ms: OWASP's minimum for scrypt is 2^17 at r=8 with p=1 or 2^15 with more memory; this stays within Node's default maxmem when raised by hand. */
export const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((res, rej) => scryptCb(password.normalize("NFC"), salt, keylen, { ...opts, maxmem: 256 * 1024 * 1024 }, (e, k) => (e ? rej(e) : res(k))));
}

export async function hashPassword(password: string, params = DEFAULT_PARAMS): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params.keylen, { N: params.N, r: params.r, p: params.p });
  return { alg: "scrypt", ...params, salt: salt.toString("base64"), hash: key.toString("base64") };
}

let dummy: Promise<PasswordHash> | undefined;

/** Does the password match? A null/malformed stored hash never matches (but still costs one hash). */
export async function verifyPassword(password: string, stored: PasswordHash | null | undefined): Promise<boolean> {
  const h = stored && stored.alg === "scrypt" && typeof stored.salt === "string" && typeof stored.hash === "string" ? stored : null;
  const use = h ?? (await (dummy ??= hashPassword(randomBytes(12).toString("hex"))));
  const expected = Buffer.from(use.hash, "base64");
  const key = await scrypt(password, Buffer.from(use.salt, "base64"), expected.length, { N: use.N, r: use.r, p: use.p });
  return h !== null && key.length === expected.length && timingSafeEqual(key, expected);
}

export function needsRehash(stored: PasswordHash): boolean {
  return stored.N < DEFAULT_PARAMS.N || stored.r < DEFAULT_PARAMS.r || stored.keylen < DEFAULT_PARAMS.keylen;
}

/** A readable random password: 16 characters from a 56-letter alphabet without look-alikes (~93 bits). */
export function generatePassword(length = 16): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const out: string[] = [];
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < alphabet.length * 4 && out.length < length) out.push(alphabet[b % alphabet.length]);
    }
  }
  return out.join("");
}

/** Why a new password is not accepted, or null. */
export function passwordProblem(password: string, login: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Пароль слишком короткий: нужно не меньше ${MIN_PASSWORD_LENGTH} символов`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Пароль слишком длинный: не больше ${MAX_PASSWORD_LENGTH} символов`;
  if (password.toLowerCase() === login.toLowerCase()) return "Пароль не должен совпадать с именем пользователя";
  if (/[\u0000-\u001f\u007f]/.test(password)) return "Пароль не должен содержать управляющих символов";
  return null;
}
