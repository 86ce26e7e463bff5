/**
 * The shell, like 1C's Taxi interface: the sections panel (the configuration's subsystems in
 * their order), the chosen section's content (catalogs, documents, registers) as links, and
 * the open forms as tabs. The active tab is the URL hash, the set of open tabs is kept in
 * sessionStorage, so a reload returns to the same place. Closing a tab with unsaved changes
 * asks first (shell/dialog.ts). Ctrl+S and Ctrl+Enter go to the active tab's form.
 */
import { LitElement, html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { t } from "../i18n/index.ts";
import { contentSynonym, loadMetadata, resetMetadata, type Metadata, type SubsystemMeta } from "../meta.ts";
import "../auth/login-form.ts";
import "../auth/user-menu.ts";
import { fetchMe, onUnauthorized } from "../auth/session.ts";
import { ask } from "./dialog.ts";
import { createContent } from "./content.ts";
import { listKey, parseKey, registerKey, type TabContent } from "./tabs.ts";
import { shellStyles } from "./shell-styles.ts";
import { adminLinks, linkIdOf, readableContent, sectionReports, sectionShown, type Link } from "./section-links.ts";
import { openableReports, type ReportInfo } from "../reports/api.ts";
import { is } from "./keymap.ts";
import { KeyMapDialog } from "./keymap-dialog.ts";

interface Tab {
  key: string;
  el: TabContent;
  title: string;
  dirty: boolean;
}

const TABS_STORE = "shell.tabs";
const SECTION_STORE = "shell.section";

export class AppShell extends LitElement {
  static override properties = {
    md: { state: true },
    section: { state: true },
    tabs: { state: true },
    active: { state: true },
    failure: { state: true },
    forms: { state: true },
    loggedIn: { state: true },
  };
  static override styles = shellStyles;

  md?: Metadata;
  section = "";
  tabs: Tab[] = [];
  active = "";
  failure = "";
  /** undefined while the session is being checked; false shows the login form (over open tabs, if the session ran out). */
  loggedIn?: boolean;
  /** The printed forms and reports the user may open (for the sections' links). */
  forms: ReportInfo[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("hashchange", this.onHash);
    window.addEventListener("keydown", this.onKey, true);
    window.addEventListener("beforeunload", this.onUnload);
    this.addEventListener("tab-title", this.onTabTitle as EventListener);
    this.addEventListener("open-tab", ((e: CustomEvent) => this.open(e.detail.key)) as EventListener);
    this.addEventListener("close-tab", ((e: Event) => this.closeFrom(e)) as EventListener);
    this.addEventListener("tab-key", ((e: CustomEvent) => this.rekey(e, e.detail.key)) as EventListener);
    document.title = t("app.title");
    onUnauthorized(() => (this.loggedIn = false));
    fetchMe().then(
      (me) => (me ? this.loggedInNow() : (this.loggedIn = false)),
      (e) => (this.failure = String((e as Error).message ?? e)),
    );
  }

  /** After a login (or with a live session): the configuration as this user may see it. */
  private loggedInNow(): void {
    this.loggedIn = true;
    if (this.md) return; // the session ran out and the same user came back: keep the open tabs
    resetMetadata();
    loadMetadata().then(
      (md) => this.start(md),
      (e) => (this.failure = String((e as Error).message ?? e)),
    );
  }

  private loggedOut(): void {
    // Everything the previous user had open goes: tabs, sections, the loaded configuration.
    sessionStorage.removeItem(TABS_STORE);
    sessionStorage.removeItem(SECTION_STORE);
    location.hash = "";
    location.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("hashchange", this.onHash);
    window.removeEventListener("keydown", this.onKey, true);
    window.removeEventListener("beforeunload", this.onUnload);
  }

  private start(md: Metadata): void {
    this.md = md;
    openableReports().then(
      (f) => (this.forms = f),
      () => (this.forms = []),
    );
    const stored = sessionStorage.getItem(SECTION_STORE);
    this.section = md.subsystems.some((s) => s.name === stored) ? stored! : (md.subsystems[0]?.name ?? "");
    let keys: string[] = [];
    try {
      keys = JSON.parse(sessionStorage.getItem(TABS_STORE) ?? "[]");
    } catch {
      keys = [];
    }
    for (const k of keys) if (parseKey(k)) this.addTab(k);
    const fromHash = this.hashKey();
    if (fromHash) {
      this.open(fromHash);
      this.sectionOf(fromHash);
    } else if (this.tabs.length) this.activate(this.tabs[this.tabs.length - 1].key);
    this.setAttribute("ready", "");
    void this.updateComplete.then(() => performance.mark("shell-ready"));
  }

  private hashKey(): string {
    return decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  }

  private onHash = () => {
    const k = this.hashKey();
    if (k && k !== this.active && this.md) this.open(k);
  };

  private onUnload = (e: BeforeUnloadEvent) => {
    if (this.tabs.some((x) => x.dirty)) e.preventDefault();
  };

  private onKey = (e: KeyboardEvent) => {
    if (is("help", e)) {
      // F1: the keys of the current form (the same table its handlers use)
      e.preventDefault();
      if (!document.querySelector("modal-dialog")) this.showKeys();
      return;
    }
    const ok = is("formOk", e) || is("docOk", e);
    if (!ok && !is("formWrite", e)) return;
    if (document.querySelector("modal-dialog")) return;
    const tab = this.tabs.find((x) => x.key === this.active);
    if (!ok) e.preventDefault();
    if (tab?.el.shortcut?.(e)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  /** The keyboard map (F1) of the active tab: its form's contexts, else the window's keys. */
  showKeys(): void {
    const el = this.tabs.find((x) => x.key === this.active)?.el;
    KeyMapDialog.show(el?.keyContexts?.() ?? ["window"]);
  }

  private tabOf(e: Event): Tab | undefined {
    const path = e.composedPath();
    return this.tabs.find((x) => path.includes(x.el));
  }

  private onTabTitle = (e: CustomEvent<{ title: string; dirty: boolean }>) => {
    const tab = this.tabOf(e);
    if (!tab) return;
    tab.title = e.detail.title;
    tab.dirty = e.detail.dirty;
    this.tabs = [...this.tabs];
  };

  private addTab(key: string): Tab | undefined {
    const route = parseKey(key);
    if (!route) return undefined;
    const el = createContent(route);
    const tab: Tab = { key, el, title: t("common.loading"), dirty: false };
    this.tabs = [...this.tabs, tab];
    this.store();
    return tab;
  }

  /** Opens the tab with this key, or activates it if it is open. */
  open(key: string): void {
    if (!this.tabs.some((x) => x.key === key) && !this.addTab(key)) return;
    this.activate(key);
  }

  private activate(key: string): void {
    this.active = key;
    const h = "#/" + key;
    if (location.hash !== h) history.replaceState(null, "", h);
  }

  private store(): void {
    sessionStorage.setItem(
      TABS_STORE,
      JSON.stringify(this.tabs.map((x) => x.key).filter((k) => !/\/(new|copy)\//.test(k))),
    );
  }

  private rekey(e: Event, key: string): void {
    const tab = this.tabOf(e);
    if (!tab) return;
    const was = tab.key;
    tab.key = key;
    this.tabs = [...this.tabs];
    this.store();
    if (this.active === was) this.activate(key);
  }

  private closeFrom(e: Event): void {
    const tab = this.tabOf(e);
    if (tab) void this.close(tab.key, (e as CustomEvent<{ force?: boolean } | undefined>).detail?.force === true);
  }

  /** Closes a tab; with unsaved changes asks first unless `force`. Resolves true if closed. */
  async close(key: string, force = false): Promise<boolean> {
    const tab = this.tabs.find((x) => x.key === key);
    if (!tab) return true;
    if (!force && tab.dirty) {
      this.activate(key);
      const answer = await ask(
        t("shell.saveChanges"),
        [
          { value: "yes", label: t("common.yes") },
          { value: "no", label: t("common.no") },
          { value: "cancel", label: t("common.cancel") },
        ],
        tab.title,
      );
      if (answer === "cancel" || answer === "") return false;
      if (answer === "yes" && !(await tab.el.save?.())) return false;
    }
    const i = this.tabs.indexOf(tab);
    this.tabs = this.tabs.filter((x) => x !== tab);
    this.store();
    if (this.active === tab.key) {
      const next = this.tabs[Math.min(i, this.tabs.length - 1)];
      if (next) this.activate(next.key);
      else {
        this.active = "";
        history.replaceState(null, "", location.pathname + location.search);
      }
    }
    return true;
  }

  /** Shows the section that holds the tab's object (on a reload or a link). */
  private sectionOf(key: string): void {
    const r = parseKey(key);
    if (!r || !this.md) return;
    const item = linkIdOf(r);
    const links = (x: SubsystemMeta) =>
      [...sectionReports(x, this.forms), ...adminLinks(x, this.md!.subsystems)].map((l) => l.id);
    const has = (x: SubsystemMeta) =>
      x.content.some((c) => c === item || c.endsWith("." + item)) || links(x).includes(item);
    const current = this.md.subsystems.find((x) => x.name === this.section);
    if (current && has(current)) return;
    const s = this.md.subsystems.find(has);
    if (s) this.chooseSection(s);
  }

  private chooseSection(s: SubsystemMeta): void {
    this.section = s.name;
    sessionStorage.setItem(SECTION_STORE, s.name);
  }

  private openContent(item: string): void {
    const [kind, name] = item.split(".");
    const key = kind === "catalog" || kind === "document" ? listKey(kind, name) : registerKey(name);
    this.open(key);
    // the focus leaves the sections panel for the list (Ins, Enter, F2 work at once)
    void this.updateComplete.then(() => this.tabs.find((x) => x.key === key)?.el.focusGrid?.());
  }

  override render() {
    if (this.failure) return html`<div class="failure">${t("shell.loadFailed")}: ${this.failure}</div>`;
    if (this.loggedIn === false && !this.md) return html`<login-form @login=${() => this.loggedInNow()}></login-form>`;
    if (!this.md) return html`<div class="loading">${t("common.loading")}</div>`;
    const section = this.md.subsystems.find((s) => s.name === this.section);
    return html`<div class="frame">
      <header class="top">
        <span class="app">${t("app.title")}</span>
        <user-menu @logout=${() => this.loggedOut()}></user-menu>
      </header>
      ${this.loggedIn === false ? html`<div class="relogin"><login-form @login=${() => this.loggedInNow()}></login-form></div>` : nothing}
      <nav class="sections" role="tablist">
        ${this.md.subsystems
          .filter((s) => sectionShown(s, this.md!.subsystems, this.forms))
          .map(
            (s) =>
              html`<button class="section ${s.name === this.section ? "current" : ""}" data-section=${s.name} role="tab" @click=${() => this.chooseSection(s)}>${s.synonym}</button>`,
          )}
      </nav>
      <div class="body">
        <aside class="content">${section ? this.renderContent(section) : nothing}</aside>
        <main class="work">
          <div class="tabstrip">
            ${this.tabs.map(
              (
                x,
              ) => html`<div class="tab ${x.key === this.active ? "active" : ""}" data-key=${x.key} title=${x.title} @click=${() => this.activate(x.key)}>
                <span class="caption">${x.title}${x.dirty ? " *" : ""}</span>
                <button class="x" title=${t("common.close")} @click=${(e: Event) => (e.stopPropagation(), void this.close(x.key))}>×</button>
              </div>`,
            )}
          </div>
          <div class="pages">
            ${repeat(
              this.tabs,
              (x) => x.el,
              (x) => html`<div class="page" ?hidden=${x.key !== this.active}>${x.el}</div>`,
            )}
            ${this.tabs.length === 0 ? html`<div class="empty">${t("shell.noTabs")}</div>` : nothing}
          </div>
        </main>
      </div>
    </div>`;
  }

  private renderContent(s: SubsystemMeta) {
    const content = readableContent(s);
    const groups: [string, string[]][] = [
      ["shell.catalogs", content.filter((c) => c.startsWith("catalog."))],
      ["shell.documents", content.filter((c) => c.startsWith("document."))],
      ["shell.registers", content.filter((c) => /Register\./.test(c))],
    ];
    const shown = groups.filter(([, items]) => items.length);
    const extra: [string, Link[]][] = (
      [
        ["shell.reports", sectionReports(s, this.forms)],
        ["shell.administration", adminLinks(s, this.md!.subsystems)],
      ] as [string, Link[]][]
    ).filter(([, l]) => l.length);
    if (!shown.length && !extra.length) return html`<div class="none">${t("shell.sectionEmpty")}</div>`;
    return html`<h2>${s.synonym}</h2>
      ${shown.map(
        ([title, items]) => html`<h3>${t(title)}</h3>
          ${items.map((c) => html`<a href="#" class="link" data-content=${c} @click=${(e: Event) => (e.preventDefault(), this.openContent(c))}>${contentSynonym(c)}</a>`)}`,
      )}
      ${extra.map(
        ([title, links]) => html`<h3>${t(title)}</h3>
          ${links.map((l) => html`<a href="#" class="link" data-content=${l.id} @click=${(e: Event) => (e.preventDefault(), this.open(l.key))}>${l.title}</a>`)}`,
      )}`;
  }
}
customElements.define("app-shell", AppShell);
