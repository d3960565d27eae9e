import type { Submission } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { z } from 'zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Countdown } from '#app/components/countdown'
import { OrderStatus } from '#app/components/order-status'
import { optionLabel } from '#app/components/option-label'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { SubmitButton } from '#app/components/submit-button'
import { AfterSaleSchema } from '#app/schemas/orders'
import { openAfterSale } from '#app/services/orders/after-sales.server'
import { cancelOrder, confirmReceipt, memberOrderDetail, payForOrder } from '#app/services/orders/orders.server'
import { getDb } from '#app/utils/db.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { formatDateTime } from '#app/utils/format'
import { domainErrorReply, invalidReply, invariantResponse, lineQuantities, UUID } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { reencodeImage } from '#app/services/catalog/uploads.server'
import { checkImage, hasFile, removeUploads, saveUploads, UPLOAD_LIMITS } from '#app/utils/uploads.server'
import { productImageUrl } from '#app/utils/images'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.orderId ?? ''))
  const detail = await memberOrderDetail(getDb(), user.id, params.orderId!, new Date())
  invariantResponse(detail)
  return json({ ...detail, now: new Date().toISOString() })
}

const OrderActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('cancel') }),
  z.object({ intent: z.literal('receive') }),
  z.object({ intent: z.literal('pay') }),
  AfterSaleSchema.extend({ intent: z.literal('after-sale') }),
])
type OrderActionSubmission = Submission<z.input<typeof OrderActionSchema>, string[], z.output<typeof OrderActionSchema>>

