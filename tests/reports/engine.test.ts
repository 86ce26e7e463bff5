// The report engine (server/reports/): Russian formatting, discovery of form folders (a folder
// added is listed and renders), parameter checks (400 naming the field), unknown form (404),
// template errors naming the form and the line, and PDF without Chromium (503).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../helpers/db.ts";
import { amountInWords } from "../../server/reports/words.ts";
import { formatDate, formatMonth, money, quantity } from "../../server/reports/format.ts";
import { closePrinter } from "../../server/reports/pdf.ts";
import { pdfText, startDemo, type Demo } from "./helpers.ts";

const HELLO = {
  "manifest.yaml": `title: Привет\nappliesTo: standalone\nparameters:\n  - { name: n, title: Число, type: integer, required: true, min: 1 }\n  - { name: day, title: День, type: date }\n  - { name: unit, title: Здание, type: catalog.Buildings }\ncsv: { rows: rows, columns: [{ title: Номер, value: i, format: integer }, { title: Сумма, value: sum, format: money }] }\n`,
  "template.hbs": `<h1>{{@report.title}}</h1>\n<p>Дата {{date day "dd.MM.yy"}}, {{month day}}</p>\n{{#each rows}}<p>Строка {{i}}: {{money sum}} — {{words sum}}</p>{{/each}}\n<p>Единиц: {{units}}</p>\n`,
  "data.ts": `export default async function (ctx, params) {\n  const units = await ctx.query("catalog", "Buildings", {});\n  return { units: units.length, day: params.day, rows: Array.from({ length: params.n }, (_, k) => ({ i: k + 1, sum: String(1000 * (k + 1)) + ".50" })) };\n}\n`,
};

function writeForm(dir: string, name: string, files: Record<string, string>): void {
  mkdirSync(join(dir, name), { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, name, f), text);
}

describe("reports: formatting", () => {
  it("writes money, quantities, dates and months the Russian way", () => {
    expect(money("13996.24")).to.equal("13\u00a0996,24");
    expect(money("0")).to.equal("0,00");
    expect(money("-1234567.005")).to.equal("-1\u00a0234\u00a0567,01");
    expect(quantity("43.4205", 4)).to.equal("43,4205");
    expect(quantity("59.00", 1)).to.equal("59,0");
    expect(formatDate("2011-11-24", "dd.MM.yy")).to.equal("24.11.11");
    expect(formatDate("2011-11-24T12:00:00")).to.equal("24.11.2011");
    expect(formatMonth("2011-11-01")).to.equal("Ноябрь 2011 г.");
  });
  it("writes amounts in words", () => {
    expect(amountInWords("13996.24")).to.equal("Тринадцать тысяч девятьсот девяносто шесть рублей 24 копейки");
    expect(amountInWords("1.01")).to.equal("Один рубль 01 копейка");
    expect(amountInWords("2002.02")).to.equal("Две тысячи два рубля 02 копейки");
    expect(amountInWords("1011000.11")).to.equal("Один миллион одиннадцать тысяч рублей 11 копеек");
    expect(amountInWords("0")).to.equal("Ноль рублей 00 копеек");
  });
});

