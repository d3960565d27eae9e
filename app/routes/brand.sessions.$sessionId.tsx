import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { fieldReply, FieldErrors, FormErrors, replyErrors, type FormReply } from '#app/components/form-errors'
import { useDepositOutstanding } from '#app/components/deposit-banner'
import { optionLabel } from '#app/components/option-label'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { fenToYuan } from '#app/domain/session-items'
import { SessionIntentSchema, shanghaiLocalToUtc, utcToShanghaiLocal } from '#app/schemas/catalog'
import {
  addSessionItem,
  brandSessionDetail,
  cancelBrandSession,
  removeSessionItem,
  scheduleBrandSession,
  topUpSessionSku,
  updateItemPrices,
  updateSessionDetails,
} from '#app/services/sessions/brand-sessions.server'
import { requireBrand, requireUuid } from '#app/utils/brand-auth.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { domainErrorReply, invalidReply, UUID } from '#app/utils/http.server'
import { bannerImageUrl, productImageUrl } from '#app/utils/images'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const product = new URL(request.url).searchParams.get('product') ?? undefined
  const detail = await brandSessionDetail(
    getDb(),
    brandId,
    requireUuid(params.sessionId),
    new Date(),
    product && UUID.test(product) ? product : undefined,
  )
  if (!detail) throw new Response('Not found', { status: 404 })
  return json(detail)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { brandId } = await requireBrand(request)
  const sessionId = requireUuid(params.sessionId)
  const formData = await request.formData().catch(() => null)
  if (!formData) return invalidReply(null, { fieldErrors: { '': ['catalog.errors.bad_request'] } })
  // The page's forms are rows: the reply says which one answered, so its errors show at that row.
  const body = Object.fromEntries(
    ['intent', 'itemId', 'sessionItemSkuId'].map((k) => [k, String(formData.get(k) ?? '')]),
  ) as SessionReply['row']
  const submission = parseWithZod(formData, { schema: SessionIntentSchema })
  if (submission.status !== 'success') return invalidReply(submission, { body: { row: body } })
  const v = submission.value
  const db = getDb()
  const now = new Date()
  try {
    switch (v.intent) {
      case 'add_item':
        await addSessionItem(
          db,
          brandId,
          sessionId,
          {
            productId: v.productId,
            basePriceMinor: v.basePrice,
            minRetailPriceMinor: v.minRetailPrice,
            perMemberCap: v.perMemberCap ?? null,
            skus: v.skus.map((k) => ({ skuId: k.skuId, quantity: k.quantity ?? 0 })),
          },
          now,
        )
        break
      case 'update_prices':
        await updateItemPrices(
          db,
          brandId,
          sessionId,
          {
            itemId: v.itemId,
            basePriceMinor: v.basePrice,
            minRetailPriceMinor: v.minRetailPrice,
            perMemberCap: v.perMemberCap ?? null,
          },
          now,
        )
        break
      case 'top_up':
        await topUpSessionSku(
          db,
          brandId,
          sessionId,
          { sessionItemSkuId: v.sessionItemSkuId, quantity: v.quantity },
          now,
        )
        break
      case 'remove_item':
        await removeSessionItem(db, brandId, sessionId, v.itemId, now)
        break
      case 'schedule':
        await scheduleBrandSession(db, brandId, sessionId, now)
        break
      case 'edit_details':
        await updateSessionDetails(
          db,
          brandId,
          sessionId,
          { title: v.title, titleEn: v.titleEn, startsAt: shanghaiLocalToUtc(v.startsAt) },
          now,
        )
        break
      case 'cancel':
        await cancelBrandSession(db, brandId, sessionId, now)
        break
    }
  } catch (e) {
    return domainErrorReply(e, submission, { messages: 'catalog.errors', body: { row: body } })
  }
  return redirect(`/brand/sessions/${sessionId}`)
}

const ADD = { intent: 'add_item' }

type SessionReply = FormReply & { row?: { intent: string; itemId: string; sessionItemSkuId: string } }

