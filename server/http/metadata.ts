/**
 * GET /api/metadata: the configuration as the client needs it to build sections, lists and
 * forms — every object with its synonym, fields with their type (the YAML text and the parsed
 * form), tabular parts (with whether a fill handler exists), registers, enums with their
 * values, constants and subsystems sorted by order. No file paths or other server details.
 * Built once per configuration and cached.
 */
import type { Configuration, Field, TabularPart } from "../metadata/types.ts";
import { systemFields, type ObjMeta } from "../storage/objects.ts";
import type { AttributeMeta, ConfigurationMeta, ListView, SystemFieldMeta, TabularMeta } from "./api-types.ts";
import { workflowView } from "../workflow/meta.ts";
import type { ListMeta } from "../metadata/list-meta.ts";

// The answer's shape is the API's (api-types.ts, which the client imports): the return types
// below make the compiler check what is built here against it.

const fieldView = (f: Field): AttributeMeta => ({
  name: f.name,
  synonym: f.synonym,
  type: f.type,
  typeText: f.typeText,
  required: f.required,
  ...(f.min !== undefined ? { min: f.min } : {}),
});

function tabularView(o: ObjMeta, tp: TabularPart, conf: Configuration): TabularMeta {
  const fill = conf.modules.get(`${o.kind}.${o.name}`)?.fill?.[tp.name];
  return {
    name: tp.name,
    synonym: tp.synonym,
    attributes: tp.attributes.map(fieldView),
    fill: typeof fill === "function",
  };
}

const systemView = (o: ObjMeta): SystemFieldMeta[] =>
  systemFields(o).map((f) => ({ name: f.name, type: f.type, readOnly: f.readOnly === true }));

const listView = (l: ListMeta): ListView => ({
  ...(l.columns ? { columns: l.columns } : {}),
  groups: l.groups.map((g) => ({ name: g.name, synonym: g.synonym, color: g.color })),
});

export function clientMetadata(conf: Configuration): ConfigurationMeta {
  return {
    catalogs: [...conf.catalogs.values()].map((c) => ({
      name: c.name,
      synonym: c.synonym,
      codeLength: c.codeLength,
      nameLength: c.nameLength,
      hierarchical: c.hierarchical,
      system: systemView(c),
      attributes: c.attributes.map(fieldView),
      tabularParts: c.tabularParts.map((tp) => tabularView(c, tp, conf)),
      ...(c.attachments ? { attachments: true } : {}),
      ...(c.list ? { list: listView(c.list) } : {}),
    })),
    documents: [...conf.documents.values()].map((d) => ({
      name: d.name,
      synonym: d.synonym,
      numberLength: d.numberLength,
      system: systemView(d),
      attributes: d.attributes.map(fieldView),
      tabularParts: d.tabularParts.map((tp) => tabularView(d, tp, conf)),
      registers: d.registers,
      posts: typeof conf.modules.get(`document.${d.name}`)?.post === "function",
      ...(d.attachments ? { attachments: true } : {}),
      ...(d.workflow ? { workflow: workflowView(d.workflow) } : {}),
      ...(d.list ? { list: listView(d.list) } : {}),
    })),
    accumulationRegisters: [...conf.accumulationRegisters.values()].map((r) => ({
      name: r.name,
      synonym: r.synonym,
      registerKind: r.registerKind,
      controlNegative: r.controlNegative,
      dimensions: r.dimensions.map(fieldView),
      resources: r.resources.map(fieldView),
      attributes: r.attributes.map(fieldView),
    })),
    informationRegisters: [...conf.informationRegisters.values()].map((r) => ({
      name: r.name,
      synonym: r.synonym,
      periodicity: r.periodicity,
      writeMode: r.writeMode,
      dimensions: r.dimensions.map(fieldView),
      resources: r.resources.map(fieldView),
      attributes: r.attributes.map(fieldView),
    })),
    ...(conf.accountingRegisters.size
      ? {
          accountingRegisters: [...conf.accountingRegisters.values()].map((r) => ({
            name: r.name,
            synonym: r.synonym,
            chartOfAccounts: r.chart,
            analytics: (conf.chartsOfAccounts.get(r.chart)?.analytics ?? []).map((a) => ({
              name: a.name,
              synonym: a.synonym,
              type: a.type,
            })),
            resources: r.resources.map(fieldView),
            attributes: r.attributes.map(fieldView),
          })),
        }
      : {}),
    enums: [...conf.enums.values()].map((e) => ({
      name: e.name,
      synonym: e.synonym,
      values: e.values.map((v) => ({ ...v })),
    })),
    constants: [...conf.constants.values()].map((c) => ({
      name: c.name,
      synonym: c.synonym,
      type: c.type,
      typeText: c.typeText,
    })),
    subsystems: [...conf.subsystems.values()]
      .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))
      .map((s) => ({ name: s.name, synonym: s.synonym, order: s.order, content: [...s.content] })),
  };
}

const cache = new WeakMap<Configuration, ConfigurationMeta>();

export function cachedClientMetadata(conf: Configuration): ConfigurationMeta {
  let v = cache.get(conf);
  if (!v) cache.set(conf, (v = clientMetadata(conf)));
  return v;
}
