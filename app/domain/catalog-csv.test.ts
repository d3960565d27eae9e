import { describe, expect, it } from 'vitest'
import {
  conflictsWithExisting,
  CSV_TEMPLATE,
  groupRows,
  missingColumns,
  parseCatalogRow,
  type ExistingSku,
} from './catalog-csv'

const good = {
  style_code: 'A1',
  title: '大衣',
  title_en: 'Coat',
  category: 'womens',
  tag_price: '1299',
  tag_cut: '0',
  description: '',
  size: 'M',
  colour: '黑色',
  barcode: '100',
  stock: '5',
}

describe('CSV row validation', () => {
  it('accepts a good row and converts yuan to fen', () => {
    const r = parseCatalogRow(good, 2)
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({ row: 2, tagPriceMinor: 129900, tagCut: false, stock: 5, category: 'womens' }),
    })
  })
  it.each([
    [{ title: '' }, 'title', 'required'],
    [{ category: 'baby_food' }, 'category', 'invalid_category'],
    [{ tag_price: '12.345' }, 'tag_price', 'invalid_price'],
    [{ tag_price: '0' }, 'tag_price', 'invalid_price'],
    [{ tag_cut: 'maybe' }, 'tag_cut', 'invalid_flag'],
    [{ stock: '-1' }, 'stock', 'invalid_stock'],
    [{ stock: '1.5' }, 'stock', 'invalid_stock'],
    [{ barcode: 'x'.repeat(65) }, 'barcode', 'too_long'],
  ])('%o → %s %s', (patch, column, reason) => {
    const r = parseCatalogRow({ ...good, ...patch }, 7)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors).toContainEqual({ row: 7, column, reason })
  })
  it('takes English option names from the file, else from the dictionary', () => {
    const given = parseCatalogRow({ ...good, size: '均码', colour: '砖红', size_en: 'Free size', colour_en: 'Rust' }, 2)
    expect(given.ok && [given.value.sizeEn, given.value.colourEn]).toEqual(['Free size', 'Rust'])
    const filled = parseCatalogRow({ ...good, size: '均码', colour: '砖红' }, 2)
    expect(filled.ok && [filled.value.sizeEn, filled.value.colourEn]).toEqual(['One size', 'Brick red'])
    const unknown = parseCatalogRow({ ...good, size: 'M', colour: '雾霾蓝' }, 2)
    expect(unknown.ok && [unknown.value.sizeEn, unknown.value.colourEn]).toEqual(['M', ''])
  })
  it('reads 是/1/yes as tag-cut', () => {
    for (const v of ['是', '1', 'yes', 'TRUE']) {
      const r = parseCatalogRow({ ...good, tag_cut: v }, 2)
      expect(r.ok && r.value.tagCut).toBe(true)
    }
  })
  it('finds missing header columns; the template has none', () => {
    expect(missingColumns(['style_code', 'title'])).toContain('barcode')
    expect(missingColumns(CSV_TEMPLATE.split('\n')[0].split(','))).toEqual([])
  })
})

describe('grouping rows into products', () => {
  const row = (n: number, patch: Partial<typeof good> = {}) => parseCatalogRow({ ...good, ...patch }, n)
  it('groups by style code', () => {
    const { groups, errors } = groupRows([
      row(2),
      row(3, { size: 'L', barcode: '101' }),
      row(4, { style_code: 'B', barcode: '200' }),
    ])
    expect(errors).toEqual([])
    expect(groups.map((g) => [g.styleCode, g.rows.length])).toEqual([
      ['A1', 2],
      ['B', 1],
    ])
  })
  it('rejects a whole product when one of its rows is bad, keeping other products', () => {
    const bad = { ...row(3, { stock: 'x' }), styleCode: 'A1' }
    const { groups, errors } = groupRows([row(2), bad as never, row(4, { style_code: 'B', barcode: '200' })])
    expect(groups.map((g) => g.styleCode)).toEqual(['B'])
    expect(errors).toEqual([
      { row: 2, column: 'style_code', reason: 'product_has_errors' },
      { row: 3, column: 'stock', reason: 'invalid_stock' },
    ])
  })
  it('flags duplicate barcodes, repeated size × colour and disagreeing product fields', () => {
    const { groups, errors } = groupRows([
      row(2),
      row(3, { barcode: '100', size: 'L' }),
      row(4, { style_code: 'C', barcode: '300' }),
      row(5, { style_code: 'C', barcode: '301' }),
      row(6, { style_code: 'D', barcode: '400' }),
      row(7, { style_code: 'D', barcode: '401', size: 'L', tag_price: '1' }),
    ])
    expect(groups).toEqual([])
    expect(errors).toContainEqual({ row: 3, column: 'barcode', reason: 'duplicate_barcode_in_file' })
    expect(errors).toContainEqual({ row: 5, column: 'size', reason: 'duplicate_size_colour' })
    expect(errors).toContainEqual({ row: 7, column: 'tag_price', reason: 'inconsistent_product' })
  })
})

describe('conflicts with the brand catalogue', () => {
  const sku = (p: Partial<ExistingSku>): ExistingSku => ({
    skuId: 's',
    productId: 'P',
    barcode: '100',
    size: 'M',
    colour: '黑色',
    heldAllocation: 0,
    ...p,
  })
  const group = () => {
    const g = groupRows([parseCatalogRow(good, 2)]).groups[0]
    return g
  }
  it('a barcode of another product is refused; of the same product it updates', () => {
    expect(conflictsWithExisting(group(), 'Q', new Map([['100', sku({})]]), [])).toEqual([
      { row: 2, column: 'barcode', reason: 'barcode_other_product' },
    ])
    expect(conflictsWithExisting(group(), 'P', new Map([['100', sku({})]]), [sku({})])).toEqual([])
  })
  it('stock cannot drop below what sessions hold; a size × colour keeps one barcode', () => {
    expect(conflictsWithExisting(group(), 'P', new Map([['100', sku({ heldAllocation: 6 })]]), [])).toEqual([
      { row: 2, column: 'stock', reason: 'stock_below_allocated' },
    ])
    expect(conflictsWithExisting(group(), 'P', new Map(), [sku({ barcode: '999' })])).toEqual([
      { row: 2, column: 'size', reason: 'size_colour_taken' },
    ])
  })
})