async function afterSale(
  submission: OrderActionSubmission,
  input: { kind: 'refund' | 'return_refund'; reason: string },
  memberId: string,
  orderId: string,
  form: FormData,
) {
  const refuse = (field: string, message: string) => invalidReply(submission, { fieldErrors: { [field]: [message] } })
  const files = form.getAll('photos').filter(hasFile)
  if (files.length > UPLOAD_LIMITS.maxFiles) return refuse('photos', 'orders.afterSale.tooManyPhotos')
  // Photos are stored re-encoded (only their pixels), never as sent.
  const checked: { ext: string; bytes: Buffer }[] = []
  for (const f of files) {
    const c = await checkImage(f, { declaredMustMatch: true })
    if (!c.ok) return refuse('photos', c.error === 'size' ? 'orders.afterSale.photoSize' : 'orders.afterSale.photoType')
    const clean = await reencodeImage(c.bytes)
    if (!clean) return refuse('photos', 'orders.afterSale.photoType')
    checked.push(clean)
  }
  const lines = lineQuantities(form)
  if (lines === null) return refuse('lines', 'orders.afterSale.badQuantity')
  const photos = checked.length ? await saveUploads(`after-sales/${orderId}`, checked) : []
  // A refused request keeps no photos behind.
  const r = await openAfterSale(getDb(), { memberId, orderId, ...input, photos, lines, now: new Date() }).catch(
    async (e: unknown) => {
      await removeUploads(photos)
      throw e
    },
  )
  if (!r) await removeUploads(photos)
  invariantResponse(r)
  return json({ opened: true, result: submission.reply({ resetForm: true }) })
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.orderId ?? ''))
  const orderId = params.orderId!
  const length = Number(request.headers.get('Content-Length') ?? 0)
  if (length > UPLOAD_LIMITS.maxBytes * UPLOAD_LIMITS.maxFiles + 100_000)
    return invalidReply(null, { fieldErrors: { photos: ['orders.afterSale.photoSize'] }, status: 413 })
  const form = await request.formData().catch(() => new FormData())
  const submission = parseWithZod(form, { schema: OrderActionSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const input = submission.value
  const now = new Date()
  try {
    switch (input.intent) {
      case 'cancel':
        invariantResponse(await cancelOrder(getDb(), { memberId: user.id, orderId, now }))
        return json({ ok: true })
      case 'receive':
        invariantResponse(await confirmReceipt(getDb(), { memberId: user.id, orderId, now }))
        return json({ ok: true })
      case 'pay': {
        const payment = await payForOrder(getDb(), { memberId: user.id, orderId, origin: publicOrigin(), now })
        invariantResponse(payment)
        return redirect(payment.redirectUrl)
      }
      case 'after-sale':
        return await afterSale(submission, input, user.id, orderId, form)
    }
  } catch (e) {
    return domainErrorReply(e, submission)
  }
}

export default function OrderDetail() {
  const { order, lines, requests, refunds, afterSaleDeadline, now } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, i18n } = useTranslation()
  const result = data && 'result' in data ? data.result : undefined
  const fe = result?.error ?? {}
  const afterSaleOpen =
    ['paid', 'shipped', 'received', 'completed'].includes(order.status) &&
    afterSaleDeadline !== null &&
    afterSaleDeadline > now &&
    !requests.some((r) => r.status === 'open')
  return (
    <div className="page order-page">
      <p>
        <Link to="/orders">← {t('orders.orders.title')}</Link>
      </p>
      <h1>
        {t('orders.orders.detail')} {order.id.slice(0, 8)} <OrderStatus status={order.status} late={order.late} />
      </h1>
      <p className="muted" data-testid="purchase-no">
        {t('orders.orders.purchaseNo', { no: order.purchaseNo })}
      </p>
      {params.get('paid') && order.status === 'paid' && (
        <p className="ok" role="status">
          {t('orders.orders.paidThanks')}
        </p>
      )}
      {params.get('payment') === 'failed' && (order.status === 'pending_payment' || order.status === 'cancelled') && (
        <p className="form-error" role="alert" data-testid="payment-failed">
          {order.status === 'pending_payment' && order.payBy
            ? t('orders.orders.paymentFailed', { time: formatDateTime(order.payBy, i18n.language) })
            : t('orders.orders.paymentFailedCancelled')}
        </p>
      )}
      <FormErrors form={replyErrors(result)} values={data && 'formError' in data ? data.formError : null} />
      {data && 'opened' in data && (
        <p className="ok" role="status">
          {t('orders.afterSale.opened')}
        </p>
      )}
      <p>
        {pick(i18n.language, order.brandName, order.brandNameEn)} ·{' '}
        <Price minor={order.goodsMinor} currency={order.currency} className="price big" />
        {order.refundedMinor > 0 && (
          <>
            {' '}
            ·{' '}
            <span className="muted">
              {t('orders.status.refunded')} <Price minor={order.refundedMinor} currency={order.currency} />
            </span>
          </>
        )}
      </p>
      {order.status === 'pending_payment' && order.payBy && (
        <div className="pay-box">
          <p className="pay-countdown" data-testid="pay-countdown">
            <Countdown to={order.payBy} label={t('phone.pay.countdown')} />
          </p>
          <p>{t('orders.orders.payBy', { time: formatDateTime(order.payBy, i18n.language) })}</p>
          <Form method="post" className="inline">
            <SubmitButton name="intent" value="pay" className="button primary">
              {t('orders.orders.pay')}
            </SubmitButton>
          </Form>{' '}
          <Form
            method="post"
            className="inline"
            onSubmit={(e) => {
              if (!confirm(t('orders.orders.cancelConfirm'))) e.preventDefault()
            }}
          >
            <button type="submit" name="intent" value="cancel" className="button">
              {t('orders.orders.cancel')}
            </button>
          </Form>
          <p className="muted">{t('orders.orders.cancelNote')}</p>
        </div>
      )}
      <h2>{t('orders.orders.lines')}</h2>
      <table className="data-table">
        <tbody>
          {lines.map((l) => (
            <tr key={l.id}>
              <td>
                <img src={productImageUrl(l, true)} alt="" width={48} height={64} />
              </td>
              <td>
                <Link to={`/products/${l.productId}`}>{pick(i18n.language, l.title, l.titleEn)}</Link>
                <br />
                <span className="muted">
                  {optionLabel(i18n.language, l.colour, l.colourEn)} / {optionLabel(i18n.language, l.size, l.sizeEn)}
                </span>
              </td>
              <td>
                × {l.quantity}
                {l.refundedQuantity > 0 && (
                  <span className="muted">
                    {' '}
                    ({t('orders.status.refunded')} {l.refundedQuantity})
                  </span>
                )}
              </td>
              <td>
                <Price minor={l.unitPriceMinor} currency={order.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('orders.orders.shipTo')}</h2>
      <p>
        {order.dropShip && <span className="badge">{t('orders.orders.dropShip')}</span>} {order.shipTo.recipient} ·{' '}
        {order.shipTo.phone} · {order.shipTo.region} {order.shipTo.line}
      </p>
      {order.shipByAt && order.status === 'paid' && (
        <p>
          {t('orders.orders.shipBy')}: {formatDateTime(order.shipByAt, i18n.language)}
        </p>
      )}
      {order.trackingNo && (
        <p data-testid="tracking">
          {t('orders.orders.carrier')}: {order.carrier} · {t('orders.orders.tracking')}: {order.trackingNo} ·{' '}
          {t('orders.orders.shippedAt')}: {formatDateTime(order.shippedAt!, i18n.language)}
        </p>
      )}
      {order.status === 'shipped' && (
        <Form
          method="post"
          onSubmit={(e) => {
            if (!confirm(t('orders.orders.confirmReceipt'))) e.preventDefault()
          }}
        >
          <button type="submit" name="intent" value="receive" className="button primary">
            {t('orders.orders.confirm')}
          </button>
        </Form>
      )}
      {refunds.length > 0 && (
        <>
          <h2>{t('orders.orders.refunds')}</h2>
          <ul>
            {refunds.map((r) => (
              <li key={r.id}>
                <Price minor={r.amountMinor} currency={order.currency} /> · <OrderStatus status={r.status} /> ·{' '}
                {formatDateTime(r.createdAt, i18n.language)}
                {r.status !== 'succeeded' && <span className="muted"> · {t('orders.orders.refundNotDone')}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {requests.length > 0 && (
        <>
          <h2>{t('orders.afterSale.requests')}</h2>
          <ul>
            {requests.map((r) => (
              <li key={r.id}>
                {t(`orders.afterSale.${r.kind}` as 'orders.afterSale.refund')} · {r.reason} ·{' '}
                <OrderStatus status={r.status} />
                {r.note && <> · {r.note}</>}
                {r.lines && (
                  <>
                    <br />
                    <span className="muted">
                      {t('orders.afterSale.covers')}:{' '}
                      {r.lines
                        .map((q) => {
                          const l = lines.find((x) => x.id === q.orderLineId)
                          return l
                            ? `${pick(i18n.language, l.title, l.titleEn)} ${optionLabel(i18n.language, l.colour, l.colourEn)}/${optionLabel(i18n.language, l.size, l.sizeEn)} × ${q.quantity}`
                            : ''
                        })
                        .join(' · ')}
                    </span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {afterSaleDeadline && ['paid', 'shipped', 'received', 'completed'].includes(order.status) && (
        <p className="muted">
          {t('orders.orders.afterSaleUntil', { time: formatDateTime(afterSaleDeadline, i18n.language) })}
        </p>
      )}
      {afterSaleOpen && (
        <details className="after-sale-box" open={!!fe.reason || !!fe.photos || !!fe.lines}>
          <summary>{t('orders.afterSale.title')}</summary>
          <Form method="post" encType="multipart/form-data" className="form-card">
            <input type="hidden" name="intent" value="after-sale" />
            <fieldset className="as-lines">
              <legend>{t('orders.afterSale.which')}</legend>
              {lines
                .filter((l) => l.quantity > l.refundedQuantity)
                .map((l) => (
                  <label key={l.id} className="as-line">
                    <span>
                      {pick(i18n.language, l.title, l.titleEn)}{' '}
                      <span className="muted">
                        {optionLabel(i18n.language, l.colour, l.colourEn)} /{' '}
                        {optionLabel(i18n.language, l.size, l.sizeEn)}
                      </span>
                    </span>
                    <input
                      type="number"
                      name={`qty:${l.id}`}
                      min={0}
                      max={l.quantity - l.refundedQuantity}
                      defaultValue={l.quantity - l.refundedQuantity}
                      className="qty"
                      aria-label={`${t('orders.afterSale.quantity')} ${pick(i18n.language, l.title, l.titleEn)}`}
                    />
                    <span className="muted">/ {l.quantity - l.refundedQuantity}</span>
                  </label>
                ))}
              <FieldErrors field={replyErrors(result, 'lines')} />
            </fieldset>
            <label htmlFor="as-kind">{t('orders.afterSale.kind')}</label>
            <select id="as-kind" name="kind">
              <option value="refund">{t('orders.afterSale.refund')}</option>
              <option value="return_refund">{t('orders.afterSale.return_refund')}</option>
            </select>
            <label htmlFor="as-reason">{t('orders.afterSale.reason')}</label>
            <textarea id="as-reason" name="reason" rows={3} maxLength={500} />
            <FieldErrors field={replyErrors(result, 'reason')} />
            <label htmlFor="as-photos">{t('orders.afterSale.photos')}</label>
            <input id="as-photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple />
            <FieldErrors field={replyErrors(result, 'photos')} />
            <button type="submit" className="button primary">
              {t('orders.afterSale.submit')}
            </button>
          </Form>
        </details>
      )}
    </div>
  )
}
