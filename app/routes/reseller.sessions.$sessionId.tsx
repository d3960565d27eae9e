import { ForwardSelectionError, SessionNotForwardableError } from '#app/domain/forwarding-errors'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { MarkupFields } from '#app/components/markup-fields'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { formatMoney, type Currency } from '#app/domain/money'
import { parseYuan, RetailPriceViolationError } from '#app/domain/retail-pricing'
import { ForwardSchema, markupFromFields, readForwardForm } from '#app/schemas/reseller'
import { forwardItems, previewPrices, sessionPricingPage } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { invariantResponse, UUID } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { SubmitButton } from '#app/components/submit-button'
import { productImageUrl } from '#app/utils/images'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('reseller.dashboard.pick')) }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const page = await sessionPricingPage(getDb(), user, params.sessionId!, new Date())
  invariantResponse(page)
  return json(page)
}

type ActionError = 'nothingSelected' | 'badPrice' | 'markup' | 'ended' | 'tooMany' | 'selection'

/** What was on the form, sent back with every answer so a preview or a refusal never loses a field. */
interface FormEcho {
  selected: string[]
  prices: Record<string, string>
  typed: string[]
  markupKind: string
  markupValue: string
  rounding: string
  raiseToFloor: boolean
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const raw = readForwardForm(await request.formData())
  const field = (k: string) =>
    typeof (raw as Record<string, unknown>)[k] === 'string'
      ? String((raw as Record<string, unknown>)[k]).slice(0, 40)
      : ''
  const form: FormEcho = {
    selected: raw.item.slice(0, 200),
    prices: Object.fromEntries([...raw.prices].slice(0, 200).map(([k, v]) => [k, v.slice(0, 20)])),
    typed: [...raw.typed].slice(0, 200),
    markupKind: field('markupKind'),
    markupValue: field('markupValue'),
    rounding: field('rounding'),
    raiseToFloor: field('raiseToFloor') === 'on',
  }
  const parsed = ForwardSchema.safeParse(raw)
  const fail = (error: ActionError, status: number, badItems: string[] = []) =>
    json({ error, preview: null, violations: null, badItems, form }, { status })
  if (!parsed.success) return fail(parsed.error.issues.some((i) => i.path[0] === 'item') ? 'selection' : 'markup', 400)
  if (!parsed.data.item.length) return fail('nothingSelected', 400)
  const rule = markupFromFields(parsed.data)
  if (rule === 'invalid') return fail('markup', 400)
  const prices = new Map<string, number>()
  const badItems: string[] = []
  for (const id of parsed.data.item) {
    const text = raw.prices.get(id)
    if (text == null) continue
    const fen = parseYuan(text)
    if (fen == null || fen <= 0) badItems.push(id)
    else prices.set(id, fen)
  }
  if (badItems.length) return fail('badPrice', 400, badItems)
  const { intent } = parsed.data
  const input = {
    sessionId: params.sessionId!,
    itemIds: parsed.data.item,
    raiseToFloor: parsed.data.raiseToFloor === 'on',
    now: new Date(),
  }
  try {
    if (intent === 'preview') {
      // A markup asked for in the preview prices the items whose price she did not type; typed prices are kept and checked.
      const typed = rule ? new Map([...prices].filter(([id]) => raw.typed.has(id))) : prices
      const lines = await previewPrices(getDb(), user, { ...input, prices: typed, rule })
      return json({
        error: null,
        preview: lines.map((l) => ({ ...l, typed: typed.has(l.itemId) })),
        violations: null,
        badItems: [],
        form,
      })
    }
    const links = await forwardItems(getDb(), user, { ...input, prices, rule, mode: intent })
    return redirect(links.length === 1 ? `/reseller/links/${links[0].id}` : '/reseller')
  } catch (e) {
    if (e instanceof RetailPriceViolationError)
      return json({ error: null, preview: null, violations: e.violations, badItems: [], form }, { status: 422 })
    if (e instanceof SessionNotForwardableError) return fail('ended', 409)
    if (e instanceof ForwardSelectionError) return fail(e.details.max ? 'tooMany' : 'selection', 422)
    throw e
  }
}

const yuanText = (minor: number) => (minor / 100).toFixed(2)

