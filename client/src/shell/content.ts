/** The element a tab shows for its route: a list, an object or document form (the configuration's custom form if it registered one), movements, a register. */
import { ListForm } from "../list/list-form.ts";
import { ObjectForm } from "../forms/object-form.ts";
import { DocumentForm } from "../forms/document-form.ts";
import { MovementsView } from "../forms/movements-view.ts";
import { RegisterView } from "../forms/register-view.ts";
import { customForm } from "../forms/custom.ts";
import { ReportForm } from "../reports/report-form.ts";
import { JournalForm } from "../journal/journal-form.ts";
import "../reports/print-button.ts";
import "../signatures/sign-commands.ts";
import type { TabContent, TabRoute } from "./tabs.ts";

export function createContent(route: TabRoute): TabContent {
  switch (route.view) {
    case "list": {
      const el = new ListForm();
      el.kind = route.kind;
      el.name = route.name;
      return el;
    }
    case "object": {
      const tag = customForm(route.kind, route.name);
      const el = tag
        ? (document.createElement(tag) as DocumentForm | ObjectForm)
        : route.kind === "document"
          ? new DocumentForm()
          : new ObjectForm();
      el.name = route.name;
      el.objectId = route.id;
      el.copyOf = route.copyOf;
      return el;
    }
    case "movements": {
      const el = new MovementsView();
      el.name = route.name;
      el.objectId = route.id;
      return el;
    }
    case "register": {
      const el = new RegisterView();
      el.name = route.name;
      return el;
    }
    case "report": {
      const el = new ReportForm();
      el.name = route.name;
      el.initial = route.params;
      return el;
    }
    case "journal":
      return new JournalForm();
  }
}
