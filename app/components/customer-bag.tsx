import type { SubmissionResult } from '@conform-to/react'
import { startTransition, useCallback, useEffect, useMemo, useState } from 'react'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AddressFields } from './address-fields'
import { optionLabel } from './option-label'
import { pick } from './pick'
import { Price } from './price'
import { FieldErrors, FormErrors, replyErrors } from './form-errors'

export interface BagItem {
  id: string
  title: string
  titleEn: string
  priceMinor: number
  currency: string
  cap: number | null
  options: { skuId: string; colour: string; size: string; colourEn: string; sizeEn: string; inStock: boolean }[]
}

interface BagLine {
  skuId: string
  quantity: number
}

type Errors = Record<string, string[] | undefined>

function eachSizeOnce<O extends { size: string; inStock: boolean }>(options: O[]): O[] {
  const bySize = new Map<string, O>()
  for (const o of options) {
    const seen = bySize.get(o.size)
    if (!seen || (!seen.inStock && o.inStock)) bySize.set(o.size, o)
  }
  return [...bySize.values()]
}

/** The colour / size / quantity picker under one item. */
export function ItemPicker({ item, onAdd }: { item: BagItem; onAdd: (line: BagLine) => void }) {
  const { t, i18n } = useTranslation()
  const colours = [...new Set(item.options.map((o) => o.colour))]
  const [colour, setColour] = useState(colours.length === 1 ? colours[0]! : '')
  const [size, setSize] = useState('')
  const [quantity, setQuantity] = useState(1)
  const [added, setAdded] = useState(false)
  // Before a colour is chosen each size shows once; tapping it picks the first colour that has it in stock, which
  // the colour chips then show (and she can change).
  const sizes = colour ? item.options.filter((o) => o.colour === colour) : eachSizeOnce(item.options)
  const chosen = item.options.find((o) => o.colour === colour && o.size === size)
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
              {optionLabel(i18n.language, c, item.options.find((o) => o.colour === c)?.colourEn)}
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
              onAdd({ skuId: chosen.skuId, quantity })
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
      const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? '[]') as BagLine[]
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

// The order form's reply (the app's one form contract): the field messages, or a refusal naming its item.
type CheckoutResult = { result?: SubmissionResult<string[]>; formError?: { code: string; item?: string; cap?: number } }

/** The reply's field messages by field; a bag line's own (`line[2]`) count as the bag's. */
function fieldErrorsOf(result: SubmissionResult<string[]> | undefined): Errors {
  const errors: Errors = {}
  for (const [name, messages] of Object.entries(result?.error ?? {})) {
    const field = name.replace(/\[\d+\]$/, '')
    if (name && messages?.length) errors[field] ??= messages
  }
  return errors
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
  const { t, i18n } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  // Open at once when the page is the checkout's answer (with or without JavaScript, the messages are in place).
  const [open, setOpen] = useState(result != null)
  const [idempotencyKey, setKey] = useState('')
  useEffect(() => setKey(crypto.randomUUID()), [])
  const answer = (result ?? undefined) as CheckoutResult | undefined
  const { refused } = bag
  const errors = fieldErrorsOf(answer?.result)
  useEffect(() => {
    if (!answer) return
    setOpen(true)
    refused()
  }, [answer, refused])
  const rows = useMemo(
    () =>
      bag.lines.flatMap((l) => {
        const item = items.find((i) => i.options.some((o) => o.skuId === l.skuId))
        const option = item?.options.find((o) => o.skuId === l.skuId)
        return item && option ? [{ ...l, item, option }] : []
      }),
    [bag.lines, items],
  )
  const total = rows.reduce((s, r) => s + r.item.priceMinor * r.quantity, 0)
  const units = rows.reduce((s, r) => s + r.quantity, 0)
  const currency = rows[0]?.item.currency ?? items[0]?.currency ?? 'CNY'
  return (
    <section className="bag" id="bag" aria-labelledby="bag-title" data-testid="bag">
      {open && (
        <div className="bag-sheet" data-testid="bag-sheet">
          <h2 id="bag-title">{t('customerOrders.bag.title')}</h2>
          {rows.length === 0 ? (
            <p className="muted">{t('customerOrders.bag.empty')}</p>
          ) : (
            <ul className="bag-lines">
              {rows.map((r) => (
                <li key={r.skuId} data-testid="bag-line">
                  <span>
                    {pick(i18n.language, r.item.title, r.item.titleEn)} ·{' '}
                    {optionLabel(i18n.language, r.option.colour, r.option.colourEn)} /{' '}
                    {optionLabel(i18n.language, r.option.size, r.option.sizeEn)} × {r.quantity}
                  </span>
                  <Price minor={r.item.priceMinor * r.quantity} currency={r.item.currency} />
                  <button type="button" className="link-button" onClick={() => bag.remove(r.skuId)}>
                    {t('customerOrders.bag.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <Form method="post" className="bag-form" noValidate onSubmit={() => bag.sent()}>
            <h3>{t('customerOrders.form.title')}</h3>
            {rows.map((r) => (
              <input key={r.skuId} type="hidden" name="line" value={`${r.skuId}:${r.quantity}`} />
            ))}
            <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
            <FieldErrors field={{ errors: errors.line, errorId: 'bag-line-error' }} />
            <AddressFields idPrefix="bag" names={{ recipient: 'name', line: 'address' }} errors={errors} />
            <label htmlFor="bag-email">{t('customerOrders.form.email')}</label>
            <input
              id="bag-email"
              name="email"
              type="email"
              autoComplete="email"
              maxLength={254}
              aria-describedby={errors.email ? 'bag-email-error' : undefined}
            />
            <FieldErrors field={{ errors: errors.email, errorId: 'bag-email-error' }} />
            <FormErrors form={replyErrors(answer?.result, '')} values={answer?.formError} />
            <p className="muted small">{t('customerOrders.form.holdNote')}</p>
            <button type="submit" className="button primary" disabled={busy || rows.length === 0 || !idempotencyKey}>
              {t('customerOrders.form.submit')}
            </button>
          </Form>
        </div>
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
