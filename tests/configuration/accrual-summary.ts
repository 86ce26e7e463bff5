/**
 * The group accrual's summary (issue 18: always — accounts charged, skipped and why, the total
 * by service): `expectSummary` checks a Description or message is the expected head, then
 * «начислено по N л/с, пропущенных нет» (or the skipped count and why), then «по услугам: …»
 * whose amounts add up to the posting's total and include the given services' amounts. Not a
 * test file itself.
 */
import { expect } from "chai";
import { Decimal } from "decimal.js";

export function expectSummary(
  text: string,
  head: string,
  o: { charged: number; skipped?: number; total: string; services?: Record<string, string> },
): void {
  const who =
    o.skipped && o.skipped > 0
      ? `начислено по ${o.charged} л/с, без начислений ${o.skipped} л/с (нет подключенных услуг за месяц)`
      : `начислено по ${o.charged} л/с, пропущенных нет`;
  const prefix = `${head}; ${who}; по услугам: `;
  expect(text.slice(0, prefix.length)).to.equal(prefix);
  const list = text.slice(prefix.length);
  const byService: Record<string, string> = {};
  for (const m of list.matchAll(/(.+?) (-?\d[\d\s\u00a0]*,\d\d)(?:, |$)/g))
    byService[m[1]] = m[2].replace(/[\s\u00a0]/g, "").replace(",", ".");
  expect(Object.keys(byService).length, list).to.be.greaterThan(0);
  const sum = Object.values(byService).reduce((s, v) => s.plus(v), new Decimal(0));
  expect(sum.toFixed(2), `the services' amounts add up to the total: ${list}`).to.equal(
    new Decimal(o.total).toFixed(2),
  );
  for (const [name, amount] of Object.entries(o.services ?? {}))
    expect(byService[name], `${name} in ${list}`).to.equal(new Decimal(amount).toFixed(2));
}
