/** Small numeric and formatting helpers shared by the bench parts. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A JSON value's text: a string as it is, anything else (a numeric id, an odd error code) as JSON. */
export const jsonText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const ms = (v: number, digits = 0): string => (Number.isFinite(v) ? `${v.toFixed(digits)}` : '–');
export const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–');
export const mark = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? '✅' : '❌');

/** A markdown table from a header row and data rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
