/** Output of the maintenance commands (npm run registers, audit, standby). */

/** Rows as an aligned text table. */
export function table(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(width[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