export default function ForwardSession() {
  const { session, items, defaultMarkup } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t, i18n } = useTranslation()
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency: 'CNY' as Currency }, i18n.language)
  const echo = result?.form
  const preview = new Map((result?.preview ?? []).map((l) => [l.itemId, l]))
  const violations = new Map((result?.violations ?? []).map((v) => [v.itemId, v]))
  const badItems = new Set(result?.badItems ?? [])
  const selected = new Set(echo?.selected ?? [])
  const typed = new Set(echo?.typed ?? [])
  const violationText = (v: { title: string; priceMinor: number; floor: string; floorMinor: number }) =>
    t('reseller.session.violation', {
      title: v.title,
      price: money(v.priceMinor),
      floor: t(v.floor === 'min_retail' ? 'reseller.session.floorMin' : 'reseller.session.floorOwn'),
      floorPrice: money(v.floorMinor),
    })
  const rowError = (v: { floor: string; floorMinor: number }) =>
    t('shop.forward.rowError', {
      floor: t(v.floor === 'min_retail' ? 'reseller.session.floorMin' : 'reseller.session.floorOwn'),
      floorPrice: money(v.floorMinor),
    })
  // Each answer remounts the form from what was sent back, so nothing typed is lost and nothing stale lingers.
  const answers = useRef(0)
  const lastResult = useRef<unknown>(null)
  if (result && result !== lastResult.current) {
    lastResult.current = result
    answers.current += 1
  }
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (!result || result.preview) return
    // A refusal brings its first error into view (the sticky buttons sit far below the summary on a phone).
    const first =
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      formRef.current?.querySelector<HTMLElement>('[role="alert"]')
    first?.scrollIntoView({ block: 'center' })
    first?.focus({ preventScroll: true })
  }, [result])
  const raisedCount = echo ? 0 : items.filter((i) => i.prefillRaised).length
  const errorCount = violations.size + badItems.size
  return (
    <div className="page reseller-page">
      <p>
        <Link to="/reseller">← {t('reseller.session.back')}</Link>
      </p>
      <h1>{t('reseller.session.title', { title: pick(i18n.language, session.title, session.titleEn) })}</h1>
      <p>
        <span className={`phase phase-${session.phase}`}>
          {t(`session.phase.${session.phase}` as 'session.phase.live')}
        </span>{' '}
        {session.phase !== 'ended' && (
          <Countdown
            to={session.phase === 'live' ? session.endsAt : session.startsAt}
            label={t(session.phase === 'live' ? 'home.endsIn' : 'home.startsIn')}
            starting={session.phase !== 'live'}
          />
        )}
      </p>
      {defaultMarkup && <p className="muted">{t('reseller.session.defaultApplied')}</p>}
      <Form method="post" className="forward-form" key={answers.current} ref={formRef}>
        {result?.error && (
          <p className="form-error" role="alert" tabIndex={-1}>
            {t(
              `reseller.session.${result.error === 'selection' ? 'nothingSelected' : result.error}` as 'reseller.session.ended',
            )}
          </p>
        )}
        {result?.violations?.length ? (
          <div className="form-error" role="alert" data-testid="violations">
            <p>{t('shop.forward.firstError', { count: errorCount })}</p>
            <ul>
              {result.violations.map((v) => (
                <li key={v.itemId}>{violationText(v)}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <fieldset className="markup-box">
          <legend>{t('reseller.session.applyMarkup')}</legend>
          <MarkupFields initial={defaultMarkup} typed={echo} />
          <label className="check">
            <input type="checkbox" name="raiseToFloor" defaultChecked={echo ? echo.raiseToFloor : true} />{' '}
            {t('reseller.session.raiseToFloor')}
          </label>
          <button type="submit" name="intent" value="preview" className="button">
            {t('reseller.session.preview')}
          </button>
        </fieldset>
        {result?.preview && (
          <section className="preview" data-testid="preview" aria-label={t('reseller.session.previewTitle')}>
            <h2>{t('reseller.session.previewTitle')}</h2>
            <ul>
              {result.preview.map((l) => (
                <li key={l.itemId} className={l.violation ? 'bad' : 'ok'}>
                  <span>{l.title}</span> <strong data-testid="preview-price">{money(l.retailPriceMinor)}</strong>{' '}
                  <span>
                    {l.violation
                      ? violationText(l.violation)
                      : l.raised
                        ? t('reseller.session.raised')
                        : t('reseller.session.ok')}
                  </span>
                </li>
              ))}
            </ul>
            {result.preview.some((l) => l.typed) && <p className="muted small">{t('shop.forward.typedKept')}</p>}
          </section>
        )}
        {raisedCount > 0 && (
          <p className="muted small" data-testid="prefill-raised-note">
            {t('reseller.session.raised')} · {raisedCount}
          </p>
        )}
        <table className="forward-table">
          <thead>
            <tr>
              <th>{t('reseller.session.select')}</th>
              <th></th>
              <th>{t('reseller.dashboard.items')}</th>
              <th>{t('reseller.session.ownPrice')}</th>
              <th>{t('reseller.session.minRetail')}</th>
              <th>{t('reseller.session.retail')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const p = preview.get(item.id)
              const v = violations.get(item.id) ?? p?.violation ?? null
              const bad = badItems.has(item.id) || v != null
              // Shown: the preview's price, else what was sent back, else the prefill. The hidden prefill marks what
              // she did not type, so the next preview may re-price it by the rule.
              const shown = p
                ? yuanText(p.retailPriceMinor)
                : echo
                  ? (echo.prices[item.id] ?? '')
                  : item.suggestedRetailMinor != null
                    ? yuanText(item.suggestedRetailMinor)
                    : ''
              const prefill = p ? (p.typed ? '' : shown) : echo ? (typed.has(item.id) ? '' : shown) : shown
              const errorId = `err-${item.id}`
              return (
                <tr key={item.id} data-testid="forward-row" className={bad ? 'bad' : undefined}>
                  <td>
                    <label className="select-cell">
                      <input
                        type="checkbox"
                        name="item"
                        value={item.id}
                        defaultChecked={selected.has(item.id)}
                        aria-label={`${t('reseller.session.select')} ${item.title}`}
                      />
                    </label>
                  </td>
                  <td>
                    <img src={productImageUrl(item, true)} alt="" width={45} height={60} />
                  </td>
                  <td>
                    {pick(i18n.language, item.title, item.titleEn)}
                    {item.tagCut && <span className="pill">{t('reseller.session.tagCut')}</span>}
                    {item.soldOut && <span className="pill muted">{t('reseller.session.soldOut')}</span>}
                  </td>
                  <td data-label={t('reseller.session.ownPrice')}>
                    <Price minor={item.ownPriceMinor} currency={item.currency} />
                  </td>
                  <td data-label={t('reseller.session.minRetail')}>
                    {item.minRetailPriceMinor != null ? (
                      <Price minor={item.minRetailPriceMinor} currency={item.currency} />
                    ) : (
                      '—'
                    )}
                  </td>
                  <td data-label={t('reseller.session.retail')}>
                    <input type="hidden" name={`prefill_${item.id}`} value={prefill} />
                    <input
                      name={`price_${item.id}`}
                      defaultValue={shown}
                      inputMode="decimal"
                      size={9}
                      aria-label={`${t('reseller.session.retail')} ${item.title}`}
                      aria-invalid={bad || undefined}
                      aria-describedby={bad ? errorId : undefined}
                    />
                    {v && (
                      <p className="field-error" id={errorId}>
                        {rowError(v)}
                      </p>
                    )}
                    {!v && badItems.has(item.id) && (
                      <p className="field-error" id={errorId}>
                        {t('reseller.session.badPrice')}
                      </p>
                    )}
                    {!echo && item.prefillRaised && item.suggestedRetailMinor != null && (
                      <p className="muted small" data-testid="prefill-raised">
                        {t('shop.forward.prefillRaised', { price: money(item.suggestedRetailMinor) })}
                      </p>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        <div className="forward-actions">
          <SubmitButton name="intent" value="single" className="button" disabled={navigation.state !== 'idle'}>
            {t('reseller.session.forwardSingle')}
          </SubmitButton>
          <SubmitButton name="intent" value="list" className="button primary" disabled={navigation.state !== 'idle'}>
            {t('reseller.session.forwardList')}
          </SubmitButton>
        </div>
      </Form>
    </div>
  )
}
