// The configuration uses only the platform's published API (issue 14 §2): its modules, shared
// code and printed forms' data modules import nothing of server/ but server/api.ts, and its
// custom forms nothing of client/ or server/ but client/src/custom-forms-api.ts — so the
// platform's internals can change without breaking a configuration.
import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../helpers/db.ts";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every module a file imports (static and dynamic), as a path relative to the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  );
  return specs.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, resolve(dirname(file), s)));
}

describe("platform: the configuration uses only the published API", function () {
  it("its modules, shared code and printed forms import nothing of server/ but server/api.ts, and nothing of client/", () => {
    const wrong: string[] = [];
    const sources = [
      ...files(join(ROOT, "metadata")).filter((f) => !f.includes(`${join("metadata", "forms")}`)),
      ...files(join(ROOT, "reports")),
    ];
    expect(sources.length).to.be.greaterThan(20);
    for (const f of sources)
      for (const i of importsOf(f))
        if ((i.startsWith("server/") && i !== "server/api.ts") || i.startsWith("client/"))
          wrong.push(`${relative(ROOT, f)} imports ${i}`);
    expect(wrong).to.deep.equal([]);
  });

  it("its custom forms import nothing of client/ or server/ but client/src/custom-forms-api.ts", () => {
    const wrong: string[] = [];
    const forms = files(join(ROOT, "metadata", "forms"));
    expect(forms.length).to.be.greaterThan(3);
    for (const f of forms)
      for (const i of importsOf(f))
        if ((i.startsWith("server/") || i.startsWith("client/")) && i !== "client/src/custom-forms-api.ts")
          wrong.push(`${relative(ROOT, f)} imports ${i}`);
    expect(wrong).to.deep.equal([]);
  });
});
