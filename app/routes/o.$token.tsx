import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { CustomerRefusal } from '#app/components/customer-bag'
import { OrderStatus } from '#app/components/order-status'
import { optionLabel } from '#app/components/option-label'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { CustomerAfterSaleSchema } from '#app/schemas/customer-orders'
import { startCustomerPayment } from '#app/services/customer-orders/checkout.server'
import {
  confirmCustomerReceipt,
  customerOrderPage,
  openCustomerAfterSale,
} from '#app/services/customer-orders/order-page.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { invariantResponse, lineQuantities, UUID } from '#app/utils/http.server'
import { customerRefusalReply } from '#app/utils/customer-replies.server'
import { publicOrigin } from '#app/utils/public-url.server'
import {
  checkImage,
  hasFile,
  removeUploads,
  saveUploads,
  UPLOAD_LIMITS,
  type ImageCheck,
} from '#app/utils/uploads.server'

// The customer's private order page: whoever holds the token is the customer (she has no account).
const PRIVATE = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex', 'Referrer-Policy': 'no-referrer' }

export async function loader({ params }: LoaderFunctionArgs) {
  const page = await customerOrderPage(getDb(), params.token ?? '', new Date())
  invariantResponse(page)
  return json({ ...page, now: new Date().toISOString() }, { headers: PRIVATE })
}

export const meta: MetaFunction = () => [{ name: 'robots', content: 'noindex' }]

async function afterSale(token: string, form: FormData) {
  const parsed = CustomerAfterSaleSchema.safeParse({
    orderId: form.get('orderId'),
    kind: form.get('kind'),
    reason: form.get('reason'),
  })
  if (!parsed.success)
    return json({ fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> }, { status: 400 })
  const files = form.getAll('photos').filter(hasFile)
  if (files.length > UPLOAD_LIMITS.maxFiles)
    return json({ fieldErrors: { photos: ['orders.afterSale.tooManyPhotos'] } }, { status: 400 })
  const checked: Extract<ImageCheck, { ok: true }>[] = []
  for (const f of files) {
    const c = await checkImage(f, { declaredMustMatch: true })
    if (!c.ok)
      return json(
        { fieldErrors: { photos: [c.error === 'size' ? 'orders.afterSale.photoSize' : 'orders.afterSale.photoType'] } },
        { status: 400 },
      )
    checked.push(c)
  }
  const lines = lineQuantities(form)
  if (lines === null) return json({ fieldErrors: { lines: ['orders.afterSale.badQuantity'] } }, { status: 400 })
  const photos = checked.length ? await saveUploads(`after-sales/${parsed.data.orderId}`, checked) : []
  const r = await openCustomerAfterSale(getDb(), { token, ...parsed.data, photos, lines, now: new Date() }).catch(
    async (e: unknown) => {
      await removeUploads(photos)
      throw e
    },
  )
  if (!r) await removeUploads(photos)
  invariantResponse(r)
  return json({ opened: parsed.data.orderId })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? ''
  if (Number(request.headers.get('Content-Length') ?? 0) > UPLOAD_LIMITS.maxBytes * UPLOAD_LIMITS.maxFiles + 100_000) {
    return json({ fieldErrors: { photos: ['orders.afterSale.photoSize'] } }, { status: 413 })
  }
  const form = await request.formData().catch(() => null)
  if (!form) return json({ fieldErrors: { form: ['customerOrders.errors.invalid'] } }, { status: 400 })
  const now = new Date()
  try {
    switch (form.get('intent')) {
      case 'pay': {
        const payment = await startCustomerPayment(getDb(), { token, origin: publicOrigin(), now })
        invariantResponse(payment)
        return redirect(payment.redirectUrl)
      }
      case 'receive': {
        const orderId = String(form.get('orderId') ?? '')
        if (!UUID.test(orderId))
          return json({ fieldErrors: { orderId: ['customerOrders.errors.invalid'] } }, { status: 400 })
        invariantResponse(await confirmCustomerReceipt(getDb(), { token, orderId, now }))
        return json({ received: orderId })
      }
      case 'after-sale':
        return await afterSale(token, form)
      default:
        return json({ fieldErrors: { intent: ['customerOrders.errors.invalid'] } }, { status: 400 })
    }
  } catch (e) {
    return customerRefusalReply(e)
  }
}

