// Sums of the API's decimal strings without floating point: digits scaled to BigInt.

function scaled(v: unknown, scale: number): bigint {
  const s = String(v ?? "0").trim() || "0";
  const neg = s.startsWith("-");
  const [i, f = ""] = s.replace(/^[-+]/, "").split(".");
  const n = BigInt((i || "0") + f.padEnd(scale, "0").slice(0, scale));
  return neg ? -n : n;
}

/** "1.10" + "2.005" (scale 2, extra digits cut) → "3.10". */
export function sumDecimals(values: unknown[], scale = 2): string {
  const total = values.reduce<bigint>((acc, v) => acc + scaled(v, scale), 0n);
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, "0");
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? "-" + out : out;
}
