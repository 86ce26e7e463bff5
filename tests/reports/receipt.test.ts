// The demo receipt of 00000000001 for November 2011 (DOMAIN.md §4, §7): as PDF it carries every
// figure of the seed's receipt and the recipient's details; its QR code decodes to the ГОСТ
// Р 56042-2014 string; the batch prints every account into one PDF, with progress.
import { expect } from "chai";
import puppeteer from "puppeteer";
import { PNG } from "pngjs";
import jsQR from "jsqr";
import { closePrinter, CHROMIUM_ARGS, chromiumExecutable } from "../../server/reports/pdf.ts";
import { gostPaymentString } from "../../reports/receipt/gost.ts";
import { csvRows, pdfText, plain, startDemo, type Demo } from "./helpers.ts";
import { waitFor } from "../helpers/wait.ts";

// jsqr is CommonJS with an ES-style declaration: its default import is the function at run time.
const decodeQr = jsQR as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

const GOST =
  "ST00012|Name=ТСЖ Машенька|PersonalAcc=1111111111222222222|BankName=Мой банк|BIC=|CorrespAcc=|PayeeINN=111111111|Sum=1399624|persAcc=00000000001|paymPeriod=112011";

describe("reports: the receipt", function () {
  let d: Demo;
  before(async () => (d = await startDemo()));
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("as PDF carries every figure of the seed's receipt and the recipient's details", async () => {
    const r = await d.render("receipt", { period: "2011-11", account: d.account }, "pdf");
    expect(r.status, r.text.slice(0, 300)).to.equal(200);
    expect(r.headers.get("content-type")).to.equal("application/pdf");
    const { pages, text } = await pdfText(r.bytes);
    expect(pages).to.equal(1);
    const t = plain(text);
    for (const s of [
      "ИЗВЕЩЕНИЕ",
      "КВИТАНЦИЯ",
      "ТСЖ Машенька",
      "ИНН 111111111",
      "1111111111222222222",
      "Мой банк",
      "БИК",
      "кор/сч",
      "Калинин Вячеслав Петрович",
      "Петрозаводск, ул. Балтийская, д.55, кв.001",
      "ФЛС 00000000001",
      "КОД 00000000001",
      "ПЕРИОД 11 месяц 2011 года",
      "Ноябрь 2011 г.",
      "Задолженность на 01.11.11 2045,64",
      "Оплачено после 01.11.11 1994,77",
      "Дата последней оплаты: 24.11.11",
      "Начислено за Ноябрь 2011 г. 13752,73",
      "Льготы 0,00",
      "Перерасчет 0,00",
      "Итого к оплате 13803,60",
      "13996,24",
      "(в т.ч. пени: 192,64)",
      "Пени 192,64",
      "Пл.общ: 59,0",
      "Жил: 0,0",
      "Проживающие: 3",
      "Льготников: 0",
      "Вид собственности:",
      "Тех. обслуживание м2 59,0000 2,5000 147,50 0,00 0,00 147,50",
      "ХВС м3 43,4205 20,0000 868,41 0,00 0,00 868,41",
      "ГВС м3 20,0000 30,0000 600,00 0,00 0,00 600,00",
      "Вывоз мусора чел 3,0000 250,0000 750,00 0,00 0,00 750,00",
      "Водоотведение м3 63,4205 40,0000 2536,82 0,00 0,00 2536,82",
      "Отопление м2 59,0000 150,0000 8850,00 0,00 0,00 8850,00",
      "Итого: 13752,73 0,00 0,00 13752,73",
      "Тринадцать тысяч девятьсот девяносто шесть рублей 24 копейки",
    ])
      expect(t, s).to.include(s);
  });

  it("has a QR code that decodes to the ГОСТ Р 56042-2014 payment string", async () => {
    expect(
      gostPaymentString({
        name: "ТСЖ Машенька",
        personalAcc: "1111111111222222222",
        bankName: "Мой банк",
        bic: "",
        correspAcc: "",
        payeeInn: "111111111",
        sum: "13996.24",
        persAcc: "00000000001",
        period: "2011-11-01",
      }),
    ).to.equal(GOST);
    const html = await d.render("receipt", { period: "2011-11", account: d.account });
    expect(html.status).to.equal(200);
    expect(html.headers.get("x-report-sheets")).to.equal("1");
    const browser = await puppeteer.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1000, height: 1400, deviceScaleFactor: 2 });
      await page.setContent(html.text, { waitUntil: "load" });
      const png = await (await page.$(".qr"))!.screenshot({ type: "png" });
      const img = PNG.sync.read(Buffer.from(png));
      const code = decodeQr(
        new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength),
        img.width,
        img.height,
      );
      expect(code, "no QR code found").to.not.equal(null);
      expect(code!.data).to.equal(GOST);
    } finally {
      await browser.close();
    }
  });

  it("prints every account of the period into one PDF, one sheet each, as a job with progress", async () => {
    const start = await fetch(`${d.base}/api/reports/receipt/jobs?format=pdf`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ period: "2011-11" }),
    });
    expect(start.status).to.equal(202);
    const started = await start.json();
    expect(started).to.include({ report: "receipt", format: "pdf", state: "running" });
    const job = await waitFor(
      async () => {
        const j = await d.get(`/api/reports/jobs/${started.id}`);
        return j.state !== "running" && j;
      },
      { what: "the receipts' print job ended", timeoutMs: 90_000, intervalMs: 100 },
    );
    expect(job, JSON.stringify(job)).to.include({ state: "done", done: 5, total: 5 });
    const res = await fetch(`${d.base}/api/reports/jobs/${job.id}/result`);
    expect(res.status).to.equal(200);
    const { pages, text } = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pages).to.equal(5);
    for (const code of ["00000000001", "00000000002", "00000000003", "00000000004", "00000000005"])
      expect(plain(text)).to.include(`ФЛС ${code}`);
    expect((await fetch(`${d.base}/api/reports/jobs/${job.id}`, { method: "DELETE" })).status).to.equal(204);
    expect((await fetch(`${d.base}/api/reports/jobs/${job.id}`)).status).to.equal(404);
  });

  it("prints the accounts of a GroupAccrual (its month) and of one building", async () => {
    const docs = await d.get("/api/documents/GroupAccrual");
    const csv = csvRows((await d.render("receipt", { accrual: docs.rows[0].id }, "csv")).text);
    expect(csv.map((r) => r["Лицевой счет"])).to.deep.equal([
      "00000000001",
      "00000000002",
      "00000000003",
      "00000000004",
      "00000000005",
    ]);
    expect(csv[0]).to.include({
      Период: "Ноябрь 2011 г.",
      "Задолженность на начало": "2045,64",
      Оплачено: "1994,77",
      Начислено: "13752,73",
      "Итого к оплате": "13803,60",
      Пени: "192,64",
      "К оплате с пени": "13996,24",
    });
    const building = (await d.get("/api/catalogs/Buildings")).rows[0].id;
    const pdf = await d.render("receipt", { period: "2011-11", building }, "pdf");
    expect((await pdfText(pdf.bytes)).pages).to.equal(5);
  });
});
