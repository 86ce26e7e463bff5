/**
 * The tabular-part editor and the reference widgets, registered for the client:
 * <tabular-part>, <ref-input>, <app-modal>; openPicker and confirmDialog are imported from
 * widgets/picker.ts and widgets/dialog.ts where needed.
 */
import "../widgets/dialog.ts";
import "../widgets/ref-input.ts";
import "./tabular-part.ts";
