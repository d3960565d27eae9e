import { lazy, startTransition, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { BagRow, CheckoutResult } from './bag-checkout'
import { Price } from './price'

/** An item of her page as the bag shows it: its price is the page's, read per render, never kept in the bag. */
export interface BagItem {
  id: string
  title: string
  titleEn: string
  priceMinor: number
  currency: string
  cap: number | null
}

/** A colour and size of an item, as the picker fetches them when it opens (not carried by the page). */
export interface BagOption {
  skuId: string
  colour: string
  size: string
  colourEn: string
  sizeEn: string
  inStock: boolean
}

/** A line of the bag: the SKU, and which item and option it is, so the bag shows it without the item's options. */
export interface BagLine {
  skuId: string
  quantity: number
  itemId: string
  option: Pick<BagOption, 'colour' | 'size' | 'colourEn' | 'sizeEn'>
}

const isLine = (l: Partial<BagLine> | null): l is BagLine =>
  typeof l?.skuId === 'string' &&
  typeof l.itemId === 'string' &&
  typeof l.quantity === 'number' &&
  typeof l.option?.colour === 'string' &&
  typeof l.option.size === 'string'

// The open bag (lines and checkout form) is its own chunk: a page's first screen shows only the bar.
const loadCheckout = () => import('./bag-checkout')
const BagCheckout = lazy(loadCheckout)

/**
 * The bag, kept in this browser per page. A checkout that was sent marks it; the checkout's answer unmarks it when it
 * was refused (the page stays), and a bag still marked when the page is opened again was ordered: it starts empty.
 */
export function useBag(storageKey: string) {
  const [lines, setLines] = useState<BagLine[]>([])
  const sentKey = `${storageKey}:sent`
  useEffect(() => {
    try {
      if (sessionStorage.getItem(sentKey)) {
        sessionStorage.removeItem(sentKey)
        sessionStorage.removeItem(storageKey)
      }
      // Only a bag that holds something renders again, and as a transition: the page's cards (a shop lists every
      // item) re-render in slices rather than in one long task right after hydration.
      // A line kept in another shape (an older page's) is dropped rather than shown wrong.
      const stored = (JSON.parse(sessionStorage.getItem(storageKey) ?? '[]') as Partial<BagLine>[]).filter(isLine)
      if (stored.length) startTransition(() => setLines(stored))
      else setLines((lines) => (lines.length ? [] : lines))
    } catch {
      /* an unreadable bag starts empty */
    }
  }, [storageKey, sentKey])
  const sent = useCallback(() => store(sentKey, '1'), [sentKey])
  const refused = useCallback(() => store(sentKey, null), [sentKey])
  const save = (next: BagLine[]) => {
    setLines(next)
    store(storageKey, JSON.stringify(next))
  }
  return {
    lines,
    add: (l: BagLine) => {
      const found = lines.find((x) => x.skuId === l.skuId)
      save(
        found
          ? lines.map((x) => (x.skuId === l.skuId ? { ...x, quantity: Math.min(99, x.quantity + l.quantity) } : x))
          : [...lines, l],
      )
    },
    remove: (skuId: string) => save(lines.filter((x) => x.skuId !== skuId)),
    sent,
    refused,
  }
}

function store(key: string, value: string | null) {
  try {
    if (value === null) sessionStorage.removeItem(key)
    else sessionStorage.setItem(key, value)
  } catch {
    /* private mode: the bag lives in memory only */
  }
}

/**
 * The bag for the storefront's `bag` slot: a bar fixed to the bottom of the screen (units, total, checkout) that
 * opens into the bag's lines and the no-account checkout form. It opens by itself when the checkout was refused.
 */
export function CustomerBag({
  items,
  bag,
  result,
}: {
  items: BagItem[]
  bag: ReturnType<typeof useBag>
  result: unknown
}) {
  const { t } = useTranslation()
  // Open at once when the page is the checkout's answer (with or without JavaScript, the messages are in place).
  const [open, setOpen] = useState(result != null)
  const [idempotencyKey, setKey] = useState('')
  useEffect(() => setKey(crypto.randomUUID()), [])
  const answer = (result ?? undefined) as CheckoutResult | undefined
  const { refused } = bag
  useEffect(() => {
    if (!answer) return
    setOpen(true)
    refused()
  }, [answer, refused])
  // Something in the bag: the checkout is likely next, so its chunk is fetched now rather than on the tap.
  const hasLines = bag.lines.length > 0
  useEffect(() => {
    if (hasLines) void loadCheckout()
  }, [hasLines])
  const rows: BagRow[] = useMemo(
    () =>
      bag.lines.flatMap((l) => {
        // A line of an item the page no longer offers (ended, removed, no longer buyable) is not shown or sent.
        const item = items.find((i) => i.id === l.itemId)
        return item ? [{ ...l, item }] : []
      }),
    [bag.lines, items],
  )
  const total = rows.reduce((s, r) => s + r.item.priceMinor * r.quantity, 0)
  const units = rows.reduce((s, r) => s + r.quantity, 0)
  const currency = rows[0]?.item.currency ?? items[0]?.currency ?? 'CNY'
  return (
    <section className="bag" id="bag" aria-labelledby="bag-title" data-testid="bag">
      {open && (
        <Suspense fallback={<div className="bag-sheet" aria-busy="true" />}>
          <BagCheckout rows={rows} bag={bag} answer={answer} idempotencyKey={idempotencyKey} />
        </Suspense>
      )}
      <div className="bag-bar">
        <span className="bag-total" data-testid="bag-total">
          {t('customerOrders.bag.units', { count: units })} ·{' '}
          <Price minor={total} currency={currency} className="price" />
        </span>
        <button
          type="button"
          className="button primary"
          aria-expanded={open}
          aria-controls="bag"
          onClick={() => setOpen(!open)}
        >
          {open ? t('customerOrders.bag.close') : t('customerOrders.bag.checkout')}
        </button>
      </div>
    </section>
  )
}
