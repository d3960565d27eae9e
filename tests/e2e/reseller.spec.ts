import { expect, test } from '@playwright/test'
import { DEMO_SHARE_TOKEN } from '#db/seeds/reseller'
import { withAppDb } from './db'
import { signIn } from './helpers'

test('a VIP member marks up three items, forwards them as a list, and a signed-out visitor sees only retail prices', async ({
  page,
  browser,
}) => {
  // Four 1080 px posters drawn on demand by a small pool that answers 503 when full; on a loaded machine their
  // retries alone can outlast the default 30 s.
  test.setTimeout(90_000)
  await signIn(page, 'vip1@demo.cm')
  await page.getByRole('link', { name: '我的转发' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的转发')
  // A demo session: other browser tests create short sessions of their own (titled 端到端) while this one runs.
  await page
    .locator('.reseller-sessions li')
    .filter({ hasNotText: '端到端' })
    .first()
    .getByRole('link', { name: '选品转发' })
    .click()
  await expect(page).toHaveURL(/\/reseller\/sessions\//)

  const rows = page.getByTestId('forward-row')
  const ownPrices: string[] = []
  for (let i = 0; i < 3; i++) {
    await rows.nth(i).getByRole('checkbox').check()
    ownPrices.push((await rows.nth(i).locator('td').nth(3).innerText()).trim())
  }
  await page.getByLabel('加价方式', { exact: true }).selectOption('percent')
  await page.getByLabel('加价（% 或 元）', { exact: true }).fill('50')
  await page.getByLabel('取整', { exact: true }).selectOption('nine')
  await page.getByRole('button', { name: '预览价格' }).click()
  const preview = page.getByTestId('preview-price')
  await expect(preview).toHaveCount(3)
  const retail = (await preview.allInnerTexts()).map((s) => s.trim())
  for (const p of retail) expect(p).toMatch(/^¥[\d,]*9\.00$/)

  await page.getByRole('button', { name: '生成一个分享清单（九宫格）' }).click()
  await expect(page).toHaveURL(/\/reseller\/links\//)
  const copy = await page.getByTestId('copy-text').inputValue()
  for (const p of retail) expect(copy).toContain(p)
  const card = page.getByTestId('card-image')
  await expect.poll(() => card.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBe(1080)
  // One picture per item to press and hold in WeChat (which ignores <a download>), for a Moments post.
  const nine = page.getByTestId('nine-images').getByRole('img')
  await expect(nine).toHaveCount(3)
  await nine.last().scrollIntoViewIfNeeded()
  await expect
    .poll(() => nine.evaluateAll((imgs: HTMLImageElement[]) => imgs.map((i) => i.naturalWidth)), { timeout: 30_000 })
    .toEqual([1080, 1080, 1080])
  const shareUrl = (await page.getByTestId('share-url').innerText()).trim()
  expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{22}$/)

  const visitor = await browser.newContext()
  const consumer = await visitor.newPage()
  await consumer.goto(shareUrl)
  await expect(consumer.getByTestId('offer')).toHaveCount(3)
  // Her page, not the platform's: no site header, sign-in or any link into the marketplace.
  await expect(consumer.getByRole('link', { name: '登录' })).toHaveCount(0)
  const hrefs = await consumer.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))
  expect(hrefs.filter((h) => !h.startsWith('tel:'))).toEqual([])
  const shown = (await consumer.locator('.offer-price .price').allInnerTexts()).map((s) => s.trim())
  expect(shown).toEqual(retail)
  await expect(consumer.getByTestId('countdown')).toBeVisible()
  await expect(consumer.getByTestId('share-contact')).toContainText('阿梅海淘')
  const html = await consumer.content()
  for (const own of ownPrices) expect(html).not.toContain(own)
  expect(html).not.toMatch(/VIP\d|拿货价|vipLevel/)
  await expect(consumer.locator('meta[property="og:image"]')).toHaveAttribute(
    'content',
    /^http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{22}\/card\.png$/,
  )
  await visitor.close()

  await page.reload()
  await expect(page.getByTestId('link-views')).toHaveText('页面浏览 1 次')
})

test('a poster refused by a busy server (503) is asked for again until it shows', async ({ page }) => {
  const link = await withAppDb((db) =>
    db.selectFrom('share_links').select('id').where('token', '=', DEMO_SHARE_TOKEN).executeTakeFirstOrThrow(),
  )
  let refused = 0
  await page.route(/\/s\/[^/]+\/card\.png/, async (route) => {
    if (refused < 2) {
      refused++
      return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, body: 'busy' })
    }
    return route.continue()
  })
  await signIn(page, 'vip3@demo.cm')
  await page.goto(`/reseller/links/${link.id}`)
  const card = page.getByTestId('card-image')
  await expect.poll(() => card.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 20_000 }).toBe(1080)
  expect(refused).toBe(2)
})
