import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as newAction } from '#app/routes/brand.products.new'
import { action as editAction, loader as editLoader } from '#app/routes/brand.products.$productId'
import { loader as listLoader } from '#app/routes/brand.products._index'
import { loader as uploadLoader } from '#app/routes/uploads.$file'
import { productPage } from '#app/services/catalog/storefront.server'
import { addSessionItem, createBrand, createProduct, createSession, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let dir: string
let brandA: string
let brandB: string
let cookieA: string
let cookieB: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cm-uploads-'))
  process.env.UPLOAD_DIR = dir
  process.env.UPLOAD_MAX_BYTES = String(200 * 1024)
  t = await createTestDatabase()
  brandA = (await createBrand(t.db)).id
  brandB = (await createBrand(t.db)).id
  cookieA = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brandA })).id)
  cookieB = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brandB })).id)
})
afterAll(async () => {
  await t.drop()
  await rm(dir, { recursive: true, force: true })
  delete process.env.UPLOAD_DIR
  delete process.env.UPLOAD_MAX_BYTES
})

function multipart(
  url: string,
  fields: Record<string, string>,
  cookie: string,
  files: Record<string, Blob & { name?: string }> = {},
) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  for (const [k, v] of Object.entries(files)) fd.append(k, v, v.name ?? 'upload.bin')
  return new Request(BASE + url, { method: 'POST', body: fd, headers: { Cookie: cookie } })
}

const productFields = (patch: Record<string, string> = {}) => ({
  styleCode: 'ML-001',
  title: '羊毛大衣',
  titleEn: 'Wool coat',
  category: 'womens',
  tagPrice: '1299.50',
  description: '双排扣',
  'skus[0].size': 'M',
  'skus[0].colour': '黑色',
  'skus[0].barcode': '690001',
  'skus[0].stock': '40',
  'skus[1].size': 'L',
  'skus[1].colour': '黑色',
  'skus[1].barcode': '690002',
  'skus[1].stock': '35',
  ...patch,
})

async function png(width = 2400, height = 3200) {
  const buf = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .png({ compressionLevel: 9 })
    .toBuffer()
  return new File([new Uint8Array(buf)], 'photo.png', { type: 'image/png' })
}

async function create(fields: Record<string, string>, cookie = cookieA, files = {}) {
  return settle(() =>
    newAction({ request: multipart('/brand/products/new', fields, cookie, files), params: {}, context: {} }),
  )
}

