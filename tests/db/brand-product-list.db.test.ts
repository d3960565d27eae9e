import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loader } from '#app/routes/brand.products._index'
import { createBrand, createProduct, createUser } from '#tests/fixtures/factories'
import { cookieFor, getRequest } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let cookie: string

beforeAll(async () => {
  t = await createTestDatabase()
  const brand = (await createBrand(t.db)).id
  cookie = await cookieFor(t.db, (await createUser(t.db, { role: 'brand_staff', brandId: brand })).id)
  for (let i = 0; i < 40; i++)
    await createProduct(t.db, { brandId: brand, title: i < 2 ? `羊绒围巾 ${i}` : `衬衫 ${i}` })
})
afterAll(() => t.drop())

describe('brand product search', () => {
  it('counts what the search finds, not the whole catalogue', async () => {
    const data = await (
      (await loader({ request: getRequest('/brand/products?q=羊绒', cookie), params: {}, context: {} })) as Response
    ).json()
    expect(data.products).toHaveLength(2)
    expect(data.total).toBe(2)
    const all = await (
      (await loader({ request: getRequest('/brand/products', cookie), params: {}, context: {} })) as Response
    ).json()
    expect(all.total).toBe(40)
  })
})
