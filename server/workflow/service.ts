/**
 * Document workflow (docs/metadata.md#workflow): a document whose metadata declares `workflow`
 * has its status field changed only by a transition. transition() is the one way: it reads the
 * status, then locks the document row (FOR UPDATE) and reads it again — a transition that
 * committed in between is told to the loser as «Статус уже изменен» (409), so two users never
 * both move the same document — checks the transition is declared from the current status
 * (409), that the status is not final (409), the user's roles (403), the required fields (422,
 * naming the field's synonym) and the comment (422); runs the module's `onTransition` (which may
 * set header attributes or refuse), writes the status and those attributes (version + 1), keeps
 * the transition in _status_history, voids the document's signatures and journals it
 * ("statusChange"), and — for a transition declared with `post: true`, or a document already
 * posted (as any write of a posted document reposts it) — posts the document (its post handler
 * sees the new status), all in the caller's transaction.
 *
 * Plain writes (documents/service.ts) call guardStatusOnWrite: a new document takes the initial
 * status, a write that would change the status is refused (422) and the stored one is kept; and
 * recordCreation puts the creation in the history. The list's «Мои» (mineFilter) and the form's
 * allowed transitions are here too.
 */
import type { Row, TransitionContext } from "../api.ts";
import type { Ctx } from "../context.ts";
import type { DocumentMeta, WorkflowMeta, WorkflowStatus, WorkflowTransition } from "../metadata/types.ts";
import { AppError, UserError, conflict, notFound } from "../errors.ts";
import { documentOf } from "../metadata/lookup.ts";
import { col, q } from "../storage/naming.ts";
import { dbValues, presentation, readForApi, readObject, saveHeader, tableOf } from "../storage/objects.ts";
import { catalogTable } from "../storage/naming.ts";
import { queryApi } from "../documents/context.ts";
import { recordEvent } from "../journal/journal.ts";
import { signedField, voidSignatures } from "../signatures/store.ts";
import { currentScope } from "../security/scope.ts";
import { nowMoment } from "../calendar.ts";
import { postLocked } from "../documents/post.ts";
import { journalPosting } from "../journal/hooks.ts";
import type { AllowedTransition, StatusHistory, StatusHistoryRow } from "../http/workflow-types.ts";

/** The document's workflow, or a 404 naming that it has none. */
export function workflowOf(m: DocumentMeta): WorkflowMeta {
  if (!m.workflow)
    throw notFound(`У документа «${m.synonym}» (${m.name}) нет статусов: в его метаданных не объявлен workflow`);
  return m.workflow;
}

const statusSynonym = (w: WorkflowMeta, name: string | null) =>
  name == null ? "" : (w.statuses.find((s) => s.name === name)?.synonym ?? name);
const quoted = (w: WorkflowMeta, name: string | null) => `«${statusSynonym(w, name) || "без статуса"}»`;

/** Who acts: their role names and whether one is an administrator; null outside a request (a system action may do anything). */
function actingRoles(): { names: string[]; synonyms: string[]; administrator: boolean } | null {
  const scope = currentScope();
  if (!scope) return null;
  return {
    names: scope.perms.roles.map((r) => r.name),
    synonyms: scope.perms.roles.map((r) => r.synonym),
    administrator: scope.perms.administrator,
  };
}

function roleAllows(t: WorkflowTransition, who: ReturnType<typeof actingRoles>): boolean {
  if (!who || who.administrator || t.roles.length === 0) return true;
  return t.roles.some((r) => who.names.includes(r));
}

/** May the acting user write the document (the transitions need it)? */
function canWrite(m: DocumentMeta): boolean {
  const scope = currentScope();
  return !scope || scope.perms.can("document", m.name, "write");
}

/** The transitions the acting user may make from `status` (for the form's buttons). */
export function allowedTransitions(m: DocumentMeta, status: string | null, deletionMark = false): AllowedTransition[] {
  const w = m.workflow;
  if (!w || deletionMark || !canWrite(m)) return [];
  const who = actingRoles();
  return w.transitions
    .filter((t) => t.from === (status ?? w.initial) && roleAllows(t, who))
    .map((t) => ({
      to: t.to,
      synonym: t.synonym,
      commentRequired: t.commentRequired,
      require: t.require,
    }));
}

/** Adds `allowedTransitions` to a document read for the API (a document without workflow is returned as it is). */
export function withAllowedTransitions(m: DocumentMeta, doc: Row): Row {
  if (!m.workflow) return doc;
  const status = (doc[m.workflow.statusField] as string | null) ?? null;
  return { ...doc, allowedTransitions: allowedTransitions(m, status, doc.deletionMark === true) };
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object" && "isZero" in (v as object)) return (v as { isZero(): boolean }).isZero();
  return false;
}

export interface TransitionBody {
  status: string;
  comment?: string;
  /** The status the client saw: a different stored one is «Статус уже изменен» (409). */
  from?: string;
}

