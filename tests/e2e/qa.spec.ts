import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

// Every console links every screen of its role, and the header offers that role's screens (and nothing of another role).
const consoles = [
  {
    login: 'ops@demo.cm',
    console: '/admin',
    screens: [
      '/admin/applications',
      '/admin/brands',
      '/admin/audit',
      '/admin/vip',
      '/admin/invitations',
      '/admin/orders',
      '/admin/after-sales',
    ],
    header: ['/admin', '/admin/applications', '/admin/notifications', '/admin/vip', '/admin/orders'],
  },
  {
    login: 'staff@mulan.demo.cm',
    console: '/brand',
    screens: [
      '/brand/products',
      '/brand/sessions',
      '/brand/products/import',
      '/brand/products/new',
      '/brand/sessions/new',
      '/brand/deposit',
      '/brand/orders',
      '/brand/settlements',
    ],
    header: ['/brand', '/brand/products', '/brand/sessions', '/brand/deposit', '/brand/orders'],
  },
  {
    login: 'vip3@demo.cm',
    console: '/account',
    screens: ['/orders', '/cart', '/account/addresses', '/reseller', '/reseller/profile', '/search'],
    header: ['/account', '/reseller', '/cart', '/orders'],
  },
]

test("each console links every screen of its role; the header shows only that role's links, the current one marked", async ({
  page,
}) => {
  test.setTimeout(90_000) // three sign-ins and about 25 page loads
  for (const c of consoles) {
    await signIn(page, c.login)
    const nav = page.getByRole('navigation', { name: 'main' })
    const hrefs = await nav.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    expect(hrefs.slice(1).sort()).toEqual([...c.header].sort())
    await page.goto(c.console)
    for (const s of c.screens) await expect(page.locator(`main a[href="${s}"]`).first()).toBeVisible()
    await expect(nav.locator(`a[href="${c.console}"]`)).toHaveClass(/active/)
    for (const s of c.screens) {
      const res = await page.goto(s)
      expect(res?.status(), s).toBe(200)
    }
    await page.getByRole('button', { name: '退出' }).click()
    await expect(page.getByRole('link', { name: '登录' })).toBeVisible()
  }
})

test('on a 390 px phone, in English, pages fit the width and the header stays compact', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/')
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible()
  const fits = async (path: string) => {
    await page.goto(path)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow, `${path} overflows by ${overflow}px`).toBeLessThanOrEqual(0)
    // boundingBox does not wait: measure once the header is on screen (pages load slower when the suite is busy).
    await expect(page.locator('header')).toBeVisible()
    // Until the web fonts are in, the fallback font's wider text wraps the header onto another line.
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    const header = await page.locator('header').boundingBox()
    // At most three rows of 44 px tap targets (name and account, search, sections); it scrolls away on phones.
    expect(header!.height, `${path} header`).toBeLessThan(160)
  }
  for (const p of ['/', '/apply', '/register', '/search']) await fits(p)
  await signIn(page, 'staff@mulan.demo.cm')
  for (const p of ['/brand', '/brand/products', '/brand/products/new', '/brand/products/import', '/brand/sessions'])
    await fits(p)
})
