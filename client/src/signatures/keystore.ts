/**
 * The user's signing key in this browser: an Ed25519 key pair made by WebCrypto, the private
 * key non-extractable (the script can sign with it but never read it) and kept in IndexedDB per
 * user, the public key registered on the server once (POST /api/signatures/keys; its id kept
 * beside the key). `signingKey()` checks the registration is still live (GET
 * /api/signatures/keys) and registers again when the server lost or revoked it.
 */
import { ApiError, get, post } from "../api.ts";
import { currentUser } from "../auth/session.ts";
import { t } from "../i18n/index.ts";

const DB = "signature-keys";
const STORE = "keys";

interface Stored {
  privateKey: CryptoKey;
  publicKey: string; // 32 raw bytes, base64
  keyId: string | null;
}

function idb<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => (db.close(), resolve(req.result as T));
      tx.onerror = () => (db.close(), reject(tx.error));
    };
  });
}

export const base64 = (bytes: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/** Whether the browser signs with Ed25519 (Chromium, Firefox, Safari of 2024 and later). */
export async function ed25519Supported(): Promise<boolean> {
  try {
    await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    return true;
  } catch {
    return false;
  }
}

async function create(): Promise<Stored> {
  let pair: CryptoKeyPair;
  try {
    pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
  } catch {
    throw new Error(t("sign.unsupported"));
  }
  return {
    privateKey: pair.privateKey,
    publicKey: base64(await crypto.subtle.exportKey("raw", pair.publicKey)),
    keyId: null,
  };
}

/** The user's key, made and registered if needed; the id of its registration. */
export async function signingKey(): Promise<{ privateKey: CryptoKey; keyId: string }> {
  const user = currentUser()?.user.id ?? (await get<{ user: { id: string } }>("/auth/me")).user.id;
  let k = await idb<Stored | undefined>("readonly", (s) => s.get(user));
  if (!k) {
    k = await create();
    await idb("readwrite", (s) => s.put(k, user));
  }
  if (k.keyId) {
    const { keys } = await get<{ keys: { id: string; revokedAt: string | null }[] }>("/signatures/keys");
    if (keys.some((x) => x.id === k!.keyId && !x.revokedAt)) return { privateKey: k.privateKey, keyId: k.keyId };
  }
  try {
    const reg = await post<{ id: string }>("/signatures/keys", {
      publicKey: k.publicKey,
      title: t("sign.keyTitle") + " " + navigator.userAgent.slice(0, 120),
    });
    k = { ...k, keyId: reg.id };
  } catch (e) {
    // Registered before but revoked (or the id was lost): a new key pair.
    if (!(e instanceof ApiError && e.status === 409)) throw e;
    k = await create();
    k = {
      ...k,
      keyId: (await post<{ id: string }>("/signatures/keys", { publicKey: k.publicKey, title: t("sign.keyTitle") })).id,
    };
  }
  await idb("readwrite", (s) => s.put(k, user));
  return { privateKey: k.privateKey, keyId: k.keyId! };
}
