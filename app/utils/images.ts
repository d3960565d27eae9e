// Where a product or banner picture comes from: an uploaded photo when there is one, else the seeded art.
export function productImageUrl(p: { imagePath?: string | null; imageSeed: string }, thumb = false): string {
  return p.imagePath
    ? `/uploads/${p.imagePath}${thumb ? '-thumb' : ''}.webp`
    : `/art/product/${encodeURIComponent(p.imageSeed)}`
}

export function bannerImageUrl(s: { bannerPath?: string | null; bannerSeed: string }): string {
  return s.bannerPath ? `/uploads/${s.bannerPath}.webp` : `/art/banner/${encodeURIComponent(s.bannerSeed)}`
}

/**
 * Image attributes by where a picture sits: in the first screen it loads at once and first (it is what the
 * largest-contentful-paint measures), further down only when scrolled near. React 18 has no `fetchPriority`
 * prop, so the lowercase attribute is passed as is.
 */
export function imageLoading(firstScreen: boolean): Record<string, string> {
  return firstScreen ? { fetchpriority: 'high' } : { loading: 'lazy' }
}
