/**
 * Commands other parts of the client add to object and document forms (the printed forms'
 * «Печать», the «Подписать» of signed documents, …) without those forms knowing them: a part
 * registers a provider once (at import), and DocumentForm/ObjectForm render every provider's
 * template in their command bar. A provider gets the form and returns a lit template (usually
 * one custom element that fetches what it needs), or `nothing`.
 */
import { nothing } from "lit";
import type { FormBase } from "./form-base.ts";

export type FormCommandProvider = (form: FormBase) => unknown;

const providers: FormCommandProvider[] = [];

/** Adds a provider of commands to every object and document form. */
export function addFormCommands(p: FormCommandProvider): void {
  providers.push(p);
}

/** The commands of every provider for this form (in the order they were added). */
export function formCommands(form: FormBase): unknown[] {
  return providers.length ? providers.map((p) => p(form)) : [nothing];
}
