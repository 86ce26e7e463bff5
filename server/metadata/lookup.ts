/**
 * The one lookup of metadata objects by name, for every part of the platform (HTTP routes,
 * services, signatures, constants): an unknown name is a 404 saying what is missing, in one form.
 */
import { AppError, notFound } from "../errors.ts";
import type {
  AccumulationRegisterMeta,
  CatalogMeta,
  Configuration,
  ConstantMeta,
  DocumentMeta,
  InformationRegisterMeta,
} from "./types.ts";

export type RegisterMeta = AccumulationRegisterMeta | InformationRegisterMeta;

function found<T>(m: T | undefined, missing: string): T {
  if (!m) throw notFound(`${missing} в конфигурации`);
  return m;
}

export const catalogOf = (conf: Configuration, name: string): CatalogMeta =>
  found(conf.catalogs.get(name), `Справочник «${name}» не найден`);
export const documentOf = (conf: Configuration, name: string): DocumentMeta =>
  found(conf.documents.get(name), `Документ «${name}» не найден`);
export const constantOf = (conf: Configuration, name: string): ConstantMeta =>
  found(conf.constants.get(name), `Константа «${name}» не найдена`);
export const registerOf = (conf: Configuration, name: string): RegisterMeta =>
  found(
    // an accounting register as its storage (metadata/accounting.ts): its routes answer entries' shapes
    conf.accumulationRegisters.get(name) ??
      conf.informationRegisters.get(name) ??
      conf.accountingRegisters.get(name)?.storage,
    `Регистр «${name}» не найден`,
  );

/** An accumulation register by name; `what` (the operation) names the refusal of an information register. */
export function accumulationOf(conf: Configuration, name: string, what: string): AccumulationRegisterMeta {
  const r = registerOf(conf, name);
  if (r.kind !== "accumulationRegister")
    throw new AppError(400, "wrong_register_kind", `${what}: ${name} — регистр сведений, а не регистр накопления`);
  return r;
}

/** An information register by name; `what` names the refusal of an accumulation register. */
export function informationOf(conf: Configuration, name: string, what: string): InformationRegisterMeta {
  const r = registerOf(conf, name);
  if (r.kind !== "informationRegister")
    throw new AppError(400, "wrong_register_kind", `${what}: ${name} — регистр накопления, а не регистр сведений`);
  return r;
}
