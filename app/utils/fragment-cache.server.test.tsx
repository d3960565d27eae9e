import { createContext, useContext } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ItemCard, type ItemCardData } from '#app/components/item-card'
import type { PriceViewer } from '#app/components/member-price-label'
import { ServerFragmentsProvider, useServerFragment, type RenderFragment } from '#app/components/server-fragments'
import { i18nFor, type Locale } from '#app/i18n'
import { forgetFragments, fragmentStats, fragmentsFor } from './fragment-cache.server'

const items: ItemCardData[] = [
  {
    id: 'i1',
    productId: 'p1',
    title: '藏青连衣裙',
    titleEn: 'Navy dress',
    imageSeed: 'womens:dress:0:a',
    tagCut: false,
    tagPriceMinor: 39_900,
    priceMinor: 12_900,
    currency: 'CNY',
    stock: { kind: 'in_stock' },
  },
  {
    id: 'i2',
    productId: 'p2',
    title: '黑色夹克',
    titleEn: 'Black jacket',
    imageSeed: 'mens:jacket:1:b',
    tagCut: true,
    tagPriceMinor: null,
    priceMinor: 25_990,
    currency: 'CNY',
    stock: { kind: 'low', left: 3 },
  },
  {
    id: 'i3',
    productId: 'p3',
    title: '银项链',
    titleEn: 'Silver necklace',
    imageSeed: 'jewellery:necklace:2:c',
    tagCut: false,
    tagPriceMinor: 8_900,
    priceMinor: null,
    currency: 'CNY',
    stock: { kind: 'sold_out' },
  },
]

/** The session page's grid, as the route renders it: kept markup when the server offers it, the cards otherwise. */
function Grid({ items, viewer }: { items: ItemCardData[]; viewer: PriceViewer }) {
  const cards = items.map((item, i) => <ItemCard key={item.id} item={item} eager={i < 2} viewer={viewer} />)
  const kept = useServerFragment(JSON.stringify([viewer, items]), () => <>{cards}</>)
  return kept !== undefined ? (
    <ul className="item-grid" dangerouslySetInnerHTML={{ __html: kept }} />
  ) : (
    <ul className="item-grid">{cards}</ul>
  )
}

/** A render like the server entry's, with or without the fragment cache. */
function render(locale: Locale, viewer: PriceViewer, list: ItemCardData[], cached: boolean) {
  const i18n = i18nFor(locale)
  const page = (
    <I18nextProvider i18n={i18n}>
      <main>
        <h1>page</h1>
        <Grid items={list} viewer={viewer} />
      </main>
    </I18nextProvider>
  )
  if (!cached) return renderToString(page)
  const fragments = fragmentsFor(i18n)
  return fragments.fill(
    renderToString(<ServerFragmentsProvider value={fragments.render}>{page}</ServerFragmentsProvider>),
  )
}

const vip3 = { role: 'member', vipLevel: 3 }
const vip0 = { role: 'member', vipLevel: 0 }
const staff = { role: 'brand_staff', vipLevel: 0 }

describe('kept fragments of a page', () => {
  beforeEach(() => forgetFragments())

  it('are byte for byte what the page renders without them, so the browser hydrates them', async () => {
    const before = fragmentStats().renders
    for (const locale of ['zh-CN', 'en'] as const)
      for (const viewer of [vip3, vip0, staff, null]) {
        const plain = render(locale, viewer, items, false)
        expect(render(locale, viewer, items, true)).toBe(plain)
        // the second time from the cache
        expect(render(locale, viewer, items, true)).toBe(plain)
      }
    expect(fragmentStats().renders - before).toBe(8)
  })

  it('never give one level, language or stock state the markup of another', async () => {
    const before = fragmentStats().renders
    const first = render('zh-CN', vip3, items, true)
    expect(first).toContain('VIP3')
    const other = render('zh-CN', vip0, items, true)
    expect(other).not.toContain('VIP3')
    expect(other).toBe(render('zh-CN', vip0, items, false))
    const english = render('en', vip3, items, true)
    expect(english).toContain('Navy dress')
    expect(english).not.toContain('藏青连衣裙')
    // One more sale: the first item sells out, the page shows it at once.
    const soldOut = items.map((i, n) => (n === 0 ? { ...i, stock: { kind: 'sold_out' as const } } : i))
    const after = render('zh-CN', vip3, soldOut, true)
    expect(after).not.toBe(first)
    expect(after).toBe(render('zh-CN', vip3, soldOut, false))
    expect(fragmentStats().renders - before).toBe(4)
  })

  it('leave a part that fails to render alone to the page, which is rendered again without kept parts', () => {
    const Page = createContext(false)
    function Part() {
      if (!useContext(Page)) throw new Error('rendered outside the page')
      return <b>part</b>
    }
    function Body() {
      const kept = useServerFragment('needs-the-page', () => <Part />)
      return kept !== undefined ? <div dangerouslySetInnerHTML={{ __html: kept }} /> : <div>{<Part />}</div>
    }
    const tree = (parts: RenderFragment | null) => (
      <Page.Provider value>
        <ServerFragmentsProvider value={parts}>
          <Body />
        </ServerFragmentsProvider>
      </Page.Provider>
    )
    const quiet = vi.mocked(console.error).mockImplementationOnce(() => {})
    const fragments = fragmentsFor(i18nFor('zh-CN'))
    const first = renderToString(tree(fragments.render))
    expect(first).toMatch(/^<div><!--part-[\w-]+-0--><\/div>$/)
    expect(fragments.fill(first)).toBeNull()
    expect(quiet).toHaveBeenCalledWith('fragment not kept:', expect.any(Error))
    expect(renderToString(tree(null))).toBe('<div><b>part</b></div>')
  })
})
