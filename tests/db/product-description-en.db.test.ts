import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as newProductAction } from '#app/routes/brand.products.new'
import { action as editAction, loader as editLoader } from '#app/routes/brand.products.$productId'
import { loader as productLoader } from '#app/routes/products.$productId'
import { pick } from '#app/components/pick'
import { createBrand, createUser } from '#tests/fixtures/factories'
import { BASE, cookieFor, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let cookie: string

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = await createBrand(t.db)
  cookie = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brand.id })).id)
})
afterAll(() => t.drop())

function form(url: string, fields: Record<string, string>) {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  return new Request(BASE + url, { method: 'POST', body: fd, headers: { Cookie: cookie } })
}
const fields = (patch: Record<string, string> = {}) => ({
  styleCode: 'EN-001',
  title: '真丝衬衫',
  titleEn: 'Silk blouse',
  category: 'womens',
  tagPrice: '899',
  description: '真丝面料，吊牌齐全。',
  descriptionEn: 'Pure silk, all tags attached.',
  'skus[0].size': 'M',
  'skus[0].colour': '米白',
  'skus[0].barcode': 'EN-001-M',
  'skus[0].stock': '10',
  ...patch,
})

describe('English product descriptions', () => {
  it('are saved from the brand form, shown to English readers with the Chinese as fallback, and cleared to null', async () => {
    const created = await settle(() =>
      newProductAction({ request: form('/brand/products/new', fields()), params: {}, context: {} }),
    )
    expect(created.status).toBe(302)
    const id = created.headers.get('Location')!.match(/products\/([0-9a-f-]{36})/)![1]
    expect(
      (await t.db.selectFrom('products').select('description_en').where('id', '=', id).executeTakeFirstOrThrow())
        .description_en,
    ).toBe('Pure silk, all tags attached.')

    const edit = await (
      await settle(() =>
        editLoader({ request: getRequest(`/brand/products/${id}`, cookie), params: { productId: id }, context: {} }),
      )
    ).json()
    expect(edit.product.descriptionEn).toBe('Pure silk, all tags attached.')

    const page = await (
      await settle(() =>
        productLoader({ request: getRequest(`/products/${id}`), params: { productId: id }, context: {} }),
      )
    ).json()
    expect(pick('en', page.product.description, page.product.descriptionEn)).toBe('Pure silk, all tags attached.')
    expect(pick('zh-CN', page.product.description, page.product.descriptionEn)).toBe('真丝面料，吊牌齐全。')

    const tooLong = await settle(() =>
      editAction({
        request: form(`/brand/products/${id}`, fields({ descriptionEn: 'x'.repeat(2001) })),
        params: { productId: id },
        context: {},
      }),
    )
    expect(tooLong.status).toBe(400)
    expect((await tooLong.json()).result.error).toMatchObject({ descriptionEn: ['catalog.errors.too_long'] })

    const cleared = await settle(() =>
      editAction({
        request: form(`/brand/products/${id}`, fields({ descriptionEn: '' })),
        params: { productId: id },
        context: {},
      }),
    )
    expect(cleared.status).toBe(302)
    expect(
      (await t.db.selectFrom('products').select('description_en').where('id', '=', id).executeTakeFirstOrThrow())
        .description_en,
    ).toBeNull()
    const again = await (
      await settle(() =>
        productLoader({ request: getRequest(`/products/${id}`), params: { productId: id }, context: {} }),
      )
    ).json()
    expect(pick('en', again.product.description, again.product.descriptionEn)).toBe('真丝面料，吊牌齐全。')
  })
})
