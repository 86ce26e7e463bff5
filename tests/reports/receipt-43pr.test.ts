// The payment document by Приказ Минстроя №43/пр (reports/receipt-43pr; issue 15 §8) on the demo:
// the seed's account 00000000001 for November 2011 (the account tests/reports/receipt.test.ts
// prints) — every section of the form, the same totals as the seed's receipt (accrued 13 752,73,
// to pay with penalties 13 996,24), a QR code per payee decoding to the ГОСТ Р 56042-2014 string
// with that payee's sum in kopecks and its PersonalAcc; with a service of another payee
// (Services.Payee), two blocks and two QR codes whose sums add up to the total.
import { expect } from "chai";
import puppeteer from "puppeteer";
import { PNG } from "pngjs";
import jsQR from "jsqr";
import { Decimal } from "decimal.js";
import { closePrinter, CHROMIUM_ARGS, chromiumExecutable } from "../../server/reports/pdf.ts";
import { csvRows, num, pdfText, plain, startDemo, type Demo } from "./helpers.ts";
import {
  account,
  accrue,
  item,
  readings,
  seedWorld,
  setTariffs,
  type ServiceSpec,
} from "../configuration/accrual-fixtures.ts";

const decodeQr = jsQR as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

const GOST =
  "ST00012|Name=ТСЖ Машенька|PersonalAcc=1111111111222222222|BankName=Мой банк|BIC=|CorrespAcc=|PayeeINN=111111111|Sum=1399624|persAcc=00000000001|paymPeriod=112011";

const FUND = {
  name: "НО Фонд капремонта",
  Inn: "1001234567",
  Kpp: "100101001",
  BankAccount: "40604810000000000001",
  BankName: "ПАО Сбербанк",
  Bik: "048602673",
  CorrAccount: "30101810600000000673",
};

/** The QR codes of an HTML answer, decoded in Chromium's rendering, in page order. */
async function qrCodes(html: string): Promise<string[]> {
  const browser = await puppeteer.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000, deviceScaleFactor: 2 });
    await page.setContent(html, { waitUntil: "load" });
    const out: string[] = [];
    for (const el of await page.$$(".qr")) {
      const img = PNG.sync.read(Buffer.from(await el.screenshot({ type: "png" })));
      const code = decodeQr(
        new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength),
        img.width,
        img.height,
      );
      expect(code, "a QR code that does not decode").to.not.equal(null);
      out.push(code!.data);
    }
    return out;
  } finally {
    await browser.close();
  }
}

const field = (gost: string, key: string) =>
  gost
    .split("|")
    .find((f) => f.startsWith(`${key}=`))
    ?.slice(key.length + 1);

