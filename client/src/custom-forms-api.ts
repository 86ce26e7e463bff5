/**
 * What a configuration's custom forms (metadata/forms/*.ts, bundled with the client) may use
 * from the client — nothing else of client/ or server/ (tests/platform/published-api.test.ts
 * checks): registering a form for a catalog or document, the generic forms to extend (their
 * protected hooks are the extension points), field rows, the API calls, the metadata helpers, the
 * calendar and the Russian formats. A form built on these keeps working when the client's
 * internals change.
 */
export { registerForm, type FormKey } from "./forms/custom.ts";
export { DocumentForm } from "./forms/document-form.ts";
export { ObjectForm } from "./forms/object-form.ts";
export type { Obj } from "./forms/form-base.ts";
export { fieldRow, type FieldCtx } from "./forms/fields.ts";
export type { ComputedMap } from "./tabular/types.ts";
export type { TabularElement } from "./forms/tabular-section.ts";
export { ApiError, get, post, postBytes } from "./api.ts";
export { announceChange, emit, objectKey } from "./shell/tabs.ts";
export { displayValue, registerMeta, type FieldMeta } from "./meta.ts";
export { resolveRefs } from "./refs.ts";
export { addMonths, isRealDate, thisMonth } from "../../server/calendar.ts";
export { formatDate, formatMonth, formatNumber, sumDecimals } from "../../server/format.ts";