export default function BrandSessionPage() {
  const { session, items, products, chosen } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>() as SessionReply | undefined
  const nav = useNavigation()
  const { t, i18n } = useTranslation()
  // A field's errors, shown only at the form (row) that was sent.
  const errorOf = (name: string, row: Partial<NonNullable<SessionReply['row']>>) =>
    Object.entries(row).every(([k, v]) => reply?.row?.[k as keyof typeof row] === v) ? (
      <FieldErrors {...fieldReply(reply, name)} />
    ) : null
  const can = (a: string) => session.actions.includes(a as never)
  const busy = nav.state === 'submitting'
  const depositDue = useDepositOutstanding()
  return (
    <div className="page brand-page">
      <p>
        <Link to="/brand/sessions">← {t('catalog.sessions.back')}</Link>
      </p>
      <header className="session-hero small" style={{ backgroundImage: `url(${bannerImageUrl(session)})` }}>
        <h1>{pick(i18n.language, session.title, session.titleEn)}</h1>
        <p>
          <span className={`phase phase-${session.phase}`} data-testid="session-phase">
            {t(`session.phase.${session.phase}`)}
          </span>
        </p>
      </header>
      <dl className="facts">
        <dt>{t('catalog.sessions.window')}</dt>
        <dd>
          {formatDateTime(session.startsAt, i18n.language)} – {formatDateTime(session.endsAt, i18n.language)}
        </dd>
        <dt>{t('catalog.sessions.afterSale')}</dt>
        <dd>{formatDateTime(session.afterSaleDeadlineAt, i18n.language)}</dd>
      </dl>
      {(reply?.formError as { code?: string } | undefined)?.code === 'deposit_required' ? (
        <p className="form-error" role="alert" data-testid="deposit-required">
          {t('brandConsole.depositGate.scheduleRefused')}{' '}
          <Link to="/brand/deposit">{t('brandConsole.depositGate.bannerLink')}</Link>
        </p>
      ) : (
        <FormErrors form={replyErrors(reply?.result)} values={reply?.formError} />
      )}
      {errorOf('items', { intent: 'schedule' })}
      {errorOf('startsAt', { intent: 'schedule' })}
      <div className="actions">
        {can('schedule') && (
          <Form method="post">
            <button className="button" name="intent" value="schedule" disabled={busy}>
              {t('catalog.sessions.schedule')}
            </button>
          </Form>
        )}
        {can('cancel') && (
          <Form
            method="post"
            onSubmit={(e) => {
              if (!confirm(t('catalog.sessions.confirmCancel'))) e.preventDefault()
            }}
          >
            <button className="button danger" name="intent" value="cancel" disabled={busy}>
              {t('catalog.sessions.cancel')}
            </button>
          </Form>
        )}
      </div>
      {can('schedule') && depositDue && (
        <p className="muted small" data-testid="schedule-deposit-hint">
          {t('brandConsole.depositGate.scheduleHint')}{' '}
          <Link to="/brand/deposit">{t('brandConsole.depositGate.bannerLink')}</Link>
        </p>
      )}
      {can('edit_details') && (
        <details className="edit-details">
          <summary>{t('catalog.sessions.editDetails')}</summary>
          <Form method="post" className="inline-form" noValidate>
            <input type="hidden" name="intent" value="edit_details" />
            <label>
              {t('catalog.sessions.titleZh')}
              <input name="title" defaultValue={session.title} maxLength={120} />
            </label>
            <label>
              {t('catalog.sessions.titleEn')}
              <input name="titleEn" defaultValue={session.titleEn} maxLength={120} />
            </label>
            <label>
              {t('catalog.sessions.startsAt')}
              <input
                type="datetime-local"
                name="startsAt"
                defaultValue={utcToShanghaiLocal(new Date(session.startsAt))}
              />
            </label>
            <button className="button secondary" disabled={busy}>
              {t('catalog.products.save')}
            </button>
          </Form>
          {errorOf('title', { intent: 'edit_details' })}
          {errorOf('titleEn', { intent: 'edit_details' })}
          {errorOf('startsAt', { intent: 'edit_details' })}
        </details>
      )}
      {session.phase === 'live' && <p className="notice">{t('catalog.sessions.pricesFrozen')}</p>}
      {session.phase === 'ended' && <p className="notice">{t('catalog.sessions.ended')}</p>}

      <h2>{t('catalog.sessions.items')}</h2>
      {items.length ? (
        items.map((item) => (
          <section key={item.id} className="session-item-admin" data-testid="session-item">
            <div className="item-head">
              <img src={productImageUrl(item, true)} alt="" width={60} height={80} className="thumb" />
              <div>
                <h3>
                  {pick(i18n.language, item.title, item.titleEn)} <code>{item.styleCode}</code>{' '}
                  {item.tagCut && <span className="pill">{t('catalog.sessions.tagCut')}</span>}
                </h3>
                <p className="muted">
                  {t('catalog.sessions.tagPrice', { price: '' })}
                  <Price minor={item.tagPriceMinor} currency={item.currency} /> · {t('catalog.sessions.basePrice')}{' '}
                  <Price minor={item.basePriceMinor} currency={item.currency} />
                  {item.minRetailPriceMinor !== null && (
                    <>
                      {' '}
                      · {t('catalog.sessions.minRetailPrice')}{' '}
                      <Price minor={item.minRetailPriceMinor} currency={item.currency} />
                    </>
                  )}
                  {item.perMemberCap !== null && (
                    <>
                      {' '}
                      · {t('catalog.sessions.perMemberCap')} {item.perMemberCap}
                    </>
                  )}
                </p>
              </div>
            </div>
            {can('change_prices') && (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="update_prices" />
                <input type="hidden" name="itemId" value={item.id} />
                <label>
                  {t('catalog.sessions.basePrice')}
                  <input name="basePrice" defaultValue={fenToYuan(item.basePriceMinor)} className="narrow" />
                </label>
                {!item.tagCut && (
                  <label>
                    {t('catalog.sessions.minRetailPrice')}
                    <input
                      name="minRetailPrice"
                      defaultValue={item.minRetailPriceMinor ? fenToYuan(item.minRetailPriceMinor) : ''}
                      className="narrow"
                    />
                  </label>
                )}
                <label>
                  {t('catalog.sessions.perMemberCap')}
                  <input name="perMemberCap" defaultValue={item.perMemberCap ?? ''} className="narrow" />
                </label>
                <button className="button secondary" disabled={busy}>
                  {t('catalog.sessions.updatePrices')}
                </button>
                {errorOf('basePrice', { intent: 'update_prices', itemId: item.id })}
                {errorOf('minRetailPrice', { intent: 'update_prices', itemId: item.id })}
                {errorOf('perMemberCap', { intent: 'update_prices', itemId: item.id })}
              </Form>
            )}
            <table className="data-table compact">
              <thead>
                <tr>
                  <th>{t('catalog.products.colour')}</th>
                  <th>{t('catalog.products.size')}</th>
                  <th>{t('catalog.products.barcode')}</th>
                  <th>{t('catalog.sessions.allocated')}</th>
                  <th>{t('catalog.sessions.available')}</th>
                  <th>{t('catalog.sessions.sold')}</th>
                  <th>{t('catalog.sessions.released')}</th>
                  {can('top_up') && <th>{t('catalog.sessions.topUp')}</th>}
                </tr>
              </thead>
              <tbody>
                {item.skus.map((k) => (
                  <tr key={k.id}>
                    <td>{optionLabel(i18n.language, k.colour, k.colourEn)}</td>
                    <td>{optionLabel(i18n.language, k.size, k.sizeEn)}</td>
                    <td>
                      <code>{k.barcode}</code>
                    </td>
                    <td>{k.allocated}</td>
                    <td>{k.available}</td>
                    <td>{k.sold}</td>
                    <td>{k.released}</td>
                    {can('top_up') && (
                      <td>
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="top_up" />
                          <input type="hidden" name="sessionItemSkuId" value={k.id} />
                          <input
                            name="quantity"
                            aria-label={`${t('catalog.sessions.topUpQty')} ${k.colour} ${k.size}`}
                            className="narrow"
                            inputMode="numeric"
                          />
                          <button className="button secondary" disabled={busy}>
                            {t('catalog.sessions.topUp')}
                          </button>
                          {errorOf('quantity', { intent: 'top_up', sessionItemSkuId: k.id })}
                        </Form>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            {can('remove_item') && (
              <Form method="post">
                <input type="hidden" name="itemId" value={item.id} />
                <button className="link-button" name="intent" value="remove_item">
                  {t('catalog.sessions.remove')}
                </button>
              </Form>
            )}
          </section>
        ))
      ) : (
        <p className="empty">{t('catalog.sessions.noItems')}</p>
      )}

      {can('add_item') && (
        <section className="add-item">
          <h2>{t('catalog.sessions.addItem')}</h2>
          <Form method="get" className="inline-form">
            <label>
              {t('catalog.sessions.chooseProduct')}
              <select name="product" defaultValue={chosen?.id ?? ''}>
                <option value="" disabled>
                  —
                </option>
                {products.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.styleCode ? `${p.styleCode} · ` : ''}
                    {pick(i18n.language, p.title, p.titleEn)}
                  </option>
                ))}
              </select>
            </label>
            <button className="button secondary">{t('catalog.sessions.choose')}</button>
          </Form>
          {chosen && (
            <Form method="post" className="catalog-form" noValidate>
              <input type="hidden" name="intent" value="add_item" />
              <input type="hidden" name="productId" value={chosen.id} />
              <p>
                <strong>{pick(i18n.language, chosen.title, chosen.titleEn)}</strong> · {t('product.tagPrice')}{' '}
                <Price minor={chosen.tagPriceMinor} currency="CNY" />{' '}
                {chosen.tagCut && <span className="pill">{t('catalog.sessions.tagCut')}</span>}
              </p>
              {errorOf('productId', ADD)}
              <label>
                {t('catalog.sessions.basePrice')}
                <input name="basePrice" inputMode="decimal" />
              </label>
              {errorOf('basePrice', ADD)}
              {!chosen.tagCut && (
                <>
                  <label>
                    {t('catalog.sessions.minRetailPrice')}
                    <input name="minRetailPrice" inputMode="decimal" />
                  </label>
                  <p className="hint">{t('catalog.sessions.minRetailHint')}</p>
                  {errorOf('minRetailPrice', ADD)}
                </>
              )}
              <label>
                {t('catalog.sessions.perMemberCap')}
                <input name="perMemberCap" inputMode="numeric" />
              </label>
              {errorOf('perMemberCap', ADD)}
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th>{t('catalog.products.colour')}</th>
                    <th>{t('catalog.products.size')}</th>
                    <th>{t('catalog.products.barcode')}</th>
                    <th>{t('catalog.products.stock')}</th>
                    <th>{t('catalog.sessions.quantity')}</th>
                  </tr>
                </thead>
                <tbody>
                  {chosen.skus.map((k, i) => (
                    <tr key={k.id}>
                      <td>{optionLabel(i18n.language, k.colour, k.colourEn)}</td>
                      <td>{optionLabel(i18n.language, k.size, k.sizeEn)}</td>
                      <td>
                        <code>{k.barcode}</code>
                      </td>
                      <td>
                        {k.stock} <span className="muted">({t('catalog.sessions.free', { count: k.free })})</span>
                      </td>
                      <td>
                        <input type="hidden" name={`skus[${i}].skuId`} value={k.id} />
                        <input
                          name={`skus[${i}].quantity`}
                          inputMode="numeric"
                          className="narrow"
                          aria-label={`${t('catalog.sessions.quantity')} ${k.colour} ${k.size}`}
                        />
                        {errorOf(`skus[${i}].quantity`, ADD)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {errorOf('skus', ADD)}
              <button className="button" disabled={busy}>
                {t('catalog.sessions.add')}
              </button>
            </Form>
          )}
        </section>
      )}
    </div>
  )
}
