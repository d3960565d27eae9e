import { expect, test, type Locator, type Page } from '@playwright/test'
import { signIn } from './helpers'

const SHARE = '/s/demo-lily-mulan-winter-2026'
const phone = { width: 390, height: 844 }

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
}

/** Opens the picker sheet from an offer card's 选购 (Choose) button; returns the sheet's picker. */
async function choose(page: Page, offer: Locator) {
  await offer.getByRole('button', { name: /^(选购|Choose) / }).click()
  const sheet = page.getByTestId('offer-sheet')
  await expect(sheet).toBeVisible()
  // The picker is its own chunk, fetched on the first tap: wait for its sizes.
  const picker = sheet.getByTestId('bag-picker')
  await expect(picker.locator('fieldset').last()).toBeVisible()
  return picker
}

/** Clicks the first size chip of a picker that is in stock and not yet used; returns its label. */
async function pickSize(picker: ReturnType<Page['getByTestId']>, not: string[] = []) {
  const chips = picker.locator('fieldset').last().getByRole('button')
  const n = await chips.count()
  for (let i = 0; i < n; i++) {
    const chip = chips.nth(i)
    const label = (await chip.innerText()).trim()
    if ((await chip.isEnabled()) && !not.includes(label)) {
      await chip.click()
      return label
    }
  }
  throw new Error('no size left to pick')
}

