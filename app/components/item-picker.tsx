import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { BagItem, BagLine, BagOption } from './customer-bag'
import { optionLabel } from './option-label'

// Loaded when a customer opens the picker sheet (offer-sheet.tsx), not with the page.

function eachSizeOnce<O extends { size: string; inStock: boolean }>(options: O[]): O[] {
  const bySize = new Map<string, O>()
  for (const o of options) {
    const seen = bySize.get(o.size)
    if (!seen || (!seen.inStock && o.inStock)) bySize.set(o.size, o)
  }
  return [...bySize.values()]
}

/** The colour / size / quantity picker of one item. */
export default function ItemPicker({
  item,
  options,
  onAdd,
}: {
  item: BagItem
  options: BagOption[]
  onAdd: (line: BagLine) => void
}) {
  const { t, i18n } = useTranslation()
  const colours = [...new Set(options.map((o) => o.colour))]
  const [colour, setColour] = useState(colours.length === 1 ? colours[0]! : '')
  const [size, setSize] = useState('')
  const [quantity, setQuantity] = useState(1)
  const [added, setAdded] = useState(false)
  // Before a colour is chosen each size shows once; tapping it picks the first colour that has it in stock, which
  // the colour chips then show (and she can change).
  const sizes = colour ? options.filter((o) => o.colour === colour) : eachSizeOnce(options)
  const chosen = options.find((o) => o.colour === colour && o.size === size)
  const max = Math.min(item.cap ?? 20, 20)
  return (
    <div className="bag-picker" data-testid="bag-picker">
      {colours.length > 1 && (
        <fieldset className="chips">
          <legend>{t('customerOrders.bag.colour')}</legend>
          {colours.map((c) => (
            <button
              key={c}
              type="button"
              className={`chip${c === colour ? ' on' : ''}`}
              aria-pressed={c === colour}
              onClick={() => {
                setColour(c)
                setSize('')
              }}
            >
              {optionLabel(i18n.language, c, options.find((o) => o.colour === c)?.colourEn)}
            </button>
          ))}
        </fieldset>
      )}
      <fieldset className="chips">
        <legend>{t('customerOrders.bag.size')}</legend>
        {sizes.map((o) => (
          <button
            key={o.skuId}
            type="button"
            className={`chip${o.size === size && (!colour || o.colour === colour) ? ' on' : ''}`}
            disabled={!o.inStock}
            aria-pressed={o.size === size}
            onClick={() => {
              setSize(o.size)
              if (!colour) setColour(o.colour)
            }}
          >
            {optionLabel(i18n.language, o.size, o.sizeEn)}
            {!o.inStock && ` · ${t('customerOrders.bag.soldOut')}`}
          </button>
        ))}
      </fieldset>
      <div className="bag-picker-row">
        <label>
          {t('customerOrders.bag.quantity')}{' '}
          <select value={quantity} onChange={(e) => setQuantity(Number(e.target.value))}>
            {Array.from({ length: max }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button primary"
          disabled={!chosen?.inStock}
          onClick={() => {
            if (chosen) {
              const { skuId, colour, size, colourEn, sizeEn } = chosen
              onAdd({ skuId, quantity, itemId: item.id, option: { colour, size, colourEn, sizeEn } })
              setAdded(true)
            }
          }}
        >
          {t('customerOrders.bag.add')}
        </button>
      </div>
      {item.cap !== null && <p className="muted small">{t('customerOrders.bag.capNote', { cap: item.cap })}</p>}
      {!chosen && <p className="muted small">{t('customerOrders.bag.choose')}</p>}
      {added && (
        <p className="ok small" role="status">
          {t('customerOrders.bag.added')}
        </p>
      )}
    </div>
  )
}
