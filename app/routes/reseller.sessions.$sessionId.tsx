import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { FieldErrors, FormErrors, replyErrors, type FormReply } from '#app/components/form-errors'
import { MarkupFields } from '#app/components/markup-fields'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { SubmitButton } from '#app/components/submit-button'
import type { DomainError } from '#app/domain/errors'
import { ForwardSelectionError, SessionNotForwardableError } from '#app/domain/forwarding-errors'
import { formatMoney, type Currency } from '#app/domain/money'
import { RetailPriceViolationError, type PreviewLine, type PriceViolation } from '#app/domain/retail-pricing'
import { ForwardSchema, forwardPrices, markupFromFields, readForwardForm } from '#app/schemas/reseller'
import { sessionPricingPage, submitForwardForm } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { domainErrorReply, invalidReply, invariantResponse, UUID } from '#app/utils/http.server'
import { productImageUrl } from '#app/utils/images'
import { localTitle } from '#app/utils/meta'
import { requireUser } from '#app/utils/session.server'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('reseller.dashboard.pick')) }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const page = await sessionPricingPage(getDb(), user, params.sessionId!, new Date())
  invariantResponse(page)
  return json(page)
}

// The one form reply: `{ result }` from Conform (what was sent comes back as `initialValue`, so a preview or a
// refusal never loses a field), with the preview's lines, or a refusal's `formError` (its price violations).
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.sessionId ?? ''))
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ForwardSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const rule = markupFromFields(submission.value)
  if (rule === 'invalid') return invalidReply(submission, { fieldErrors: { markupValue: [MARKUP_ERROR] } })
  const sent = readForwardForm(formData)
  const { prices, unreadable } = forwardPrices(submission.value.item, sent.prices)
  if (unreadable.length) {
    const fieldErrors = Object.fromEntries(unreadable.map((id) => [`price_${id}`, ['reseller.session.badPrice']]))
    return invalidReply(submission, { fieldErrors })
  }
  const { intent, item: itemIds, raiseToFloor } = submission.value
  const input = { sessionId: params.sessionId!, itemIds, prices, rule, raiseToFloor: raiseToFloor === 'on' }
  try {
    const done = await submitForwardForm(getDb(), user, { ...input, intent, typed: sent.typed, now: new Date() })
    if ('preview' in done) return json({ result: submission.reply(), preview: done.preview })
    return redirect(done.links.length === 1 ? `/reseller/links/${done.links[0].id}` : '/reseller')
  } catch (e) {
    return domainErrorReply(e, submission, { messages: forwardRefusal })
  }
}

const MARKUP_ERROR = 'reseller.profile.errors.markup'

function forwardRefusal(error: DomainError) {
  if (error instanceof RetailPriceViolationError) return 'shop.forward.firstError'
  if (error instanceof SessionNotForwardableError) return 'reseller.session.ended'
  if (error instanceof ForwardSelectionError && error.details.max) return 'reseller.session.tooMany'
  return 'reseller.session.nothingSelected'
}

type PreviewRow = PreviewLine & { typed: boolean }
/** What the action answered, as the page reads it. */
type ForwardReply = FormReply & { preview?: PreviewRow[]; formError?: { violations?: PriceViolation[] } }

/** The form as it was sent, from the reply's echo: selection, typed prices and the markup fields. */
function sentForm(reply: ForwardReply | undefined) {
  const sent = reply?.result?.initialValue as Record<string, unknown> | null | undefined
  if (!sent) return null
  const text = (k: string) => (typeof sent[k] === 'string' ? (sent[k] as string) : '')
  const prices: Record<string, string> = {}
  const typed = new Set<string>()
  for (const [k, v] of Object.entries(sent)) {
    if (!k.startsWith('price_') || typeof v !== 'string') continue
    const id = k.slice(6)
    prices[id] = v
    if (text(`prefill_${id}`) !== v.trim()) typed.add(id)
  }
  return {
    selected: new Set([sent.item ?? []].flat().map(String)),
    prices,
    typed,
    markup: { markupKind: text('markupKind'), markupValue: text('markupValue'), rounding: text('rounding') },
    raiseToFloor: sent.raiseToFloor === 'on',
  }
}

const yuanText = (minor: number) => (minor / 100).toFixed(2)

