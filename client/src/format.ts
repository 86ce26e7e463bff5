/**
 * Russian display formats: numbers with a fixed count of decimals, a comma and a thin space
 * between thousands («13 996,24», «2,5000»); dates «24.11.2011». Values stay strings (the API
 * sends decimals as strings) so no float ever touches money: formatting works on the digits.
 */
const NBSP = "\u00a0";

/** "13996.2" with 2 decimals → "13 996,20"; blanks stay blank. */
export function formatNumber(v: unknown, decimals = 0, group = true): string {
  if (v === null || v === undefined || v === "") return "";
  let s = String(v).trim();
  const neg = s.startsWith("-");
  if (neg) s = s.slice(1);
  let [int, frac = ""] = s.split(".");
  int = int.replace(/^0+(?=\d)/, "") || "0";
  if (frac.length > decimals) {
    // round half up on the digits
    const digits = (int + frac.slice(0, decimals)).split("").map(Number);
    let carry = Number(frac[decimals]) >= 5 ? 1 : 0;
    for (let i = digits.length - 1; i >= 0 && carry; i--) {
      const d = digits[i] + carry;
      digits[i] = d % 10;
      carry = d >= 10 ? 1 : 0;
    }
    const all = (carry ? "1" : "") + digits.join("");
    int = all.slice(0, all.length - decimals) || "0";
    frac = all.slice(all.length - decimals);
  } else frac = frac.padEnd(decimals, "0");
  if (group) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  const out = decimals > 0 ? `${int},${frac}` : int;
  return neg && /[1-9]/.test(out) ? "-" + out : out;
}

/** What a user typed ("1 234,5", "1234.5") → the API's decimal string "1234.5", or null if not a number. */
export function parseNumber(text: string): string | null {
  const s = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (s === "") return "";
  return /^-?\d+(\.\d+)?$/.test(s) || /^-?\d+\.$/.test(s) ? s.replace(/\.$/, "") : null;
}

/** "2011-11-24" or an ISO timestamp → "24.11.2011". */
export function formatDate(v: unknown): string {
  if (!v) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : String(v);
}

/** "24.11.2011" → "2011-11-24", or null. */
export function parseDate(text: string): string | null {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (!m) return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : null;
  return `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
}
