// Excel export (issue 18): a list (GET …?format=xlsx), a report (render?format=xlsx) and a table
// the client holds — a tabular part — (POST /api/export?format=xlsx) come out as .xlsx files that
// exceljs reads back with the types kept: numbers as numbers formatted «#,##0.00» for money,
// dates as dates, Russian headers (the synonyms), columns as wide as their content; the CSV of a
// list goes through the same table.
import { expect } from "chai";
import ExcelJS from "exceljs";
import { Decimal } from "decimal.js";
import { closePrinter } from "../../server/reports/pdf.ts";
import { tx } from "../../server/storage/db.ts";
import { startDemo, type Demo } from "./helpers.ts";

async function sheetOf(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  expect(wb.worksheets.length).to.equal(1);
  return wb.worksheets[0];
}

const headers = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

async function download(d: Demo, path: string, init?: RequestInit) {
  const r = await fetch(d.base + path, init);
  const bytes = new Uint8Array(await r.arrayBuffer());
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${Buffer.from(bytes).toString()}`);
  return { bytes, headers: r.headers };
}

describe("export to Excel: lists, reports, tabular parts", function () {
  let d: Demo;
  before(async () => {
    d = await startDemo();
  });
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("a document list: the columns asked for with their synonyms, amounts as numbers «#,##0.00», dates as dates, references by presentation", async () => {
    const json = await d.get("/api/documents/Payment?sort=number&limit=1000");
    const { bytes, headers: h } = await download(
      d,
      "/api/documents/Payment?format=xlsx&sort=number&columns=number,date,Account,Amount,posted,DistributionMethod",
    );
    expect(h.get("content-type")).to.equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(h.get("content-disposition") ?? "")![1])).to.equal(
      "Оплата.xlsx",
    );
    const ws = await sheetOf(bytes);
    expect(ws.name).to.equal("Оплата");
    expect(headers(ws)).to.deep.equal(["Номер", "Дата", "Лицевой счет", "Сумма", "Проведен", "Способ распределения"]);
    expect(ws.rowCount - 1)
      .to.equal(json.rows.length)
      .and.to.be.greaterThan(0);
    const first = json.rows[0];
    const row = ws.getRow(2);
    expect(row.getCell(1).value).to.equal(first.number);
    const date = row.getCell(2);
    expect(date.type).to.equal(ExcelJS.ValueType.Date);
    expect((date.value as Date).toISOString().slice(0, 19)).to.equal(first.date);
    expect(date.numFmt).to.equal("dd.mm.yyyy hh:mm:ss");
    expect(row.getCell(3).value).to.equal(json.refs[first.Account]);
    const amount = row.getCell(4);
    expect(amount.type).to.equal(ExcelJS.ValueType.Number);
    expect(amount.value).to.equal(Number(first.Amount));
    expect(amount.numFmt).to.equal("#,##0.00");
    expect(row.getCell(5).value).to.equal(first.posted ? "Да" : "Нет");
    // the column is as wide as the account's presentation, not cut
    expect(ws.getColumn(3).width).to.be.at.least(Math.min(60, String(json.refs[first.Account]).length));
    // the total of the column is the list's (kopecks kept)
    let total = new Decimal(0);
    ws.getColumn(4).eachCell((c, n) => {
      if (n > 1) total = total.plus(c.value as number);
    });
    const expected = json.rows.reduce((s: Decimal, r: { Amount: string }) => s.plus(r.Amount), new Decimal(0));
    expect(total.toFixed(2)).to.equal(expected.toFixed(2));
  });

  it("a list's CSV comes from the same table; filters and search apply; an unknown column is a 400", async () => {
    const json = await d.get("/api/catalogs/PersonalAccounts?search=00000000001");
    const { bytes } = await download(
      d,
      "/api/catalogs/PersonalAccounts?format=csv&search=00000000001&columns=code,name",
    );
    const lines = Buffer.from(bytes)
      .toString("utf8")
      .replace(/^\ufeff/, "")
      .split("\r\n");
    expect(lines[0]).to.equal("Код;Наименование");
    expect(lines.length - 2).to.equal(json.rows.length);
    expect(lines[1]).to.match(/^00000000001;/);
    const bad = await fetch(`${d.base}/api/catalogs/PersonalAccounts?format=xlsx&columns=code,Nothing`);
    expect(bad.status).to.equal(400);
    expect((await bad.json()).error.message).to.include("«Nothing»");
    const badFormat = await fetch(`${d.base}/api/catalogs/PersonalAccounts?format=xls`);
    expect(badFormat.status).to.equal(400);
    // who saved which list, with its search and the rows' count, is in the journal
    const journal = await tx(d.platform.db.app, 1, (c) =>
      c.query("SELECT object_name, details FROM _journal WHERE action = 'listExport' ORDER BY at DESC LIMIT 1"),
    );
    expect(journal.rows[0].object_name).to.equal("PersonalAccounts");
    expect(journal.rows[0].details).to.deep.include({
      format: "csv",
      rows: String(json.rows.length),
      search: "00000000001",
    });
  });

  it("a report: the CSV's columns with their types — dates as dates, amounts as numbers", async () => {
    const params = { from: "2011-11-01", to: "2011-11-30" };
    const csv = await d.render("payments-register", params, "csv");
    const x = await d.render("payments-register", params, "xlsx");
    expect(x.status, x.text.slice(0, 300)).to.equal(200);
    expect(x.headers.get("content-type")).to.include("spreadsheetml");
    const ws = await sheetOf(x.bytes);
    const csvLines = csv.text
      .replace(/^\ufeff/, "")
      .split("\r\n")
      .filter(Boolean)
      .map((l) => l.split(";"));
    expect(headers(ws)).to.deep.equal(csvLines[0]);
    expect(ws.rowCount).to.equal(csvLines.length).and.to.be.greaterThan(1);
    for (let i = 2; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      const date = row.getCell(1);
      expect(date.type).to.equal(ExcelJS.ValueType.Date);
      const [dd, mm, yyyy] = csvLines[i - 1][0].split(".");
      expect((date.value as Date).toISOString().slice(0, 10)).to.equal(`${yyyy}-${mm}-${dd}`);
      const amount = row.getCell(6);
      expect(amount.type).to.equal(ExcelJS.ValueType.Number);
      expect(amount.numFmt).to.equal("#,##0.00");
      expect((amount.value as number).toFixed(2).replace(".", ",")).to.equal(csvLines[i - 1][5]);
    }
    const info = await d.get("/api/reports/payments-register");
    expect(info.formats).to.include("xlsx");
  });

  it("a tabular part the client holds: POST /api/export writes it with its kinds; a bad table is a 400", async () => {
    const table = {
      title: "Оплата 0000000001 — Услуги",
      columns: [
        { title: "N", kind: "integer" },
        { title: "Услуга", kind: "text" },
        { title: "Количество", kind: "quantity", scale: 3 },
        { title: "Сумма", kind: "money" },
        { title: "Период", kind: "month" },
      ],
      rows: [
        [1, "Холодное водоснабжение", "12.5", "1234.5", "2011-11-01"],
        [2, "=1+2", null, "-0.01", null],
      ],
    };
    const { bytes, headers: h } = await download(d, "/api/export?format=xlsx&name=Оплата 0000000001 Услуги", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(table),
    });
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(h.get("content-disposition") ?? "")![1])).to.equal(
      "Оплата 0000000001 Услуги.xlsx",
    );
    const ws = await sheetOf(bytes);
    expect(headers(ws)).to.deep.equal(["N", "Услуга", "Количество", "Сумма", "Период"]);
    const r = ws.getRow(2);
    expect(r.getCell(1).value).to.equal(1);
    expect(r.getCell(3).value).to.equal(12.5);
    expect(r.getCell(3).numFmt).to.equal("#,##0.000");
    expect(r.getCell(4).value).to.equal(1234.5);
    expect(r.getCell(4).numFmt).to.equal("#,##0.00");
    expect((r.getCell(5).value as Date).toISOString().slice(0, 10)).to.equal("2011-11-01");
    expect(r.getCell(5).numFmt).to.equal("mmmm yyyy");
    // text stays text in Excel (a cell value, never a formula)
    expect(ws.getRow(3).getCell(2).value).to.equal("=1+2");
    expect(ws.getRow(3).getCell(2).type).to.equal(ExcelJS.ValueType.String);
    expect(ws.getRow(3).getCell(3).value).to.equal(null);
    const bad = await fetch(`${d.base}/api/export?format=xlsx`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...table, columns: [{ title: "x", kind: "formula" }] }),
    });
    expect(bad.status).to.equal(400);
  });
});
