import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as editAction } from '#app/routes/brand.products.$productId'
import { productPage } from '#app/services/catalog/storefront.server'
import { createBrand, createProduct, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let dir: string
let brandA: string
let cookieA: string
let cookieB: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cm-photos-'))
  process.env.UPLOAD_DIR = dir
  t = await createTestDatabase()
  brandA = (await createBrand(t.db)).id
  const brandB = (await createBrand(t.db)).id
  cookieA = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brandA })).id)
  cookieB = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brandB })).id)
})

afterAll(async () => {
  await t.drop()
  await rm(dir, { recursive: true, force: true })
  delete process.env.UPLOAD_DIR
})

async function jpeg(r: number, width = 1800, height = 2400) {
  const buf = await sharp({ create: { width, height, channels: 3, background: { r, g: 90, b: 60 } } })
    .jpeg()
    .toBuffer()
  return new File([new Uint8Array(buf)], `p${r}.jpg`, { type: 'image/jpeg' })
}

function post(productId: string, fields: Record<string, string>, files: File[] = [], cookie = cookieA) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  for (const f of files) fd.append('photos', f, f.name)
  const request = new Request(`${BASE}/brand/products/${productId}?photos`, {
    method: 'POST',
    body: fd,
    headers: { Cookie: cookie },
  })
  return settle(() => editAction({ request, params: { productId }, context: {} }))
}

const photosOf = async (productId: string) =>
  (
    await t.db
      .selectFrom('product_photos')
      .select('path')
      .where('product_id', '=', productId)
      .orderBy('position')
      .execute()
  ).map((r) => r.path)
const coverOf = async (productId: string) =>
  (await t.db.selectFrom('products').select('image_path').where('id', '=', productId).executeTakeFirstOrThrow())
    .image_path

describe('product photos', () => {
  it('stores several photos resized to WebP in upload order, the first as the cover shown everywhere', async () => {
    const { product } = await createProduct(t.db, { brandId: brandA })
    const res = await post(product.id, { intent: 'add' }, [await jpeg(10), await jpeg(20), await jpeg(30)])
    expect(res.status).toBe(302)
    const photos = await photosOf(product.id)
    expect(photos).toHaveLength(3)
    expect(await coverOf(product.id)).toBe(photos[0])
    const meta = await sharp(path.join(dir, `${photos[0]}.webp`)).metadata()
    expect(meta.format).toBe('webp')
    expect(Math.max(meta.width!, meta.height!)).toBe(1200)
    expect(await readdir(dir)).toContain(`${photos[0]}-thumb.webp`)
    const page = await productPage(t.db, product.id, null, new Date())
    expect(page!.photos).toEqual(photos)
  })

  it('reorders, makes a cover and removes, keeping the cover mirrored on the product', async () => {
    const { product } = await createProduct(t.db, { brandId: brandA })
    await post(product.id, { intent: 'add' }, [await jpeg(1), await jpeg(2), await jpeg(3)])
    const [a, b, c] = await photosOf(product.id)
    expect((await post(product.id, { intent: 'first', photo: c! })).status).toBe(302)
    expect(await photosOf(product.id)).toEqual([c, a, b])
    expect(await coverOf(product.id)).toBe(c)
    await post(product.id, { intent: 'later', photo: a! })
    expect(await photosOf(product.id)).toEqual([c, b, a])
    await post(product.id, { intent: 'remove', photo: c! })
    expect(await photosOf(product.id)).toEqual([b, a])
    expect(await coverOf(product.id)).toBe(b)
    await post(product.id, { intent: 'remove', photo: b! })
    await post(product.id, { intent: 'remove', photo: a! })
    expect(await coverOf(product.id)).toBeNull()
  })

  it('refuses a tenth photo, a file that is not an image, bad input, and another brand', async () => {
    const { product } = await createProduct(t.db, { brandId: brandA })
    const nine = await Promise.all(Array.from({ length: 9 }, (_, i) => jpeg(100 + i, 60, 80)))
    expect((await post(product.id, { intent: 'add' }, nine)).status).toBe(302)
    const tenth = await post(product.id, { intent: 'add' }, [await jpeg(200, 60, 80)])
    expect(tenth.status).toBe(422)
    expect(await tenth.json()).toMatchObject({
      form: 'photos',
      result: { error: { photos: ['phone.photos.errors.photos_too_many'] } },
    })
    expect(await photosOf(product.id)).toHaveLength(9)

    const { product: other } = await createProduct(t.db, { brandId: brandA })
    const text = new File([new TextEncoder().encode('not an image')], 'x.jpg', { type: 'image/jpeg' })
    const bad = await post(other.id, { intent: 'add' }, [text])
    expect(bad.status).toBe(422)
    expect(await photosOf(other.id)).toEqual([])
    expect((await post(other.id, { intent: 'add' })).status).toBe(422)
    expect((await post(other.id, { intent: 'sideways', photo: 'x' })).status).toBe(400)

    expect(
      (await post(product.id, { intent: 'remove', photo: (await photosOf(product.id))[0]! }, [], cookieB)).status,
    ).toBe(404)
    expect(await photosOf(product.id)).toHaveLength(9)
  })
})
