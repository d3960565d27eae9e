import { createHash, randomBytes } from 'node:crypto'
import type { ReactElement } from 'react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import type { i18n as I18n } from 'i18next'
import { LRUCache } from 'lru-cache'
import type { RenderFragment } from '#app/components/server-fragments'

// Rendered HTML of page parts that many requests share (app/components/server-fragments.tsx), keyed by a hash of
// the language and the part's own key, which names its data: a change of data is a new key, never a stale entry.
// Bounded by size; entries unused for a minute go.
const kept = new LRUCache<string, string>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (html) => html.length * 2 + 64,
  ttl: 60_000,
  updateAgeOnGet: true,
})
let renders = 0

/** The fragments of one page's render (the provider's `render`), and the page completed with those not kept yet. */
export interface PageFragments {
  render: RenderFragment
  /**
   * The page's markup with every part that was not kept rendered in its place (and kept), or null when one failed
   * to render alone: the page is then rendered again without fragments.
   */
  fill(page: string): string | null
}

// A part not kept yet is rendered after the page, not inside its render: the page's renderer keeps its render state
// (hooks, context values) in its module, and a render started in the middle of a component would share it. Its
// place holds a comment no page can contain otherwise (a token of this process) until then.
const MARK = `<!--part-${randomBytes(9).toString('base64url')}-`

/** The fragment renderer of one request: its language's i18n instance wraps every part it renders. */
export function fragmentsFor(i18n: I18n): PageFragments {
  const missing: { id: string; mark: string; element: ReactElement }[] = []
  return {
    render(key, render) {
      const id = createHash('sha1').update(i18n.language).update('\u0000').update(key).digest('base64')
      const html = kept.get(id)
      if (html !== undefined) return html
      const mark = `${MARK}${missing.length}-->`
      missing.push({ id, mark, element: render() })
      return mark
    },
    fill(page) {
      for (const part of missing) {
        const html = renderFragment(i18n, part.element)
        if (html === undefined) return null
        renders++
        kept.set(part.id, html)
        page = page.replace(part.mark, () => html)
      }
      return page
    },
  }
}

/** A part that fails to render alone is left to the page. */
function renderFragment(i18n: I18n, element: ReactElement): string | undefined {
  try {
    return renderToString(<I18nextProvider i18n={i18n}>{element}</I18nextProvider>)
  } catch (error) {
    console.error('fragment not kept:', error)
    return undefined
  }
}

/** How many fragments were rendered (not reused) since start, and how many are kept: tests and benchmarks. */
export function fragmentStats() {
  return { renders, kept: kept.size }
}

export function forgetFragments() {
  kept.clear()
}
