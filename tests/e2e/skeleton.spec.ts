import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

const roles = [
  { login: 'ops@demo.cm', badge: '运营', console: '运营后台', lands: '/admin' },
  { login: 'staff@mulan.demo.cm', badge: '品牌员工', console: '品牌后台', lands: '/brand' },
  { login: 'trial@demo.cm', badge: '试用会员', console: '会员中心', lands: '/' },
  { login: 'vip5@demo.cm', badge: 'VIP5', console: '会员中心', lands: '/' },
]

for (const role of roles) {
  test(`${role.login} signs in where they work, sees the home page and their console`, async ({ page }) => {
    await signIn(page, role.login)
    expect(new URL(page.url()).pathname).toBe(role.lands)
    await page.goto('/')
    await expect(page.getByRole('heading', { name: '正在抢购' })).toBeVisible()
    // the seed's three public sessions; catalog.spec.ts briefly schedules an "端到端档期" in parallel.
    await expect(page.getByTestId('session-card').filter({ hasNotText: '端到端档期' })).toHaveCount(3)
    await expect(page.getByTestId('who')).toContainText(role.badge)
    await page.getByRole('link', { name: role.console }).click()
    await expect(page.getByRole('heading', { level: 1 })).toContainText(role.console.replace('品牌后台', '品牌后台'))
    await page.getByRole('button', { name: '退出' }).click()
    await expect(page.getByRole('link', { name: '登录' })).toBeVisible()
  })
}

test('a wrong password shows a message and keeps the visitor signed out', async ({ page }) => {
  await page.goto('/login')
  await page.getByLabel('邮箱或手机号').fill('vip1@demo.cm')
  await page.getByLabel('密码').fill('wrong-password')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('alert')).toHaveText('账号或密码不正确。')
})

test('the language switch turns the site into English and back, and the choice sticks', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('今日特卖')
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Today's sales")
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Live now' })).toBeVisible()
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('今日特卖')
})

test('a member walks from the home page to a session and a product, prices only when signed in', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('session-card').first().click()
  await expect(page.getByTestId('item-card').first()).toContainText('登录后查看拿货价')
  await signIn(page, 'vip3@demo.cm')
  await page.getByTestId('session-card').first().click()
  const card = page.getByTestId('item-card').first()
  await expect(card).toContainText('你的拿货价（VIP3）')
  // Cards are plain links; the grid navigates in-app (no document load: the marker set here survives).
  await page.evaluate(() => {
    ;(window as unknown as { inApp: boolean }).inApp = true
  })
  await card.getByRole('link').first().click()
  await expect(page.getByRole('heading', { name: '规格' })).toBeVisible()
  await expect(page.locator('.sku-table tbody tr').first()).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { inApp?: boolean }).inApp)).toBe(true)
})

test('an unknown page answers 404 with the error page', async ({ page }) => {
  const res = await page.goto('/no/such/page')
  expect(res?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible()
  const bad = await page.goto('/sessions/not-an-id')
  expect(bad?.status()).toBe(404)
})

test('a cross-site form post is refused', async ({ request, baseURL }) => {
  const res = await request.post('/login', {
    headers: { Origin: 'https://evil.example' },
    form: { identifier: 'a', password: 'b' },
  })
  expect(res.status()).toBe(403)
  const same = await request.post('/login', { headers: { Origin: baseURL! }, form: { identifier: '', password: '' } })
  expect(same.status()).toBe(400)
})

test('healthz pings the database', async ({ request }) => {
  const res = await request.get('/healthz')
  expect(await res.json()).toEqual({ status: 'ok', database: 'ok' })
})
