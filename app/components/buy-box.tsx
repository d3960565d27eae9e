import type { SubmissionResult } from '@conform-to/react'
import { FieldErrors, FormErrors, replyErrors } from './form-errors'
import { Link, useFetcher } from '@remix-run/react'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StockState } from '#app/domain/stock'
import { StockBadge } from './stock-badge'
import { SubmitButton } from './submit-button'
import { useStockPoll } from './use-stock-poll'
import { optionLabel } from './option-label'

export interface BuyBoxData {
  sessionId: string
  live: boolean
  priceMinor: number | null
  currency: string
  cap: number | null
  options: { id: string; size: string; colour: string; sizeEn: string; colourEn: string; stock: StockState }[]
}

/**
 * Colour and size pickers, live stock and add-to-cart; the member's own price is in the page's price box above.
 * `stockOf` is the page's one source of each option's state (the loader's, replaced by each live refresh).
 */
export function BuyBox({
  buy,
  role,
  stockOf,
}: {
  buy: BuyBoxData
  role: string | null
  stockOf: (id: string) => StockState
}) {
  const { t, i18n } = useTranslation()
  const fetcher = useFetcher<{
    ok?: boolean
    remaining?: number | null
    result?: SubmissionResult<string[]>
    formError?: object
  }>()
  const colours = useMemo(() => [...new Set(buy.options.map((o) => o.colour))], [buy.options])
  const [colour, setColour] = useState(colours[0])
  const sizes = buy.options.filter((o) => o.colour === colour)
  const [optionId, setOptionId] = useState<string | undefined>(
    sizes.find((o) => o.stock.kind !== 'sold_out')?.id ?? sizes[0]?.id,
  )
  const selected = buy.options.find((o) => o.id === optionId && o.colour === colour)
  return (
    <section className="buy-box" aria-label={t('orders.buy.addToCart')}>
      <fieldset className="picker">
        <legend>{t('orders.buy.colour')}</legend>
        {colours.map((c) => (
          <label key={c} className={c === colour ? 'chip on' : 'chip'}>
            <input
              type="radio"
              name="colour"
              value={c}
              checked={c === colour}
              onChange={() => {
                setColour(c)
                setOptionId(
                  buy.options.find((o) => o.colour === c && stockOf(o.id).kind !== 'sold_out')?.id ??
                    buy.options.find((o) => o.colour === c)?.id,
                )
              }}
            />
            {optionLabel(i18n.language, c, buy.options.find((o) => o.colour === c)?.colourEn)}
          </label>
        ))}
      </fieldset>
      <fieldset className="picker">
        <legend>{t('orders.buy.size')}</legend>
        {sizes.map((o) => (
          <label
            key={o.id}
            className={`chip${o.id === optionId ? ' on' : ''}${stockOf(o.id).kind === 'sold_out' ? ' out' : ''}`}
          >
            <input
              type="radio"
              name="size"
              value={o.id}
              checked={o.id === optionId}
              onChange={() => setOptionId(o.id)}
            />
            {optionLabel(i18n.language, o.size, o.sizeEn)}
          </label>
        ))}
      </fieldset>
      {selected && (
        <p className="buy-stock" data-testid="buy-stock">
          <StockBadge stock={stockOf(selected.id)} />
        </p>
      )}
      {buy.cap && <p className="muted">{t('orders.buy.capNote', { cap: buy.cap })}</p>}
      {!buy.live ? (
        <p className="muted">{t('orders.buy.notLive')}</p>
      ) : role === null ? (
        <p className="muted">{t('orders.buy.signIn')}</p>
      ) : role !== 'member' ? (
        <p className="muted">{t('orders.buy.onlyMembers')}</p>
      ) : (
        <fetcher.Form method="post" action="/cart" className="add-to-cart">
          <input type="hidden" name="sessionItemSkuId" value={selected?.id ?? ''} />
          {/* On phones the quantity and the buttons are a bar fixed to the bottom of the screen. */}
          <div className="action-bar sticky buy-bar">
            <input
              type="number"
              name="quantity"
              defaultValue={1}
              min={1}
              max={buy.cap ?? 99}
              className="qty"
              aria-label={t('orders.buy.quantity')}
            />
            <SubmitButton
              name="intent"
              value="add-to-cart"
              className="button primary"
              busy={fetcher.state !== 'idle' && fetcher.formData?.get('intent') === 'add-to-cart'}
              disabled={!selected || stockOf(selected.id).kind === 'sold_out' || fetcher.state !== 'idle'}
            >
              {t('orders.buy.addToCart')}
            </SubmitButton>
            <SubmitButton
              name="intent"
              value="buy-now"
              className="button buy-now"
              busy={fetcher.state !== 'idle' && fetcher.formData?.get('intent') === 'buy-now'}
              disabled={!selected || stockOf(selected.id).kind === 'sold_out' || fetcher.state !== 'idle'}
            >
              {t('phone.buy.buyNow')}
            </SubmitButton>
            <Link to={`/reseller/sessions/${buy.sessionId}`} className="button forward">
              {t('phone.buy.forward')}
            </Link>
          </div>
          {fetcher.data?.ok && (
            <p className="ok" role="status">
              {t('orders.buy.added')}
              {typeof fetcher.data.remaining === 'number' && (
                <> · {t('orders.buy.capLeft', { count: fetcher.data.remaining })}</>
              )}{' '}
              · <Link to="/cart">{t('orders.buy.viewCart')}</Link>
            </p>
          )}
          <FormErrors form={replyErrors(fetcher.data?.result)} values={fetcher.data?.formError} />
          <FieldErrors field={replyErrors(fetcher.data?.result, 'quantity')} />
        </fetcher.Form>
      )}
    </section>
  )
}

/** The state of each buy-box option: the live refresh's when there is one, else the loader's. */
export function useBuyBoxStock(buy: BuyBoxData | null): (id: string) => StockState {
  const poll = useStockPoll(buy?.sessionId)
  return (id: string) => poll?.skus[id] ?? buy?.options.find((o) => o.id === id)?.stock ?? { kind: 'sold_out' }
}
