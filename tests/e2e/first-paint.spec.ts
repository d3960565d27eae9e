import { expect, test } from '@playwright/test'

// A visitor's first page paints from the document alone: its CSS is in the head. Her later pages link the
// stylesheets, which the first page prefetched; both look the same.
test('a first page carries its CSS in the head, later pages link the stylesheets, and both are styled alike', async ({
  page,
}) => {
  const look = () =>
    page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('.site-header')!)
      return [getComputedStyle(document.body).backgroundColor, s.display, s.borderBottomWidth]
    })
  await page.goto('/')
  await expect(page.locator('head style#app-styles')).toHaveCount(1)
  await expect(page.locator('head link[rel="stylesheet"]')).toHaveCount(0)
  await expect(page.locator('head link[rel="prefetch"][as="style"]')).toHaveCount(2)
  const first = await look()
  expect(first[1]).not.toBe('inline')

  await page.goto('/search')
  await expect(page.locator('head style#app-styles')).toHaveCount(0)
  await expect(page.locator('head link[rel="stylesheet"]')).toHaveCount(2)
  await page.goto('/')
  expect(await look()).toEqual(first)
})
