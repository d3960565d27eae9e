import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

// The whole brand story in one go: apply → approve → set password → deposit → CSV import → session → upcoming on the home page.
test('a new brand applies, is approved, pays the deposit, imports a CSV and schedules a session that shows as upcoming', async ({
  browser,
}) => {
  test.setTimeout(90_000)
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`
  const brand = `Journey${run}`
  const email = `owner-${run}@journey.example`
  const password = `journey-${run}`
  const code = `J-${run}`.toUpperCase()
  const title = `端到端档期 旅程 ${run}`

  // 1. Apply with a fresh company.
  const owner = await browser.newPage()
  await owner.goto('/apply')
  await owner.getByLabel('公司名称').fill(`杭州旅程服饰 ${run}`)
  await owner.getByLabel('品牌名称').fill(brand)
  await owner.getByLabel('联系人').fill('陈旅')
  await owner.getByLabel('联系电话').fill(`139${String(Date.now() % 1e8).padStart(8, '0')}`)
  await owner.getByLabel(/联系邮箱/).fill(email)
  await owner.getByLabel('年销售额（元）').fill('50000000')
  await owner.getByLabel('线下门店数').fill('80')
  await owner.getByLabel(/^女装/).check()
  await owner.getByRole('button', { name: '提交申请' }).click()
  await expect(owner).toHaveURL(/\/apply\/status\//)

  // 2. The operator approves; the one-time link goes to the new staff.
  const ops = await browser.newPage()
  await signIn(ops, 'ops@demo.cm')
  await ops.goto(`/admin/applications?q=${brand}`)
  await ops
    .getByRole('row', { name: new RegExp(brand) })
    .getByRole('link', { name: '查看' })
    .click()
  ops.once('dialog', (d) => void d.accept())
  await ops.getByRole('button', { name: '通过并创建品牌' }).click()
  const setupUrl = (await ops.getByTestId('setup-url').textContent())!.trim()
  await ops.close()

  // 3. Set a password, sign in, pay the deposit with the test provider.
  await owner.goto(new URL(setupUrl).pathname)
  await owner.getByLabel('新密码').fill(password)
  await owner.getByLabel('再次输入').fill(password)
  await owner.getByRole('button', { name: '设置密码' }).click()
  await expect(owner).toHaveURL(/\/login/)
  await owner.getByLabel('邮箱或手机号').fill(email)
  await owner.getByLabel(/^密码$/).fill(password)
  await owner.getByRole('button', { name: /^登录$/ }).click()
  await expect(owner).toHaveURL(/\/brand\/deposit$/)
  await owner.getByRole('button', { name: '去支付保证金' }).click()
  await expect(owner).toHaveURL(/\/pay\/test\/[^/?]+/)
  await owner.locator('button[name="intent"][value="approve"]').click()
  await expect(owner.getByTestId('deposit')).toHaveAttribute('data-status', 'live')

  // 4. Import a small CSV in the template format and wait for the background job to finish.
  const csv =
    [
      'style_code,title,title_en,category,tag_price,tag_cut,description,size,colour,barcode,stock',
      `${code},旅程风衣,Journey trench,womens,899,0,测试,M,卡其,${code}-M,30`,
      `${code},旅程风衣,Journey trench,womens,899,0,测试,L,卡其,${code}-L,20`,
    ].join('\n') + '\n'
  await owner.goto('/brand/products/import')
  await owner
    .getByLabel('CSV 文件')
    .setInputFiles({ name: `journey-${run}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await owner.getByRole('button', { name: '开始导入' }).click()
  await expect(owner).toHaveURL(/\/brand\/products\/import\/[0-9a-f-]{36}$/)
  await expect(owner.getByTestId('import-status')).toHaveText('已完成', { timeout: 20_000 })
  await expect(owner.getByTestId('import-summary')).toContainText('成功 2 行')

  // 5. A session at least 1 hour ahead: a start 30 minutes ahead is refused, 2 hours ahead is accepted.
  const shanghai = (ms: number) => new Date(Date.now() + ms + 8 * 3_600_000).toISOString().slice(0, 16)
  await owner.goto('/brand/sessions/new')
  await owner.getByLabel('档期标题（中文）').fill(title)
  await owner.getByLabel('开始时间').fill(shanghai(30 * 60_000))
  await owner.getByRole('button', { name: '创建草稿' }).click()
  await expect(owner.getByText('开始时间至少要在 1 小时之后。')).toBeVisible()
  await owner.getByLabel('开始时间').fill(shanghai(2 * 3_600_000))
  await owner.getByRole('button', { name: '创建草稿' }).click()
  await expect(owner.getByTestId('session-phase')).toHaveText('草稿')
  await owner.getByLabel('选择商品').selectOption({ label: `${code} · 旅程风衣` })
  await owner.getByRole('button', { name: '选择', exact: true }).click()
  await owner.getByLabel('拿货基础价（元）').fill('299')
  await owner.getByLabel('最低零售价（元）').fill('399')
  await owner.getByLabel('分配数量 卡其 M').fill('10')
  await owner.getByRole('button', { name: '加入档期' }).click()
  await expect(owner.getByTestId('session-item')).toHaveCount(1)
  await owner.getByRole('button', { name: '提交排期' }).click()
  await expect(owner.getByTestId('session-phase')).toHaveText('预告')
  const sessionUrl = owner.url()

  // 6. A visitor sees it among the upcoming (预告) sessions on the home page.
  const visitor = await browser.newPage()
  await visitor.goto('/')
  const card = visitor
    .locator('section[aria-labelledby="upcoming-heading"]')
    .getByTestId('session-card')
    .filter({ hasText: title })
  await expect(card).toBeVisible()
  await expect(card).toContainText(brand)
  await expect(visitor.locator('#upcoming-heading')).toContainText('预告')

  // Cancel it again: other browser tests count the seeded sessions on the home page.
  await owner.goto(sessionUrl)
  owner.on('dialog', (d) => void d.accept())
  await owner.getByRole('button', { name: '取消档期' }).click()
  await expect(owner.getByTestId('session-phase')).toHaveText('已取消')
})
