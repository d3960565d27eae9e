import { expect, test, type Page } from '@playwright/test'
import { hydrated, signIn } from './helpers'

async function addFirstAvailableItem(page: Page, sessionHref: string) {
  await page.goto(sessionHref)
  await page
    .getByTestId('item-card')
    .filter({ hasNot: page.getByText('已抢光') })
    .first()
    .getByRole('link')
    .first()
    .click()
  await expect(page.getByTestId('buy-stock')).toBeVisible()
  await hydrated(page)
  await page.getByRole('button', { name: '加入购物车' }).click()
  await expect(page.getByText('已加入购物车')).toBeVisible()
}

test('a VIP grabs two items from two brands, pays with the test provider, the brand ships, the member confirms and gets a refund', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000)
  await signIn(page, 'vip3@demo.cm')
  const hrefs = await page
    .locator('a[href^="/sessions/"]')
    .evaluateAll((links) => [...new Set(links.map((a) => a.getAttribute('href')))])
  for (const href of hrefs.slice(0, 2)) await addFirstAvailableItem(page, href!)

  await page.getByRole('link', { name: '去购物车结算' }).click()
  await expect(page.locator('.cart-brand')).toHaveCount(2)
  await page.getByRole('button', { name: /提交订单/ }).click()
  await expect(page).toHaveURL(/\/pay\/test\//)
  await page.getByRole('button', { name: '确认支付' }).click()
  await expect(page.getByText('付款成功，等待品牌发货。')).toBeVisible()

  await page.getByRole('link', { name: '我的订单', exact: true }).click()
  const rows = page.locator('tbody tr')
  await expect(rows).toHaveCount(2)
  await expect(rows.filter({ hasText: '待发货' })).toHaveCount(2)

  // The brand (沐岚) ships its order.
  const brand = await browser.newPage()
  await signIn(brand, 'staff@mulan.demo.cm')
  await brand.goto('/brand/orders')
  // The demo data has other members' orders to ship too: this one is addressed to 杭州Lily.
  // (Parcels Lily's customers ordered through her pages name her shop as sender: not this one.)
  const order = brand
    .getByTestId('brand-order')
    .filter({ hasText: '杭州Lily' })
    .filter({ hasNot: brand.getByTestId('sender') })
  await expect(order).toHaveCount(1)
  await order.getByLabel('快递公司').fill('顺丰')
  await order.getByLabel('快递单号').fill('SF100200300')
  await order.getByRole('button', { name: '发货' }).click()
  await expect(brand.getByText('已发货。')).toBeVisible()
  await brand.close()

  // The member confirms receipt and asks for a refund.
  await page.reload()
  await rows.filter({ hasText: '沐岚' }).getByRole('link').click()
  await expect(page.getByTestId('tracking')).toContainText('SF100200300')
  // Confirming receipt cannot be undone, so it asks first: dismissed, the order stays shipped.
  let asked = ''
  page.once('dialog', (d) => {
    asked = d.message()
    void d.dismiss()
  })
  await page.getByRole('button', { name: '确认收货' }).click()
  await expect.poll(() => asked).toContain('无法撤回')
  await expect(page.locator('h1')).not.toContainText('已收货')
  page.once('dialog', (d) => void d.accept())
  await page.getByRole('button', { name: '确认收货' }).click()
  await expect(page.locator('h1')).toContainText('已收货')
  await page.getByText('申请售后').click()
  await page.getByLabel('原因').fill('尺码不合适')
  await page.getByRole('button', { name: '提交申请' }).click()
  await expect(page.getByText('售后申请已提交，等待平台处理。')).toBeVisible()

  // The operator approves a full refund through the test provider.
  const ops = await browser.newPage()
  await signIn(ops, 'ops@demo.cm')
  await ops.goto('/admin/after-sales')
  await ops
    .getByTestId('after-sale')
    .filter({ hasText: '杭州Lily' })
    .filter({ hasText: '尺码不合适' })
    .getByRole('button', { name: '同意并全额退款' })
    .click()
  await expect(ops.getByText('已处理。')).toBeVisible()
  await ops.close()

  await page.reload()
  await expect(page.locator('h1')).toContainText('已退款')
})

test('a declined payment comes back to the order, which says so and what to do; the payment and the order name one number', async ({
  page,
}) => {
  test.setTimeout(60_000)
  await signIn(page, 'vip1@demo.cm')
  const href = await page.locator('a[href^="/sessions/"]').first().getAttribute('href')
  await addFirstAvailableItem(page, href!)
  await page.getByRole('link', { name: '去购物车结算' }).click()
  await page.getByRole('button', { name: /提交订单/ }).click()
  await expect(page).toHaveURL(/\/pay\/test\//)
  const facts = await page.locator('.test-payment-facts').textContent()
  await page.getByRole('button', { name: '拒绝支付' }).click()
  await expect(page).toHaveURL(/\/orders\/[^?]+\?payment=failed$/)
  await expect(page.getByTestId('payment-failed')).toContainText('没有扣款')
  await expect(page.getByTestId('payment-failed')).toContainText('去付款')
  const no = (await page.getByTestId('purchase-no').textContent())!.replace('付款单号', '').trim()
  expect(no).toMatch(/^[0-9A-F]{8}$/)
  expect(facts).toContain(`付款单 ${no}`)
  // Not wanted after all: cancelling asks first, then cancels.
  page.once('dialog', (d) => void d.accept())
  await page.getByRole('button', { name: '取消订单' }).click()
  await expect(page.locator('h1')).toContainText('已取消')
})