describe("reports: the payment document by Приказ Минстроя 43/пр", function () {
  let d: Demo;
  before(async () => (d = await startDemo()));
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("is listed for the account card and GroupAccrual with its title", async () => {
    const forms = await d.get("/api/reports?object=catalog.PersonalAccounts");
    const list = forms.reports;
    expect(list.map((f: { title: string }) => f.title)).to.include("Платежный документ (форма 43/пр)");
    expect((await d.get("/api/reports?object=document.GroupAccrual")).reports).to.satisfy((r: { name: string }[]) =>
      r.some((f) => f.name === "receipt-43pr"),
    );
  });

  it("as PDF has every section with the seed's figures: payer, payee requisites, services, reference data", async () => {
    const r = await d.render("receipt-43pr", { period: "2011-11", account: d.account }, "pdf");
    expect(r.status, r.text.slice(0, 300)).to.equal(200);
    const t = plain((await pdfText(r.bytes)).text);
    for (const s of [
      "ПЛАТЕЖНЫЙ ДОКУМЕНТ",
      "Ноябрь 2011 г.",
      // section 1: payer and executor
      "Раздел 1. Сведения о плательщике и исполнителе услуг",
      "Калинин Вячеслав Петрович",
      "Петрозаводск, ул. Балтийская, д.55, кв.001",
      "Лицевой счет (ФЛС) 00000000001",
      "59,0 / 0,0",
      "Исполнитель услуг ТСЖ Машенька",
      // section 2: the payee's requisites and sums
      "Раздел 2. Информация для внесения платы получателю платежа",
      "Получатель платежа ТСЖ Машенька",
      "ИНН 111111111",
      "р/с 1111111111222222222 в Мой банк БИК",
      "Задолженность на 01.11.11 2045,64",
      "Оплачено в расчетном периоде 1994,77",
      "Начислено за расчетный период 13752,73",
      "Итого к оплате за расчетный период 13803,60",
      "Пени 192,64",
      "Сумма к оплате получателю 13996,24",
      "Всего к оплате: 13996,24",
      "Тринадцать тысяч девятьсот девяносто шесть рублей 24 копейки",
      // section 3: per service, unit, volume, tariff, amounts, to pay
      "Раздел 3. Расчет размера платы",
      "Повышающий коэффициент",
      "Тех. обслуживание м2 59,0000 2,5000 147,50 147,50 0,00 0,00 147,50 147,50",
      "ХВС м3 43,4205 20,0000 868,41 868,41 0,00 0,00 868,41 868,41",
      "ГВС м3 20,0000 30,0000 600,00 600,00 0,00 0,00 600,00 600,00",
      "Вывоз мусора чел 3,0000 250,0000 750,00 750,00",
      "Водоотведение м3 63,4205 40,0000 2536,82 2536,82",
      "Отопление м2 59,0000 150,0000 8850,00 8850,00",
      "Итого: 13752,73 0,00 0,00 13752,73",
      // section 4: reference data; section 5: recalculations
      "Раздел 4. Справочная информация",
      "Норматив потребления",
      "Текущие показания приборов учета",
      "Суммарный объем услуг в доме",
      "Раздел 5. Сведения о перерасчетах",
    ])
      expect(t, s).to.include(s);
  });

  it("has one QR code, the ГОСТ Р 56042 string with the payee's PersonalAcc and 13 996,24 in kopecks", async () => {
    const html = await d.render("receipt-43pr", { period: "2011-11", account: d.account });
    expect(html.status).to.equal(200);
    const codes = await qrCodes(html.text);
    expect(codes).to.deep.equal([GOST]);
    expect(field(codes[0], "Sum")).to.equal("1399624");
    expect(field(codes[0], "PersonalAcc")).to.equal("1111111111222222222");
  });

  it("CSV of a building's accounts: the totals of the seed's receipt", async () => {
    const building = (await d.get("/api/catalogs/Buildings")).rows[0].id;
    const rows = csvRows((await d.render("receipt-43pr", { period: "2011-11", building }, "csv")).text);
    expect(rows.length).to.equal(5);
    expect(rows[0]).to.include({
      "Лицевой счет": "00000000001",
      Начислено: "13752,73",
      "Итого к оплате": "13803,60",
      Пени: "192,64",
      "К оплате с пени": "13996,24",
    });
    // and the seed's form prints the same total
    const seed = csvRows((await d.render("receipt", { period: "2011-11", building }, "csv")).text);
    expect(rows.map((r) => r["К оплате с пени"])).to.deep.equal(seed.map((r) => r["К оплате с пени"]));
  });

  it("a service paid to another organization (Services.Payee): two blocks and two QR codes adding up to the total", async () => {
    const post = await fetch(`${d.base}/api/catalogs/Organizations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(FUND),
    });
    expect(post.status, await post.clone().text()).to.equal(201);
    const fund = (await post.json()).id;
    const garbage = (await d.get("/api/catalogs/Services")).rows.find(
      (x: { id: string; name: string }) => x.name === "Вывоз мусора",
    );
    const put = await fetch(`${d.base}/api/catalogs/Services/${garbage.id}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ Payee: fund }),
    });
    expect(put.status, await put.text()).to.equal(200);
    try {
      const html = await d.render("receipt-43pr", { period: "2011-11", account: d.account });
      expect(html.status, html.text.slice(0, 300)).to.equal(200);
      const codes = await qrCodes(html.text);
      expect(codes.length).to.equal(2);
      const [main, other] = codes;
      expect(field(main, "PersonalAcc")).to.equal("1111111111222222222");
      expect(field(other, "PersonalAcc")).to.equal(FUND.BankAccount);
      expect(field(other, "PayeeINN")).to.equal(FUND.Inn);
      expect(field(other, "BIC")).to.equal(FUND.Bik);
      const sum = (g: string) => new Decimal(field(g, "Sum") ?? "0");
      expect(sum(main).plus(sum(other)).toFixed(0)).to.equal("1399624");
      // the fund's block holds «Вывоз мусора» only
      const t = plain(
        (await pdfText((await d.render("receipt-43pr", { period: "2011-11", account: d.account }, "pdf")).bytes)).text,
      );
      expect(t).to.include(`Получатель платежа ${FUND.name}`);
      expect(t).to.include(`р/с ${FUND.BankAccount} в ${FUND.BankName} БИК ${FUND.Bik} к/с ${FUND.CorrAccount}`);
      expect(t).to.include("Виды услуг Вывоз мусора");
      expect(t).to.include("Всего к оплате: 13996,24");
      expect(new Decimal(num("13996,24")).times(100).toFixed(0)).to.equal(sum(main).plus(sum(other)).toFixed(0));
    } finally {
      await fetch(`${d.base}/api/catalogs/Services/${garbage.id}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Payee: null }),
      });
    }
  });
  it("a recalculation of the month: its reason, corrected period and amount in section 5, the service's row and the totals", async () => {
    const xvs = (await d.get("/api/catalogs/Services")).rows.find((x: { name: string }) => x.name === "ХВС");
    const res = await fetch(`${d.base}/api/documents/Recalculation?post=true`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        date: "2011-11-28T12:00:00",
        Month: "2011-11-01",
        CorrectedPeriod: "2011-10-01",
        Account: d.account,
        Service: xvs.id,
        ReasonKind: "QualityBelowStandard",
        Reason: "перерыв в подаче воды",
        Amount: "-50.00",
      }),
    });
    expect(res.status, await res.clone().text()).to.equal(201);
    const t = plain(
      (await pdfText((await d.render("receipt-43pr", { period: "2011-11", account: d.account }, "pdf")).bytes)).text,
    );
    expect(t).to.include("ХВС м3 43,4205 20,0000 868,41 868,41 -50,00 0,00 818,41 818,41");
    expect(t).to.include("ХВС Услуга ненадлежащего качества или с перерывами: перерыв в подаче воды Октябрь 2011 г.");
    expect(t).to.include("Итого: 13752,73 -50,00 0,00 13702,73");
    expect(t).to.include("Всего к оплате: 13946,24");
    const seed = csvRows((await d.render("receipt", { period: "2011-11", account: d.account }, "csv")).text);
    expect(seed[0]["К оплате с пени"]).to.equal("13946,24");
  });
});

describe("reports: the demo's common property building (ул. Балтийская, д.57), December 2011", function () {
  let d: Demo;
  let account: string;
  before(async () => {
    d = await startDemo();
    account = (await d.get("/api/catalogs/PersonalAccounts?search=00000000006")).rows.find(
      (r: { code: string }) => r.code === "00000000006",
    ).id;
  });
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("the 43/пр receipt of 00000000006 has the СОИ lines: ХВС на СОИ by the house meter (capped) in the ХВС row, electricity by the normative", async () => {
    const r = await d.render("receipt-43pr", { period: "2011-12", account }, "pdf");
    expect(r.status, r.text.slice(0, 300)).to.equal(200);
    const t = plain((await pdfText(r.bytes)).text);
    // ХВС 15 m³ × 20 = 300,00; СОИ: house 40 − flats 37,5 = 2,5 m³ × 60 / 150 = 1 m³, above the cap
    // 0,03 × 30 × 60 / 150 = 0,36 m³ → 7,20; electricity 0,5 × 30 × 60 / 150 = 6 kWh × 5,00 = 30,00
    for (const line of [
      "Попова Марина Андреевна",
      "Петрозаводск, ул. Балтийская, д.57, кв.001",
      "Тех. обслуживание м2 60,0000 2,5000 150,00 150,00 0,00 0,00 150,00 150,00",
      "ХВС м3 15,0000 0,3600 20,0000 300,00 7,20 307,20 0,00 0,00 300,00 7,20 307,20",
      "Электроэнергия на СОИ кВт·ч 6,0000 5,0000 0,00 30,00 30,00 0,00 0,00 0,00 30,00 30,00",
      "Итого: 487,20 0,00 0,00 487,20",
      "Всего к оплате: 487,20",
      // reference: normatives, the house meter's reading, the house's volumes (Σ of the three flats)
      "ХВС м3 6,9350 ХВС д.57 кв.001: 25,0000 ОДПУ ХВС д.57: 1040,0000 37,5000",
      "ХВС на СОИ м3 0,0300 ОДПУ ХВС д.57: 1040,0000 0,9000",
      "Электроэнергия на СОИ кВт·ч 0,5000 15,0000",
    ])
      expect(t, line).to.include(line);
    // the seed's building is untouched: its receipt for November still 13 996,24
    const seed = csvRows((await d.render("receipt-43pr", { period: "2011-11", account: d.account }, "csv")).text);
    expect(seed[0]["К оплате с пени"]).to.equal("13996,24");
  });

  it("«Сверхнормативный расход на СОИ» shows the 1,6 m³ above the house's normative that stay with the company (Правила 354 п.44)", async () => {
    const r = await d.render("common-property-excess", { period: "2011-12" }, "csv");
    expect(r.status, r.text.slice(0, 300)).to.equal(200);
    const rows = csvRows(r.text);
    expect(rows, JSON.stringify(rows)).to.have.length(1);
    expect(rows[0], JSON.stringify(rows[0])).to.include({
      Здание: "Петрозаводск, ул. Балтийская, д.57",
      Услуга: "ХВС на СОИ",
    });
    const n = (k: string) => new Decimal(num(rows[0][k].replace(/\s/g, ""))).toFixed(4);
    expect(
      [
        "Объем по общедомовому прибору",
        "Индивидуальный объем",
        "Разница",
        "Норматив на СОИ по дому",
        "Начислено на СОИ",
        "Сверх норматива",
      ].map(n),
    ).to.deep.equal(["40.0000", "37.5000", "2.5000", "0.9000", "0.9000", "1.6000"]);
  });
});

describe("reports: the 43/пр payment document with common property (СОИ) and a house meter", function () {
  let d: Demo;
  let a: string;
  let normative: string;
  before(async () => {
    d = await startDemo(undefined, false);
    const p = d.platform;
    const SPECS: ServiceSpec[] = [
      {
        name: "ХВС",
        unit: "м3",
        method: "ByMeter",
        kind: "Основной",
        rate: "20.0000",
        over: "0.0000",
        normative: "6.9350",
        factor: "1.50",
      },
    ];
    const w = await seedWorld(p, SPECS);
    const cold = w.services["ХВС"];
    const coi = (w.services["ХВС на СОИ"] = await item(p, "Services", {
      name: "ХВС на СОИ",
      Unit: "м3",
      CalculationMethod: "CommonPropertyByHouseMeter",
      CommonPropertyNormative: "0.0300",
      ReceiptOrder: "20",
      SourceServices: [{ Service: cold }],
    }));
    await setTariffs(p, "2011-01-01T00:00:00", [{ service: coi, kind: w.kinds["Основной"], rate: "20.0000" }]);
    const specs = [...SPECS, { name: "ХВС на СОИ", unit: "м3", method: "", kind: "Основной", rate: "", over: "" }];
    const b = await item(p, "Buildings", {
      name: "СОИ пример",
      Address: "СОИ пример",
      PremisesArea: "3000.00",
      CommonArea: "300.00",
      Organization: w.org,
    });
    const house = await item(p, "Meters", {
      name: "ОДПУ ХВС",
      MeterType: w.coldType,
      Service: cold,
      Kind: "Collective",
      Building: b,
    });
    await readings(w, [{ building: b, meter: house, date: "2011-10-20", value: "0" }]);
    await readings(w, [{ building: b, meter: house, date: "2011-11-20", value: "1000" }]);
    a = await account(w, { Building: b, TotalArea: "60.00" }, ["ХВС", "ХВС на СОИ"], specs);
    const m = await item(p, "Meters", {
      name: "ХВС кв.",
      MeterType: w.coldType,
      Service: cold,
      Kind: "Individual",
      Account: a,
    });
    await readings(w, [{ account: a, meter: m, date: "2011-10-20", value: "0" }]);
    await readings(w, [{ account: a, meter: m, date: "2011-11-20", value: "995" }]);
    await accrue(p, "2011-11-01", [a]);
    // in the fixtures' other building: no meter, 2 residents — ХВС by the normative with the raising factor
    normative = await account(w, { Residents: "2", TotalArea: "40.00" }, ["ХВС"], specs);
    await accrue(p, "2011-11-01", [normative]);
  });
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("puts the СОИ line in its source service's row (СОИ columns) and the house meter, normatives and volumes in the reference data", async () => {
    const r = await d.render("receipt-43pr", { period: "2011-11", account: a }, "pdf");
    expect(r.status, r.text.slice(0, 300)).to.equal(200);
    const t = plain((await pdfText(r.bytes)).text);
    // ХВС 995 m³ × 20 = 19 900,00; СОИ (1 000 − 995) × 60 / 3 000 = 0,1 m³ × 20 = 2,00 — one row
    expect(t).to.include("ХВС м3 995,0000 0,1000 20,0000 19900,00 2,00 19902,00 0,00 0,00 19900,00 2,00 19902,00");
    expect(t.slice(t.indexOf("Раздел 3"), t.indexOf("Раздел 4")), "no row of its own").to.not.include("ХВС на СОИ");
    // reference: the normatives, the meters' current readings, the house's volumes
    expect(t).to.include("ХВС м3 6,9350 ХВС кв.: 995,0000 ОДПУ ХВС: 1000,0000 995,0000");
    expect(t).to.include("ХВС на СОИ м3 0,0300 ОДПУ ХВС: 1000,0000 0,1000");
    expect(t).to.include("Итого: 19902,00 0,00 0,00 19902,00");
  });

  it("the raising factor's columns: ХВС without a meter by the normative × 1,50 shows the factor and the excess over the charge without it", async () => {
    // 2 persons × 6,935 = 13,87 m³ × 20,00 × 1,50 = 416,10; without the factor 277,40; excess 138,70
    const t = plain(
      (await pdfText((await d.render("receipt-43pr", { period: "2011-11", account: normative }, "pdf")).bytes)).text,
    );
    expect(t).to.include("ХВС м3 13,8700 20,0000 416,10 416,10 1,50 138,70 0,00 0,00 416,10 416,10");
  });

  it("the raising factor's columns are what the charge recorded (Accruals.RaisingFactor, RaisingFactorExcess), not today's Services.RaisingFactor", async () => {
    const turnovers = async (account: string) =>
      (await d.get(`/api/registers/Accruals/turnovers?from=2011-11-01&to=2011-11-30&Account=${account}`)).rows;
    const [raised] = await turnovers(normative);
    // 13,87 m³ × 20,00 × 1,50 = 416,10; without the factor 277,40: the accrual recorded 1,50 and 138,70
    expect(
      [raised.Amount, raised.RaisingFactor, raised.RaisingFactorExcess].map((x) => new Decimal(x).toFixed(2)),
    ).to.deep.equal(["416.10", "1.50", "138.70"]);
    // the metered line of the same service (factor 1,50 in the catalog) was not raised: nothing recorded
    for (const r of await turnovers(a))
      expect(
        [r.RaisingFactor, r.RaisingFactorExcess].map((x) => new Decimal(x).toFixed(2)),
        JSON.stringify(r),
      ).to.deep.equal(["0.00", "0.00"]);
    // the service's factor changed after the accrual: the receipt still shows what was charged
    const cold = (await d.get("/api/catalogs/Services")).rows.find((x: { name: string }) => x.name === "ХВС");
    const put = (factor: string) =>
      fetch(`${d.base}/api/catalogs/Services/${cold.id}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ RaisingFactor: factor }),
      });
    expect((await put("3.00")).status).to.equal(200);
    try {
      const t = plain(
        (await pdfText((await d.render("receipt-43pr", { period: "2011-11", account: normative }, "pdf")).bytes)).text,
      );
      expect(t).to.include("ХВС м3 13,8700 20,0000 416,10 416,10 1,50 138,70 0,00 0,00 416,10 416,10");
      const m = plain(
        (await pdfText((await d.render("receipt-43pr", { period: "2011-11", account: a }, "pdf")).bytes)).text,
      );
      expect(m).to.include("ХВС м3 995,0000 0,1000 20,0000 19900,00 2,00 19902,00 0,00 0,00 19900,00 2,00 19902,00");
    } finally {
      await put("1.50");
    }
  });
});

