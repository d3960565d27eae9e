import { stringify } from 'csv-stringify/sync'

// The one CSV writer of every export: fields quoted whenever they hold a delimiter, a quote or any line break
// (a bare CR included, which spreadsheets read as a new row), and the formula guard on every text cell.

export type CsvValue = string | number | boolean | Date | null | undefined

/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or line break before one) as a formula: such text is
 * prefixed with an apostrophe.
 */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text
}

function cell(value: CsvValue): string | number {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return value
  if (value instanceof Date) return value.toISOString()
  return guardFormula(String(value))
}

/** Rows to CSV text (CRLF rows); with a BOM by default so spreadsheet programs read the Chinese text as UTF-8. */
export function toCsv(rows: CsvValue[][], options: { bom?: boolean } = {}): string {
  const text = stringify(
    rows.map((r) => r.map(cell)),
    { record_delimiter: '\r\n', quoted_match: /[\r\n]/, cast: { number: (n) => String(n) } },
  )
  return (options.bom === false ? '' : '\uFEFF') + text
}
