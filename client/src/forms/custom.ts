/**
 * Custom forms of the configuration (1C's "своя форма объекта"): a module in the
 * configuration's forms/ folder defines a lit element — usually extending DocumentForm or
 * ObjectForm, or composing fields.ts and <tabular-part> — and registers it here under
 * "catalog.<Name>" or "document.<Name>". The shell (shell/content.ts) then opens that element
 * instead of the generic form; it gets the same properties (name, objectId, copyOf) and speaks
 * the same tab events. client/build.ts bundles every forms/*.ts of the configuration.
 */
import type { ObjectKind } from "../meta.ts";

export type FormKey = `${ObjectKind}.${string}`;

const forms = new Map<FormKey, string>();

/** Registers `tagName` (an element already defined, or defined later) as the form of `key`. */
export function registerForm(key: FormKey, tagName: string): void {
  if (!/^(catalog|document)\.\w+$/.test(key))
    throw new Error(`registerForm: "${key}" is not "catalog.<Name>" or "document.<Name>"`);
  if (!tagName.includes("-")) throw new Error(`registerForm: "${tagName}" is not a custom element name`);
  forms.set(key, tagName);
}

/** The custom form's tag of an object kind, if the configuration registered one. */
export function customForm(kind: ObjectKind, name: string): string | undefined {
  return forms.get(`${kind}.${name}`);
}