test('a customer orders on Lily’s share page without an account, pays, follows her parcel, gets a refund; Lily’s earnings follow', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const customerContext = await browser.newContext({ viewport: phone, locale: 'zh-CN' })
  const c = await customerContext.newPage()
  await c.goto(SHARE)
  await noSidewaysScroll(c)
  const items = c.getByTestId('offer')
  await expect(items.first()).toBeVisible()
  const html = await c.content()
  expect(html).not.toMatch(/拿货价|VIP\d|vipLevel|min_retail|available":\d/)

  // Two sizes of the first item, one of the second: each through the card's picker sheet, which closes on adding.
  let picker = await choose(c, items.nth(0))
  const s1 = await pickSize(picker)
  await picker.getByRole('button', { name: '加入购物袋' }).click()
  await expect(c.getByTestId('offer-sheet')).toBeHidden()
  await expect(c.getByTestId('offer-added')).toContainText('已加入购物袋')
  picker = await choose(c, items.nth(0))
  await pickSize(picker, [s1])
  await picker.getByRole('button', { name: '加入购物袋' }).click()
  picker = await choose(c, items.nth(1))
  await pickSize(picker)
  await picker.getByRole('button', { name: '加入购物袋' }).click()
  await expect(c.getByTestId('bag-total')).toContainText('3')
  await c.getByRole('button', { name: '去结算' }).click()
  await expect(c.getByTestId('bag-line')).toHaveCount(3)
  await noSidewaysScroll(c)
  await c.screenshot({ path: '/tmp/customers-bag.png' })

  // A pasted address fills the fields.
  await c.getByLabel('粘贴整段地址').fill('王小姐 139 1234 5678 上海市徐汇区漕溪北路 88 号')
  await c.getByRole('button', { name: '识别', exact: true }).click()
  await expect(c.getByLabel('区/县')).toHaveValue('310104')
  await expect(c.getByLabel('收货人')).toHaveValue('王小姐')
  await expect(c.getByLabel('手机号')).toHaveValue('13912345678')
  await expect(c.getByLabel('详细地址')).toHaveValue('漕溪北路 88 号')
  await c.getByRole('button', { name: '提交订单并付款' }).click()

  // The labelled test provider, then her private order page.
  await expect(c).toHaveURL(/\/pay\/test\//)
  await c.getByRole('button', { name: '确认支付' }).click()
  await expect(c).toHaveURL(/\/o\/[A-Za-z0-9_-]{32}\?paid=1/)
  await expect(c.getByText('付款成功')).toBeVisible()
  await expect(c.getByTestId('parcel-line')).toHaveCount(3)
  await noSidewaysScroll(c)
  const orderUrl = c.url().replace(/\?.*$/, '')
  const orderHtml = await c.content()
  expect(orderHtml).not.toMatch(/拿货价|VIP\d|vipLevel|unit_price|goodsMinor/)
  await c.screenshot({ path: '/tmp/customers-order.png', fullPage: true })

  // The brand sees a drop-ship parcel to the customer, sent in the name of Lily's shop, and ships it.
  const brand = await browser.newPage()
  await signIn(brand, 'staff@mulan.demo.cm')
  await brand.goto('/brand/orders')
  const parcel = brand.getByTestId('brand-order').filter({ hasText: '王小姐 · 上海市 徐汇区' })
  await expect(parcel).toHaveCount(1)
  await expect(parcel.getByTestId('sender')).toHaveText('寄件人: 杭州Lily')
  await parcel.getByLabel('快递公司').fill('顺丰')
  await parcel.getByLabel('快递单号').fill('SF900800700')
  await parcel.getByRole('button', { name: '发货' }).click()
  await expect(brand.getByText('已发货。')).toBeVisible()
  await brand.close()

  // The customer sees the tracking, confirms receipt, and asks a refund of one line.
  await c.goto(orderUrl)
  await expect(c.getByTestId('tracking')).toContainText('SF900800700')
  await c.getByRole('button', { name: '确认收货' }).click()
  await expect(c.locator('.parcel h2')).toContainText('已收货')
  await c.getByText('申请退款 / 退货').click()
  await c.getByRole('spinbutton').first().fill('1')
  await c.getByLabel('原因').fill('颜色和图片不一样')
  await c.getByRole('button', { name: '提交申请' }).click()
  await expect(c.getByText('售后申请已提交')).toBeVisible()

  // Lily: her earnings are pending; her points were credited on her own price.
  const lily = await browser.newPage({ viewport: phone })
  await signIn(lily, 'vip3@demo.cm')
  await lily.goto('/reseller/earnings')
  await expect(
    lily.locator('[data-testid="earning-row"][data-kind="earned"]').filter({ hasText: '王小姐' }),
  ).toHaveCount(1)
  const pendingBefore = await lily.getByTestId('pending').innerText()
  await lily.goto('/reseller/customers')
  const mineOrder = lily.getByTestId('customer-order-row').filter({ hasText: '王小姐' })
  const pointsPaid = Number((await mineOrder.getByTestId('order-points').innerText()).replace(/\D/g, ''))
  expect(pointsPaid).toBeGreaterThan(0)

  // The operator approves the customer's request: the refund goes back to the customer.
  const ops = await browser.newPage()
  await signIn(ops, 'ops@demo.cm')
  await ops.goto('/admin/after-sales')
  const request = ops.getByTestId('after-sale').filter({ hasText: '颜色和图片不一样' })
  await expect(request).toContainText('王小姐')
  await request.getByRole('button', { name: '按所选件数退款' }).click()
  await expect(ops.getByText('已处理。')).toBeVisible()
  await ops.close()

  await c.goto(orderUrl)
  await expect(c.getByTestId('refund')).toContainText('已退款')

  // One line reversed; after the session's after-sale deadline the rest is available.
  await lily.goto('/reseller/earnings')
  await expect(
    lily.locator('[data-testid="earning-row"][data-kind="reversed"]').filter({ hasText: '王小姐' }),
  ).toHaveCount(1)
  expect(await lily.getByTestId('pending').innerText()).not.toBe(pendingBefore)
  await lily.screenshot({ path: '/tmp/customers-earnings.png', fullPage: true })
  await noSidewaysScroll(lily)
  const later = new Date(Date.now() + 60 * 86_400_000).toISOString()
  await lily.goto(`/reseller/earnings?at=${encodeURIComponent(later)}`)
  await expect(lily.getByTestId('pending')).toHaveText('¥0.00')
  await expect(lily.getByTestId('available')).not.toHaveText('¥0.00')
  await expect(lily.locator('[data-testid="earning-row"][data-kind="released"]').first()).toBeVisible()

  // Her side: the order with a masked number; the refund took back the points of the refunded line.
  await lily.goto('/reseller/customers')
  await expect(mineOrder).toContainText('139****5678')
  const pointsAfter = Number((await mineOrder.getByTestId('order-points').innerText()).replace(/\D/g, ''))
  expect(pointsAfter).toBeLessThan(pointsPaid)
  await expect(lily.getByTestId('customer-list')).toContainText('139****5678')

  // She withdraws her available earnings (manual provider: bank details, then the operator's transfer).
  await lily.goto('/reseller/payouts')
  if (await lily.getByLabel('开户名').isVisible()) {
    await lily.getByLabel('开户名').fill('林莉')
    await lily.getByLabel('开户银行').fill('招商银行杭州分行')
    await lily.getByLabel('银行账号').fill('6225 8800 1234 5678')
    await lily.getByRole('button', { name: '保存收款信息' }).click()
    await expect(lily.getByRole('status')).toHaveText('收款信息已保存。')
  }
  await lily.getByRole('button', { name: '提现全部可提现收益' }).click()
  await expect(lily.getByTestId('withdrawn')).toBeVisible()
  const withdrawal = lily.getByTestId('payout').filter({ hasText: '收益提现' }).first()
  await expect(withdrawal).toHaveAttribute('data-status', 'due')
  await expect(lily.getByTestId('available')).toContainText('¥0.00')
  await noSidewaysScroll(lily)
  await lily.screenshot({ path: '/tmp/customers-withdraw.png', fullPage: true })
  const opsPayouts = await browser.newPage()
  await signIn(opsPayouts, 'ops@demo.cm')
  await opsPayouts.goto('/admin/payouts')
  const due = opsPayouts.getByTestId('payout').filter({ hasText: '收益提现' }).filter({ hasText: 'Lily' }).first()
  await due.getByRole('button', { name: '标记为已转账' }).click()
  await expect(opsPayouts.getByRole('status')).toHaveText('已标记为已转账。')
  await opsPayouts.close()
  await lily.goto('/reseller/payouts')
  await expect(lily.getByTestId('payout').filter({ hasText: '收益提现' }).first()).toHaveAttribute(
    'data-status',
    'sent',
  )
  await customerContext.close()
})

test('a customer orders from Lily’s shop on a phone; the bag reads in English too', async ({ browser }) => {
  test.setTimeout(120_000)
  const context = await browser.newContext({ viewport: phone, locale: 'zh-CN', isMobile: true, hasTouch: true })
  const c = await context.newPage()
  await c.goto('/shop/lily-hz')
  await noSidewaysScroll(c)
  // Compact cards, two to a row; one picker, in a sheet opened from a card.
  await expect(c.getByTestId('bag-picker')).toHaveCount(0)
  const buyable = c.getByTestId('offer').filter({ has: c.getByRole('button', { name: /^选购 / }) })
  const picker = await choose(c, buyable.first())
  await pickSize(picker)
  await picker.getByRole('button', { name: '加入购物袋' }).click()
  await expect(c.getByTestId('bag-total')).toContainText('1')
  await c.screenshot({ path: '/tmp/customers-shop-zh.png' })
  await c.getByRole('button', { name: '去结算' }).click()
  await expect(c.getByTestId('bag-line')).toHaveCount(1)
  await noSidewaysScroll(c)
  await c.screenshot({ path: '/tmp/customers-shop-bag-zh.png' })
  await c.getByLabel('收货人').fill('陈女士')
  await c.getByLabel('手机号').fill('137 0000 1111')
  await c.getByLabel('省份').selectOption({ label: '浙江省' })
  await c.getByLabel('城市').selectOption({ label: '杭州市' })
  await c.getByLabel('区/县').selectOption({ label: '西湖区' })
  // No address yet: the form's answer puts the message under its field and keeps what she typed.
  await c.getByRole('button', { name: '提交订单并付款' }).click()
  await expect(c.getByText('请填写此项。')).toBeVisible()
  await expect(c.getByLabel('手机号')).toHaveValue('137 0000 1111')
  await expect(c.getByTestId('bag-line')).toHaveCount(1)
  await c.getByLabel('详细地址').fill('文三路 9 号')
  await c.getByRole('button', { name: '提交订单并付款' }).click()
  await expect(c).toHaveURL(/\/pay\/test\//)
  await c.getByRole('button', { name: '确认支付' }).click()
  await expect(c).toHaveURL(/\/o\/[A-Za-z0-9_-]{32}\?paid=1/)
  await expect(c.getByTestId('parcel-line')).toHaveCount(1)

  // The same shop in English: the bag, its bar and its form.
  // Back on the shop: the ordered bag is empty again.
  await c.goto('/shop/lily-hz')
  await expect(c.getByTestId('bag-total')).toContainText('共 0 件')
  await c.getByRole('button', { name: 'English' }).click()
  const en = await choose(
    c,
    c
      .getByTestId('offer')
      .filter({ has: c.getByRole('button', { name: /^Choose / }) })
      .first(),
  )
  await expect(en.getByRole('button', { name: 'Add to bag' })).toBeVisible()
  await pickSize(en)
  await en.getByRole('button', { name: 'Add to bag' }).click()
  await c.getByRole('button', { name: 'Check out' }).click()
  await expect(c.getByLabel('Mobile number')).toBeVisible()
  await noSidewaysScroll(c)
  await c.screenshot({ path: '/tmp/customers-shop-bag-en.png' })
  await context.close()
})
