import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Browser, type Page } from '@playwright/test'
import { hydrated, signIn } from './helpers'
import { logins, notVisited, pages, widths, type PageVisit, type Role } from './mobile/pages'

// Every page of every role on phone widths: nothing wider than the screen, primary actions on screen, tap targets
// of at least 44 px, and (public and member pages) no serious or critical axe-core finding.
test.describe.configure({ mode: 'parallel' })

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const shotsDir = path.join(root, 'tests/e2e/screenshots')
const MIN_TARGET = 44

test('every page route is visited by the phone suite', () => {
  const dir = path.join(root, 'app/routes')
  const routes = fs
    .readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f) && /export default/.test(fs.readFileSync(path.join(dir, f), 'utf8')))
    .map((f) => f.replace(/\.tsx?$/, ''))
  const listed = new Set([...pages.map((p) => p.route), ...Object.keys(notVisited)])
  expect(
    routes.filter((r) => !listed.has(r)),
    'page routes missing from tests/e2e/mobile/pages.ts',
  ).toEqual([])
  expect(
    [...listed].filter((r) => !routes.includes(r)),
    'entries in tests/e2e/mobile/pages.ts without a route file',
  ).toEqual([])
})

const roles: Role[] = ['guest', 'member', 'buyer', 'brand', 'operator']
for (const role of roles) {
  test(`${role}: every page fits phones from 360 to 414 px`, async ({ browser }) => {
    test.setTimeout(420_000)
    const page = await phone(browser, 'zh-CN')
    if (role !== 'guest') await signIn(page, logins[role])
    const state = role === 'buyer' ? await fillCartAndCheckOut(page) : {}
    for (const visit of pages.filter((p) => p.role === role)) {
      const url = await resolve(page, visit, state)
      for (const width of widths) {
        await page.setViewportSize({ width, height: 800 })
        const res = await page.goto(url)
        expect.soft(res?.status(), `${url} status`).toBe(visit.status ?? 200)
        const where = `${visit.route} ${url} @${width}px`
        expect.soft(await layoutProblems(page), where).toEqual([])
        if (visit.primary) {
          const action = page
            .getByRole('button', { name: visit.primary })
            .or(page.getByRole('link', { name: visit.primary }))
            .first()
          await expect.soft(action, `${where}: primary action`).toBeVisible()
          const box = await action.boundingBox()
          expect.soft(box && box.x >= 0 && box.x + box.width <= width, `${where}: primary action on screen`).toBe(true)
        }
      }
      if (role !== 'brand' && role !== 'operator') {
        await page.setViewportSize({ width: 390, height: 800 })
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
        const serious = axe.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id}: ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(' | ')}`,
          )
        expect.soft(serious, `${visit.route} ${url}: axe`).toEqual([])
      }
      if (process.env.SCREENSHOTS && visit.shot) await screenshots(page, url, visit.shot)
    }
  })
}

async function phone(browser: Browser, locale: 'zh-CN' | 'en') {
  const context = await browser.newContext({
    viewport: { width: 390, height: 800 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  if (locale === 'en') await setLanguage(context.pages()[0] ?? (await context.newPage()), 'en')
  return context.pages()[0] ?? context.newPage()
}

async function setLanguage(page: Page, locale: 'zh-CN' | 'en') {
  const baseURL = test.info().project.use.baseURL!
  await page
    .context()
    .addCookies([
      { name: 'lng', value: encodeURIComponent(Buffer.from(JSON.stringify(locale)).toString('base64')), url: baseURL },
    ])
}

async function screenshots(page: Page, url: string, stem: string) {
  await page.setViewportSize({ width: 390, height: 844 })
  fs.mkdirSync(shotsDir, { recursive: true })
  for (const locale of ['zh-CN', 'en'] as const) {
    await setLanguage(page, locale)
    await page.goto(url)
    await page.evaluate(() => document.fonts.ready)
    // A full-page capture draws fixed bars where the first screen ends: put them at the end of the page instead.
    // It also shows what is off screen as it stands: draw the cards that wait to be scrolled near, load every photo.
    await page.addStyleTag({
      content:
        '.storefront-bag, .action-bar.sticky { position: static !important; } .offer { content-visibility: visible !important; }',
    })
    await page.evaluate(async () => {
      for (const img of document.querySelectorAll('img')) img.loading = 'eager'
      await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)))
    })
    await page.screenshot({ path: path.join(shotsDir, `${stem}.${locale === 'en' ? 'en' : 'zh'}.png`), fullPage: true })
  }
  await setLanguage(page, 'zh-CN')
}

type State = { pay?: string; 'pending-order'?: string }

async function resolve(page: Page, visit: PageVisit, state: State): Promise<string> {
  const p = visit.path
  if (p === 'pay' || p === 'pending-order') {
    expect(state[p], `the suite's own checkout gives ${p}`).toBeTruthy()
    return state[p]!
  }
  if (p === 'import') return brandImport(page)
  if (typeof p === 'string') return p
  await page.goto(p.from)
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))
  const href = hrefs.find((h) => p.href.test(h))
  expect(href, `a link like ${p.href} on ${p.from}`).toBeTruthy()
  return href!
}

