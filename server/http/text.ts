/**
 * Characters no text field or parameter may hold: control characters (but tab, line feed and
 * carriage return), NUL among them (PostgreSQL cannot store it and would fail the request),
 * lone UTF-16 surrogates (they would be stored as U+FFFD, silently changing the value), and
 * the invisible characters that make text look other than it is — bidirectional overrides and
 * isolates (the "RTL override" trick), zero-width spaces and joiners, the byte-order mark.
 */
// eslint-disable-next-line no-control-regex
const BAD =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why the text is refused (naming the character and where it is), or null when it is fine. */
export function badCharacter(s: string): string | null {
  const m = BAD.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0);
  const hex = "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  const what =
    code >= 0xd800 && code <= 0xdfff
      ? "одиночный суррогат UTF-16 (испорченный текст)"
      : code === 0
        ? "нулевой символ NUL"
        : code < 0x20 || (code >= 0x7f && code <= 0x9f)
          ? "управляющий символ"
          : code >= 0x202a && code <= 0x2069
            ? "символ управления направлением текста"
            : "невидимый символ";
  return `недопустимый символ ${hex} (${what}) в позиции ${m.index + 1}`;
}
