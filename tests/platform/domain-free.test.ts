// The platform (server/, client/) must know nothing of housing: those words belong in
// metadata/ and reports/. This guards the boundary DESIGN.md draws.
import { expect } from "chai";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../helpers/db.ts";

const HOUSING =
  /\b(tariffs?|meters?|personal ?accounts?|accruals?|penalt(y|ies)|utilit(y|ies)|rent|residents?)\b|тариф|лицев|квартплат|начислен|пени\b|счетчик|жкх/i;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (e === "node_modules" || e === "dist") return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js|json|html|css)$/.test(e) ? [p] : [];
  });
}

describe("the platform is domain-free", () => {
  it("no file in server/ or client/ names a housing concept", () => {
    const offenders: string[] = [];
    for (const f of [...files(join(ROOT, "server")), ...files(join(ROOT, "client"))]) {
      readFileSync(f, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (HOUSING.test(line)) offenders.push(`${relative(ROOT, f)}:${i + 1}: ${line.trim().slice(0, 100)}`);
        });
    }
    expect(offenders, offenders.join("\n")).to.deep.equal([]);
  });

  it("the platform tests run on a non-housing configuration (tests/fixtures/warehouse)", () => {
    const yaml = files(join(ROOT, "tests", "fixtures", "warehouse")).concat(
      readdirSync(join(ROOT, "tests", "fixtures", "warehouse"), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => join(ROOT, "tests", "fixtures", "warehouse", f)),
    );
    expect(yaml.length).to.be.greaterThan(5);
    for (const f of yaml) expect(readFileSync(f, "utf8")).not.to.match(HOUSING);
  });
});
