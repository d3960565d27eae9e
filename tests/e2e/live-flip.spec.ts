import { expect, test } from '@playwright/test'
import { withAppDb } from './db'
import { signIn } from './helpers'
import { createProduct } from '#tests/fixtures/factories'

const HOUR = 3_600_000

/**
 * A Little Oak session (48 h, as every session) of a new product, starting at `startsAt`: built straight in the
 * database, since the console never schedules one seconds away or in the past. Its title marks it as a browser
 * test's session, which the home-page test leaves out.
 */
async function sessionFrom(startsAt: Date) {
  return withAppDb(async (db) => {
    const brand = await db.selectFrom('brands').select('id').where('slug', '=', 'little-oak').executeTakeFirstOrThrow()
    const { product, skus } = await createProduct(db, {
      brandId: brand.id,
      title: `端到端 开抢 ${Date.now()}`,
      sizes: ['M'],
      colours: ['black'],
      stockPerSku: 5,
    })
    const endsAt = new Date(startsAt.getTime() + 48 * HOUR)
    const session = await db
      .insertInto('clearance_sessions')
      .values({
        brand_id: brand.id,
        title: `端到端档期 开抢 ${Date.now()}`,
        title_en: 'Browser test: start and end',
        banner_seed: 'flip',
        status: 'scheduled',
        starts_at: startsAt,
        ends_at: endsAt,
        after_sale_deadline_at: new Date(endsAt.getTime() + 7 * 24 * HOUR),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const item = await db
      .insertInto('session_items')
      .values({ session_id: session.id, product_id: product.id, base_price_minor: 20000 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('session_item_skus')
      .values({ session_item_id: item.id, sku_id: skus[0]!.id, allocated: 5, available: 5 })
      .execute()
    return { sessionId: session.id, productId: product.id }
  })
}

test('product and session pages open the buy box at the start and close it at the end, without a reload', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000)
  await signIn(page, 'vip3@demo.cm')
  const sessionPage = await browser.newPage()
  await signIn(sessionPage, 'vip3@demo.cm')
  const endingPage = await browser.newPage()
  await signIn(endingPage, 'vip3@demo.cm')
  // Sessions are made after the sign-ins (slow on a busy machine), with time for three page loads before the start.
  const starting = await sessionFrom(new Date(Date.now() + 20_000))
  const ending = await sessionFrom(new Date(Date.now() - 48 * HOUR + 40_000))

  // The start: the product page's buy box opens and the session page says it is on, by themselves.
  await page.goto(`/products/${starting.productId}`)
  await expect(page.getByText('档期开始后才能抢购。')).toBeVisible()
  await expect(page.getByRole('button', { name: '加入购物车' })).toHaveCount(0)
  await sessionPage.goto(`/sessions/${starting.sessionId}`)
  await expect(sessionPage.locator('.session-hero .phase')).toHaveText('预告')
  await endingPage.goto(`/products/${ending.productId}`)
  await expect(endingPage.getByRole('button', { name: '加入购物车' })).toBeEnabled()
  await expect(page.getByRole('button', { name: '加入购物车' })).toBeEnabled({ timeout: 30_000 })
  await expect(page.getByText('档期开始后才能抢购。')).toHaveCount(0)
  await expect(sessionPage.locator('.session-hero .phase')).toHaveText('抢购中', { timeout: 10_000 })

  // The end: nothing can be added any more, and the session page says it ended.
  await sessionPage.goto(`/sessions/${ending.sessionId}`)
  await expect(sessionPage.locator('.session-hero .phase')).toHaveText('抢购中')
  await expect(endingPage.getByRole('button', { name: '加入购物车' })).toHaveCount(0, { timeout: 45_000 })
  await expect(sessionPage.locator('.session-hero .phase')).toHaveText('已结束', { timeout: 10_000 })
})
