import { expect, test, type Page } from '@playwright/test'
import { hydrated } from './helpers'

// The address book on a 390 px phone: paste fills the fields, the pickers cascade, edit and default work.
test.use({ viewport: { width: 390, height: 844 } })

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
}

test('a member pastes an address, picks another through the cascade, edits one and moves the default', async ({
  page,
}) => {
  await page.goto('/register?code=welcome2026')
  await page.getByLabel('邮箱或手机号').fill(`addr-${Date.now()}@example.com`)
  await page.getByLabel('密码（至少 8 位）').fill('e2e-password')
  await page.getByLabel('昵称').fill('地址测试')
  await page.getByRole('button', { name: '注册并登录' }).click()
  await expect(page).toHaveURL(/\/account$/)

  await page.goto('/account/addresses')
  await hydrated(page)
  const form = page.locator('#address-form')
  await form.getByLabel('粘贴整段地址').fill('收货人：张三\n手机号码：138 0000 0000\n浙江省杭州市西湖区文三路1号')
  await form.getByRole('button', { name: '识别', exact: true }).click()
  await expect(form.getByLabel('收货人')).toHaveValue('张三')
  await expect(form.getByLabel('手机号码')).toHaveValue('13800000000')
  await expect(form.getByLabel('省份')).toHaveValue('330000')
  await expect(form.getByLabel('城市')).toHaveValue('330100')
  await expect(form.getByLabel('区/县')).toHaveValue('330106')
  await expect(form.getByLabel('详细地址')).toHaveValue('文三路1号')
  await expect(form.getByRole('status')).toHaveText('已识别并填好，请核对。')
  await noSidewaysScroll(page)
  await page.screenshot({ path: '/tmp/phone-addresses-paste-zh.png', fullPage: true })
  await form.getByRole('button', { name: '保存地址' }).click()
  const cards = page.getByTestId('address-card')
  await expect(cards).toHaveCount(1)
  await expect(cards.first()).toContainText('浙江省 杭州市 西湖区 文三路1号')
  await expect(cards.first().locator('.default-badge')).toHaveText('默认')

  // The pickers cascade: a province lists its cities, a city its districts; a new province clears both.
  await form.getByLabel('省份').selectOption({ label: '广东省' })
  await form.getByLabel('城市').selectOption({ label: '深圳市' })
  await expect(form.getByLabel('区/县').locator('option', { hasText: '南山区' })).toHaveCount(1)
  await form.getByLabel('省份').selectOption({ label: '北京市' })
  await expect(form.getByLabel('城市')).toHaveValue('110100')
  await expect(form.getByLabel('区/县').locator('option', { hasText: '南山区' })).toHaveCount(0)
  await form.getByLabel('区/县').selectOption({ label: '朝阳区' })
  await form.getByLabel('类型').selectOption('customer')
  await form.getByLabel('收货人').fill('李四')
  await form.getByLabel('手机号码').fill('13912345678')
  await form.getByLabel('详细地址').fill('建国路 93 号')
  await form.getByRole('button', { name: '保存地址' }).click()
  await expect(cards).toHaveCount(2)
  const second = cards.filter({ hasText: '李四' })
  await expect(second).toContainText('北京市 朝阳区 建国路 93 号')
  await expect(second.locator('.default-badge')).toHaveCount(0)

  // The default moves; then the first address is edited in place.
  await second.getByRole('button', { name: '设为默认地址' }).click()
  await expect(second.locator('.default-badge')).toBeVisible()
  await expect(cards.filter({ hasText: '张三' }).locator('.default-badge')).toHaveCount(0)
  await cards.filter({ hasText: '张三' }).getByRole('link', { name: '编辑' }).click()
  await expect(form.getByRole('heading', { name: '编辑收货地址' })).toBeVisible()
  await expect(form.getByLabel('区/县')).toHaveValue('330106')
  await form.getByLabel('区/县').selectOption({ label: '上城区' })
  await form.getByRole('button', { name: '保存地址' }).click()
  await expect(page).toHaveURL(/\/account\/addresses\?saved=1$/)
  await expect(cards).toHaveCount(2)
  await expect(cards.filter({ hasText: '张三' })).toContainText('浙江省 杭州市 上城区 文三路1号')
  await noSidewaysScroll(page)
  await page.screenshot({ path: '/tmp/phone-addresses-zh.png', fullPage: true })

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { name: 'New address' })).toBeVisible()
  // The switch reloads the page: its paste button works only once the new page has hydrated.
  await hydrated(page)
  await form.getByLabel('Paste a whole address').fill('Lily 13500001111 重庆市巫山县广东中路2号')
  await form.getByRole('button', { name: 'Fill', exact: true }).click()
  await expect(form.getByLabel('District')).toHaveValue('500237')
  await noSidewaysScroll(page)
  await page.screenshot({ path: '/tmp/phone-addresses-en.png', fullPage: true })
})