describe('products: create and edit with a SKU matrix', () => {
  it('creates a product in fen with its SKUs and redirects to it', async () => {
    const res = await create(productFields())
    expect(res.status).toBe(302)
    const id = res.headers.get('Location')!.match(/products\/([0-9a-f-]{36})/)![1]
    const p = await t.db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(p).toMatchObject({
      brand_id: brandA,
      tag_price_minor: 129950,
      style_code: 'ML-001',
      tag_cut: false,
      image_path: null,
    })
    const skus = await t.db
      .selectFrom('skus')
      .select(['size', 'barcode', 'stock_on_hand', 'brand_id'])
      .where('product_id', '=', id)
      .orderBy('size')
      .execute()
    expect(skus).toEqual([
      { size: 'L', barcode: '690002', stock_on_hand: 35, brand_id: brandA },
      { size: 'M', barcode: '690001', stock_on_hand: 40, brand_id: brandA },
    ])
  })

  it('answers bad input with 400 and field messages, never 500', async () => {
    const res = await create(
      productFields({
        title: '',
        tagPrice: '12.345',
        'skus[0].barcode': 'bad code',
        'skus[1].stock': '-3',
        category: 'baby_food',
      }),
    )
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.result.error).toMatchObject({
      title: ['catalog.errors.required'],
      tagPrice: ['catalog.errors.invalid_price'],
      'skus[0].barcode': ['catalog.errors.invalid_barcode'],
      'skus[1].stock': ['catalog.errors.invalid_number'],
      category: ['catalog.errors.invalid_category'],
    })
    const empty = await create({}, cookieA)
    expect(empty.status).toBe(400)
  })

  it('keeps barcodes unique per brand, but another brand may use the same barcode', async () => {
    const dup = await create(productFields({ styleCode: 'ML-002' }))
    expect(dup.status).toBe(422)
    expect((await dup.json()).result.error).toEqual({
      '': ['catalog.errors.field_rule'],
      'skus[0].barcode': ['catalog.errors.barcode_taken'],
      'skus[1].barcode': ['catalog.errors.barcode_taken'],
    })
    const inForm = await create(productFields({ styleCode: 'ML-003', 'skus[1].barcode': '690001' }))
    expect(inForm.status).toBe(422)
    expect((await inForm.json()).result.error).toMatchObject({
      'skus[1].barcode': ['catalog.errors.duplicate_barcode'],
    })
    const other = await create(productFields(), cookieB)
    expect(other.status).toBe(302)
  })

  it('edits prices and the matrix, refuses to remove a SKU in a session or drop stock below its allocation', async () => {
    const { product, skus } = await createProduct(t.db, {
      brandId: brandA,
      sizes: ['S', 'M'],
      colours: ['红'],
      stockPerSku: 10,
    })
    const session = await createSession(t.db, {
      brandId: brandA,
      startsAt: new Date(Date.now() + 86_400_000),
      status: 'draft',
    })
    await addSessionItem(t.db, {
      sessionId: session.id,
      productId: product.id,
      skuIds: [skus[0].id],
      basePriceMinor: 1000,
      quantity: 8,
    })
    const url = `/brand/products/${product.id}`
    const edit = (fields: Record<string, string>) =>
      settle(() =>
        editAction({ request: multipart(url, fields, cookieA), params: { productId: product.id }, context: {} }),
      )
    const base = { styleCode: 'E-1', title: 'T', category: 'womens', tagPrice: '399' }
    const removed = await edit({
      ...base,
      'skus[0].id': skus[1].id,
      'skus[0].size': 'M',
      'skus[0].colour': '红',
      'skus[0].barcode': skus[1].barcode,
      'skus[0].stock': '10',
    })
    expect(removed.status).toBe(422)
    expect((await removed.json()).result.error).toEqual({
      '': ['catalog.errors.field_rule'],
      skus: ['catalog.errors.sku_in_session'],
    })
    const below = await edit({
      ...base,
      'skus[0].id': skus[0].id,
      'skus[0].size': 'S',
      'skus[0].colour': '红',
      'skus[0].barcode': skus[0].barcode,
      'skus[0].stock': '7',
      'skus[1].id': skus[1].id,
      'skus[1].size': 'M',
      'skus[1].colour': '红',
      'skus[1].barcode': skus[1].barcode,
      'skus[1].stock': '10',
    })
    expect(below.status).toBe(422)
    expect((await below.json()).result.error).toEqual({
      '': ['catalog.errors.field_rule'],
      'skus[0].stock': ['catalog.errors.stock_below_allocated'],
    })
    // Swap sizes, add a colour, remove nothing in a session.
    const ok = await edit({
      ...base,
      tagPrice: '459',
      'skus[0].id': skus[0].id,
      'skus[0].size': 'M',
      'skus[0].colour': '红',
      'skus[0].barcode': skus[0].barcode,
      'skus[0].stock': '8',
      'skus[1].id': skus[1].id,
      'skus[1].size': 'S',
      'skus[1].colour': '红',
      'skus[1].barcode': skus[1].barcode,
      'skus[1].stock': '0',
      'skus[2].size': 'S',
      'skus[2].colour': '蓝',
      'skus[2].barcode': 'NEW-1',
      'skus[2].stock': '3',
    })
    expect(ok.status).toBe(302)
    const after = await t.db
      .selectFrom('skus')
      .select(['id', 'size', 'colour', 'stock_on_hand'])
      .where('product_id', '=', product.id)
      .orderBy('barcode')
      .execute()
    expect(after).toHaveLength(3)
    expect(after.find((k) => k.id === skus[0].id)).toMatchObject({ size: 'M', stock_on_hand: 8 })
    expect(
      (
        await t.db
          .selectFrom('products')
          .select('tag_price_minor')
          .where('id', '=', product.id)
          .executeTakeFirstOrThrow()
      ).tag_price_minor,
    ).toBe(45900)
  })

  it('lists only the brand\u2019s own products and 404s another brand\u2019s product for edit and save', async () => {
    const list = await (
      await settle(() => listLoader({ request: getRequest('/brand/products', cookieB), params: {}, context: {} }))
    ).json()
    const theirs = list.products.map((p: { id: string }) => p.id)
    const mine = await t.db.selectFrom('products').select('id').where('brand_id', '=', brandA).execute()
    expect(mine.some((p) => theirs.includes(p.id))).toBe(false)
    const target = mine[0].id
    const view = await settle(() =>
      editLoader({
        request: getRequest(`/brand/products/${target}`, cookieB),
        params: { productId: target },
        context: {},
      }),
    )
    expect(view.status).toBe(404)
    const save = await settle(() =>
      editAction({
        request: multipart(
          `/brand/products/${target}`,
          productFields({ styleCode: 'HIJACK', 'skus[0].barcode': 'h1', 'skus[1].barcode': 'h2' }),
          cookieB,
        ),
        params: { productId: target },
        context: {},
      }),
    )
    expect(save.status).toBe(404)
    expect(await t.db.selectFrom('products').select('id').where('style_code', '=', 'HIJACK').execute()).toEqual([])
  })
})

