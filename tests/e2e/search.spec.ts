import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a visitor searches from the header, narrows by a facet, removes the chip, and the URL keeps the state', async ({
    page,
  }) => {
    await page.goto('/')
    await page.getByRole('search').getByRole('searchbox').fill('衬衫')
    await page.getByRole('search').getByRole('button', { name: '搜索' }).click()
    await expect(page).toHaveURL(/\/search\?q=%E8%A1%AC%E8%A1%AB/)
    const hits = page.getByTestId('search-hit')
    await expect(hits.first()).toBeVisible()
    const total = await page.getByTestId('search-total').textContent()
    await expect(hits.first()).toContainText('登录后查看拿货价')
    await expect(page.getByText('登录后可按价格和折扣筛选。')).toBeVisible()

    await page.locator('.facet').filter({ hasText: '品牌' }).getByRole('link').first().click()
    await expect(page).toHaveURL(/brand=/)
    const chip = page.locator('.chips .chip').nth(1)
    await expect(chip).toBeVisible()
    await page.reload()
    await expect(page.locator('.chips .chip').nth(1)).toBeVisible()
    await page.locator('.chips .chip').nth(1).click()
    await expect(page).not.toHaveURL(/brand=/)
    await expect(page.getByTestId('search-total')).toHaveText(total!)

    await page.goto('/search?q=zebra&page=abc')
    await expect(page.getByText('页码无效，已显示第一页。')).toBeVisible()
    await expect(page.getByTestId('search-empty')).toContainText('试试移除部分筛选条件')
  })
})

test('a VIP3 member sees their own price, sorts by price and pages through results', async ({ page }) => {
  await signIn(page, 'vip3@demo.cm')
  await page.goto('/search')
  await page.getByRole('link', { name: '价格从低到高' }).click()
  await expect(page).toHaveURL(/sort=price_asc/)
  await expect(page.getByRole('link', { name: '价格从低到高' })).toHaveAttribute('aria-current', 'true')
  const prices = async () =>
    (await page.locator('.search-hit .wholesale .price').allTextContents()).map((s) =>
      Number(s.replace(/[^0-9.]/g, '')),
    )
  const first = await prices()
  expect(first.length).toBe(24)
  expect([...first].sort((a, b) => a - b)).toEqual(first)
  await expect(page.locator('.search-hit .wholesale .label').first()).toHaveText('拿货价')
  await page.getByRole('link', { name: '下一页' }).click()
  await expect(page).toHaveURL(/page=2/)
  await expect(page.getByText(/第 2 \/ \d+ 页/)).toBeVisible()
  const second = await prices()
  expect(second[0]).toBeGreaterThanOrEqual(first.at(-1)!)
  await page.goBack()
  await expect(page).not.toHaveURL(/page=2/)
  await expect(page.locator('.facet').filter({ hasText: '拿货价' })).toBeVisible()
})
