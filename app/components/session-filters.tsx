import { useMemo, useState } from 'react'
import type { StockState } from '#app/domain/stock'
import { BottomSheet } from './bottom-sheet'
import { useFastTranslation } from './use-fast-translation'

type Sort = 'default' | 'price_asc' | 'price_desc' | 'discount'
interface Filterable {
  id: string
  category: string
  priceMinor: number | null
  tagPriceMinor: number | null
  stock: StockState
}

/**
 * Narrowing a session's items (all already on the page) by category and stock, and sorting them: in a bottom sheet on
 * phones, above the grid on wide screens. Filtering happens in the browser; the grid shows every item without it.
 */
export function useSessionFilters<T extends Filterable>(items: T[]) {
  const [category, setCategory] = useState<string | null>(null)
  const [inStock, setInStock] = useState(false)
  const [sort, setSort] = useState<Sort>('default')
  const shown = useMemo(() => {
    const kept = items.filter(
      (i) => (!category || i.category === category) && (!inStock || i.stock.kind !== 'sold_out'),
    )
    if (sort === 'default') return kept
    const price = (i: T) => i.priceMinor ?? Number.MAX_SAFE_INTEGER
    const off = (i: T) => (i.priceMinor !== null && i.tagPriceMinor ? i.priceMinor / i.tagPriceMinor : 1)
    return [...kept].sort((a, b) =>
      sort === 'price_asc' ? price(a) - price(b) : sort === 'price_desc' ? price(b) - price(a) : off(a) - off(b),
    )
  }, [items, category, inStock, sort])
  const active = (category ? 1 : 0) + (inStock ? 1 : 0) + (sort !== 'default' ? 1 : 0)
  return {
    shown,
    panel: { items, category, setCategory, inStock, setInStock, sort, setSort, active, shownCount: shown.length },
  }
}

type Panel = ReturnType<typeof useSessionFilters>['panel']

export function SessionFilters({ panel, pricesVisible }: { panel: Panel; pricesVisible: boolean }) {
  const { t } = useFastTranslation()
  const categories = [...new Set(panel.items.map((i) => i.category))]
  const sorts: Sort[] = pricesVisible ? ['default', 'price_asc', 'price_desc', 'discount'] : ['default']
  const chip = (on: boolean, label: string, onClick: () => void, key: string) => (
    <button key={key} type="button" className={`filter-chip${on ? ' on' : ''}`} aria-pressed={on} onClick={onClick}>
      {label}
    </button>
  )
  return (
    <div className="session-filters">
      <BottomSheet
        id="session-filters"
        title={t('phone.sheet.sortAndFilter')}
        toggleLabel={panel.active ? t('phone.sheet.filtersCount', { count: panel.active }) : t('phone.sheet.filters')}
      >
        <fieldset className="filter-group">
          <legend>{t('phone.session.category')}</legend>
          {chip(panel.category === null, t('phone.sheet.all'), () => panel.setCategory(null), 'all')}
          {categories.map((c) =>
            chip(panel.category === c, t(`categories.${c}` as 'categories.womens'), () => panel.setCategory(c), c),
          )}
        </fieldset>
        <fieldset className="filter-group">
          <legend>{t('product.stock')}</legend>
          {chip(panel.inStock, t('phone.session.inStockOnly'), () => panel.setInStock(!panel.inStock), 'in')}
        </fieldset>
        {sorts.length > 1 && (
          <fieldset className="filter-group">
            <legend>{t('phone.session.sort')}</legend>
            {sorts.map((s) =>
              chip(
                panel.sort === s,
                t(
                  `phone.session.${s === 'default' ? 'sortDefault' : s === 'price_asc' ? 'priceAsc' : s === 'price_desc' ? 'priceDesc' : 'discount'}`,
                ),
                () => panel.setSort(s),
                s,
              ),
            )}
          </fieldset>
        )}
        <a
          href="#"
          role="button"
          className="button primary sheet-done"
          onClick={(e) => {
            e.preventDefault()
            ;(e.currentTarget.closest('.sheet')?.querySelector('.sheet-close') as HTMLElement | null)?.click()
          }}
        >
          {t('phone.sheet.show', { count: panel.shownCount })}
        </a>
      </BottomSheet>
      <p className="muted shown-count" aria-live="polite">
        {t('phone.session.shown', { shown: panel.shownCount, total: panel.items.length })}
      </p>
    </div>
  )
}
