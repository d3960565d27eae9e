import type { Runner } from 'graphile-worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker } from '#jobs/worker'
import { action as importAction } from '#app/routes/brand.products.import._index'
import { loader as progressLoader } from '#app/routes/brand.products.import.$importId'
import { loader as errorsLoader } from '#app/routes/brand.products.import.$importId.errors[.]csv'
import { loader as templateLoader } from '#app/routes/brand.products.import.template[.]csv'
import { runCatalogImport, startCatalogImport } from '#app/services/catalog/import.server'
import { CSV_TEMPLATE } from '#app/domain/catalog-csv'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let brand: string
let other: string
let userId: string
let cookie: string
let otherCookie: string
const now = new Date()

beforeAll(async () => {
  t = await createTestDatabase()
  brand = (await createBrand(t.db)).id
  other = (await createBrand(t.db)).id
  const staff = await createUser(t.db, { role: 'brand_staff', brandId: brand })
  userId = staff.id
  cookie = await cookieFor(t.db, staff.id)
  otherCookie = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: other })).id)
})
afterAll(() => t.drop())

const HEADER = 'style_code,title,title_en,category,tag_price,tag_cut,description,size,colour,barcode,stock'

async function importCsv(csv: string, brandId = brand) {
  const id = await startCatalogImport(t.db, { brandId, userId, fileName: 'x.csv', csvText: csv })
  expect(await runCatalogImport(t.db, id, now)).not.toBe('skipped')
  const row = await t.db.selectFrom('catalog_imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return {
    ...row,
    errors: (typeof row.errors === 'string' ? JSON.parse(row.errors) : row.errors) as Array<{
      row: number
      column: string
      reason: string
    }>,
  }
}

const skusOf = (style: string) =>
  t.db
    .selectFrom('skus as k')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select(['k.barcode', 'k.size', 'k.colour', 'k.stock_on_hand', 'p.title', 'p.tag_price_minor'])
    .where('p.style_code', '=', style)
    .where('p.brand_id', '=', brand)
    .orderBy('k.barcode')
    .execute()

