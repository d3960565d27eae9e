import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { errorReportCsv } from '#app/services/catalog/import.server'
import { toCsv } from './csv.server'

// Every export goes through one writer; these are the exports' own entry points.
const HOSTILE = [
  '上海市\r=HYPERLINK("http://evil.example","x")',
  '=1+1',
  '+86 138',
  '-2+3',
  '@SUM(A1)',
  '\t=cmd',
  'a,"b"\nc',
]

const readBack = (csv: string) => parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][]

describe('CSV exports', () => {
  it('keep a bare CR inside its cell and guard every cell that a spreadsheet would run as a formula', () => {
    const csv = toCsv([['order_id', 'address', 'quantity'], ...HOSTILE.map((h, i) => [`o${i}`, h, i])])
    const rows = readBack(csv)
    expect(rows).toHaveLength(HOSTILE.length + 1)
    rows.slice(1).forEach((row, i) => {
      expect(row).toHaveLength(3)
      expect(row[0]).toBe(`o${i}`)
      expect(row[1]).not.toMatch(/^[=+\-@\t\r]/)
      expect(row[1]!.replace(/^'/, '')).toBe(HOSTILE[i])
      expect(row[2]).toBe(String(i))
    })
  })

  it('the import error report uses the same writer', () => {
    const csv = errorReportCsv([{ row: 2, column: 'title', reason: 'required' }], () => '=HYPERLINK("x")\rnext')
    const rows = readBack(csv)
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual(['2', 'title', 'required', `'=HYPERLINK("x")\rnext`])
  })
})