export default function CustomerOrderPage() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  const fe = (result && 'fieldErrors' in result ? result.fieldErrors : {}) as Record<string, string[] | undefined>
  return (
    <div className="page customer-order" data-testid="customer-order">
      <header className="share-head">
        <p className="session-brand">{data.shop.name}</p>
        <h1>{t('customerOrders.order.title')}</h1>
        <p className="muted small">{t('customerOrders.order.privateNote')}</p>
      </header>
      {params.get('paid') && data.state === 'paid' && (
        <p className="ok" role="status">
          {t('customerOrders.order.paidThanks')}
        </p>
      )}
      <CustomerRefusal error={result && 'formError' in result ? (result.formError as { code: string }) : null} />
      {result && 'opened' in result && (
        <p className="ok" role="status">
          {t('customerOrders.order.opened')}
        </p>
      )}
      {data.state === 'pending_payment' && data.payBy && (
        <section className="pay-box">
          <p>
            <Countdown to={data.payBy} label={t('customerOrders.order.payBy')} />
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="pay" className="button primary">
              {t('customerOrders.order.pay')}
            </button>
          </Form>
        </section>
      )}
      {data.state === 'closed' && (
        <p className="form-error" role="status">
          {t('customerOrders.order.closed')}
        </p>
      )}
      <p>
        {t('customerOrders.order.total')}{' '}
        <Price minor={data.totalMinor} currency={data.currency} className="price big" />
        {data.refundedMinor > 0 && (
          <>
            {' '}
            · {t('customerOrders.order.refunded')} <Price minor={data.refundedMinor} currency={data.currency} />
          </>
        )}
      </p>
      {data.parcels.map((p) => (
        <section key={p.id} className="parcel" data-testid="parcel">
          <h2>
            {t('customerOrders.order.parcel', { brand: pick(i18n.language, p.brandName, p.brandNameEn) })}{' '}
            <OrderStatus status={p.status} late={p.late} />
          </h2>
          {p.trackingNo ? (
            <p data-testid="tracking">
              {t('customerOrders.order.carrier')}: {p.carrier} · {t('customerOrders.order.tracking')}:{' '}
              <strong>{p.trackingNo}</strong>
            </p>
          ) : data.state === 'paid' && p.status === 'paid' ? (
            <p className="muted">{t('customerOrders.order.notShipped')}</p>
          ) : null}
          <ul className="order-lines">
            {p.lines.map((l) => (
              <li key={l.id} data-testid="parcel-line">
                <img src={`/art/product/${encodeURIComponent(l.imageSeed)}`} alt="" width={48} height={64} />
                <span className="line-text">
                  {pick(i18n.language, l.title, l.titleEn)} · {optionLabel(i18n.language, l.colour, l.colourEn)} /{' '}
                  {optionLabel(i18n.language, l.size, l.sizeEn)} × {l.quantity}
                  {l.refundedQuantity > 0 && (
                    <>
                      {' '}
                      · {t('customerOrders.order.refunded')} {l.refundedQuantity}
                    </>
                  )}
                </span>
                <Price minor={l.retailUnitMinor * l.quantity} currency={data.currency} />
              </li>
            ))}
          </ul>
          {p.status === 'shipped' && (
            <Form method="post">
              <input type="hidden" name="orderId" value={p.id} />
              <button type="submit" name="intent" value="receive" className="button primary">
                {t('customerOrders.order.receive')}
              </button>
            </Form>
          )}
          {p.requests.length > 0 && (
            <ul className="requests">
              {p.requests.map((r) => (
                <li key={r.id} data-testid="request">
                  {t('customerOrders.order.requests')} ·{' '}
                  {t(`customerOrders.order.requestStatus.${r.status}` as 'customerOrders.order.requestStatus.open')} ·{' '}
                  {r.reason}
                </li>
              ))}
            </ul>
          )}
          {p.refunds.length > 0 && (
            <ul className="refunds">
              {p.refunds.map((f) => (
                <li key={f.id} data-testid="refund">
                  <Price minor={f.amountMinor} currency={data.currency} /> ·{' '}
                  {t(`customerOrders.order.refundStatus.${f.status}` as 'customerOrders.order.refundStatus.pending')}
                </li>
              ))}
            </ul>
          )}
          {p.canAfterSale && (
            <details className="after-sale-box">
              <summary>{t('customerOrders.order.afterSale')}</summary>
              <Form method="post" encType="multipart/form-data" className="form-card">
                <input type="hidden" name="intent" value="after-sale" />
                <input type="hidden" name="orderId" value={p.id} />
                {p.lines
                  .filter((l) => l.quantity > l.refundedQuantity)
                  .map((l) => (
                    <label key={l.id}>
                      {pick(i18n.language, l.title, l.titleEn)} {optionLabel(i18n.language, l.colour, l.colourEn)}/
                      {optionLabel(i18n.language, l.size, l.sizeEn)} · {t('customerOrders.order.quantity')}{' '}
                      <input
                        type="number"
                        name={`qty:${l.id}`}
                        min={0}
                        max={l.quantity - l.refundedQuantity}
                        defaultValue={0}
                        inputMode="numeric"
                        className="qty"
                      />
                    </label>
                  ))}
                <label htmlFor={`kind-${p.id}`}>{t('customerOrders.order.kind')}</label>
                <select id={`kind-${p.id}`} name="kind" defaultValue="refund">
                  <option value="refund">{t('customerOrders.order.refund')}</option>
                  <option value="return_refund">{t('customerOrders.order.returnRefund')}</option>
                </select>
                <label htmlFor={`reason-${p.id}`}>{t('customerOrders.order.reason')}</label>
                <textarea id={`reason-${p.id}`} name="reason" maxLength={500} rows={2} required />
                {fe.reason && <p className="field-error">{t(fe.reason[0] as 'customerOrders.errors.required')}</p>}
                <label htmlFor={`photos-${p.id}`}>{t('customerOrders.order.photos')}</label>
                <input
                  id={`photos-${p.id}`}
                  type="file"
                  name="photos"
                  accept="image/jpeg,image/png,image/webp"
                  multiple
                />
                {p.afterSaleDeadline && (
                  <p className="muted small">
                    {t('customerOrders.order.afterSaleUntil', {
                      date: formatDateTime(p.afterSaleDeadline, i18n.language),
                    })}
                  </p>
                )}
                <button type="submit" className="button">
                  {t('customerOrders.order.submit')}
                </button>
              </Form>
            </details>
          )}
        </section>
      ))}
      <section className="share-contact">
        <h2>{t('customerOrders.order.shipTo')}</h2>
        <p>
          {data.customer.name} · {data.customer.phone}
          <br />
          {data.customer.region} {data.customer.line}
        </p>
        <h2>{t('customerOrders.order.contact', { name: data.shop.name })}</h2>
        {data.shop.wechatId && (
          <p>
            {t('customerOrders.order.wechat')}: <strong>{data.shop.wechatId}</strong>
          </p>
        )}
        {data.shop.phone && (
          <p>
            {t('customerOrders.order.phone')}: <a href={`tel:${data.shop.phone}`}>{data.shop.phone}</a>
          </p>
        )}
      </section>
    </div>
  )
}
