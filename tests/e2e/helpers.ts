import { expect, type Page } from '@playwright/test'

export const DEMO_PASSWORD = 'demo1234'

/**
 * Waits until the page's scripts have run. Remix imports its client entry dynamically, which the load event does not
 * wait for: a click on a fetcher's button before then submits the plain form and navigates away instead.
 */
export const hydrated = (page: Page) => page.waitForFunction(() => '__remixRouter' in window)

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel(/邮箱或手机号|Email or phone/).fill(login)
  await page.getByLabel(/^密码$|^Password$/).fill(password)
  await page.getByRole('button', { name: /^登录$|^Sign in$/ }).click()
  // Members land on the sessions, brand staff and operators on their console.
  await expect(page).toHaveURL(/\/(admin|brand)?$/)
  // The URL can change before the signed-in header is on screen; callers read the header next.
  await expect(page.getByRole('button', { name: /^退出$|^Sign out$/ })).toBeVisible()
}