describe('product images', () => {
  it('stores a PNG resized to 1200 px plus a thumbnail, serves it, and shows it on the product page', async () => {
    const res = await create(
      productFields({ styleCode: 'IMG-1', 'skus[0].barcode': 'img1', 'skus[1].barcode': 'img2' }),
      cookieA,
      { image: await png() },
    )
    expect(res.status).toBe(302)
    const p = await t.db
      .selectFrom('products')
      .select(['id', 'image_path'])
      .where('style_code', '=', 'IMG-1')
      .executeTakeFirstOrThrow()
    expect(p.image_path).toMatch(/^[0-9a-f-]{36}$/)
    expect((await readdir(dir)).sort()).toEqual([`${p.image_path}-thumb.webp`, `${p.image_path}.webp`])
    const served = await settle(() =>
      uploadLoader({
        request: getRequest(`/uploads/${p.image_path}.webp`),
        params: { file: `${p.image_path}.webp` },
        context: {},
      }),
    )
    expect(served.headers.get('Content-Type')).toBe('image/webp')
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata()
    expect(Math.max(meta.width!, meta.height!)).toBe(1200)
    const thumb = await sharp(path.join(dir, `${p.image_path}-thumb.webp`)).metadata()
    expect(Math.max(thumb.width!, thumb.height!)).toBe(400)
    const page = await productPage(t.db, p.id, null, new Date())
    expect(page!.product.imagePath).toBe(p.image_path)
  })

  it('refuses a file that is not an image by its bytes, even when named .png', async () => {
    const fake = new File([new TextEncoder().encode('<?php echo 1; ?>')], 'evil.png', { type: 'image/png' })
    const res = await create(
      productFields({ styleCode: 'IMG-2', 'skus[0].barcode': 'img3', 'skus[1].barcode': 'img4' }),
      cookieA,
      { image: fake },
    )
    expect(res.status).toBe(422)
    expect((await res.json()).result.error).toEqual({
      '': ['catalog.errors.field_rule'],
      image: ['catalog.errors.image_bad_type'],
    })
    expect(await t.db.selectFrom('products').select('id').where('style_code', '=', 'IMG-2').execute()).toEqual([])
  })

  it('refuses an image above the configured size', async () => {
    const noisy = await sharp(randomBytes(600 * 600 * 3), { raw: { width: 600, height: 600, channels: 3 } })
      .png()
      .toBuffer()
    expect(noisy.length).toBeGreaterThan(200 * 1024)
    const res = await create(
      productFields({ styleCode: 'IMG-3', 'skus[0].barcode': 'img5', 'skus[1].barcode': 'img6' }),
      cookieA,
      { image: new File([new Uint8Array(noisy)], 'big.png') },
    )
    expect([413, 422]).toContain(res.status)
    expect(await t.db.selectFrom('products').select('id').where('style_code', '=', 'IMG-3').execute()).toEqual([])
  })

  it('serves only generated names', async () => {
    for (const file of ['../../etc/passwd', 'x.webp', '00000000-0000-0000-0000-000000000000.webp', '..%2f.env']) {
      const res = await settle(() => uploadLoader({ request: getRequest(`/uploads/x`), params: { file }, context: {} }))
      expect(res.status).toBe(404)
    }
  })
})
