/**
 * The tables of signed documents, created by storage/migrate.ts as the owner (with forced
 * row-level security by data area like every platform table):
 *
 *  _signature_keys  public keys registered per user (Ed25519 as SPKI PEM); a key is revoked,
 *                   never deleted, so old signatures stay verifiable.
 *  _signatures      one row per signature of a document: signer, time, algorithm, the key or
 *                   certificate it verifies with, the sha256 of the canonical bytes signed and
 *                   the signature. A signature is voided (void_at, void_reason, void_by), never
 *                   deleted: the application role has no DELETE right on either table.
 */
import { q } from "../storage/naming.ts";
import { areaIsolationSql } from "../storage/columns.ts";

export function signaturesSchemaSql(appRole: string, areaDefault: string): string {
  const role = q(appRole);
  const secure = (t: string) => areaIsolationSql(t, appRole, "SELECT, INSERT, UPDATE", areaDefault);
  return `
CREATE TABLE IF NOT EXISTS _signature_keys (
  area integer NOT NULL DEFAULT ${areaDefault},
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id text NOT NULL,
  login text NOT NULL,
  algorithm text NOT NULL,
  public_key text NOT NULL,
  fingerprint text NOT NULL,
  title text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (area, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS _signature_keys_fingerprint ON _signature_keys (area, fingerprint);
CREATE TABLE IF NOT EXISTS _signatures (
  area integer NOT NULL DEFAULT ${areaDefault},
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  doc_kind text NOT NULL,
  doc_id uuid NOT NULL,
  user_id text,
  login text,
  signed_at timestamptz NOT NULL DEFAULT now(),
  algorithm text NOT NULL,
  key_id uuid,
  public_key text,
  certificate text,
  subject text,
  canonical_sha256 text NOT NULL,
  signature text NOT NULL,
  void_at timestamptz,
  void_reason text,
  void_by text,
  PRIMARY KEY (area, id)
);
CREATE INDEX IF NOT EXISTS _signatures_doc ON _signatures (area, doc_id);
-- The registers the signer could not read, signed as their digest (canonical.ts).
ALTER TABLE _signatures ADD COLUMN IF NOT EXISTS sealed_registers text[] NOT NULL DEFAULT '{}';
${secure("_signature_keys")}
${secure("_signatures")}
`;
}
