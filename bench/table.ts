/** Plain-text tables for terminal reports: columns padded to their widest cell, numbers right-aligned. */

export type Cell = string | number;

const NUMERIC = /^-?[\d,.]+(\s?[a-zA-Z%×/]+)?$/;

function render(cell: Cell): string {
  return typeof cell === 'number' ? formatNumber(cell) : cell;
}

/** Thousands separated, at most two decimals: 1234567.891 → "1,234,567.89". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [header.map(String), ...rows.map((row) => row.map(render))];
  const widths = header.map((_, column) => Math.max(...text.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[], isHeader: boolean) =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        return !isHeader && column > 0 && NUMERIC.test(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const [head, ...body] = text;
  return [line(head ?? [], true), rule, ...body.map((row) => line(row, false))].join('\n');
}
