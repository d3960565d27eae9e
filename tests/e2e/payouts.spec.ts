import { expect, test } from '@playwright/test'
import postgres from 'postgres'
import { runPayoutJobs } from './db'
import { signIn } from './helpers'

const dbUrl = () => `postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54340)}/marketplace`
const HOUR = 3_600_000

/**
 * A Little Oak session that ends in 90 seconds, with one SKU on sale: built straight in the database
 * (the console's scheduling rules forbid a start in the past). Its after-sale deadline is the only one the
 * passed-in clock crosses, so no other test's session is settled by this one; its title marks it as a browser
 * test's session, which the home-page test leaves out while it is briefly live.
 */
async function endingSession(): Promise<{
  sessionId: string
  sessionItemSkuId: string
  addressId: string
  deadline: Date
}> {
  const sql = postgres(dbUrl(), { max: 1, onnotice: () => {} })
  try {
    const startsAt = new Date(Date.now() - 48 * HOUR + 90_000)
    const endsAt = new Date(startsAt.getTime() + 48 * HOUR)
    const deadline = new Date(endsAt.getTime() + 7 * 24 * HOUR)
    const [brand] = await sql`select id from brands where slug = 'little-oak'`
    const [session] =
      await sql`insert into clearance_sessions (brand_id, title, title_en, banner_seed, status, starts_at, ends_at, after_sale_deadline_at)
      values (${brand!.id}, ${`端到端档期 打款测试 ${Date.now()}`}, 'Little Oak payout test', 'payout', 'scheduled', ${startsAt}, ${endsAt}, ${deadline}) returning id`
    const [sku] =
      await sql`select s.id, s.product_id from skus s join products p on p.id = s.product_id where p.brand_id = ${brand!.id} order by s.id limit 1`
    const [item] =
      await sql`insert into session_items (session_id, product_id, base_price_minor) values (${session!.id}, ${sku!.product_id}, 20000) returning id`
    const [sis] =
      await sql`insert into session_item_skus (session_item_id, sku_id, allocated, available) values (${item!.id}, ${sku!.id}, 10, 10) returning id`
    const [address] =
      await sql`select a.id from addresses a join users u on u.id = a.member_id where u.email = 'vip5@demo.cm' and a.kind = 'own' limit 1`
    return { sessionId: session!.id, sessionItemSkuId: sis!.id, addressId: address!.id, deadline }
  } finally {
    await sql.end()
  }
}

test("a session ends, its after-sale deadline passes, the brand sees its payout sent; the operator refunds a leaving brand's deposit", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000)
  const s = await endingSession()

  // A member buys in the last minutes of the session and pays with the labelled test provider.
  await signIn(page, 'vip5@demo.cm')
  const placed = await page.request.post('/api/checkout', {
    data: { addressId: s.addressId, lines: [{ sessionItemSkuId: s.sessionItemSkuId, quantity: 2 }] },
  })
  expect(placed.status()).toBe(201)
  const { orderIds } = (await placed.json()) as { orderIds: string[] }
  await page.goto(`/orders/${orderIds[0]}`)
  await page.getByRole('button', { name: '去付款' }).click()
  await page.getByRole('button', { name: '确认支付' }).click()
  await expect(page).toHaveURL(/paid=1/)

  // The brand enters bank details for the manual provider (no Stripe keys here): clearly labelled.
  const brand = await browser.newPage({ viewport: { width: 390, height: 844 } })
  await signIn(brand, 'staff@little-oak.demo.cm')
  await brand.goto('/brand/payouts')
  await expect(brand.getByRole('note')).toContainText('人工打款')
  await brand.getByLabel('开户名').fill('小橡树童装有限公司')
  await brand.getByLabel('开户银行').fill('招商银行上海分行')
  await brand.getByLabel('银行账号').fill('6225 8801 2345 6789')
  await brand.getByRole('button', { name: '保存收款信息' }).click()
  await expect(brand.getByRole('status')).toHaveText('收款信息已保存。')

  // The clock passes the after-sale deadline: settlement and payout jobs run with it.
  const run = await runPayoutJobs(new Date(s.deadline.getTime() + 60_000))
  expect(run.decided).toBeGreaterThanOrEqual(1)
  await brand.goto('/brand/payouts')
  const payout = brand.getByTestId('payout').filter({ hasText: '打款测试' })
  await expect(payout).toHaveAttribute('data-status', 'due')
  // 2 × ¥200 at VIP5's 12% off = ¥352 of goods, less Little Oak's 10% commission.
  await expect(payout).toContainText('¥316.80')

  // The operator exports the transfer instructions and marks the transfer made.
  const ops = await browser.newPage()
  await signIn(ops, 'ops@demo.cm')
  const csv = await ops.request.get('/admin/payouts.csv')
  expect(csv.status()).toBe(200)
  const text = await csv.text()
  expect(text).toContain('招商银行上海分行')
  expect(text).toContain('316.80')
  await ops.goto('/admin/payouts')
  const due = ops.getByTestId('payout').filter({ hasText: '打款测试' })
  await due.getByRole('button', { name: '标记为已转账' }).click()
  await expect(ops.getByRole('status')).toHaveText('已标记为已转账。')

  await brand.goto('/brand/payouts')
  await expect(brand.getByTestId('payout').filter({ hasText: '打款测试' })).toHaveAttribute('data-status', 'sent')
  await expect(brand.getByTestId('payout').filter({ hasText: '打款测试' })).toContainText('已打款')
  await brand.screenshot({ path: '/tmp/payouts-brand-390.png', fullPage: true })
  const overflow = await brand.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  )
  expect(overflow).toBe(false)

  // The ledger balances to zero overall.
  await ops.goto('/admin/ledger')
  await expect(ops.getByTestId('ledger-total').getByTestId('difference')).toHaveText('¥0.00')

  // A brand that paid its deposit through the provider and never sold leaves: the operator refunds the deposit.
  const yunshang = await browser.newPage()
  await signIn(yunshang, 'staff@yunshang.demo.cm')
  await yunshang.goto('/brand/deposit')
  await yunshang.getByRole('button', { name: '去支付保证金' }).click()
  await yunshang.getByRole('button', { name: '确认支付' }).click()
  await expect(yunshang).toHaveURL(/\/brand\/deposit\?payment=returned/)
  await ops.goto('/admin/deposits')
  await ops.getByRole('link', { name: '管理 云裳' }).click()
  await expect(ops.getByTestId('deposit-held')).toContainText('¥10,000.00')
  await ops.getByLabel('原因').first().fill('品牌主动退出平台')
  await ops.getByRole('button', { name: '退还保证金并关闭品牌' }).click()
  await expect(ops.getByRole('status')).toContainText('¥10,000.00')
  await expect(ops.getByTestId('deposit-held')).toContainText('¥0.00')
  await expect(ops.getByText('退出退还')).toBeVisible()
})
