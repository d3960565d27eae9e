import { lazy, Suspense, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { BagItem, BagLine, BagOption, useBag } from './customer-bag'
import { pick } from './pick'
import { Price } from './price'
import { productImageUrl } from '#app/utils/images'

// The picker is its own chunk, fetched when a customer first opens the sheet (or presses on a 选购 button).
const loadPicker = () => import('./item-picker')
const ItemPicker = lazy(loadPicker)

/** Starts fetching the picker's chunk: pages call it when a 选购 button is pressed, before the click opens it. */
export function preloadPicker() {
  void loadPicker()
}

export interface SheetItem extends BagItem {
  imageSeed: string
  imagePath?: string | null
}

// An item's colours and sizes come from the page's resource route when the sheet opens (or a 选购 is pressed):
// the page itself does not carry them. One request per address at a time; the answer may be a second old at most
// (its Cache-Control), so a later opening asks again and sees today's stock states.
const asked = new Map<string, Promise<BagOption[]>>()
function fetchOptions(url: string): Promise<BagOption[]> {
  let answer = asked.get(url)
  if (!answer) {
    answer = fetch(url, { headers: { Accept: 'application/json' } }).then(async (r) => {
      if (!r.ok) throw new Error(`${url}: ${r.status}`)
      return ((await r.json()) as { options: BagOption[] }).options
    })
    asked.set(url, answer)
    const forget = () => asked.delete(url)
    answer.then(forget, forget)
  }
  return answer
}

/**
 * The one colour / size / quantity picker of a reseller's page, in a sheet that slides up from the bottom when her
 * customer taps 选购 on a card. A modal `<dialog>`: the page behind is inert, Escape, the backdrop and 关闭 close it,
 * and focus returns to the card. Adding to the bag closes it and says so above the bag bar.
 */
export function useOfferSheet(bag: ReturnType<typeof useBag>, optionsPath: string) {
  const [item, setItem] = useState<SheetItem | null>(null)
  const [added, setAdded] = useState<{ title: string; at: number } | null>(null)
  const opener = useRef<HTMLElement | null>(null)
  const open = (next: SheetItem) => {
    opener.current = document.activeElement as HTMLElement | null
    setItem(next)
  }
  const close = () => {
    setItem(null)
    opener.current?.focus()
  }
  // Fetched while the page is idle, so the first tap opens a complete sheet.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 2000))
    idle(preloadPicker)
  }, [])
  useEffect(() => {
    if (!added) return
    const timer = setTimeout(() => setAdded(null), 3000)
    return () => clearTimeout(timer)
  }, [added])
  const sheet = (
    <OfferSheet
      item={item}
      optionsPath={optionsPath}
      onClose={close}
      onAdd={(line, title) => {
        bag.add(line)
        setAdded({ title, at: Date.now() })
        close()
      }}
      added={added?.title ?? null}
    />
  )
  /** Starts fetching an item's options (and the picker): a 选购 button calls it when pressed, before the click. */
  const prepare = (itemId: string) => {
    preloadPicker()
    fetchOptions(`${optionsPath}/${itemId}`).catch(() => {})
  }
  return { open, prepare, sheet }
}

function OfferSheet({
  item,
  optionsPath,
  onClose,
  onAdd,
  added,
}: {
  item: SheetItem | null
  optionsPath: string
  onClose: () => void
  onAdd: (line: BagLine, title: string) => void
  added: string | null
}) {
  const { t, i18n } = useTranslation()
  const dialog = useRef<HTMLDialogElement>(null)
  // The open item's options: null while they are asked for, 'failed' when they could not be had.
  const [options, setOptions] = useState<{ itemId: string; options: BagOption[] | 'failed' } | null>(null)
  const [attempt, setAttempt] = useState(0)
  const itemId = item?.id
  useEffect(() => {
    if (!itemId) return
    let current = true
    fetchOptions(`${optionsPath}/${itemId}`).then(
      (found) => current && setOptions({ itemId, options: found }),
      () => current && setOptions({ itemId, options: 'failed' }),
    )
    return () => {
      current = false
    }
  }, [itemId, optionsPath, attempt])
  const shown = options && options.itemId === itemId ? options.options : null
  useEffect(() => {
    const d = dialog.current
    if (!d) return
    if (item && !d.open) d.showModal()
    if (!item && d.open) d.close()
  }, [item])
  const title = item ? pick(i18n.language, item.title, item.titleEn) : ''
  return (
    <>
      <dialog
        ref={dialog}
        className="offer-sheet"
        aria-labelledby="offer-sheet-title"
        data-testid="offer-sheet"
        onClose={() => item && onClose()}
        // A tap on the backdrop lands on the dialog element itself (its content is in an inner box).
        onClick={(e) => e.target === e.currentTarget && onClose()}
      >
        {item && (
          <div className="offer-sheet-box">
            <div className="offer-sheet-head">
              <img src={productImageUrl(item, true)} alt="" width={72} height={96} />
              <div>
                <h2 id="offer-sheet-title">{title}</h2>
                <Price minor={item.priceMinor} currency={item.currency} className="price big" />
              </div>
              <button type="button" className="button offer-sheet-close" onClick={onClose}>
                {t('shop.public.pickerClose')}
              </button>
            </div>
            {shown === 'failed' ? (
              <p className="form-error" role="alert">
                {t('customerOrders.bag.optionsFailed')}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setOptions(null)
                    setAttempt((n) => n + 1)
                  }}
                >
                  {t('customerOrders.bag.retry')}
                </button>
              </p>
            ) : shown ? (
              // A new picker per item: its choices start empty.
              <Suspense fallback={<div className="bag-picker" aria-busy="true" />}>
                <ItemPicker key={item.id} item={item} options={shown} onAdd={(line) => onAdd(line, title)} />
              </Suspense>
            ) : (
              <div className="bag-picker" aria-busy="true" />
            )}
          </div>
        )}
      </dialog>
      <p className={`offer-added${added ? ' shown' : ''}`} role="status" data-testid="offer-added">
        {added ? t('shop.public.added', { item: added }) : ''}
      </p>
    </>
  )
}
