import { expect, test } from '@playwright/test'
import { withAppDb } from './db'
import { signIn } from './helpers'
import { createProduct } from '#tests/fixtures/factories'

/**
 * A Little Oak session of a new product that starts a few seconds after the page opens and ends a few seconds
 * later (built straight in the database: the console never schedules one so short). Its title marks it as a
 * browser test's session, which the home-page test leaves out.
 */
async function shortSession(startInMs: number, lengthMs: number) {
  return withAppDb(async (db) => {
    const brand = await db.selectFrom('brands').select('id').where('slug', '=', 'little-oak').executeTakeFirstOrThrow()
    const { product, skus } = await createProduct(db, { brandId: brand.id, title: `端到端 开抢 ${Date.now()}`, sizes: ['M'], colours: ['black'], stockPerSku: 5 })
    const startsAt = new Date(Date.now() + startInMs)
    const endsAt = new Date(startsAt.getTime() + lengthMs)
    const session = await db.insertInto('clearance_sessions').values({
      brand_id: brand.id, title: `端到端档期 开抢 ${Date.now()}`, title_en: 'Browser test: the start', banner_seed: 'flip', status: 'scheduled',
      starts_at: startsAt, ends_at: endsAt, after_sale_deadline_at: new Date(endsAt.getTime() + 7 * 86_400_000),
    }).returning('id').executeTakeFirstOrThrow()
    const item = await db.insertInto('session_items').values({ session_id: session.id, product_id: product.id, base_price_minor: 20000 }).returning('id').executeTakeFirstOrThrow()
    await db.insertInto('session_item_skus').values({ session_item_id: item.id, sku_id: skus[0]!.id, allocated: 5, available: 5 }).execute()
    return { sessionId: session.id, productId: product.id }
  })
}

test('the product and session pages open the buy box at the start and close it at the end, without a reload', async ({ page, browser }) => {
  test.setTimeout(90_000)
  await signIn(page, 'vip3@demo.cm')
  const { sessionId, productId } = await shortSession(12_000, 14_000)
  await page.goto(`/products/${productId}`)
  await expect(page.getByText('档期开始后才能抢购。')).toBeVisible()
  await expect(page.getByRole('button', { name: '加入购物车' })).toHaveCount(0)
  const other = await browser.newPage()
  await signIn(other, 'vip3@demo.cm')
  await other.goto(`/sessions/${sessionId}`)
  await expect(other.locator('.session-hero .phase')).toHaveText('预告')

  // The start: both pages follow the clock.
  await expect(page.getByRole('button', { name: '加入购物车' })).toBeEnabled({ timeout: 25_000 })
  await expect(page.getByText('档期开始后才能抢购。')).toHaveCount(0)
  await expect(other.locator('.session-hero .phase')).toHaveText('抢购中', { timeout: 10_000 })
  // The end: nothing can be added any more, and the session page says it ended.
  await expect(page.getByRole('button', { name: '加入购物车' })).toHaveCount(0, { timeout: 25_000 })
  await expect(other.locator('.session-hero .phase')).toHaveText('已结束', { timeout: 10_000 })
  await other.close()
})
