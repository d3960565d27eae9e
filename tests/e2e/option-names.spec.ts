import { expect, test, type Page } from '@playwright/test'
import { signIn } from './helpers'

// English readers see the English names brands gave their sizes and colours; the product form pre-fills them.

const CJK = /[\u3400-\u9fff]/

async function setLanguage(page: Page, locale: 'zh-CN' | 'en') {
  await page.context().addCookies([
    {
      name: 'lng',
      value: encodeURIComponent(Buffer.from(JSON.stringify(locale)).toString('base64')),
      url: test.info().project.use.baseURL!,
    },
  ])
}

async function shoot(page: Page, url: string, stem: string) {
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLanguage(page, locale)
    await page.goto(url)
    await page.evaluate(() => document.fonts.ready)
    await page.screenshot({ path: `/tmp/words-${stem}.${locale === 'en' ? 'en' : 'zh'}.png`, fullPage: true })
  }
}

test.use({ viewport: { width: 390, height: 844 } })

test('in English, search facets, the product page and its buy box name sizes and colours in English', async ({
  page,
}) => {
  await setLanguage(page, 'en')
  await page.goto('/search?size=%E5%9D%87%E7%A0%81')
  await expect(page.locator('.chips .chip').filter({ hasText: 'Size One size' })).toBeVisible()
  // On a phone the facets sit in a closed bottom sheet: read their text, not their visibility.
  const facet = (title: string) =>
    page.locator('.facet', { has: page.locator('h3', { hasText: new RegExp(`^${title}$`) }) })
  await expect(facet('Size')).toContainText('One size')
  await expect(facet('Size')).not.toContainText('均码')
  const colours = await facet('Colour').locator('.facet-label').allTextContents()
  expect(colours.length).toBeGreaterThan(0)
  for (const c of colours) expect(c).not.toMatch(CJK)

  await page.getByTestId('search-hit').first().getByRole('link').first().click()
  await expect(page).toHaveURL(/\/products\//)
  const cells = page.locator('.product-page table tbody tr td:nth-child(-n+2)')
  await expect(cells.first()).toBeVisible()
  for (const text of await cells.allTextContents()) expect(text).not.toMatch(CJK)
  await expect(page.locator('.product-page table')).toContainText('One size')

  await shoot(page, page.url().replace(/^https?:\/\/[^/]+/, ''), 'product')
  await shoot(page, '/search?size=%E5%9D%87%E7%A0%81', 'search')
})

test('the product form pre-fills English names from the dictionary, and the brand may change them', async ({
  page,
}) => {
  await signIn(page, 'staff@mulan.demo.cm')
  await setLanguage(page, 'en')
  await page.goto('/brand/products/new')
  await page.getByLabel('Sizes (comma-separated)').fill('均码, S')
  await page.getByLabel('Colours (comma-separated)').fill('砖红, 雾霾蓝')
  await page.getByRole('button', { name: 'Generate SKUs' }).click()
  const names = page.locator('fieldset.option-names')
  await expect(names.getByLabel('Size 均码')).toHaveValue('One size')
  await expect(names.getByLabel('Size S')).toHaveValue('S')
  await expect(names.getByLabel('Colour 砖红')).toHaveValue('Brick red')
  await expect(names.getByLabel('Colour 雾霾蓝')).toHaveValue('')
  await names.getByLabel('Colour 雾霾蓝').fill('Haze blue')
  await expect(names.getByLabel('Colour 雾霾蓝')).toHaveValue('Haze blue')
  await names.scrollIntoViewIfNeeded()
  await page.screenshot({ path: '/tmp/words-product-form.en.png', fullPage: true })
})
