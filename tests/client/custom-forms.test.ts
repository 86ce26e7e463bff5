/**
 * Custom forms (docs/metadata.md, recipe (e)): the form the document shows, put in a forms/
 * folder of a configuration, is bundled by client/build.ts and registers itself for its object.
 * The ЖКХ configuration's own forms are driven in the seed-*.test.ts files.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildClient, formModules } from "../../client/build.ts";
import { ROOT } from "../helpers/db.ts";

describe("client: custom forms of a configuration", () => {
  it("the recipe's form is bundled from forms/*.ts and registers its element for the object", async function () {
    const doc = readFileSync(join(ROOT, "docs", "metadata.md"), "utf8");
    const block = /<!-- custom-form -->\s*```ts\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(block, "docs/metadata.md shows the custom form after <!-- custom-form -->").to.be.a("string");
    // two levels below the repository, as metadata/forms is, so the recipe's imports resolve
    const conf = mkdtempSync(join(ROOT, ".custom-forms-"));
    try {
      mkdirSync(join(conf, "forms", "lib"), { recursive: true });
      writeFileSync(join(conf, "forms", "WriteOff.ts"), block + "\n");
      writeFileSync(join(conf, "forms", "lib", "helper.ts"), "export const x = 1;\n");
      expect(formModules(join(conf, "forms"))).to.deep.equal([join(conf, "forms", "WriteOff.ts")]);
      const out = await buildClient({ outDir: join(conf, "dist"), formsDir: join(conf, "forms"), minify: false });
      const js = readFileSync(join(out, "app.js"), "utf8");
      expect(js).to.contain('registerForm("document.WriteOff", "write-off-form")');
      expect(js).to.contain("app-shell"); // the client itself is in the same bundle
    } finally {
      rmSync(conf, { recursive: true, force: true });
    }
  });
});
