/**
 * The answer shapes of the workflow and attachment routes, shared by the server and the client
 * (pure types, like api-types.ts):
 *
 *   GET  /api/documents/:name/:id/status-history        StatusHistory (server/workflow/service.ts)
 *   GET  /api/documents/:name/:id                       the document, with allowedTransitions when it has a workflow
 *   GET  /api/{catalogs|documents}/:name/:id/attachments  AttachmentList (server/attachments/service.ts)
 *   GET  /api/metadata                                  documents' `workflow` (WorkflowView), `attachments`
 */

/** A transition the acting user may make from the current status (the form's buttons). */
export interface AllowedTransition {
  to: string;
  /** The button's caption. */
  synonym: string;
  commentRequired: boolean;
  /** Fields (or tabular parts) that must be filled first. */
  require: string[];
}

export interface StatusHistoryRow {
  /** ISO 8601 instant (UTC). */
  at: string;
  login: string | null;
  /** null: the document's creation. */
  from: string | null;
  to: string;
  fromSynonym: string | null;
  toSynonym: string;
  comment: string;
}

export interface StatusHistory {
  status: string;
  statusSynonym: string;
  final: boolean;
  allowedTransitions: AllowedTransition[];
  history: StatusHistoryRow[];
}

/** A document's workflow as /api/metadata shows it (colours for the lists' chips, filters). */
export interface WorkflowView {
  statusField: string;
  initial: string;
  assigneeField: string | null;
  statuses: { name: string; synonym: string; color: string | null; final: boolean }[];
}

export interface AttachmentInfo {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  /** ISO 8601 instant (UTC). */
  createdAt: string;
  login: string | null;
}

export interface AttachmentList {
  attachments: AttachmentInfo[];
  /** May the user add and delete (the object's write right)? */
  canEdit: boolean;
  maxBytes: number;
}
