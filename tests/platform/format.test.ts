// The one Russian number/money/date format (server/format.ts) against what the three former
// implementations printed: client/src/format.ts (screens), server/reports/format.ts (printed
// forms) and metadata/forms/lib/money.ts (custom forms). tests/fixtures/format-outputs.json holds
// their outputs for the same inputs, recorded from those modules before they were merged: every
// one must come out byte for byte the same (the printed forms' face, server/reports/format.ts,
// also throwing the same errors).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { Decimal } from "decimal.js";
import * as ru from "../../server/format.ts";
import * as printed from "../../server/reports/format.ts";

interface Record_ {
  fn: string;
  args: unknown[];
  out: string | null | { throws: string };
}

const fixture = fileURLToPath(new URL("../fixtures/format-outputs.json", import.meta.url));
const records: Record_[] = JSON.parse(readFileSync(fixture, "utf8"));

function decode(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o.$ === "undefined") return undefined;
    if (typeof o.$bigint === "string") return BigInt(o.$bigint);
    if (typeof o.$decimal === "string") return new Decimal(o.$decimal);
    if (Array.isArray(o.$date)) return new Date(...(o.$date as [number, number, number, number, number, number]));
  }
  return v;
}

const call = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    return { throws: (e as Error).message };
  }
};

type Fn = (...a: never[]) => unknown;
/** The printed forms' face and the shared module, by the former server function's name. */
const SERVER: Record<string, [Fn, Fn]> = {
  formatNumber: [printed.formatNumber, ru.formatNumber],
  quantity: [printed.quantity, ru.quantity],
  money: [printed.money, ru.money],
  formatDate: [printed.formatDate, ru.formatDate],
  formatMonth: [printed.formatMonth, ru.formatMonth],
  formatLongDate: [printed.formatLongDate, ru.formatLongDate],
};

/** The new call for a recorded one: the shared module for screens and custom forms, both faces for printed forms. */
function replay(r: Record_): { label: string; out: unknown }[] {
  const a = r.args.map(decode);
  switch (r.fn) {
    case "client.formatNumber":
      return [
        {
          label: "ru.formatNumber",
          out: call(() =>
            ru.formatNumber(a[0], a[2] === false ? { places: a[1] as number, thousands: "" } : (a[1] as number)),
          ),
        },
      ];
    case "client.formatDate":
      return [{ label: "ru.formatDate", out: call(() => ru.formatDate(a[0])) }];
    case "client.parseNumber":
      return [{ label: "ru.parseNumber", out: ru.parseNumber(a[0] as string) }];
    case "client.parseDate":
      return [{ label: "ru.parseDate", out: ru.parseDate(a[0] as string) }];
    case "forms.sumDecimals":
      return [{ label: "ru.sumDecimals", out: ru.sumDecimals(a[0] as unknown[], a[1] as number) }];
  }
  const name = r.fn.slice("server.".length);
  const [strict, shared] = SERVER[name];
  const faces = [{ label: `printed.${name}`, out: call(() => strict(...(a as never[]))) }];
  // Where printing does not refuse the value, the screens' function prints it the same.
  if (typeof r.out === "string") faces.push({ label: `ru.${name}`, out: call(() => shared(...(a as never[]))) });
  return faces;
}

describe("Russian formats (server/format.ts)", () => {
  it(`print what the former implementations printed (${records.length} recorded outputs)`, () => {
    const wrong: string[] = [];
    for (const r of records) {
      for (const f of replay(r)) {
        if (JSON.stringify(f.out) !== JSON.stringify(r.out))
          wrong.push(`${f.label}(${JSON.stringify(r.args)}): ${JSON.stringify(f.out)}, was ${JSON.stringify(r.out)}`);
      }
    }
    expect(records.length).to.be.greaterThan(1000);
    expect(wrong).to.deep.equal([]);
  });

  it("money: a no-break space between thousands, a decimal comma, kopecks rounded half up on the digits", () => {
    expect(ru.money("13996.245")).to.equal("13\u00a0996,25");
    expect(ru.money("-0.004")).to.equal("0,00");
    expect(ru.money("-0.005")).to.equal("-0,01");
    // beyond a double's 15–17 digits: the digits are kept, not a float's approximation
    expect(ru.money("12345678901234567890.125")).to.equal(
      "12\u00a0345\u00a0678\u00a0901\u00a0234\u00a0567\u00a0890,13",
    );
    expect(ru.money(new Decimal("0.1").plus("0.2"))).to.equal("0,30");
    expect(ru.formatNumber("1234567.5", { places: 1, thousands: "" })).to.equal("1234567,5");
  });

  it("agree with decimal.js's half-up rounding on random values", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let i = 0; i < 2000; i++) {
      const int = String(rnd(10 ** rnd(9)));
      const frac = String(rnd(10 ** 6)).padStart(rnd(7), "0");
      const text = `${rnd(3) === 0 ? "-" : ""}${int}${frac ? "." + frac : ""}`;
      const places = rnd(5);
      const want = new Decimal(text).toFixed(places, Decimal.ROUND_HALF_UP).replace("-", "");
      const [wi, wf] = want.split(".");
      const body = wi.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + (wf ? "," + wf : "");
      const negative = text.startsWith("-") && /[1-9]/.test(want);
      expect(ru.formatNumber(text, places), text).to.equal((negative ? "-" : "") + body);
    }
  });

  it("show exponent notation as the digits it means (the former client printed «1e-7,00»)", () => {
    expect(ru.formatNumber(1e-7, 2)).to.equal("0,00");
    expect(ru.formatNumber("1.5e-7", 7)).to.equal("0,0000002");
    expect(ru.formatNumber(1e21, 0)).to.equal("1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000");
    expect(ru.formatNumber(new Decimal("1e-8"), { places: undefined })).to.equal("0,00000001");
    expect(ru.formatNumber("-1.25e2", 1)).to.equal("-125,0");
  });

  it("on screens, text that is not a number or a date comes back as it is; printing refuses it", () => {
    expect(ru.formatNumber("abc", 2)).to.equal("abc");
    expect(ru.formatNumber("1 234", 2)).to.equal("1 234");
    expect(ru.formatDate("24.11.2011")).to.equal("24.11.2011");
    expect(() => printed.money("abc")).to.throw(TypeError, "not a number: abc");
    expect(() => printed.formatDate("24.11.2011")).to.throw(TypeError, "not a date: 24.11.2011");
    expect(() => printed.formatMonth("abc")).to.throw(TypeError, "not a date: abc");
  });

  it("the modules the client shares import nothing but each other's types (no node, no DOM, no server internals)", () => {
    const shared = ["../../server/format.ts", "../../server/http/api-types.ts", "../../server/http/workflow-types.ts"];
    for (const file of shared) {
      const text = readFileSync(fileURLToPath(new URL(file, import.meta.url)), "utf8").replace(
        /\/\*[\s\S]*?\*\/|\/\/.*$/gm,
        "",
      );
      // a type from another shared module (esbuild drops `import type`) is the only import allowed
      const imports = [...text.matchAll(/^\s*(?:import|export .* from)\s[^;]*;/gm)].map((m) => m[0].trim());
      for (const line of imports) {
        const from = /from "(\.\/[\w-]+\.ts)"/.exec(line)?.[1];
        const target = from && new URL(from, new URL(file, import.meta.url)).href;
        expect(
          line.startsWith("import type ") && shared.some((f) => new URL(f, import.meta.url).href === target),
          `${file}: ${line}`,
        ).to.equal(true);
      }
      expect(text, file).to.not.match(/\b(document|window|process|Buffer|require)\b\s*[.(]/);
    }
  });
});
