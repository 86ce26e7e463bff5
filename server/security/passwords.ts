/**
 * Password hashing with scrypt (node:crypto). Each hash is stored as JSON with its own random
 * salt and the parameters it was made with, so the parameters can be raised later without
 * invalidating old hashes (verify uses the stored ones; needsRehash says when to upgrade).
 * Comparison is constant-time; a missing user is verified against a dummy hash so a wrong login
 * and a wrong password take the same time. A new password must pass passwordProblem: long
 * enough (more for administrators), not common or breached, not guessable by zxcvbn.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

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
  return new Promise((res, rej) =>
    scryptCb(password.normalize("NFC"), salt, keylen, { ...opts, maxmem: 256 * 1024 * 1024 }, (e, k) =>
      e ? rej(e) : res(k),
    ),
  );
}

export async function hashPassword(password: string, params = DEFAULT_PARAMS): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params.keylen, { N: params.N, r: params.r, p: params.p });
  return { alg: "scrypt", ...params, salt: salt.toString("base64"), hash: key.toString("base64") };
}

let dummy: Promise<PasswordHash> | undefined;

/** Does the password match? A null/malformed stored hash never matches (but still costs one hash). */
export async function verifyPassword(password: string, stored: PasswordHash | null | undefined): Promise<boolean> {
  const h =
    stored && stored.alg === "scrypt" && typeof stored.salt === "string" && typeof stored.hash === "string"
      ? stored
      : null;
  const use = h ?? (await (dummy ??= hashPassword(randomBytes(12).toString("hex"))));
  const expected = Buffer.from(use.hash, "base64");
  const key = await scrypt(password, Buffer.from(use.salt, "base64"), expected.length, {
    N: use.N,
    r: use.r,
    p: use.p,
  });
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

/** Administrators (a role with `administrator: true`) need a longer password than other users. */
export const ADMIN_MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's score (0–4) a new password must reach: 3 is "safely unguessable" (about 10^8 guesses and more). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * The strength estimator (@zxcvbn-ts, with its common-password list and keyboard graphs), made
 * on the first password it checks rather than at start-up: the dictionaries take some 50 ms to
 * index and only user administration and password changes need them.
 */
let estimator: { z: ZxcvbnFactory; common: Set<string> } | undefined;
function strength() {
  if (!estimator) {
    const common = new Set(dictionary["passwords-common"].map((w) => w.toLowerCase()));
    estimator = { z: new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs }), common };
  }
  return estimator;
}

/** zxcvbn's warning keys in Russian (the rest get the general advice). */
const WARNINGS: Record<string, string> = {
  straightRow: "ряд соседних клавиш легко подобрать",
  keyPattern: "узор из соседних клавиш легко подобрать",
  simpleRepeat: "повторы вроде «aaa» легко подобрать",
  extendedRepeat: "повторы вроде «abcabcabc» легко подобрать",
  sequences: "последовательности вроде «abc» или «6543» легко подобрать",
  recentYears: "недавние годы легко подобрать",
  dates: "даты легко подобрать",
  topTen: "это один из самых распространённых паролей",
  topHundred: "это один из самых распространённых паролей",
  common: "это распространённый пароль",
  similarToCommon: "он похож на распространённый пароль",
  wordByItself: "одно слово легко подобрать",
  namesByThemselves: "имена и фамилии легко подобрать",
  commonNames: "распространённые имена и фамилии легко подобрать",
  userInputs: "в нём есть имя пользователя",
  pwned: "он встречается в утечках паролей",
};
const ADVICE = "возьмите три-четыре случайных слова или 12 и больше случайных символов (буквы, цифры, знаки)";

export interface PasswordPolicy {
  /** The user holds an administrator role: at least ADMIN_MIN_PASSWORD_LENGTH characters. */
  administrator?: boolean;
  /** What the password must not be built from besides the login (the user's name). */
  userInputs?: string[];
}

/**
 * Why a new password is not accepted, or null: too short (8 characters, 12 for an
 * administrator), too long, the login itself, control characters, on the list of common and
 * breached passwords @zxcvbn-ts ships, or guessable (zxcvbn's score below MIN_PASSWORD_SCORE).
 */
export function passwordProblem(password: string, login: string, policy: PasswordPolicy = {}): string | null {
  const min = policy.administrator ? ADMIN_MIN_PASSWORD_LENGTH : MIN_PASSWORD_LENGTH;
  if (password.length < min) {
    return policy.administrator
      ? `Пароль администратора слишком короткий: нужно не меньше ${min} символов`
      : `Пароль слишком короткий: нужно не меньше ${min} символов`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `Пароль слишком длинный: не больше ${MAX_PASSWORD_LENGTH} символов`;
  if (password.toLowerCase() === login.toLowerCase()) return "Пароль не должен совпадать с именем пользователя";
  if (/[\u0000-\u001f\u007f]/.test(password)) return "Пароль не должен содержать управляющих символов";
  const { z, common } = strength();
  if (common.has(password.toLowerCase()))
    return `Этот пароль есть в списке самых распространённых и утёкших паролей — его подберут первым; ${ADVICE}`;
  const inputs = [login, ...(policy.userInputs ?? [])]
    .flatMap((x) => [x, ...x.split(/[\s.,@_-]+/)])
    .filter((x) => x.length >= 3);
  const r = z.check(password.slice(0, 256), inputs);
  if (r.score < MIN_PASSWORD_SCORE) {
    const why = (r.feedback.warning && WARNINGS[r.feedback.warning]) || "его легко подобрать";
    return `Пароль слишком простой (${why}); ${ADVICE}`;
  }
  return null;
}
