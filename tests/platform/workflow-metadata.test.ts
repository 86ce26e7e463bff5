// Workflow metadata (issue 17 §1, server/workflow/meta.ts): the warehouse fixture's SalesOrder
// loads with its statuses and transitions; a broken workflow is reported with the file, the path
// inside it and what to fix — the status field missing or of a wrong type, a status that is not
// a value of its enum or too long for its string, an unknown initial status, a transition between
// unknown statuses, out of a final status or twice, an unknown role or required field, an
// assignee catalog without the login attribute — and schema.json refuses a bad colour.
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { MetadataError, type MetadataIssue } from "../../server/metadata/types.ts";
import { WAREHOUSE } from "../helpers/db.ts";

const temps: string[] = [];
function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "zhkh-wf-"));
  temps.push(dir);
  cpSync(WAREHOUSE, dir, { recursive: true });
  return dir;
}

/** The issues of SalesOrder.yaml after `change` (only that file's: the rest of the fixture is not under test). */
async function issuesAfter(change: (yaml: string) => string, also?: (dir: string) => void): Promise<MetadataIssue[]> {
  const dir = copyFixture();
  const file = join(dir, "documents", "SalesOrder.yaml");
  writeFileSync(file, change(readFileSync(file, "utf8")));
  also?.(dir);
  try {
    await loadConfiguration(dir, { modules: false });
    return [];
  } catch (e) {
    if (!(e instanceof MetadataError)) throw e;
    return e.issues.filter((i) => i.file.endsWith("SalesOrder.yaml"));
  }
}

function expectIssue(issues: MetadataIssue[], path: string, message: RegExp): void {
  const found = issues.find((i) => i.path === path && message.test(i.message));
  expect(found, `no issue ${path} ~ ${message} among:\n${issues.map((i) => `${i.path}: ${i.message}`).join("\n")}`).to
    .exist;
}

describe("workflow metadata", function () {
  after(() => {
    for (const d of temps) rmSync(d, { recursive: true, force: true });
  });

  it("the fixture's SalesOrder loads: statuses, initial, transitions (one per `from`), assignee", async () => {
    const conf = await loadConfiguration(WAREHOUSE);
    const w = conf.documents.get("SalesOrder")!.workflow!;
    expect(w.statusField).to.equal("Status");
    expect(w.initial).to.equal("Draft");
    expect(w.statuses.map((s) => `${s.name}:${s.final}:${s.color}`)).to.deep.equal([
      "Draft:false:#757575",
      "Approved:false:#1565c0",
      "Shipped:true:#2e7d32",
      "Cancelled:true:#c62828",
    ]);
    expect(w.transitions.filter((t) => t.to === "Cancelled").map((t) => t.from)).to.deep.equal(["Draft", "Approved"]);
    expect(w.transitions.find((t) => t.to === "Shipped")).to.deep.include({
      synonym: "Отгрузить",
      roles: ["Storekeeper"],
      require: ["Carrier"],
      commentRequired: false,
      post: true,
    });
    expect(w).to.deep.include({ assigneeField: "Warehouse", assigneeUserField: "Keeper" });
    expect(conf.documents.get("SalesOrder")!.attachments).to.equal(true);
    expect(conf.catalogs.get("Warehouses")!.attachments).to.equal(true);
    expect(conf.documents.get("Sale")!.workflow).to.equal(undefined);
    expect(typeof conf.modules.get("document.SalesOrder")?.onTransition).to.equal("function");
  });

  it("reports statuses and transitions that do not fit together, each at its path", async () => {
    const issues = await issuesAfter((y) =>
      y
        .replace("initial: Draft", "initial: New")
        .replace("{ from: Approved, to: Draft, synonym: Вернуть в черновик }", "{ from: Shipped, to: Draft }")
        .replace("roles: [Storekeeper], require: [Carrier]", "roles: [Driver], require: [Truck]")
        .replace("{ from: Draft, to: Approved, synonym: Утвердить,", "{ from: Draft, to: Lost, synonym: Утвердить,")
        .replace(
          "    - { name: Cancelled, synonym: Отменен",
          "    - { name: Approved, synonym: Еще раз }\n    - { name: Cancelled, synonym: Отменен",
        ),
    );
    expectIssue(issues, "/workflow/initial", /initial status "New" is not among the statuses/);
    expectIssue(issues, "/workflow/transitions/0/to", /status "Lost" is not among the statuses/);
    expectIssue(issues, "/workflow/transitions/1/roles/0", /role "Driver" is not in the configuration/);
    expectIssue(
      issues,
      "/workflow/transitions/1/require/0",
      /"Truck" is not an attribute or tabular part of SalesOrder/,
    );
    expectIssue(issues, "/workflow/transitions/2/from", /status "Shipped" is final: no transition leads out of it/);
    expectIssue(issues, "/workflow/statuses/3/name", /status "Approved" is declared twice/);
  });

  it("reports a status field that is missing, not a string or enum, or cannot hold a status", async () => {
    expectIssue(
      await issuesAfter((y) => y.replace("statusField: Status", "statusField: State")),
      "/workflow/statusField",
      /the status field "State" is not an attribute of SalesOrder/,
    );
    expectIssue(
      await issuesAfter((y) => y.replace("type: enum.SalesOrderStatuses", "type: date")),
      "/workflow/statusField",
      /must be string\(n\) or an enum, not date/,
    );
    expectIssue(
      await issuesAfter((y) => y.replace("type: enum.SalesOrderStatuses", "type: string(6)")),
      "/workflow/statuses/1/name",
      /status "Approved" is longer than the status field's string\(6\)/,
    );
    const enumIssues = await issuesAfter((y) =>
      y.replace(
        "    - { name: Cancelled, synonym: Отменен",
        "    - { name: Lost, synonym: Потерян }\n    - { name: Cancelled, synonym: Отменен",
      ),
    );
    expectIssue(enumIssues, "/workflow/statuses/3/name", /status "Lost" is not a value of enum SalesOrderStatuses/);
  });

  it("reports post: true on a document that lists no registers", async () => {
    expectIssue(
      await issuesAfter((y) => y.replace("registers: [Stock]\n", "")),
      "/workflow/transitions/1/post",
      /post: true, but SalesOrder lists no registers to post to/,
    );
  });

  it("reports an assignee field that holds no login", async () => {
    expectIssue(
      await issuesAfter((y) => y.replace("assigneeUserField: Keeper", "assigneeUserField: Manager")),
      "/workflow/assigneeField",
      /catalog Warehouses, which needs a string attribute "Manager" holding the user's login/,
    );
    expectIssue(
      await issuesAfter((y) => y.replace("assigneeField: Warehouse", "assigneeField: ShipBy")),
      "/workflow/assigneeField",
      /must be string\(n\) \(a login\) or a reference to a catalog, not date/,
    );
  });

  it("schema.json refuses a bad colour, an unknown key and a transition without `to`", async () => {
    const issues = await issuesAfter((y) =>
      y
        .replace('color: "#757575"', 'color: "grey"')
        .replace("  initial: Draft", "  initial: Draft\n  autoStart: true")
        .replace("{ from: Approved, to: Draft, synonym: Вернуть в черновик }", "{ from: Approved }"),
    );
    const all = issues.map((i) => `${i.path}: ${i.message}`).join("\n");
    expect(all)
      .to.match(/\/workflow\/statuses\/0\/color: "grey": a colour is #rrggbb/)
      .and.match(/\/workflow\/autoStart: unknown property "autoStart"/)
      .and.match(/\/workflow\/transitions\/2: missing required property "to"/);
  });
});
