import { expect, test } from '@playwright/test'
import sharp from 'sharp'
import { storeImage } from '#app/services/catalog/uploads.server'
import { withAppDb } from './db'

// Search results show a product's uploaded photo (the art only without one); the first row loads at once, the
// rest lazily, and every picture has its size so nothing shifts while they arrive.
test.use({ viewport: { width: 390, height: 844 } })

test('search hits show uploaded photos, eager in the first row, lazy below, with width and height', async ({
  page,
}) => {
  await page.goto('/search?q=%E8%A1%AC%E8%A1%AB')
  const hits = page.getByTestId('search-hit')
  await expect(hits.nth(3)).toBeVisible()
  const href = await hits.first().getByRole('link').first().getAttribute('href')
  const productId = href!.split('/').pop()!
  // The brand uploads a photo (stored where the app under test reads uploads, as the product form stores it).
  const jpeg = await sharp({ create: { width: 900, height: 1200, channels: 3, background: { r: 30, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer()
  const photo = await storeImage(new File([new Uint8Array(jpeg)], 'photo.jpg', { type: 'image/jpeg' }))
  await withAppDb((db) => db.updateTable('products').set({ image_path: photo }).where('id', '=', productId).execute())

  try {
    await page.reload()
    const img = (i: number) => hits.nth(i).locator('img').first()
    await expect(img(0)).toHaveAttribute('src', `/uploads/${photo}-thumb.webp`)
    await expect
      .poll(() => img(0).evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
      .toBeGreaterThan(0)
    await expect(img(1)).toHaveAttribute('src', /^\/art\/product\//)
    for (const i of [0, 1]) {
      await expect(img(i)).toHaveAttribute('fetchpriority', 'high')
      await expect(img(i)).not.toHaveAttribute('loading', 'lazy')
    }
    await expect(img(2)).toHaveAttribute('loading', 'lazy')
    for (let i = 0; i < 4; i++) {
      await expect(img(i)).toHaveAttribute('width', '300')
      await expect(img(i)).toHaveAttribute('height', '400')
    }
    await page.screenshot({ path: '/tmp/words-search-photos.zh.png' })
    await page
      .context()
      .addCookies([{ name: 'lng', value: encodeURIComponent(Buffer.from('"en"').toString('base64')), url: page.url() }])
    await page.reload()
    // The same product, wherever English ranks it.
    await expect(
      hits
        .filter({ has: page.locator(`a[href="/products/${productId}"]`) })
        .locator('img')
        .first(),
    ).toHaveAttribute('src', `/uploads/${photo}-thumb.webp`)
    await page.screenshot({ path: '/tmp/words-search-photos.en.png' })
  } finally {
    await withAppDb((db) => db.updateTable('products').set({ image_path: null }).where('id', '=', productId).execute())
  }
})