/** POST /api/documents/:name/:id/status: makes one transition; returns the document as the API reads it. */
export async function transition(ctx: Ctx, name: string, id: string, body: TransitionBody): Promise<Row> {
  const m = documentOf(ctx.conf, name);
  const w = workflowOf(m);
  const { c, conf } = ctx;
  const column = col(w.statusField);
  const to = w.statuses.find((s) => s.name === body.status);
  if (!to)
    throw new UserError(
      `У документа «${m.synonym}» нет статуса «${body.status}»: возможны ${w.statuses.map((s) => `${s.name} (${s.synonym})`).join(", ")}`,
      { field: "status" },
      "unknown_status",
    );
  const comment = (body.comment ?? "").trim();
  // The status as last committed, then the row locked: what changed in between was another user's transition.
  const seen = await c.query(`SELECT ${q(column)} AS s FROM ${q(tableOf(m))} WHERE id = $1`, [id]);
  if (seen.rowCount === 0) throw notFound(`${m.synonym}: объект ${id} не найден`);
  const doc = await readObject(c, m, id, "code", true);
  const current = (doc[w.statusField] as string | null) || w.initial;
  const before = (seen.rows[0].s as string | null) || w.initial;
  const title = presentation(m, doc);
  if (before !== current || (body.from !== undefined && body.from !== current) || current === to.name)
    throw new AppError(
      409,
      "status_changed",
      `Статус уже изменен: ${title} сейчас в статусе ${quoted(w, current)}${
        body.from !== undefined && body.from !== current ? `, а не ${quoted(w, body.from)}` : ""
      } — перечитайте документ`,
      "status",
    );
  if (doc.deletionMark) throw conflict(`${title} помечен на удаление: его статус не меняется`, "status");
  const from: WorkflowStatus | undefined = w.statuses.find((s) => s.name === current);
  if (from?.final)
    throw new AppError(
      409,
      "final_status",
      `${title} в конечном статусе ${quoted(w, current)}: переход в ${quoted(w, to.name)} невозможен`,
      "status",
    );
  const t = w.transitions.find((x) => x.from === current && x.to === to.name);
  if (!t) {
    const possible = w.transitions.filter((x) => x.from === current).map((x) => quoted(w, x.to));
    throw new AppError(
      409,
      "transition_not_declared",
      `Переход из статуса ${quoted(w, current)} в ${quoted(w, to.name)} не предусмотрен для документа «${m.synonym}»${
        possible.length ? ` (из ${quoted(w, current)} возможны: ${possible.join(", ")})` : ""
      }`,
      "status",
    );
  }
  const who = actingRoles();
  if (!roleAllows(t, who)) {
    const allowedRoles = t.roles.map((r) => `${conf.roles.get(r)?.synonym ?? r} (${r})`).join(", ");
    throw new AppError(
      403,
      "forbidden",
      `Переход ${quoted(w, current)} → ${quoted(w, to.name)} могут выполнять только роли: ${allowedRoles}; ваши роли: ${who?.synonyms.join(", ") || "нет"}`,
      "status",
    );
  }
  for (const f of t.require) {
    if (!isEmpty(doc[f])) continue;
    const a = m.attributes.find((x) => x.name === f);
    const tp = m.tabularParts.find((x) => x.name === f);
    throw new UserError(
      `Для перехода в статус ${quoted(w, to.name)} заполните ${tp ? "табличную часть" : "поле"} «${a?.synonym ?? tp?.synonym ?? f}»`,
      tp ? { table: f } : { field: f },
      "required",
    );
  }
  if (t.commentRequired && !comment)
    throw new UserError(
      `Для перехода в статус ${quoted(w, to.name)} укажите комментарий`,
      { field: "comment" },
      "required",
    );
  if (comment.length > 1000)
    throw new UserError("Комментарий к переходу — не длиннее 1000 символов", { field: "comment" }, "too_long");

  const at = nowMoment();
  const hook = conf.modules.get(`document.${m.name}`)?.onTransition;
  const values = new Map<string, unknown>();
  const changed: string[] = [];
  if (hook) {
    const snapshot = JSON.stringify(doc);
    const original = JSON.parse(snapshot) as Row;
    const hctx: TransitionContext = {
      ...queryApi(ctx),
      doc: doc as TransitionContext["doc"],
      from: current,
      to: to.name,
      comment,
      at,
      user: ctx.actor ? { login: ctx.actor.login, roles: who?.names ?? [] } : null,
    };
    await hook(hctx);
    for (const a of m.attributes) {
      if (a.name === w.statusField) continue;
      if (JSON.stringify(doc[a.name] ?? null) !== JSON.stringify(original[a.name] ?? null)) changed.push(a.name);
    }
    const fields = m.attributes.filter((a) => changed.includes(a.name));
    for (const [k, v] of dbValues(conf, fields, doc, {}, m.name)) values.set(k, v);
  }
  values.set(column, to.name);
  await saveHeader(c, m, id, values, () => conflict(`${title}: не удалось записать статус`, "status"));
  await c.query(
    `INSERT INTO _status_history (doc_kind, doc_id, user_id, login, from_status, to_status, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [m.name, id, ctx.actor?.userId ?? null, ctx.actor?.login ?? null, current, to.name, comment],
  );
  await voidSignatures(ctx, m.name, id, "update", title);
  await recordEvent(c, {
    area: ctx.area,
    actor: ctx.actor,
    action: "statusChange",
    objectKind: "document",
    objectName: m.name,
    objectId: id,
    objectTitle: title,
    details: {
      from: current,
      to: to.name,
      fromSynonym: statusSynonym(w, current),
      toSynonym: to.synonym,
      ...(comment ? { comment } : {}),
      ...(changed.length ? { fields: changed } : {}),
    },
  });
  if (t.post || doc.posted) {
    // post: true posts the document, and a posted one is reposted as any write of it is — its handler
    // sees the new status; same transaction, so a refused posting refuses the transition
    const posted = await postLocked(ctx, m, id);
    await journalPosting(ctx, m, posted, "post");
  }
  return withAllowedTransitions(m, await readForApi(c, conf, m, id, signedField(m.name)));
}

/**
 * Before a plain write of a document with workflow: a new one takes the initial status (whatever
 * the body says: a copy brings its original's along), an existing one keeps its own and a body
 * naming another status is refused (422). `values` are the header columns about to be written.
 */
export function guardStatusOnWrite(
  m: DocumentMeta,
  current: Row | null,
  body: Row,
  values: Map<string, unknown>,
): void {
  const w = m.workflow;
  if (!w) return;
  const stored = current ? ((current[w.statusField] as string | null) ?? null) : null;
  const keep = current ? stored || w.initial : w.initial; // a document written before the workflow was declared gets the initial status
  const given = body[w.statusField];
  // A new document always starts in the initial status (a copy of another brings its status along: dropped).
  if (current && given !== undefined && given !== null && given !== "" && given !== keep) {
    const f = m.attributes.find((a) => a.name === w.statusField);
    throw new UserError(
      `Поле «${f?.synonym ?? w.statusField}» меняется только переходом статуса (кнопки статусов формы, POST /api/documents/${m.name}/:id/status): сейчас ${quoted(w, stored || w.initial)}, а не ${quoted(w, String(given))}`,
      { field: w.statusField },
      "status_readonly",
    );
  }
  values.set(col(w.statusField), keep);
}

/** After a new document with workflow is written: its creation in the initial status, in the history. */
export async function recordCreation(ctx: Ctx, m: DocumentMeta, id: string): Promise<void> {
  if (!m.workflow) return;
  await ctx.c.query(
    `INSERT INTO _status_history (doc_kind, doc_id, user_id, login, from_status, to_status) VALUES ($1, $2, $3, $4, NULL, $5)`,
    [m.name, id, ctx.actor?.userId ?? null, ctx.actor?.login ?? null, m.workflow.initial],
  );
}

/** GET /api/documents/:name/:id/status-history: the status, what the user may do now, and every transition. */
export async function statusHistory(ctx: Ctx, name: string, id: string): Promise<StatusHistory> {
  const m = documentOf(ctx.conf, name);
  const w = workflowOf(m);
  const doc = await readObject(ctx.c, m, id, "json");
  const status = (doc[w.statusField] as string | null) || w.initial;
  const r = await ctx.c.query(
    `SELECT at, login, from_status, to_status, comment FROM _status_history WHERE doc_id = $1 AND doc_kind = $2 ORDER BY id`,
    [id, m.name],
  );
  const history: StatusHistoryRow[] = r.rows.map((x) => ({
    at: (x.at as Date).toISOString(),
    login: x.login ?? null,
    from: x.from_status ?? null,
    to: x.to_status,
    fromSynonym: x.from_status ? statusSynonym(w, x.from_status) : null,
    toSynonym: statusSynonym(w, x.to_status),
    comment: x.comment ?? "",
  }));
  return {
    status,
    statusSynonym: statusSynonym(w, status),
    final: w.statuses.find((s) => s.name === status)?.final === true,
    allowedTransitions: allowedTransitions(m, status, doc.deletionMark === true),
    history,
  };
}

/**
 * The list's «Мои» (?mine=true): a filter on the assignee field — the user's login for a string
 * field, else the items of the referred catalog whose login attribute is the user's.
 */
export async function mineFilter(ctx: Ctx, m: DocumentMeta): Promise<Record<string, unknown>> {
  const w = workflowOf(m);
  if (!w.assigneeField)
    throw new UserError(
      `У документа «${m.synonym}» не объявлено, кому он назначен (workflow.assigneeField): отбор «Мои» невозможен`,
      { field: "mine" },
      "no_assignee",
    );
  const login = ctx.actor?.login ?? "";
  const a = m.attributes.find((x) => x.name === w.assigneeField)!;
  if (a.type.kind !== "ref") return { [a.name]: login };
  const r = await ctx.c.query(
    `SELECT id FROM ${q(catalogTable(a.type.name))} WHERE ${q(col(w.assigneeUserField))} = $1 AND NOT deletion_mark`,
    [login],
  );
  return { [a.name]: r.rows.map((x) => String(x.id)) };
}