export default function ForwardSession() {
  const { session, items, defaultMarkup } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as ForwardReply | undefined
  const navigation = useNavigation()
  const { t, i18n } = useTranslation()
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency: 'CNY' as Currency }, i18n.language)
  const echo = sentForm(reply)
  const preview = new Map((reply?.preview ?? []).map((l) => [l.itemId, l]))
  const violationList = reply?.formError?.violations ?? []
  const violations = new Map(violationList.map((v) => [v.itemId, v]))
  const priceErrors = (id: string) => replyErrors(reply?.result, `price_${id}`)
  const unreadable = items.filter((i) => priceErrors(i.id).errors).length
  // A selection the schema refused (none, too many, an id that is not an item) is the form's error.
  const selectionError = Object.entries(reply?.result?.error ?? {}).find(([k]) => k === 'item' || /^item\[/.test(k))
  const markupError = ['markupKind', 'markupValue', 'rounding']
    .map((k) => replyErrors(reply?.result, k))
    .find((f) => f.errors)
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
  const lastReply = useRef<unknown>(null)
  if (reply && reply !== lastReply.current) {
    lastReply.current = reply
    answers.current += 1
  }
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (!reply || reply.preview) return
    // A refusal brings its first error into view (the sticky buttons sit far below the summary on a phone).
    const first =
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      formRef.current?.querySelector<HTMLElement>('[role="alert"], .field-error')
    first?.scrollIntoView({ block: 'center' })
    first?.focus({ preventScroll: true })
  }, [reply])
  const raisedCount = echo ? 0 : items.filter((i) => i.prefillRaised).length
  const errorCount = violations.size + unreadable
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
        {selectionError && <FormErrors form={{ errors: selectionError[1] ?? undefined, errorId: 'item-error' }} />}
        {errorCount > 0 ? (
          <div className="form-error" role="alert" data-testid="violations">
            <p>{t('shop.forward.firstError', { count: errorCount })}</p>
            {violationList.length > 0 && (
              <ul>
                {violationList.map((v) => (
                  <li key={v.itemId}>{violationText(v)}</li>
                ))}
              </ul>
            )}
          </div>
        ) : (
          <FormErrors form={replyErrors(reply?.result)} values={reply?.formError} />
        )}
        <fieldset className="markup-box">
          <legend>{t('reseller.session.applyMarkup')}</legend>
          <MarkupFields initial={defaultMarkup} typed={echo?.markup} />
          {markupError && <FieldErrors field={markupError} />}
          <label className="check">
            <input type="checkbox" name="raiseToFloor" defaultChecked={echo ? echo.raiseToFloor : true} />{' '}
            {t('reseller.session.raiseToFloor')}
          </label>
          <button type="submit" name="intent" value="preview" className="button">
            {t('reseller.session.preview')}
          </button>
        </fieldset>
        {reply?.preview && (
          <section className="preview" data-testid="preview" aria-label={t('reseller.session.previewTitle')}>
            <h2>{t('reseller.session.previewTitle')}</h2>
            <ul>
              {reply.preview.map((l) => (
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
            {reply.preview.some((l) => l.typed) && <p className="muted small">{t('shop.forward.typedKept')}</p>}
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
              const unread = priceErrors(item.id)
              const bad = !!unread.errors || v != null
              // Shown: the preview's price, else what was sent back, else the prefill. The hidden prefill marks what
              // she did not type, so the next preview may re-price it by the rule.
              const shown = p
                ? yuanText(p.retailPriceMinor)
                : echo
                  ? (echo.prices[item.id] ?? '')
                  : item.suggestedRetailMinor != null
                    ? yuanText(item.suggestedRetailMinor)
                    : ''
              const prefill = p ? (p.typed ? '' : shown) : echo ? (echo.typed.has(item.id) ? '' : shown) : shown
              const errorId = unread.errorId
              return (
                <tr key={item.id} data-testid="forward-row" className={bad ? 'bad' : undefined}>
                  <td>
                    <label className="select-cell">
                      <input
                        type="checkbox"
                        name="item"
                        value={item.id}
                        defaultChecked={echo?.selected.has(item.id) ?? false}
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
                    {!v && <FieldErrors field={unread} />}
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
