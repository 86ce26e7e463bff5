/**
 * A document's `workflow` as metadata (docs/metadata.md#workflow): load.ts normalizes the YAML
 * (once schema.json has accepted it) with normalizeWorkflow, and checkWorkflows cross-checks it
 * against the rest of the configuration — the status field is a string or enum attribute that
 * can hold every status, the initial status and every transition's ends are declared statuses,
 * nothing leads out of a final status, the roles exist, the required fields are the document's,
 * the assignee field holds a login or refers to a catalog whose attribute holds one.
 */
import { relative } from "node:path";
import type { Configuration, DocumentMeta, MetadataIssue, WorkflowMeta } from "../metadata/types.ts";
import type { WorkflowView } from "../http/workflow-types.ts";

/** The YAML's `workflow`, as schema.json accepts it. */
export interface RawWorkflow {
  statusField: string;
  initial: string;
  assigneeField?: string;
  assigneeUserField?: string;
  statuses: { name: string; synonym: string; color?: string; final?: boolean }[];
  transitions: {
    from: string | string[];
    to: string;
    synonym?: string;
    roles?: string[];
    require?: string[];
    comment?: "optional" | "required";
    post?: boolean;
  }[];
}

export function normalizeWorkflow(raw: RawWorkflow): WorkflowMeta {
  const synonymOf = (name: string) => raw.statuses.find((s) => s.name === name)?.synonym ?? name;
  return {
    statusField: raw.statusField,
    initial: raw.initial,
    assigneeField: raw.assigneeField,
    assigneeUserField: raw.assigneeUserField ?? "User",
    statuses: raw.statuses.map((s) => ({
      name: s.name,
      synonym: s.synonym,
      color: s.color ?? null,
      final: s.final === true,
    })),
    transitions: raw.transitions.flatMap((t) =>
      (Array.isArray(t.from) ? t.from : [t.from]).map((from) => ({
        from,
        to: t.to,
        synonym: t.synonym ?? synonymOf(t.to),
        roles: t.roles ?? [],
        require: t.require ?? [],
        commentRequired: t.comment === "required",
        post: t.post === true,
      })),
    ),
  };
}

/** Cross-checks every document's workflow; problems go to `issues` with the file and path. */
export function checkWorkflows(conf: Configuration, issues: MetadataIssue[]): void {
  for (const d of conf.documents.values()) if (d.workflow) checkOne(conf, d, d.workflow, issues);
}

function checkOne(conf: Configuration, d: DocumentMeta, w: WorkflowMeta, issues: MetadataIssue[]): void {
  const file = relative(process.cwd(), d.file);
  const issue = (path: string, message: string) => issues.push({ file, path: `/workflow${path}`, message });
  const names = w.statuses.map((s) => s.name);
  const known = (s: string) => names.includes(s);
  w.statuses.forEach((s, i) => {
    if (names.indexOf(s.name) !== i) issue(`/statuses/${i}/name`, `status "${s.name}" is declared twice`);
  });
  const field = d.attributes.find((a) => a.name === w.statusField);
  if (!field)
    issue(
      "/statusField",
      `the status field "${w.statusField}" is not an attribute of ${d.name} (add it: { name: ${w.statusField}, synonym: Статус, type: string(50) } or an enum)`,
    );
  else if (field.type.kind === "ref" && field.type.target === "enum") {
    const e = conf.enums.get(field.type.name);
    const values = e?.values.map((v) => v.name) ?? [];
    w.statuses.forEach((s, i) => {
      if (e && !values.includes(s.name))
        issue(
          `/statuses/${i}/name`,
          `status "${s.name}" is not a value of enum ${e.name} (its values: ${values.join(", ")})`,
        );
    });
  } else if (field.type.kind === "string") {
    const len = field.type.length;
    w.statuses.forEach((s, i) => {
      if (s.name.length > len)
        issue(`/statuses/${i}/name`, `status "${s.name}" is longer than the status field's string(${len})`);
    });
  } else
    issue("/statusField", `the status field "${w.statusField}" must be string(n) or an enum, not ${field.typeText}`);
  if (!known(w.initial))
    issue("/initial", `the initial status "${w.initial}" is not among the statuses (${names.join(", ")})`);
  const roles = new Set([...conf.roles.keys(), "Administrator"]);
  const fields = new Set([...d.attributes.map((a) => a.name), ...d.tabularParts.map((t) => t.name)]);
  const seen = new Set<string>();
  w.transitions.forEach((t, i) => {
    const p = `/transitions/${i}`;
    if (!known(t.from)) issue(`${p}/from`, `status "${t.from}" is not among the statuses (${names.join(", ")})`);
    if (!known(t.to)) issue(`${p}/to`, `status "${t.to}" is not among the statuses (${names.join(", ")})`);
    if (t.from === t.to) issue(p, `a transition from "${t.from}" to itself`);
    if (w.statuses.find((s) => s.name === t.from)?.final)
      issue(`${p}/from`, `status "${t.from}" is final: no transition leads out of it`);
    const key = `${t.from}>${t.to}`;
    if (seen.has(key)) issue(p, `the transition ${t.from} → ${t.to} is declared twice`);
    seen.add(key);
    t.roles.forEach((r, j) => {
      if (!roles.has(r))
        issue(`${p}/roles/${j}`, `role "${r}" is not in the configuration (roles: ${[...roles].join(", ")})`);
    });
    if (t.post && d.registers.length === 0)
      issue(`${p}/post`, `post: true, but ${d.name} lists no registers to post to`);
    t.require.forEach((f, j) => {
      if (!fields.has(f)) issue(`${p}/require/${j}`, `"${f}" is not an attribute or tabular part of ${d.name}`);
    });
  });
  if (w.assigneeField) {
    const a = d.attributes.find((x) => x.name === w.assigneeField);
    if (!a) issue("/assigneeField", `the assignee field "${w.assigneeField}" is not an attribute of ${d.name}`);
    else if (a.type.kind === "ref" && a.type.target === "catalog") {
      const cat = conf.catalogs.get(a.type.name);
      const u = cat?.attributes.find((x) => x.name === w.assigneeUserField);
      if (cat && u?.type.kind !== "string")
        issue(
          "/assigneeField",
          `the assignee field refers to catalog ${cat.name}, which needs a string attribute "${w.assigneeUserField}" holding the user's login (assigneeUserField)`,
        );
    } else if (a.type.kind !== "string")
      issue(
        "/assigneeField",
        `the assignee field must be string(n) (a login) or a reference to a catalog, not ${a.typeText}`,
      );
  }
}

/** The workflow as GET /api/metadata shows it to the client. */
export function workflowView(w: WorkflowMeta): WorkflowView {
  return {
    statusField: w.statusField,
    initial: w.initial,
    assigneeField: w.assigneeField ?? null,
    statuses: w.statuses.map((s) => ({ ...s })),
  };
}
