import { expect, test, type Page } from '@playwright/test'
import { grantPoints } from './db'
import { signIn } from './helpers'

// Levels and discounts in words on a 390 px phone: 低至N折 with a preview on session cards, the level table.
test.use({ viewport: { width: 390, height: 844 } })

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
}

test('a member reads her deepest cut in 折 on session cards and every level’s price on her centre', async ({
  page,
}) => {
  await page.goto('/')
  const guestCard = page.getByTestId('session-card').first()
  await expect(guestCard.locator('.session-preview-photos img')).toHaveCount(3)
  await expect(page.getByTestId('lowest')).toHaveCount(0)

  await signIn(page, 'vip3@demo.cm')
  const lowest = page.getByTestId('session-card').first().getByTestId('lowest')
  await expect(lowest).toHaveText(/^低至\d(\.\d)?折$/)
  await noSidewaysScroll(page)
  await page.screenshot({ path: '/tmp/phone-home-zh.png' })

  await page.goto('/account')
  const table = page.getByTestId('level-table')
  await expect(table.locator('tbody tr')).toHaveCount(6)
  await expect(table.locator('tr[aria-current="true"]')).toContainText('VIP3')
  await expect(table.locator('tr[aria-current="true"]')).toContainText('9.2折')
  await expect(table.locator('tbody tr').first()).toContainText('基础价')
  await noSidewaysScroll(page)
  await page.locator('#levels').screenshot({ path: '/tmp/phone-levels-zh.png' })

  await page.getByRole('button', { name: 'English' }).click()
  await expect(table.locator('tr[aria-current="true"]')).toContainText('8% off')
  await noSidewaysScroll(page)
  await page.locator('#levels').screenshot({ path: '/tmp/phone-levels-en.png' })
  await page.goto('/')
  await expect(page.getByTestId('session-card').first().getByTestId('lowest')).toHaveText(/^Up to \d+% off$/)
  await page.screenshot({ path: '/tmp/phone-home-en.png' })
})

test('a member who moves up is told her new level and price on her centre', async ({ page }) => {
  const email = `levels-${Date.now()}@example.com`
  await page.goto('/register?code=welcome2026')
  await page.getByLabel('邮箱或手机号').fill(email)
  await page.getByLabel('密码（至少 8 位）').fill('e2e-password')
  await page.getByLabel('昵称').fill('升级测试')
  await page.getByRole('button', { name: '注册并登录' }).click()
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByTestId('level-notice')).toHaveCount(0)
  await grantPoints({ login: email, kind: 'purchase', paidGoodsMinor: 250_000 })
  await page.reload()
  const notice = page.getByTestId('level-notice')
  await expect(notice).toContainText('恭喜！你已从 试用会员 升级为 VIP2。')
  await expect(notice).toContainText('拿货价现为基础价的9.5折。')
  await noSidewaysScroll(page)
  await page.screenshot({ path: '/tmp/phone-level-notice-zh.png' })
  await page.getByRole('button', { name: 'English' }).click()
  await expect(notice).toContainText('Your price is now 5% off the base price.')
  await page.screenshot({ path: '/tmp/phone-level-notice-en.png' })
})
