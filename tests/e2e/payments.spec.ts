import { expect, test } from '@playwright/test'
import postgres from 'postgres'
import { signIn } from './helpers'

// A test payment as startPayment stores it, written straight into the e2e database.
async function createTestPayment(payerEmail: string): Promise<string> {
  const sql = postgres(
    `postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54340)}/marketplace`,
    { max: 1, onnotice: () => {} },
  )
  try {
    const [row] = await sql`
      insert into payments (purpose, reference_id, payer_user_id, amount_minor, currency, description, provider, success_path, cancel_path)
      select 'order', ${`e2e-${Date.now()}-${Math.random()}`}, id, 25800, 'CNY', '清仓订单 · 2 件', 'test', '/account?paid=1', '/account?cancelled=1'
      from users where email = ${payerEmail}
      returning id`
    await sql`update payments set provider_ref = id::text where id = ${row.id}`
    return row.id as string
  } finally {
    await sql.end()
  }
}

test('the payer approves a labelled test payment; another member cannot open it', async ({ page, browser }) => {
  const paymentId = await createTestPayment('vip3@demo.cm')
  await signIn(page, 'vip3@demo.cm')
  await page.goto(`/pay/test/${paymentId}`)
  await expect(page.getByRole('note')).toHaveText('测试支付 / Test payment — no money moves')
  await expect(page.getByText('¥258')).toBeVisible()
  await page.getByRole('button', { name: '确认支付' }).click()
  await expect(page).toHaveURL(/\/account\?paid=1$/)
  await page.goto(`/pay/test/${paymentId}`)
  await expect(page.getByText('已支付')).toBeVisible()
  await expect(page.getByRole('button', { name: '确认支付' })).toHaveCount(0)

  const other = await browser.newPage()
  await signIn(other, 'trial@demo.cm')
  const res = await other.goto(`/pay/test/${paymentId}`)
  expect(res?.status()).toBe(404)
  await other.close()
})

test('declining returns to the cancel path and marks the payment failed', async ({ page }) => {
  const paymentId = await createTestPayment('vip1@demo.cm')
  await signIn(page, 'vip1@demo.cm')
  await page.goto(`/pay/test/${paymentId}`)
  await page.getByRole('button', { name: '拒绝支付' }).click()
  await expect(page).toHaveURL(/\/account\?cancelled=1$/)
  await page.goto(`/pay/test/${paymentId}`)
  await expect(page.getByText('支付失败')).toBeVisible()
})
