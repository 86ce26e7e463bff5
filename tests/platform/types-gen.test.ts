// The typed configuration API (issue 14 §2): `npm run types` writes each configuration's
// types.gen.ts from its metadata; the committed files must be what the metadata gives (CI fails
// when one is stale), and a module declared with defineDocument for another object is refused.
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { typesFor } from "../../server/cli/types.ts";
import { loadConfiguration } from "../../server/metadata/load.ts";
import { MetadataError } from "../../server/metadata/types.ts";
import { ROOT, WAREHOUSE } from "../helpers/db.ts";

describe("platform: generated configuration types", function () {
  for (const root of [join(ROOT, "metadata"), WAREHOUSE]) {
    it(`${root.slice(ROOT.length + 1)}/types.gen.ts is what the metadata gives (else: npm run types)`, async () => {
      const { file, text } = await typesFor(root);
      expect(readFileSync(file, "utf8") === text, `${file} is stale: run npm run types`).to.equal(true);
    });
  }

  it("describes objects, tabular parts, enums and registers as handlers see them", async () => {
    const { text } = await typesFor(WAREHOUSE);
    expect(text).to.match(/export type ProductKinds = "[A-Za-z]+"( \| "[A-Za-z]+")*;/);
    expect(text).to.match(/export interface GoodsReceiptItemsRow \{\n {2}\/\*\* Номер строки \*\/\n {2}line: number;/);
    expect(text).to.match(/Quantity: Decimal( \| null)?;/);
    expect(text).to.match(/GoodsReceipt: "[A-Za-z]+"( \| "[A-Za-z]+")*;/);
    expect(text).to.contain('kind: "balance";');
    expect(text).to.contain(
      "export const defineDocument: DocumentDefiner<Configuration, DocumentRegisters> = (name, module) =>",
    );
    // Nothing imported at run time: a copied configuration folder loads wherever it is.
    expect(text.split("\n").filter((l) => l.startsWith("import ") && !l.startsWith("import type "))).to.deep.equal([]);
  });

  it("a module declared for another object is refused, naming the file and what to pass", async () => {
    const dir = mkdtempSync(join(tmpdir(), "typed-"));
    try {
      cpSync(WAREHOUSE, dir, { recursive: true });
      writeFileSync(
        join(dir, "documents", "Sale.ts"),
        `import { defineDocument } from "../types.gen.ts";\nexport default defineDocument("GoodsReceipt", { post() {} });\n`,
      );
      const e = await loadConfiguration(dir).then(
        () => null,
        (x) => x,
      );
      expect(e).to.be.instanceOf(MetadataError);
      expect(e.message).to.match(
        /Sale\.ts.*declared for document\.GoodsReceipt, but it stands beside document Sale: pass "Sale" to defineDocument/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
