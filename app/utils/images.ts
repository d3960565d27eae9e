// Where a product or banner picture comes from: an uploaded photo when there is one, else the seeded art.
export function productImageUrl(p: { imagePath?: string | null; imageSeed: string }, thumb = false): string {
  return p.imagePath
    ? `/uploads/${p.imagePath}${thumb ? '-thumb' : ''}.webp`
    : `/art/product/${encodeURIComponent(p.imageSeed)}`
}

/**
 * A product picture that can fill the screen's width (the product page): with an uploaded photo, both stored sizes
 * (thumbnail ≤ 400 px, display size ≤ 1200 px on the long side) so a phone takes what its width needs. Cards stay
 * on the thumbnail alone: at half a phone's width it is what they need.
 */
export function productPhotoSources(
  p: { imagePath?: string | null; imageSeed: string },
  sizes: string,
): { src: string; srcSet?: string; sizes?: string } {
  if (!p.imagePath) return { src: productImageUrl(p) }
  return { src: productImageUrl(p), srcSet: photoSrcSet(p.imagePath), sizes }
}

/** The srcset of a stored photo by its id (widths of a 3:4 photo at the stored sizes' limits). */
export function photoSrcSet(id: string): string {
  return `/uploads/${id}-thumb.webp 300w, /uploads/${id}.webp 900w`
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
