// Where a product or banner picture comes from: an uploaded photo when there is one, else the seeded art.
export function productImageUrl(p: { imagePath?: string | null; imageSeed: string }, thumb = false): string {
  return p.imagePath ? `/uploads/${p.imagePath}${thumb ? '-thumb' : ''}.webp` : `/art/product/${encodeURIComponent(p.imageSeed)}`
}

export function bannerImageUrl(s: { bannerPath?: string | null; bannerSeed: string }): string {
  return s.bannerPath ? `/uploads/${s.bannerPath}.webp` : `/art/banner/${encodeURIComponent(s.bannerSeed)}`
}