describe('CSV import', () => {
  it('imports the template as documented', async () => {
    const r = await importCsv(CSV_TEMPLATE)
    expect(r).toMatchObject({
      status: 'done',
      total_rows: 3,
      processed_rows: 3,
      ok_rows: 3,
      products_created: 2,
      errors: [],
    })
    expect(await skusOf('ML-2026-001')).toEqual([
      {
        barcode: '6901234500011',
        size: 'M',
        colour: '黑色',
        stock_on_hand: 40,
        title: '羊毛混纺大衣',
        tag_price_minor: 129900,
      },
      {
        barcode: '6901234500028',
        size: 'L',
        colour: '黑色',
        stock_on_hand: 35,
        title: '羊毛混纺大衣',
        tag_price_minor: 129900,
      },
    ])
  })

  it('re-import updates by barcode instead of duplicating', async () => {
    const csv = [
      HEADER,
      'ML-2026-001,羊毛混纺大衣（新）,Coat,womens,1199,0,,M,黑色,6901234500011,12',
      'ML-2026-001,羊毛混纺大衣（新）,Coat,womens,1199,0,,XL,黑色,6901234500042,5',
    ].join('\n')
    const r = await importCsv(csv)
    expect(r).toMatchObject({ status: 'done', ok_rows: 2, products_created: 0, products_updated: 1 })
    const skus = await skusOf('ML-2026-001')
    expect(skus.map((k) => [k.barcode, k.size, k.stock_on_hand])).toEqual([
      ['6901234500011', 'M', 12],
      ['6901234500028', 'L', 35],
      ['6901234500042', 'XL', 5],
    ])
    expect(skus.every((k) => k.title === '羊毛混纺大衣（新）' && k.tag_price_minor === 119900)).toBe(true)
    expect(
      await t.db.selectFrom('products').select('id').where('style_code', '=', 'ML-2026-001').execute(),
    ).toHaveLength(1)
  })

  it('reports bad rows (row, column, reason) without aborting good ones or half-writing a product', async () => {
    const csv = [
      HEADER,
      'GOOD-1,好商品,,mens,299,0,,M,蓝,G-1,10', // row 2: good
      'HALF-1,半商品,,mens,299,0,,M,蓝,H-1,10', // row 3: good row of a product with a bad row
      'HALF-1,半商品,,mens,299,0,,L,蓝,H-2,ten', // row 4: bad stock
      'BAD-2,坏类目,,baby_food,299,0,,M,蓝,B-1,1', // row 5: refused category
      'GOOD-2,好商品二,,kids,99.5,是,,110,红,G-2,3', // row 6: good
      'DUP-1,重复条码,,kids,99,0,,110,红,G-1,3', // row 7: barcode repeated in the file
      'OTHER,别的,,kids,99,0,,120,红,6901234500028,3', // row 8: barcode of another product
    ].join('\n')
    const r = await importCsv(csv)
    expect(r.status).toBe('done')
    expect(r.total_rows).toBe(7)
    expect(r.processed_rows).toBe(7)
    expect(r.errors).toEqual([
      { row: 2, column: 'barcode', reason: 'duplicate_barcode_in_file' },
      { row: 3, column: 'style_code', reason: 'product_has_errors' },
      { row: 4, column: 'stock', reason: 'invalid_stock' },
      { row: 5, column: 'category', reason: 'invalid_category' },
      { row: 7, column: 'barcode', reason: 'duplicate_barcode_in_file' },
      { row: 8, column: 'barcode', reason: 'barcode_other_product' },
    ])
    expect(await skusOf('GOOD-2')).toHaveLength(1)
    for (const style of ['HALF-1', 'BAD-2', 'DUP-1', 'OTHER', 'GOOD-1']) {
      expect(await t.db.selectFrom('products').select('id').where('style_code', '=', style).execute()).toEqual([])
    }
    // The error report downloads as CSV in the viewer's language.
    const res = await settle(() =>
      errorsLoader({
        request: getRequest(`/brand/products/import/${r.id}/errors.csv`, cookie),
        params: { importId: r.id },
        context: {},
      }),
    )
    expect(res.headers.get('Content-Type')).toMatch(/text\/csv/)
    const text = await res.text()
    expect(text).toContain('row,column,reason,message')
    expect(text).toContain('4,stock,invalid_stock,库存须为非负整数')
    // Another brand cannot see it.
    const theirs = await settle(() =>
      errorsLoader({
        request: getRequest(`/brand/products/import/${r.id}/errors.csv`, otherCookie),
        params: { importId: r.id },
        context: {},
      }),
    )
    expect(theirs.status).toBe(404)
    const progress = await settle(() =>
      progressLoader({
        request: getRequest(`/brand/products/import/${r.id}`, otherCookie),
        params: { importId: r.id },
        context: {},
      }),
    )
    expect(progress.status).toBe(404)
  })

  it('refuses to lower stock below what sessions hold, and a file without the required columns', async () => {
    const { product, skus } = await createProduct(t.db, { brandId: brand, stockPerSku: 10 })
    await t.db.updateTable('products').set({ style_code: 'HELD-1' }).where('id', '=', product.id).execute()
    const s = await createSession(t.db, { brandId: brand, startsAt: new Date(Date.now() + 86_400_000) })
    await addSessionItem(t.db, {
      sessionId: s.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 1000,
      quantity: 8,
    })
    const r = await importCsv([HEADER, `HELD-1,T,,womens,399,0,,M,black,${skus[0].barcode},5`].join('\n'))
    expect(r.errors).toEqual([{ row: 2, column: 'stock', reason: 'stock_below_allocated' }])
    expect(
      (await t.db.selectFrom('skus').select('stock_on_hand').where('id', '=', skus[0].id).executeTakeFirstOrThrow())
        .stock_on_hand,
    ).toBe(10)
    const bad = await importCsv('name,price\nx,1\n')
    expect(bad.status).toBe('failed')
    expect(bad.errors.map((e) => e.column)).toContain('barcode')
  })

  it('the same barcode may exist in another brand', async () => {
    const r = await importCsv(CSV_TEMPLATE, other)
    expect(r).toMatchObject({ status: 'done', ok_rows: 3, products_created: 2 })
  })

  it('runs as a background job from the upload form, with progress readable by the brand', async () => {
    const runner: Runner = await startWorker({
      connectionString: t.url,
      db: t.db,
      pollInterval: 100,
      noHandleSignals: true,
      concurrency: 1,
    })
    try {
      const fd = new FormData()
      const rows = Array.from(
        { length: 300 },
        (_, i) =>
          `JOB-${Math.floor(i / 3)},商品${Math.floor(i / 3)},,womens,199,0,,${['S', 'M', 'L'][i % 3]},黑,JOB-B-${i},${i}`,
      )
      fd.append('file', new File([[HEADER, ...rows].join('\n')], 'big.csv', { type: 'text/csv' }))
      const res = await settle(() =>
        importAction({
          request: new Request(`${BASE}/brand/products/import`, {
            method: 'POST',
            body: fd,
            headers: { Cookie: cookie },
          }),
          params: {},
          context: {},
        }),
      )
      expect(res.status).toBe(302)
      const id = res.headers.get('Location')!.split('/').pop()!
      let status:
        | { status: string; processedRows: number; totalRows: number; okRows: number; productsCreated: number }
        | undefined
      const until = Date.now() + 20_000
      while (Date.now() < until) {
        status = await (
          await settle(() =>
            progressLoader({
              request: getRequest(`/brand/products/import/${id}`, cookie),
              params: { importId: id },
              context: {},
            }),
          )
        ).json()
        if (status!.status === 'done') break
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(status).toMatchObject({
        status: 'done',
        processedRows: 300,
        totalRows: 300,
        okRows: 300,
        productsCreated: 100,
      })
    } finally {
      await runner.stop()
    }
  })

  it('answers an upload without a file with 400, and serves the template', async () => {
    const res = await settle(() =>
      importAction({
        request: new Request(`${BASE}/brand/products/import`, {
          method: 'POST',
          body: new FormData(),
          headers: { Cookie: cookie },
        }),
        params: {},
        context: {},
      }),
    )
    expect(res.status).toBe(400)
    const tpl = await settle(() =>
      templateLoader({ request: getRequest('/brand/products/import/template.csv', cookie), params: {}, context: {} }),
    )
    expect((await tpl.text()).replace('\uFEFF', '')).toBe(CSV_TEMPLATE)
  })
})
