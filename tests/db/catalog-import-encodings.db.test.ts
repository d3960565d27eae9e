import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as importAction } from '#app/routes/brand.products.import._index'
import { runCatalogImport } from '#app/services/catalog/import.server'
import { createBrand, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

// The same two rows saved the ways Excel, WPS and editors save a CSV.
let t: TestDatabase
let cookie: string
const fixture = (name: string) => readFileSync(new URL(`../fixtures/csv/${name}`, import.meta.url))

beforeAll(async () => {
  t = await createTestDatabase()
  const brandId = (await createBrand(t.db)).id
  cookie = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId })).id)
})
afterAll(() => t.drop())

async function upload(name: string) {
  const fd = new FormData()
  fd.append('file', new File([fixture(name)], name, { type: 'text/csv' }))
  return settle(() =>
    importAction({
      request: new Request(`${BASE}/brand/products/import`, { method: 'POST', body: fd, headers: { Cookie: cookie } }),
      params: {},
      context: {},
    }),
  )
}

async function importFixture(name: string) {
  const res = await upload(name)
  expect(res.status).toBe(302)
  const id = res.headers.get('Location')!.split('/').pop()!
  await runCatalogImport(t.db, id, new Date())
  return t.db.selectFrom('catalog_imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

const stored = () =>
  t.db
    .selectFrom('skus as k')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select(['p.title', 'p.description', 'k.size', 'k.colour'])
    .where('p.style_code', 'like', 'ENC-%')
    .orderBy('k.barcode')
    .execute()

describe('CSV files in any common encoding', () => {
  it.each([
    'catalog-utf8.csv',
    'catalog-utf8-bom.csv',
    'catalog-gbk.csv',
    'catalog-gb18030.csv',
    'catalog-utf16le-bom.csv',
    'catalog-utf16be.csv',
  ])('%s imports with its Chinese text intact', async (name) => {
    await t.db.deleteFrom('skus').execute()
    await t.db.deleteFrom('products').execute()
    const job = await importFixture(name)
    expect(job).toMatchObject({ status: 'done', ok_rows: 2 })
    const rows = await stored()
    expect(rows.map((r) => [r.title, r.size, r.colour])).toEqual([
      ['羊毛大衣 中文编码', 'M', '砖红'],
      ['羊毛大衣 中文编码', '均码', '砖红'],
    ])
    expect(rows[0].description.startsWith('双排扣 · 经典款')).toBe(true)
    expect(JSON.stringify(rows)).not.toContain('\uFFFD')
  })

  it('refuses a file in no known encoding with a message on saving as UTF-8', async () => {
    const res = await upload('catalog-latin1-binary.csv')
    expect(res.status).toBe(400)
    expect((await res.json()).result.error).toEqual({ file: ['catalog.errors.file_encoding'] })
  })

  it('a NUL byte is a row error, the other rows import', async () => {
    await t.db.deleteFrom('skus').execute()
    await t.db.deleteFrom('products').execute()
    const job = await importFixture('catalog-nul.csv')
    expect(job.status).toBe('done')
    expect(typeof job.errors === 'string' ? JSON.parse(job.errors) : job.errors).toEqual([
      { row: 3, column: 'title', reason: 'nul_byte' },
    ])
    expect((await stored()).map((r) => r.size)).toEqual(['M'])
  })
})
