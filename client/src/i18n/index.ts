/**
 * The one dictionary: every string the interface shows goes through t(key). Russian is the
 * language; English is second (for administrators and tests), chosen by ?lang=en or
 * localStorage "lang". Parts of the interface keep their strings in their own module here
 * (shell.ts, tabular.ts, …) and this file merges them, so two parts never edit one file.
 * A key missing in English falls back to Russian; a key missing everywhere shows itself in
 * brackets so a forgotten string is visible, not blank.
 */
import { shell } from "./shell.ts";
import { tabular } from "./tabular.ts";
import { auth } from "./auth.ts";
import { reports } from "./reports.ts";
import { journal } from "./journal.ts";
import { signatures } from "./signatures.ts";
import { workflow } from "./workflow.ts";
import { accounting } from "./accounting.ts";
import { forms } from "./forms.ts";

import type { Strings } from "./strings.ts";

export type { Strings };

const dictionary: Strings = {
  ...shell,
  ...tabular,
  ...auth,
  ...reports,
  ...journal,
  ...signatures,
  ...workflow,
  ...accounting,
  ...forms,
};

export type Lang = "ru" | "en";

function detect(): Lang {
  try {
    const q = new URLSearchParams(globalThis.location?.search ?? "").get("lang");
    const v = q ?? globalThis.localStorage?.getItem("lang");
    return v === "en" ? "en" : "ru";
  } catch {
    return "ru";
  }
}

let lang: Lang = detect();
export const currentLang = () => lang;
export function setLang(l: Lang): void {
  lang = l;
}

/** The string for key; {name} placeholders are filled from params. */
export function t(key: string, params?: Record<string, string | number>): string {
  const e = dictionary[key];
  let s = e ? (lang === "en" ? (e.en ?? e.ru) : e.ru) : `[${key}]`;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
  return s;
}

export const hasString = (key: string) => key in dictionary;