describe("reports: the engine", function () {
  let d: Demo;
  let dir: string;
  const hello = (p: unknown, f = "html") => d.render("hello", p, f);
  before(async () => {
    // A configuration folder of its own: the real metadata, and a reports/ a test can add to.
    dir = mkdtempSync(join(tmpdir(), "reports-conf-"));
    symlinkSync(join(ROOT, "metadata"), join(dir, "metadata"));
    mkdirSync(join(dir, "reports"));
    symlinkSync(join(ROOT, "reports", "receipt"), join(dir, "reports", "receipt"));
    d = await startDemo(join(dir, "metadata"), false);
  });
  after(async () => {
    await closePrinter();
    await d?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists a form folder once it is added, and renders it as HTML, PDF and CSV", async () => {
    const before = await d.get("/api/reports");
    expect(before.reports.map((r: any) => r.name)).to.deep.equal(["receipt"]);
    writeForm(join(dir, "reports"), "hello", HELLO);
    const after = await d.get("/api/reports");
    expect(after.reports.map((r: any) => r.name)).to.deep.equal(["hello", "receipt"]);
    const h = after.reports[0];
    expect(h).to.include({ title: "Привет", error: null });
    expect(h.parameters.map((p: any) => `${p.name}:${p.type}`)).to.deep.equal([
      "n:integer",
      "day:date",
      "unit:catalog.Buildings",
    ]);
    expect((await d.get("/api/reports?object=catalog.PersonalAccounts")).reports.map((r: any) => r.name)).to.deep.equal(
      ["receipt"],
    );

    const html = await hello({ n: 2, day: "2011-11-24" });
    expect(html.status, html.text).to.equal(200);
    expect(html.text)
      .to.include("<h1>Привет</h1>")
      .and.include("Дата 24.11.11, Ноябрь 2011 г.")
      .and.include("Строка 2: 2\u00a0000,50 — Две тысячи рублей 50 копеек")
      .and.include("Единиц: 0");
    expect(html.text).to.include('class="report-page"');
    const pdf = await hello({ n: 3 }, "pdf");
    expect(pdf.status).to.equal(200);
    expect((await pdfText(pdf.bytes)).text).to.include("Строка 3");
    const csv = await hello({ n: 2 }, "csv");
    expect(csv.text).to.equal("\ufeffНомер;Сумма\r\n1;1000,50\r\n2;2000,50\r\n");
  });

  it("answers 404 for an unknown form and 400 naming the bad parameter", async () => {
    writeForm(join(dir, "reports"), "hello", HELLO);
    const missing = await d.render("no-such-form", {});
    expect(missing.status).to.equal(404);
    expect(missing.json.error.code).to.equal("not_found");
    for (const [params, field] of [
      [{}, "n"],
      [{ n: "много" }, "n"],
      [{ n: 0 }, "n"],
      [{ n: 1, day: "2011-02-30" }, "day"],
      [{ n: 1, unit: "not-a-uuid" }, "unit"],
      [{ n: 1, unit: "00000000-0000-0000-0000-000000000000" }, "unit"],
      [{ n: 1, colour: "red" }, "colour"],
    ] as const) {
      const r = await hello(params);
      expect(r.status, JSON.stringify(params)).to.equal(400);
      expect(r.json.error, JSON.stringify(params)).to.include({ field });
    }
    const fmt = await hello({ n: 1 }, "docx");
    expect(fmt.status).to.equal(400);
    expect(fmt.json.error.field).to.equal("format");
  });

  it("names the form and the line of a template error", async () => {
    writeForm(join(dir, "reports"), "broken", {
      ...HELLO,
      "template.hbs": "<p>one</p>\n<p>two</p>\n{{#each rows}}\n<p>{{i}}</p>\n{{/if}}\n",
    });
    let r = await d.render("broken", { n: 1 });
    expect(r.status).to.equal(500);
    expect(r.json.error.code).to.equal("template_error");
    expect(r.json.error.message).to.match(/Форма «broken», template\.hbs, строка [35]/);

    writeForm(join(dir, "reports"), "broken", { ...HELLO, "template.hbs": "<p>one</p>\n<p>{{moneyy 1}}</p>\n" });
    r = await d.render("broken", { n: 1 });
    expect(r.json.error.message).to.equal(
      "Форма «broken», template.hbs, строка 2: неизвестный помощник «moneyy»; есть: " +
        r.json.error.message.split("есть: ")[1],
    );

    writeForm(join(dir, "reports"), "broken", { ...HELLO, "template.hbs": "<p>one</p>\n\n\n<p>{{money day}}</p>\n" });
    r = await d.render("broken", { n: 1, day: "2011-11-24" });
    expect(r.json.error.message).to.match(/^Форма «broken», template\.hbs, строка 4: \{\{money\}\}: not a number/);

    writeForm(join(dir, "reports"), "bad-manifest", {
      ...HELLO,
      "manifest.yaml": "title: X\nparameters:\n  - { name: n, type: catalog.Nothing }\n",
    });
    const list = await d.get("/api/reports");
    expect(list.reports.find((f: any) => f.name === "bad-manifest").error).to.equal(
      "manifest.yaml: parameters[0].type: catalog «Nothing» нет в конфигурации",
    );
    r = await d.render("bad-manifest", {});
    expect(r.status).to.equal(500);
    expect(r.json.error.message).to.include("parameters[0].type");
  });

  it("answers 503 with how to install Chromium when there is none, while HTML still works", async () => {
    const reports = mkdtempSync(join(tmpdir(), "reports-nochrome-"));
    writeForm(reports, "hello", {
      ...HELLO,
      "manifest.yaml": "title: Привет\n",
      "template.hbs": "<p>Привет</p>\n",
      "data.ts": "export default () => ({})\n",
    });
    try {
      const { stdout } = await promisify(execFile)(
        "npx",
        ["tsx", join(ROOT, "tests", "reports", "fixtures", "no-chromium.ts")],
        {
          cwd: ROOT,
          env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: "/nonexistent/chromium", REPORTS_DIR: reports },
        },
      );
      const out = JSON.parse(stdout.trim().split("\n").pop()!);
      expect(out.html.status).to.equal(200);
      expect(out.pdf.status).to.equal(503);
      expect(out.pdf.body.error.code).to.equal("pdf_unavailable");
      expect(out.pdf.body.error.message)
        .to.include("apt-get install -y chromium")
        .and.include("PUPPETEER_EXECUTABLE_PATH");
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });
});
