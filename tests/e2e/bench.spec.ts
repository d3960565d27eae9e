import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

// The session page benchmark changed how item cards, prices and stock badges translate (a lighter hook
// with remembered lookups, cached number formats). A language switch in the browser must still turn them.
test('item cards follow a language switch and back, prices formatted per language', async ({ page }) => {
  await signIn(page, 'vip3@demo.cm')
  await page.getByTestId('session-card').first().click()
  const card = page.getByTestId('item-card').first()
  await expect(card).toContainText('你的拿货价（VIP3）')
  await expect(card.locator('.wholesale .price')).toHaveText(/^¥\d/)
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(card).toContainText('Your price (VIP3)')
  await expect(card.locator('.wholesale .price')).toHaveText(/^¥\d+(,\d{3})*\.\d{2}$/)
  await expect(card.locator('.stock')).toHaveText(/In stock|Only \d+ left|Sold out/)
  await page.getByRole('button', { name: '中文' }).click()
  await expect(card).toContainText('你的拿货价（VIP3）')
  await expect(card.locator('.stock')).toHaveText(/有货|仅剩 \d+ 件|已抢光/)
})

test('benchmark and test-only routes are not in a normal build', async ({ request }) => {
  expect((await request.get('/bench/bare')).status()).toBe(404)
  expect((await request.post('/bench/grab', { data: {} })).status()).toBe(404)
  expect((await request.post('/test/grant-points', { data: {} })).status()).toBe(404)
  const build = readFileSync(path.resolve('build/index.js'), 'utf8')
  expect(build).not.toContain('routes/bench.')
  expect(build).not.toContain('routes/test.')
})
