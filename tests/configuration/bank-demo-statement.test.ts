// The demo's bank statement (metadata/demo/bank-statement-2011-12-12.txt): the bytes a bank
// client gives — windows-1251, CR LF, 1CClientBankExchange 1.03 — with one line that matches the
// demo's account 00000000001 and one that names no account (it stays «Не разнесено»).
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Decimal } from "decimal.js";
import { readExchangeFile } from "../../metadata/common/bank/exchange-read.ts";
import { lineKeys } from "../../metadata/common/bank/line-key.ts";
import { matchDocument } from "../../metadata/common/bank/matching.ts";
import { DEMO } from "../../metadata/initial-data.ts";
import { ROOT } from "../helpers/db.ts";

const DEMO_STATEMENT = join(ROOT, "metadata", "demo", "bank-statement-2011-12-12.txt");

describe("demo bank statement", function () {
  const bytes = readFileSync(DEMO_STATEMENT);

  it("is stored as a bank gives it: windows-1251 with CR LF", () => {
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).to.throw(); // Cyrillic in windows-1251
    expect(bytes.subarray(0, 22).toString("latin1")).to.equal("1CClientBankExchange\r\n");
    expect(bytes.filter((b) => b === 0x0a).length).to.equal(bytes.filter((b) => b === 0x0d).length);
  });

  it("reads to the demo organization's account, balances that add up and two incoming payments", () => {
    const f = readExchangeFile(bytes);
    expect([f.version, f.encoding, f.declaredEncoding, f.warnings]).to.deep.equal([
      "1.03",
      "windows-1251",
      "Windows",
      [],
    ]);
    expect(f.accounts).to.deep.equal([DEMO.organization.BankAccount]);
    expect([f.dateFrom, f.dateTo]).to.deep.equal(["2011-12-12", "2011-12-12"]);
    expect(f.documents).to.have.length(2);
    expect(f.documents.every((d) => d.direction === "incoming" && d.operationDate === "2011-12-12")).to.equal(true);
    const received = f.documents.reduce((s, d) => s.plus(d.sum), new Decimal(0));
    expect(received.toFixed(2)).to.equal(f.balances[0].received!.toFixed(2));
    expect(f.documents.every((d) => d.recipient.name === DEMO.organization.name)).to.equal(true);
    expect(new Set(lineKeys(f.documents)).size).to.equal(2);
  });

  it("has a line for the demo's account 00000000001 and its November, and an unmatched one", () => {
    const [matched, unmatched] = readExchangeFile(bytes).documents;
    expect(matched.payer.name).to.equal(DEMO.accounts[0].name); // the owner of 00000000001
    expect(matched.sum.toFixed(2)).to.equal("13803.60"); // «к оплате» of the demo's November receipt
    expect(matchDocument(matched)).to.deep.equal({
      account: "00000000001",
      ambiguousAccounts: [],
      period: "2011-11-01",
      periodError: null,
      payerInn: null,
    });
    expect(unmatched.sum.toFixed(2)).to.equal("3500.00");
    expect(unmatched.payer.name).to.equal(DEMO.accounts[4].name);
    expect(matchDocument(unmatched)).to.deep.equal({
      account: null,
      ambiguousAccounts: [],
      period: null,
      periodError: null,
      payerInn: null,
    });
  });
});
