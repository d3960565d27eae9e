import { expect, test, type Page } from '@playwright/test'
import { signIn } from './helpers'

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)

test('on a phone, a reseller lists a whole session in her shop and a visitor browses and filters it', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000)
  // VIP5 has no shop yet: she picks an address, then lists a whole session with a markup rule.
  await signIn(page, 'vip5@demo.cm')
  await page.goto('/reseller/shop')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的小店')
  await page.getByLabel(/店铺地址/).fill('Admin')
  await page.getByRole('button', { name: '保存地址' }).click()
  await expect(page.getByRole('alert')).toContainText('保留词')
  await page.getByLabel(/店铺地址/).fill('Dapang-Shop')
  await page.getByRole('button', { name: '保存地址' }).click()
  await expect(page.getByTestId('shop-url')).toHaveText(/\/shop\/dapang-shop$/)
  expect(await noSideways(page)).toBe(true)

  const session = page.getByTestId('add-session').filter({ hasText: '沐岚 冬季女装清仓' })
  await session.getByLabel('加价方式', { exact: true }).selectOption('percent')
  await session.getByLabel('加价（% 或 元）', { exact: true }).fill('25')
  await session.getByLabel('取整', { exact: true }).selectOption('nine')
  await session.getByRole('button', { name: '上架整场' }).click()
  await expect(page.getByTestId('added')).toContainText(/已上架 \d+ 件/)
  const listed = Number(/已上架 (\d+) 件/.exec(await page.getByTestId('added').innerText())![1])
  expect(listed).toBeGreaterThan(10)
  const shelfItems = page.getByTestId('shelf-item')
  await expect(shelfItems).toHaveCount(listed)
  // Move the second item to the top.
  const second = (await shelfItems.nth(1).locator('.shelf-title').innerText()).trim()
  await shelfItems.nth(1).getByRole('button', { name: /^上移/ }).click()
  await expect(shelfItems.first().locator('.shelf-title')).toHaveText(second)
  await page.screenshot({ path: '/tmp/shop-manage-390.png', fullPage: false })
  const url = (await page.getByTestId('shop-url').innerText()).trim()

  // A visitor (no account) on a phone: her name and WeChat, no platform header, the session with a countdown.
  const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const customer = await visitor.newPage()
  await customer.goto(url)
  await expect(customer.getByTestId('storefront-name')).toBeVisible()
  await expect(customer.getByRole('link', { name: '登录' })).toHaveCount(0)
  await expect(customer.getByRole('navigation')).toHaveCount(0)
  await expect(customer.getByTestId('shop-session').first()).toContainText('沐岚 冬季女装清仓')
  await expect(customer.getByTestId('countdown').first()).toBeVisible()
  await expect(customer.getByTestId('offer')).toHaveCount(listed)
  await expect(customer.getByTestId('offer').first()).toContainText(second)
  expect(await noSideways(customer)).toBe(true)
  await customer.screenshot({ path: '/tmp/shop-public-390.png', fullPage: false })
  const hrefs = await customer.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!))
  expect(hrefs.filter((h) => !h.startsWith('tel:') && !h.startsWith('/shop/'))).toEqual([])

  // Filter by size (submits on change), then search.
  await customer.getByLabel('尺码').selectOption('均码')
  await expect(customer).toHaveURL(/size=%E5%9D%87%E7%A0%81/)
  // The URL changes as the navigation starts; wait for the filtered list itself.
  await expect.poll(() => customer.getByTestId('offer').count()).toBeLessThan(listed)
  const oneSize = await customer.getByTestId('offer').count()
  expect(oneSize).toBeGreaterThan(0)
  // Text content: cards off screen are not rendered yet (content-visibility), so they have no innerText.
  for (const text of await customer.getByTestId('offer').allTextContents()) expect(text).toContain('均码')
  await customer.getByRole('link', { name: '清除筛选' }).click()
  await expect(customer.getByTestId('offer')).toHaveCount(listed)
  await customer.getByLabel('搜索店内商品').fill('剪标')
  await customer.getByRole('button', { name: '搜索', exact: true }).click()
  await expect(customer.getByTestId('shown')).toBeVisible()
  const cut = await customer.getByTestId('offer').count()
  expect(cut).toBeGreaterThan(0)
  expect(cut).toBeLessThan(listed)
  await customer.screenshot({ path: '/tmp/shop-filtered-390.png', fullPage: false })
  const html = await customer.content()
  expect(html).not.toMatch(/VIP\d|拿货价|vipLevel|限价/)
  await visitor.close()
})

test('the demo shop of Lily shows a whole live session to a signed-out visitor', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 })
  await page.goto('/shop/lily-hz')
  await expect(page.getByTestId('storefront-name')).toHaveText('杭州Lily')
  await expect(page.getByTestId('wechat-id').first()).toHaveText('lily_hz_daigou')
  await expect(page.getByTestId('shop-session')).toContainText('沐岚 冬季女装清仓')
  expect(await page.getByTestId('offer').count()).toBeGreaterThan(10)
  expect(await noSideways(page)).toBe(true)
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', '杭州Lily的小店')

  // Compact cards, two to a row, with no picker in them; one picker opens in a sheet from a card.
  const offers = page.getByTestId('offer')
  const [left, right] = [(await offers.nth(0).boundingBox())!, (await offers.nth(1).boundingBox())!]
  expect(right.y).toBe(left.y)
  expect(right.x).toBeGreaterThan(left.x + left.width)
  expect(left.height).toBeLessThan(440)
  await expect(page.getByTestId('bag-picker')).toHaveCount(0)
  const card = offers.filter({ has: page.getByRole('button', { name: /^选购 / }) }).first()
  const title = (await card.getByRole('heading').innerText()).trim()
  await card.getByRole('button', { name: /^选购 / }).click()
  const sheet = page.getByTestId('offer-sheet')
  await expect(sheet.getByRole('heading', { name: title })).toBeVisible()
  await expect(sheet.getByRole('button', { name: '加入购物袋' })).toBeDisabled()
  expect(await noSideways(page)).toBe(true)
  await page.keyboard.press('Escape')
  await expect(sheet).toBeHidden()
  await expect(card.getByRole('button', { name: /^选购 / })).toBeFocused()
})
