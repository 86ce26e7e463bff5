/**
 * What a section of the shell lists for the current user, beyond what the configuration's
 * subsystem names:
 *  - catalogs, documents and registers only when the user may read them (metadata `rights`);
 *  - printed forms and reports: the subsystem's `report.<name>` items, and in the section named
 *    REPORTS_SECTION ("Reports", like 1C's standard subsystem) every form the user may open —
 *    so a form added as a folder under reports/ appears without editing a subsystem;
 *  - the platform's administration links (the journal of user actions) for the administrator,
 *    in the section named ADMIN_SECTION ("Administration"), or in the last section if there is
 *    none.
 * A section left with nothing to show is hidden.
 */
import { t } from "../i18n/index.ts";
import { contentReadable, isAdministrator, type SubsystemMeta } from "../meta.ts";
import type { ReportInfo } from "../reports/api.ts";
import { reportKey } from "../reports/print-button.ts";
import { journalKey } from "./tabs.ts";

export const REPORTS_SECTION = "Reports";
export const ADMIN_SECTION = "Administration";

export interface Link {
  key: string;
  title: string;
  /** data-content of the link (for tests and the sectionOf lookup). */
  id: string;
}

/** The section's catalogs, documents and registers the user may read. */
export const readableContent = (s: SubsystemMeta) =>
  s.content.filter((c) => !c.startsWith("report.") && contentReadable(c));

/** The section's printed forms and reports the user may open. */
export function sectionReports(s: SubsystemMeta, forms: ReportInfo[]): Link[] {
  const listed = s.content.filter((c) => c.startsWith("report.")).map((c) => c.slice("report.".length));
  const shown = s.name === REPORTS_SECTION ? forms : forms.filter((f) => listed.includes(f.name));
  return shown.map((f) => ({ key: reportKey(f.name), title: f.title, id: `report.${f.name}` }));
}

/** The platform's administration links of this section. */
export function adminLinks(s: SubsystemMeta, all: SubsystemMeta[]): Link[] {
  if (!isAdministrator()) return [];
  const home = all.find((x) => x.name === ADMIN_SECTION) ?? all[all.length - 1];
  return home?.name === s.name ? [{ key: journalKey(), title: t("journal.title"), id: "journal" }] : [];
}

/** Whether the section has anything for this user. */
export function sectionShown(s: SubsystemMeta, all: SubsystemMeta[], forms: ReportInfo[]): boolean {
  return readableContent(s).length > 0 || sectionReports(s, forms).length > 0 || adminLinks(s, all).length > 0;
}

/** The content id ("report.x", "journal", or kind.Name) a tab key's route belongs to. */
export function linkIdOf(route: { view: string; name?: string; kind?: string }): string {
  if (route.view === "report") return `report.${route.name}`;
  if (route.view === "journal") return "journal";
  if (route.view === "list" || route.view === "object") return `${route.kind}.${route.name}`;
  if (route.view === "movements") return `document.${route.name}`;
  return route.name ?? "";
}
