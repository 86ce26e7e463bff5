/**
 * What a user may do: the union of the rights of the user's roles (metadata roles, RoleMeta).
 * A role's "*" key gives its actions on every object of the kind; an administrator role may do
 * everything. A configuration without an administrator role gets a built-in one, so there is
 * always a role for the first user. Permissions are computed once per set of role names.
 */
import type { Configuration, RightAction, RoleMeta } from "../metadata/types.ts";
import type { PermissionSummary } from "../http/api-types.ts";

export type ObjectGroup = "catalog" | "document" | "register" | "constant";

export const ACTIONS: Record<ObjectGroup, RightAction[]> = {
  catalog: ["read", "write", "delete"],
  document: ["read", "write", "post", "delete"],
  register: ["read", "write", "delete"],
  constant: ["read", "write"],
};

const BUILTIN_ADMIN: RoleMeta = {
  kind: "role",
  name: "Administrator",
  synonym: "Администратор",
  file: "(built-in)",
  administrator: true,
  rights: { catalogs: {}, documents: {}, registers: {}, constants: [], reports: [] },
};

/** The configuration's roles, with the built-in administrator when it defines none. */
export function allRoles(conf: Configuration): RoleMeta[] {
  const roles = [...(conf.roles?.values() ?? [])];
  return roles.some((r) => r.administrator) ? roles : [BUILTIN_ADMIN, ...roles];
}

export const roleNames = (conf: Configuration) => allRoles(conf).map((r) => r.name);

export function administratorRole(conf: Configuration): RoleMeta {
  return allRoles(conf).find((r) => r.administrator)!;
}

export class Permissions {
  readonly administrator: boolean;
  private rights = new Map<string, Set<RightAction>>();
  private reports = new Set<string>();

  constructor(
    private conf: Configuration,
    readonly roles: RoleMeta[],
  ) {
    this.administrator = roles.some((r) => r.administrator);
    const add = (key: string, actions: RightAction[]) => {
      const set = this.rights.get(key) ?? new Set();
      for (const a of actions) set.add(a);
      this.rights.set(key, set);
    };
    for (const r of roles) {
      for (const [name, a] of Object.entries(r.rights.catalogs)) add(`catalog.${name}`, a);
      for (const [name, a] of Object.entries(r.rights.documents)) add(`document.${name}`, a);
      for (const [name, a] of Object.entries(r.rights.registers)) add(`register.${name}`, a);
      add("constant.*", r.rights.constants);
      for (const rep of r.rights.reports) this.reports.add(rep);
    }
  }

  can(group: ObjectGroup, name: string, action: RightAction): boolean {
    if (this.administrator) return true;
    if (
      group === "register" &&
      action !== "read" &&
      this.conf.informationRegisters.get(name)?.writeMode !== "independent"
    )
      return false;
    return (
      this.rights.get(`${group}.${name}`)?.has(action) === true || this.rights.get(`${group}.*`)?.has(action) === true
    );
  }

  /** The actions allowed on one object, in the kind's order. */
  allowed(group: ObjectGroup, name: string): RightAction[] {
    return ACTIONS[group].filter((a) => this.can(group, name, a));
  }

  canReport(name: string): boolean {
    return this.administrator || this.reports.has("*") || this.reports.has(name);
  }

  /** For the client: allowed actions per object, and the reports ("*" = all). */
  summary(): PermissionSummary {
    const conf = this.conf;
    const per = (group: ObjectGroup, names: Iterable<string>) =>
      Object.fromEntries([...names].map((n) => [n, this.allowed(group, n)]));
    return {
      administrator: this.administrator,
      catalogs: per("catalog", conf.catalogs.keys()),
      documents: per("document", conf.documents.keys()),
      registers: per("register", [
        ...conf.accumulationRegisters.keys(),
        ...conf.informationRegisters.keys(),
        ...conf.accountingRegisters.keys(),
      ]),
      constants: this.allowed("constant", "*"),
      reports: this.administrator || this.reports.has("*") ? "*" : [...this.reports].sort(),
    };
  }
}

const cache = new WeakMap<Configuration, Map<string, Permissions>>();

/** The permissions of a user with these role names (unknown names — a role removed from the configuration — give nothing). */
export function permissionsFor(conf: Configuration, roleNames: string[]): Permissions {
  let byKey = cache.get(conf);
  if (!byKey) cache.set(conf, (byKey = new Map()));
  const key = [...roleNames].sort().join(",");
  let p = byKey.get(key);
  if (!p) {
    const roles = allRoles(conf).filter((r) => roleNames.includes(r.name));
    byKey.set(key, (p = new Permissions(conf, roles)));
  }
  return p;
}
