// Configuration (issue 14 §6): every environment variable is declared once in server/config.ts
// with its type and default; the README's tables list exactly those, with the same defaults; a
// bad value is refused naming the variable.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, setting, VARIABLES, type Variable } from "../../server/config.ts";
import { ROOT } from "../helpers/db.ts";

/** The README's rows of variables: names of the first cell, and the default cell split alike. */
function documented(): { names: string[]; defaults: string[] }[] {
  const rows: { names: string[]; defaults: string[] }[] = [];
  for (const line of readFileSync(join(ROOT, "README.md"), "utf8").split("\n")) {
    const cells = line.split(" | ");
    if (!/^\| `[A-Z][A-Z0-9_]*`/.test(line) || cells.length < 3) continue;
    const names = [...cells[0].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]);
    rows.push({ names, defaults: cells[1].split(/, | \/ /) });
  }
  return rows;
}

describe("platform: configuration variables", function () {
  it("the README lists exactly the variables server/config.ts declares", () => {
    const inReadme = documented()
      .flatMap((r) => r.names)
      .sort();
    expect(inReadme).to.deep.equal(Object.keys(VARIABLES).sort());
  });

  it("the README's defaults are the declared ones", () => {
    let compared = 0;
    for (const row of documented()) {
      if (row.defaults.length !== row.names.length) continue; // a default said in words
      row.names.forEach((name, i) => {
        const literal = /^`([^`]*)`$/.exec(row.defaults[i].trim());
        const declared = (VARIABLES[name as Variable] as { default?: unknown }).default;
        if (literal) {
          expect(String(declared), `${name}: README says ${literal[1]}`).to.equal(literal[1]);
          compared++;
        } else expect(declared, `${name}: README gives no default («${row.defaults[i]}»)`).to.equal(undefined);
      });
    }
    expect(compared).to.be.greaterThan(20);
  });

  it("reads values when asked, with their defaults; a bad one names the variable and what it wants", () => {
    const env = { PORT: "8080", DEFAULT_AREA: "0", LOG_LEVEL: "loud", LOGIN_DELAY_MS: "-5", POSTING_PROFILE: "1" };
    expect(setting("PORT", env)).to.equal(8080);
    expect(setting("PORT", {})).to.equal(3000);
    expect(setting("PG_PORT", {})).to.equal(undefined);
    expect(setting("POSTING_PROFILE", env)).to.equal(true);
    expect(setting("DATA_DIR", { DATA_DIR: "" })).to.equal("./data");
    const refused = (name: Variable) => {
      try {
        setting(name, env);
      } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error(`${name} was accepted`);
    };
    expect(refused("DEFAULT_AREA")).to.match(/^DEFAULT_AREA: a positive integer, got "0"/);
    expect(refused("LOG_LEVEL")).to.match(/^LOG_LEVEL: .*"loud".*trace,debug,info/);
    expect(refused("LOGIN_DELAY_MS")).to.match(/^LOGIN_DELAY_MS: a non-negative number, got "-5"/);
    expect(() => setting("PORT", { PORT: "http" })).to.throw(
      ConfigError,
      /PORT: a port number \(0 for any free one\), got "http"/,
    );
    expect(setting("PORT", { PORT: "0" })).to.equal(0);
    expect(() => setting("PG_PORT", { PG_PORT: "70000" })).to.throw(
      ConfigError,
      /PG_PORT: expected a port, got "70000"/,
    );
  });
});