describe("reports: the 43/пр payment document with several recalculations of one service in the month", function () {
  let d: Demo;
  before(async () => (d = await startDemo()));
  after(async () => {
    await closePrinter();
    await d?.close();
  });

  it("sums them in the service's «Перерасчеты» column and lists each with its reason and amount in section 5 (Правила 354 п.61, 86–91)", async () => {
    const services = (await d.get("/api/catalogs/Services")).rows as { id: string; name: string }[];
    const id = (name: string) => services.find((x) => x.name === name)!.id;
    const post = async (body: Record<string, unknown>) => {
      const res = await fetch(`${d.base}/api/documents/Recalculation?post=true`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Month: "2011-11-01", Account: d.account, ...body }),
      });
      expect(res.status, await res.clone().text()).to.equal(201);
    };
    // Вывоз мусора 750,00 for 3 residents: 1 away 10 days → −750 × 1/3 × 10/30 = −83,33; 2 away 6 days → −100,00
    await post({
      date: "2011-11-26T10:00:00",
      Service: id("Вывоз мусора"),
      ReasonKind: "TemporaryAbsence",
      PersonsAbsent: 1,
      DaysAbsent: 10,
      Reason: "командировка",
    });
    await post({
      date: "2011-11-27T10:00:00",
      Service: id("Вывоз мусора"),
      ReasonKind: "TemporaryAbsence",
      PersonsAbsent: 2,
      DaysAbsent: 6,
      Reason: "отпуск",
    });
    // ГВС 600,00: 3 days without hot water → −600 × 3/30 = −60,00; and +10,00 typed for October
    await post({
      date: "2011-11-26T11:00:00",
      Service: id("ГВС"),
      ReasonKind: "QualityBelowStandard",
      DaysAbsent: 3,
      Reason: "нет горячей воды",
    });
    await post({
      date: "2011-11-27T11:00:00",
      Service: id("ГВС"),
      CorrectedPeriod: "2011-10-01",
      ReasonKind: "Correction",
      Amount: "10.00",
      Reason: "ошибка в показаниях",
    });
    const t = plain(
      (await pdfText((await d.render("receipt-43pr", { period: "2011-11", account: d.account }, "pdf")).bytes)).text,
    );
    // section 3: each service's column is the sum of its documents
    expect(t).to.include("ГВС м3 20,0000 30,0000 600,00 600,00 -50,00 0,00 550,00 550,00");
    expect(t).to.include("Вывоз мусора чел 3,0000 250,0000 750,00 750,00 -183,33 0,00 566,67 566,67");
    expect(t).to.include("Итого: 13752,73 -233,33 0,00 13519,40");
    expect(t).to.include("Всего к оплате: 13762,91");
    // section 5: every document with its reason, period and own amount, by service, and their total
    const recalc = t.slice(t.indexOf("Раздел 5"));
    const rows = [
      /ГВС Услуга ненадлежащего качества или с перерывами: нет горячей воды Ноябрь 2011 г\. \S+ от 2011-11-26 -60,00/,
      /ГВС Исправление ошибки начисления: ошибка в показаниях Октябрь 2011 г\. \S+ от 2011-11-27 10,00/,
      /Вывоз мусора Временное отсутствие потребителя: командировка Ноябрь 2011 г\. \S+ от 2011-11-26 -83,33/,
      /Вывоз мусора Временное отсутствие потребителя: отпуск Ноябрь 2011 г\. \S+ от 2011-11-27 -100,00/,
    ];
    let at = 0;
    for (const r of rows) {
      const m = r.exec(recalc.slice(at));
      expect(m, `${r} after ${recalc.slice(at, at + 300)}`).to.not.equal(null);
      at += m!.index + m![0].length;
    }
    expect(recalc).to.include("Итого перерасчетов: -233,33");
    expect(recalc).to.not.include("см. раздел 3");
    // the seed's form prints the same total
    const seed = csvRows((await d.render("receipt", { period: "2011-11", account: d.account }, "csv")).text);
    expect(seed[0]["К оплате с пени"]).to.equal("13762,91");
  });
});
