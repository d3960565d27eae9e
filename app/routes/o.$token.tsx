import { parseWithZod } from '@conform-to/zod'
import { z } from 'zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { OrderStatus } from '#app/components/order-status'
import { optionLabel } from '#app/components/option-label'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { CustomerAfterSaleSchema } from '#app/schemas/customer-orders'
import { payStepPath } from '#app/services/customer-orders/checkout.server'
import {
  confirmCustomerReceipt,
  customerOrderPage,
  openCustomerAfterSale,
} from '#app/services/customer-orders/order-page.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { invalidReply, invariantResponse, lineQuantities, type ReplyingSubmission } from '#app/utils/http.server'
import { customerRefusalReply } from '#app/utils/customer-replies.server'
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

const OrderPageActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('pay') }),
  z.object({ intent: z.literal('receive'), orderId: z.string().uuid('customerOrders.errors.invalid') }),
  CustomerAfterSaleSchema.extend({ intent: z.literal('after-sale') }),
])

async function afterSale(
  submission: ReplyingSubmission,
  input: z.output<typeof CustomerAfterSaleSchema>,
  token: string,
  form: FormData,
) {
  // Each parcel has its own form: the reply names the parcel its errors belong to.
  const refuse = (field: string, message: string) =>
    invalidReply(submission, { fieldErrors: { [field]: [message] }, body: { orderId: input.orderId } })
  const files = form.getAll('photos').filter(hasFile)
  if (files.length > UPLOAD_LIMITS.maxFiles) return refuse('photos', 'orders.afterSale.tooManyPhotos')
  const checked: Extract<ImageCheck, { ok: true }>[] = []
  for (const f of files) {
    const c = await checkImage(f, { declaredMustMatch: true })
    if (!c.ok) return refuse('photos', c.error === 'size' ? 'orders.afterSale.photoSize' : 'orders.afterSale.photoType')
    checked.push(c)
  }
  const lines = lineQuantities(form)
  if (lines === null) return refuse('lines', 'orders.afterSale.badQuantity')
  const photos = checked.length ? await saveUploads(`after-sales/${input.orderId}`, checked) : []
  const r = await openCustomerAfterSale(getDb(), { token, ...input, photos, lines, now: new Date() }).catch(
    async (e: unknown) => {
      await removeUploads(photos)
      throw e
    },
  )
  if (!r) await removeUploads(photos)
  invariantResponse(r)
  return json({ opened: input.orderId })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? ''
  if (Number(request.headers.get('Content-Length') ?? 0) > UPLOAD_LIMITS.maxBytes * UPLOAD_LIMITS.maxFiles + 100_000) {
    return invalidReply(null, { fieldErrors: { photos: ['orders.afterSale.photoSize'] }, status: 413 })
  }
  const form = await request.formData().catch(() => new FormData())
  const submission = parseWithZod(form, { schema: OrderPageActionSchema })
  if (submission.status !== 'success')
    return invalidReply(submission, { body: { orderId: String(form.get('orderId') ?? '') } })
  const input = submission.value
  const now = new Date()
  try {
    switch (input.intent) {
      case 'pay':
        return redirect(payStepPath(token))
      case 'receive': {
        invariantResponse(await confirmCustomerReceipt(getDb(), { token, orderId: input.orderId, now }))
        return json({ received: input.orderId })
      }
      case 'after-sale':
        return await afterSale(submission, input, token, form)
    }
  } catch (e) {
    return customerRefusalReply(e, submission)
  }
}

export default function CustomerOrderPage() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  const reply = result && 'result' in result ? result.result : undefined
  const errorsOf = (orderId: string, field: string) =>
    result && 'orderId' in result && result.orderId === orderId ? (
      <FieldErrors field={replyErrors(reply, field)} />
    ) : null
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
      <FormErrors form={replyErrors(reply)} values={result && 'formError' in result ? result.formError : null} />
      {result && 'opened' in result && (
        <p className="ok" role="status">
          {t('customerOrders.order.opened')}
        </p>
      )}
      {params.get('payment') === 'unavailable' && data.state === 'pending_payment' && (
        <p className="form-error" role="alert" data-testid="payment-unavailable">
          {t('customerOrders.refusal.payment_unavailable')}
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
                {errorsOf(p.id, 'lines')}
                <label htmlFor={`kind-${p.id}`}>{t('customerOrders.order.kind')}</label>
                <select id={`kind-${p.id}`} name="kind" defaultValue="refund">
                  <option value="refund">{t('customerOrders.order.refund')}</option>
                  <option value="return_refund">{t('customerOrders.order.returnRefund')}</option>
                </select>
                <label htmlFor={`reason-${p.id}`}>{t('customerOrders.order.reason')}</label>
                <textarea id={`reason-${p.id}`} name="reason" maxLength={500} rows={2} required />
                {errorsOf(p.id, 'reason')}
                <label htmlFor={`photos-${p.id}`}>{t('customerOrders.order.photos')}</label>
                <input
                  id={`photos-${p.id}`}
                  type="file"
                  name="photos"
                  accept="image/jpeg,image/png,image/webp"
                  multiple
                />
                {errorsOf(p.id, 'photos')}
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
