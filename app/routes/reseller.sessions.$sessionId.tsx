import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { MarkupFields } from '#app/components/markup-fields'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { formatMoney, type Currency } from '#app/domain/money'
import { parseYuan, RetailPriceViolationError } from '#app/domain/retail-pricing'
import { ForwardSchema, markupFromFields, readForwardForm } from '#app/schemas/reseller'
import { ForwardSelectionError, forwardItems, previewPrices, SessionNotForwardableError, sessionPricingPage } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse, UUID } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('reseller.dashboard.pick')) }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const page = await sessionPricingPage(getDb(), user, params.sessionId!, new Date())
  invariantResponse(page)
  return json(page)
}

type ActionError = 'nothingSelected' | 'badPrice' | 'markup' | 'ended' | 'tooMany' | 'selection'

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const raw = readForwardForm(await request.formData())
  const parsed = ForwardSchema.safeParse(raw)
  const fail = (error: ActionError, status: number) => json({ error, preview: null, violations: null }, { status })
  if (!parsed.success) return fail(parsed.error.issues.some((i) => i.path[0] === 'item') ? 'selection' : 'markup', 400)
  if (!parsed.data.item.length) return fail('nothingSelected', 400)
  const rule = markupFromFields(parsed.data)
  if (rule === 'invalid') return fail('markup', 400)
  const prices = new Map<string, number>()
  for (const id of parsed.data.item) {
    const text = raw.prices.get(id)
    if (text == null) continue
    const fen = parseYuan(text)
    if (fen == null || fen <= 0) return fail('badPrice', 400)
    prices.set(id, fen)
  }
  const { intent } = parsed.data
  const input = { sessionId: params.sessionId!, itemIds: parsed.data.item, raiseToFloor: parsed.data.raiseToFloor === 'on', now: new Date() }
  try {
    if (intent === 'preview') {
      // A markup asked for in the preview replaces typed prices; without one, typed prices are checked.
      const lines = await previewPrices(getDb(), user, { ...input, prices: rule ? new Map() : prices, rule })
      return json({ error: null, preview: lines, violations: null })
    }
    const links = await forwardItems(getDb(), user, { ...input, prices, rule, mode: intent })
    return redirect(links.length === 1 ? `/reseller/links/${links[0].id}` : '/reseller')
  } catch (e) {
    if (e instanceof RetailPriceViolationError) return json({ error: null, preview: null, violations: e.violations }, { status: 422 })
    if (e instanceof SessionNotForwardableError) return fail('ended', 409)
    if (e instanceof ForwardSelectionError) return fail(e.details.max ? 'tooMany' : 'selection', 422)
    throw e
  }
}

export default function ForwardSession() {
  const { session, items, defaultMarkup } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t, i18n } = useTranslation()
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency: 'CNY' as Currency }, i18n.language)
  const preview = new Map((result?.preview ?? []).map((l) => [l.itemId, l]))
  const selected = new Set([...(result?.preview ?? []).map((l) => l.itemId), ...(result?.violations ?? []).map((v) => v.itemId)])
  const violationText = (v: { title: string; priceMinor: number; floor: string; floorMinor: number }) =>
    t('reseller.session.violation', { title: v.title, price: money(v.priceMinor), floor: t(v.floor === 'min_retail' ? 'reseller.session.floorMin' : 'reseller.session.floorOwn'), floorPrice: money(v.floorMinor) })
  const previewKey = result?.preview ? result.preview.map((l) => `${l.itemId}:${l.retailPriceMinor}`).join(',') : 'initial'
  return (
    <div className="page reseller-page">
      <p><Link to="/reseller">← {t('reseller.session.back')}</Link></p>
      <h1>{t('reseller.session.title', { title: pick(i18n.language, session.title, session.titleEn) })}</h1>
      <p>
        <span className={`phase phase-${session.phase}`}>{t(`session.phase.${session.phase}` as 'session.phase.live')}</span>{' '}
        {session.phase !== 'ended' && <Countdown to={session.phase === 'live' ? session.endsAt : session.startsAt} label={t(session.phase === 'live' ? 'home.endsIn' : 'home.startsIn')} />}
      </p>
      {defaultMarkup && <p className="muted">{t('reseller.session.defaultApplied')}</p>}
      <Form method="post" className="forward-form" key={previewKey}>
        {result?.error && <p className="form-error" role="alert">{t(`reseller.session.${result.error === 'selection' ? 'nothingSelected' : result.error}` as 'reseller.session.ended')}</p>}
        {result?.violations?.length ? (
          <ul className="form-error" role="alert" data-testid="violations">{result.violations.map((v) => <li key={v.itemId}>{violationText(v)}</li>)}</ul>
        ) : null}
        <fieldset className="markup-box">
          <legend>{t('reseller.session.applyMarkup')}</legend>
          <MarkupFields initial={defaultMarkup} />
          <label className="check"><input type="checkbox" name="raiseToFloor" defaultChecked /> {t('reseller.session.raiseToFloor')}</label>
          <button type="submit" name="intent" value="preview" className="button">{t('reseller.session.preview')}</button>
        </fieldset>
        {result?.preview && (
          <section className="preview" data-testid="preview" aria-label={t('reseller.session.previewTitle')}>
            <h2>{t('reseller.session.previewTitle')}</h2>
            <ul>
              {result.preview.map((l) => (
                <li key={l.itemId} className={l.violation ? 'bad' : 'ok'}>
                  <span>{l.title}</span> <strong data-testid="preview-price">{money(l.retailPriceMinor)}</strong>{' '}
                  <span>{l.violation ? violationText(l.violation) : l.raised ? t('reseller.session.raised') : t('reseller.session.ok')}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        <table className="forward-table">
          <thead>
            <tr>
              <th>{t('reseller.session.select')}</th><th></th><th>{t('reseller.dashboard.items')}</th>
              <th>{t('reseller.session.ownPrice')}</th><th>{t('reseller.session.minRetail')}</th><th>{t('reseller.session.retail')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const p = preview.get(item.id)
              const value = p ? p.retailPriceMinor : item.suggestedRetailMinor
              return (
                <tr key={item.id} data-testid="forward-row">
                  <td><input type="checkbox" name="item" value={item.id} defaultChecked={selected.has(item.id)} aria-label={`${t('reseller.session.select')} ${item.title}`} /></td>
                  <td><img src={`/art/product/${encodeURIComponent(item.imageSeed)}`} alt="" width={45} height={60} /></td>
                  <td>
                    {pick(i18n.language, item.title, item.titleEn)}
                    {item.tagCut && <span className="pill">{t('reseller.session.tagCut')}</span>}
                    {item.soldOut && <span className="pill muted">{t('reseller.session.soldOut')}</span>}
                  </td>
                  <td><Price minor={item.ownPriceMinor} currency={item.currency} /></td>
                  <td>{item.minRetailPriceMinor != null ? <Price minor={item.minRetailPriceMinor} currency={item.currency} /> : '—'}</td>
                  <td>
                    <input name={`price_${item.id}`} defaultValue={value != null ? (value / 100).toFixed(2) : ''} inputMode="decimal" size={9}
                      aria-label={`${t('reseller.session.retail')} ${item.title}`} />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <div className="forward-actions">
          <button type="submit" name="intent" value="single" className="button" disabled={navigation.state !== 'idle'}>{t('reseller.session.forwardSingle')}</button>
          <button type="submit" name="intent" value="list" className="button primary" disabled={navigation.state !== 'idle'}>{t('reseller.session.forwardList')}</button>
        </div>
      </Form>
    </div>
  )
}
