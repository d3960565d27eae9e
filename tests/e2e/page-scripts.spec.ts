import { expect, test, type Page } from '@playwright/test'
import { hydrated } from './helpers'

// What a page's scripts carry: no English on a Chinese page (the default language), and no picker or checkout form
// before they are needed.

/** Every script the page loaded so far. */
const scriptUrls = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => u.endsWith('.js')),
  )

/** The text of every script the page loaded so far, with esbuild's \uXXXX and \xXX escapes read back. */
async function loadedScripts(page: Page): Promise<{ urls: string[]; text: string }> {
  const urls = await scriptUrls(page)
  const bodies = await Promise.all(urls.map(async (u) => (await page.request.get(u)).text()))
  const text = bodies
    .join('\n')
    .replace(/\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g, (_, u?: string, x?: string) =>
      String.fromCharCode(parseInt(u ?? x!, 16)),
    )
  return { urls, text }
}

test('a Chinese page downloads no English, an English page gets its own, and a switch loads a new page', async ({
  page,
}) => {
  const chinese = '品牌库存 · 48小时特卖 · 代购拿货'
  const english = 'Brand surplus · 48-hour sales · wholesale for resellers'
  await page.goto('/')
  await hydrated(page)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('今日特卖')
  let { text } = await loadedScripts(page)
  expect(text.includes(chinese)).toBe(true)
  expect(text.includes(english)).toBe(false)
  await expect(page.locator('link[href*="/en-"]')).toHaveCount(0)

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await hydrated(page)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Today's sales")
  ;({ text } = await loadedScripts(page))
  expect(text.includes(english)).toBe(true)
  // The English page preloads its translations with its other scripts rather than after them.
  await expect(page.locator('link[rel="modulepreload"][href*="/_shared/en-"]')).toHaveCount(1)
  // After hydration the page still answers in English (client-side navigation keeps the loaded language).
  await page.getByTestId('session-card').first().click()
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible()
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByRole('link', { name: '登录', exact: true })).toBeVisible()
})

test('her shop fetches the picker for its sheet, and the checkout form only once the bag holds something', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/shop/lily-hz')
  await hydrated(page)
  let urls = await scriptUrls(page)
  expect(urls.some((u) => /\/bag-checkout-[^/]*\.js$/.test(u))).toBe(false)

  await page.locator('.offer-choose').first().click()
  const sheet = page.getByTestId('offer-sheet')
  await sheet.getByTestId('bag-picker').locator('.chip:not([disabled])').first().click()
  await sheet.getByRole('button', { name: '加入购物袋' }).click()
  await expect(page.getByTestId('offer-added')).toContainText('已加入购物袋')
  urls = await scriptUrls(page)
  expect(urls.some((u) => /\/item-picker-[^/]*\.js$/.test(u))).toBe(true)

  await page.getByTestId('storefront-bag').getByRole('button', { name: '去结算' }).click()
  await expect(page.getByTestId('bag-line')).toHaveCount(1)
  await expect(page.getByTestId('bag-sheet').getByLabel('收货人')).toBeVisible()
  urls = await scriptUrls(page)
  expect(urls.some((u) => /\/bag-checkout-[^/]*\.js$/.test(u))).toBe(true)
})
