// The period a payer names (ГК РФ ст.319.1, Пленум ВС № 22 п.32), read from a payment's purpose:
// the bank's purpose text or the receipt's QR code (ГОСТ Р 56042-2014 paymPeriod) —
// metadata/common/paid-period.ts, a pure function. Every expectation is written out by hand.
import { expect } from "chai";
import { paidPeriodFromText } from "../../metadata/common/paid-period.ts";
import { gostPaymentString } from "../../reports/receipt/gost.ts";

const month = (text: string | null) => {
  const r = paidPeriodFromText(text);
  if (r && "error" in r) throw new Error(`unexpected error for ${text}: ${r.error}`);
  return r?.month ?? null;
};
const error = (text: string) => {
  const r = paidPeriodFromText(text);
  if (!r || !("error" in r)) throw new Error(`expected an error for ${text}, got ${JSON.stringify(r)}`);
  return r.error;
};

describe("configuration: the payer's named period (paid-period.ts)", () => {
  it("ГК 319.1: a bank purpose «за MM.YYYY» names that month", () => {
    expect(month("за 01.2024")).to.equal("2024-01-01");
    expect(month("Оплата ЖКУ за 1.2024 л/с 00000000001")).to.equal("2024-01-01");
    expect(month("ОПЛАТА ЗА 12.2023 ПО Л/С 00000000002")).to.equal("2023-12-01");
    expect(month("период: 2024-02")).to.equal("2024-02-01");
    expect(month("кв.плата за 02/2024")).to.equal("2024-02-01");
    expect(month("Квартплата 03.2024, Балтийская 55-1")).to.equal("2024-03-01");
  });

  it("ГК 319.1: a month named in words with its year («за январь 2024», «за января 2024 г.», «янв. 2024»)", () => {
    expect(month("за январь 2024")).to.equal("2024-01-01");
    expect(month("Оплата за января 2024 г.")).to.equal("2024-01-01");
    expect(month("оплата за янв. 2024")).to.equal("2024-01-01");
    expect(month("за Декабрь 2023г")).to.equal("2023-12-01");
    expect(month("ЗА СЕНТЯБРЬ 2024 ГОДА")).to.equal("2024-09-01");
    expect([month("за май 2024"), month("за мая 2024"), month("за март 2024")]).to.deep.equal([
      "2024-05-01",
      "2024-05-01",
      "2024-03-01",
    ]);
    expect(month("коммунальные услуги ноябрь 2011")).to.equal("2011-11-01");
  });

  it("ГК 319.1: a date, a contract number or a text without a month names no period", () => {
    expect(month("платёж от 15.01.2024")).to.equal(null);
    expect(month("по договору 5/2024")).to.equal(null);
    expect(month("Оплата ЖКУ")).to.equal(null);
    expect(month("за 2024 год")).to.equal(null);
    expect(month("")).to.equal(null);
    expect(month(null)).to.equal(null);
    // …but a period after «за» next to them is found
    expect(month("от 15.01.2024 за 12.2023")).to.equal("2023-12-01");
    expect(month("по договору 5/2024 за 03.2024")).to.equal("2024-03-01");
  });

  it("ГК 319.1: of several named months the earliest is taken", () => {
    expect(month("за 11.2023 и 12.2023")).to.equal("2023-11-01");
    expect(month("за февраль 2024, за январь 2024")).to.equal("2024-01-01");
  });

  it("ГОСТ Р 56042-2014: the receipt's QR code gives its paymPeriod (as the receipt writes it)", () => {
    const qr = gostPaymentString({
      name: "ТСЖ Машенька",
      personalAcc: "1111111111222222222",
      bankName: "Мой банк",
      bic: "044525225",
      correspAcc: "30101810400000000225",
      payeeInn: "111111111",
      sum: "13996.24",
      persAcc: "00000000001",
      period: "2011-11-01",
    });
    expect(qr).to.contain("paymPeriod=112011");
    expect(month(qr)).to.equal("2011-11-01");
    expect(month("ST00012|Name=ТСЖ|PersonalAcc=1|paymPeriod=01.2024")).to.equal("2024-01-01");
    // without paymPeriod, the QR's Purpose is read as a bank purpose; without both, no period
    expect(month("ST00012|Name=ТСЖ|Purpose=оплата за 02.2024")).to.equal("2024-02-01");
    expect(month("ST00012|Name=ТСЖ|Sum=100")).to.equal(null);
  });

  it("bad input: a named period that is no month is an error quoting it (13.2024, 00.2024, year 1024, a QR paymPeriod not MMYYYY)", () => {
    expect(error("за 13.2024")).to.equal("«13.2024» — нет такого месяца");
    expect(error("Оплата за 00.2024")).to.contain("00.2024");
    expect(error("за январь 1024")).to.contain("январь 1024");
    expect(error("ST00012|Name=ТСЖ|paymPeriod=132024")).to.contain("paymPeriod=132024");
    expect(error("ST00012|Name=ТСЖ|paymPeriod=2024")).to.contain("ММГГГГ");
  });
});
