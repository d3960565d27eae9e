import { expect, test } from '@playwright/test'
import { signIn } from './helpers'

// Brand staff creates a product with a SKU matrix, creates a session, adds the product, schedules it (and cancels it).
test('brand staff creates a product, a session with an item, and schedules it', async ({ page }) => {
  const code = `E2E-${Date.now().toString(36)}`
  await signIn(page, 'staff@mulan.demo.cm')
  await page.goto('/brand/products/new')
  await page.getByLabel('款号').fill(code)
  await page.getByLabel('商品标题（中文）').fill('端到端测试风衣')
  await page.getByLabel('吊牌价（元）').fill('899')
  await page.getByLabel('尺码（逗号分隔）').fill('M, L')
  await page.getByLabel('颜色（逗号分隔）').fill('卡其')
  await page.getByRole('button', { name: '生成规格' }).click()
  // The generator replaced the empty row with M/L × 卡其.
  await expect(page.getByLabel('尺码 2')).toHaveValue('L')
  await page.getByLabel('条码 1').fill(`${code}-M`)
  await page.getByLabel('库存 1').fill('30')
  await page.getByLabel('条码 2').fill(`${code}-M`)
  await page.getByLabel('库存 2').fill('20')
  await page.getByRole('button', { name: '保存' }).click()
  // A barcode used twice is refused at the second row, with a message above the form.
  await expect(page.getByRole('alert')).toHaveText('请修改下面标出的内容。')
  await expect(page.locator('#skus\\[1\\]\\.barcode-error')).toHaveText('条码在表单中重复。')
  await page.getByLabel('条码 2').fill(`${code}-L`)
  await page.getByRole('button', { name: '保存' }).click()
  await expect(page.getByRole('status')).toHaveText('已保存')

  await page.goto('/brand/sessions/new')
  await page.getByLabel('档期标题（中文）').fill(`端到端档期 ${code}`)
  await page.getByRole('button', { name: '创建草稿' }).click()
  await expect(page.getByTestId('session-phase')).toHaveText('草稿')

  await page.getByLabel('选择商品').selectOption({ label: `${code} · 端到端测试风衣` })
  await page.getByRole('button', { name: '选择', exact: true }).click()
  await page.getByLabel('拿货基础价（元）').fill('1000')
  await page.getByLabel('最低零售价（元）').fill('399')
  await page.getByLabel('分配数量 卡其 M').fill('10')
  await page.getByRole('button', { name: '加入档期' }).click()
  // Base price above the tag price is refused next to the field.
  await expect(page.getByText('拿货价必须低于吊牌价。')).toBeVisible()
  await page.getByLabel('拿货基础价（元）').fill('299')
  // More than the SKU's 30 free units is refused at its row, saying how many are free.
  await page.getByLabel('分配数量 卡其 M').fill('31')
  await page.getByRole('button', { name: '加入档期' }).click()
  await expect(page.getByText('超出可分配库存（最多 30 件）。')).toBeVisible()
  await page.getByLabel('拿货基础价（元）').fill('299')
  await page.getByLabel('最低零售价（元）').fill('399')
  await page.getByLabel('分配数量 卡其 M').fill('10')
  await page.getByRole('button', { name: '加入档期' }).click()
  await expect(page.getByTestId('session-item')).toHaveCount(1)

  await page.getByRole('button', { name: '提交排期' }).click()
  await expect(page.getByTestId('session-phase')).toHaveText('预告')
  // Cancel it again at once: other browser tests count the seeded sessions on the home page.
  page.on('dialog', (d) => void d.accept())
  await page.getByRole('button', { name: '取消档期' }).click()
  await expect(page.getByTestId('session-phase')).toHaveText('已取消')
  await page.goto('/brand/sessions')
  await expect(page.getByTestId('session-table')).toContainText(`端到端档期 ${code}`)
})
