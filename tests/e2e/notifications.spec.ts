import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import postgres from 'postgres'
import { E2E_PUSH_CA_FILE, E2E_SMTP_PORT } from '../playwright.config'
import { startPushEndpoint, type PushEndpoint } from '../setup/push-endpoint'
import { startSmtpSink, type SmtpSink } from '../setup/smtp-sink'
import { signIn } from './helpers'

// A member follows a brand; its session's "opens in 10 minutes" reminder reaches the inbox (badge) and her mailbox
// (a real SMTP server on loopback), the e-mail's link leads to the session, and her Web Push subscription (a
// loopback push endpoint) receives the open reminder at the start, encrypted for her keys.

const pgUrl = `postgres://postgres:postgres@127.0.0.1:${Number(process.env.E2E_PG_PORT ?? 54340)}/marketplace`
let smtp: SmtpSink
let push: PushEndpoint

test.beforeAll(async () => {
  smtp = await startSmtpSink(E2E_SMTP_PORT)
  push = await startPushEndpoint()
  mkdirSync(path.dirname(E2E_PUSH_CA_FILE), { recursive: true })
  writeFileSync(E2E_PUSH_CA_FILE, push.ca)
})
test.afterAll(async () => {
  await smtp?.close()
  await push?.close()
})

test("a followed brand's session reminder arrives in the inbox, by e-mail and by Web Push", async ({ page }) => {
  test.setTimeout(240_000)
  const sql = postgres(pgUrl, { max: 1, onnotice: () => {} })
  try {
    // A session of 北岸, first a day away: the reminder planner (a cron job every minute) plans sessions that open
    // within 11 minutes, for the followers it finds then, so the session is brought to 75 seconds away only once
    // she follows the brand (scheduling through the console needs an hour's lead).
    const startsAt = new Date(Date.now() + 24 * 3_600_000)
    const [brand] = await sql<{ id: string }[]>`select id from brands where slug = 'northshore'`
    const [session] = await sql<{ id: string }[]>`
      insert into clearance_sessions (brand_id, title, title_en, banner_seed, status, starts_at, ends_at, after_sale_deadline_at)
      values (${brand.id}, '北岸 端到端档期 提醒', 'Northshore e2e reminder sale', 'e2e-remind', 'scheduled', ${startsAt}, ${new Date(startsAt.getTime() + 48 * 3_600_000)}, ${new Date(startsAt.getTime() + 9 * 24 * 3_600_000)})
      returning id`

    await signIn(page, 'vip3@demo.cm')
    await page.goto(`/sessions/${session.id}`)
    await page.getByRole('button', { name: /关注品牌/ }).click()
    await expect(page.getByRole('button', { name: /已关注/ })).toBeVisible()

    // Her browser's push subscription, pointing at the loopback push service (a headless browser has none).
    await page.goto('/notifications/settings')
    await expect(page.getByRole('heading', { name: '通知设置' })).toBeVisible()
    // Reminders are marketing: quiet hours (22:00–08:00 Beijing) would hold them, so she switches them off.
    await page.getByLabel('开启免打扰').uncheck()
    await page.getByRole('button', { name: '保存设置' }).click()
    await expect(page.getByRole('status')).toHaveText('设置已保存。')
    const sub = push.subscription('vip3')
    const saved = await page.request.post('/notifications/settings', {
      form: { intent: 'push-subscribe', endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth },
    })
    expect(saved.status()).toBe(200)
    await page.reload()
    await expect(page.getByText('已开启推送的设备：1 台')).toBeVisible()

    // The session now opens in 75 seconds; the planner runs every minute, run it now.
    const opensAt = new Date(Date.now() + 75_000)
    await sql`
      update clearance_sessions set starts_at = ${opensAt}, ends_at = ${new Date(opensAt.getTime() + 48 * 3_600_000)},
        after_sale_deadline_at = ${new Date(opensAt.getTime() + 9 * 24 * 3_600_000)}
      where id = ${session.id}`
    await sql`select graphile_worker.add_job('plan_session_reminders', '{}'::json)`

    // Inbox: the badge counts it, the list shows it. Lily also hears of her customers' orders from other browser
    // tests running at the same time, so a count alone does not mean the reminder is there yet.
    await expect(async () => {
      await page.goto('/')
      await expect(page.getByTestId('inbox-badge')).toContainText(/[1-9]/, { timeout: 1000 })
      await page.getByTestId('inbox-badge').click()
      await expect(page.getByRole('link', { name: /北岸 档期 10 分钟后开抢/ })).toBeVisible({ timeout: 1000 })
    }).toPass({ timeout: 60_000 })

    // E-mail: both languages, a plain-text part, one-click unsubscribe, and a link that leads to the session.
    const mail = await smtp.waitFor(
      (m) => m.to.includes('vip3@demo.cm') && /10 分钟后开抢/.test(m.mail.subject ?? ''),
      60_000,
    )
    expect(mail.mail.subject).toBe('北岸 档期 10 分钟后开抢 / Northshore opens in 10 minutes')
    expect(mail.mail.text).toContain('北岸 端到端档期 提醒')
    expect(mail.mail.text).toContain('Northshore e2e reminder sale')
    expect(mail.raw).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/)
    const link = /(http:\/\/localhost:\d+\/notifications\/[0-9a-f-]{36})/.exec(mail.mail.text ?? '')![1]
    await page.goto(link)
    await expect(page).toHaveURL(new RegExp(`/sessions/${session.id}$`))
    await expect(page.getByRole('heading', { name: '北岸 端到端档期 提醒' })).toBeVisible()

    // Web Push: the open reminder arrives at the start, decrypts with her keys and links to the session.
    const opened = await push.waitFor(
      (r) => r.path === '/push/vip3' && JSON.parse(push.decrypt(r)).title === '北岸 开抢了',
      150_000,
    )
    const payload = JSON.parse(push.decrypt(opened)) as { title: string; titleEn: string; url: string }
    expect(payload.titleEn).toBe('Northshore is open now')
    expect(payload.url).toMatch(/\/notifications\/[0-9a-f-]{36}$/)
    expect(opened.headers.authorization).toMatch(/^vapid t=.+, k=/)
  } finally {
    await sql.end()
  }
})