/** Checks out one item (the unpaid order and its payment page) and leaves another in the cart for the cart page. */
async function fillCartAndCheckOut(page: Page): Promise<State> {
  const addHit = async (n: number) => {
    await page.goto('/search?inStock=1&phase=live')
    await page.getByTestId('search-hit').nth(n).getByRole('link').first().click()
    await page.waitForURL(/\/products\//)
    await hydrated(page)
    await page.getByRole('button', { name: '加入购物车' }).click()
    await expect(page.getByRole('status')).toContainText('已加入购物车')
  }
  await addHit(0)
  await page.goto('/cart')
  await page.getByRole('button', { name: /提交订单/ }).click()
  await page.waitForURL(/\/pay\//)
  const pay = new URL(page.url()).pathname
  await addHit(1)
  await page.goto('/orders')
  const pending = page.locator('tr, li', { hasText: '待付款' }).locator('a[href^="/orders/"]').first()
  return { pay, 'pending-order': (await pending.getAttribute('href'))! }
}

/** The newest import's page; uploads the downloadable template (one product) when the brand has none yet. */
async function brandImport(page: Page): Promise<string> {
  await page.goto('/brand/products/import')
  const existing = page.locator('a[href^="/brand/products/import/"]:not([href$=".csv"])').first()
  if (await existing.count()) return (await existing.getAttribute('href'))!
  const csv = await (await page.request.get('/brand/products/import/template.csv')).body()
  await page.locator('input[type=file]').setInputFiles({ name: 'phone-suite.csv', mimeType: 'text/csv', buffer: csv })
  await page.getByRole('button', { name: '开始导入' }).click()
  await page.waitForURL(/\/brand\/products\/import\/[0-9a-f-]{36}$/)
  return new URL(page.url()).pathname
}

/**
 * What is wrong with the current page at the current width: the document wider than the screen, a control that
 * starts or ends off screen (navigation strips that scroll sideways by design excepted), a tap target under 44 px
 * (links inside running text excepted, as WCAG does).
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const problems: string[] = []
    const vw = window.innerWidth
    const sw = document.documentElement.scrollWidth
    if (sw > vw) problems.push(`document is ${sw}px wide on a ${vw}px screen`)
    const describe = (el: Element) => {
      const text = (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? el.getAttribute('name') ?? '')
        .trim()
        .replace(/\s+/g, ' ')
        .slice(0, 30)
      return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}> "${text}"`
    }
    const inRunningText = (el: Element) => {
      const parent = el.parentElement
      if (!parent || el.tagName !== 'A') return false
      return (
        [...parent.childNodes].some(
          (n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent!.trim().length > 0,
        ) ||
        (parent.tagName === 'P' && parent.children.length > 1)
      )
    }
    const controls = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')
    for (const el of controls) {
      const target = (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) || el
      const r = target.getBoundingClientRect()
      const style = getComputedStyle(target)
      if (r.width <= 1 || r.height <= 1 || style.visibility === 'hidden') continue
      if (el.closest('.sr-only, .skip-link')) continue
      const scroller = el.closest('[data-scroll-x]')
      if (!scroller && (r.left < -0.5 || r.right > vw + 0.5))
        problems.push(`${describe(el)} off screen (${Math.round(r.left)}–${Math.round(r.right)}px)`)
      if (!inRunningText(el) && (r.height < min - 0.5 || r.width < min - 0.5))
        problems.push(`${describe(el)} is a ${Math.round(r.width)}×${Math.round(r.height)} tap target`)
    }
    return problems
  }, MIN_TARGET)
}
