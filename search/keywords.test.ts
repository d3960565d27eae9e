import { describe, expect, it } from 'vitest'
import { searchKeywords } from './keywords'

const doc = (title: string, titleEn: string, over: { category?: string; tagCut?: boolean } = {}) =>
  searchKeywords({ title, titleEn, category: over.category ?? 'womens', tagCut: over.tagCut ?? false })

describe('search keywords', () => {
  it('gives a shirt both names, whichever language its title uses', () => {
    for (const k of [doc('真丝衬衫', ''), doc('', 'Silk shirt'), doc('', 'Linen blouse')]) {
      expect(k).toContain('衬衫')
      expect(k).toContain('shirt')
    }
  })

  it('names trousers 裤子 and pants, the category in both languages, and the tag-cut label only when cut', () => {
    expect(doc('休闲裤', 'Chinos', { category: 'mens' })).toMatch(/裤子.*pants.*|pants.*裤子/)
    expect(doc('休闲裤', 'Chinos', { category: 'mens' })).toContain('男装')
    expect(doc('休闲裤', 'Chinos', { category: 'mens' })).toContain('menswear')
    expect(doc('纯棉T恤', 'Cotton tee', { tagCut: true })).toContain('剪标')
    expect(doc('纯棉T恤', 'Cotton tee')).not.toContain('剪标')
    expect(doc('纯棉T恤', 'Cotton tee')).not.toContain('衬衫')
  })
})
