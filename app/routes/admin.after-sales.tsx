import { parseWithZod } from '@conform-to/zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { optionLabel } from '#app/components/option-label'
import { OrderStatus } from '#app/components/order-status'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { DecideAfterSaleSchema } from '#app/schemas/orders'
import {
  decideAfterSale,
  listAfterSales,
  listUnsettledRefunds,
  retryRefund,
} from '#app/services/orders/after-sales.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { domainErrorReply, invalidReply, invariantResponse, lineQuantities } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, ['operator'])
  const all = new URL(request.url).searchParams.get('view') === 'all'
  const [requests, unsettled] = await Promise.all([
    listAfterSales(getDb(), all ? 'all' : 'open'),
    listUnsettledRefunds(getDb()),
  ])
  return json({ requests, unsettled })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['operator'])
  const form = await request.formData().catch(() => new FormData())
  const submission = parseWithZod(form, { schema: DecideAfterSaleSchema })
  // Every request on the page has its own form: the reply says whose errors these are.
  const requestId = String(form.get('requestId') ?? '')
  if (submission.status !== 'success') return invalidReply(submission, { body: { requestId } })
  const input = submission.value
  const now = new Date()
  try {
    if (input.intent === 'retry') {
      const r = await retryRefund(getDb(), { refundId: input.refundId })
      invariantResponse(r)
      return json({ retried: r.status })
    }
    if (input.intent === 'reject') {
      invariantResponse(
        await decideAfterSale(getDb(), {
          operatorId: user.id,
          requestId: input.requestId,
          approve: false,
          note: input.note,
          now,
        }),
      )
      return json({ decided: input.requestId })
    }
    const lines = input.scope === 'lines' ? lineQuantities(form) : ('all' as const)
    if (lines === null)
      return invalidReply(submission, { fieldErrors: { lines: ['orders.afterSale.badQuantity'] }, body: { requestId } })
    const r = await decideAfterSale(getDb(), {
      operatorId: user.id,
      requestId: input.requestId,
      approve: true,
      lines,
      now,
    })
    invariantResponse(r)
    return json({ decided: input.requestId })
  } catch (e) {
    return domainErrorReply(e, submission, { body: { requestId } })
  }
}

export default function AdminAfterSales() {
  const { requests, unsettled } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const result = data && 'result' in data ? data.result : undefined
  const errorsOf = (requestId: string, field: string) =>
    data && 'requestId' in data && data.requestId === requestId ? (
      <FieldErrors field={replyErrors(result, field)} />
    ) : null
  return (
    <div className="page">
      <h1>{t('orders.admin.afterSalesTitle')}</h1>
      <FormErrors form={replyErrors(result)} values={data && 'formError' in data ? data.formError : null} />
      {data && 'decided' in data && (
        <p className="ok" role="status">
          {t('orders.admin.decided')}
        </p>
      )}
      {data && 'retried' in data && (
        <p className={data.retried === 'succeeded' ? 'ok' : 'warn'} role="status">
          {t(`orders.status.${data.retried}` as 'orders.status.pending')}
        </p>
      )}
      {unsettled.length > 0 && (
        <section className="form-card refunds-unsettled" data-testid="unsettled-refunds">
          <h2>{t('orders.admin.unsettledTitle')}</h2>
          <p className="muted">{t('orders.admin.unsettledHelp')}</p>
          <table className="data-table">
            <tbody>
              {unsettled.map((f) => (
                <tr key={f.id}>
                  <td>
                    {pick(i18n.language, f.brandName, f.brandNameEn)} · {f.orderId.slice(0, 8)}
                    <br />
                    <span className="muted">
                      {f.member} · {formatDateTime(f.createdAt, i18n.language)}
                    </span>
                  </td>
                  <td>
                    <Price minor={f.amountMinor} currency={f.currency} />
                  </td>
                  <td>
                    <OrderStatus status={f.status} />
                    {f.error && (
                      <>
                        <br />
                        <span className="muted">{f.error}</span>
                      </>
                    )}
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="refundId" value={f.id} />
                      <button type="submit" name="intent" value="retry" className="button">
                        {t('orders.admin.retryRefund')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!requests.length && <p className="empty">{t('orders.admin.noRequests')}</p>}
      {requests.map((r) => (
        <article key={r.id} className="form-card after-sale" data-testid="after-sale">
          <h2>
            {pick(i18n.language, r.brandName, r.brandNameEn)} · {r.orderId.slice(0, 8)} ·{' '}
            {t(`orders.afterSale.${r.kind}` as 'orders.afterSale.refund')} <OrderStatus status={r.status} />
          </h2>
          <p>
            {t('orders.admin.member')}: {r.member}
            {r.customer && (
              <>
                {' '}
                · {t('customerOrders.admin.customer')}: {r.customer}
              </>
            )}{' '}
            · {formatDateTime(r.createdAt, i18n.language)} · <Price minor={r.goodsMinor} currency={r.currency} />{' '}
            <OrderStatus status={r.orderStatus} />
          </p>
          <blockquote>{r.reason}</blockquote>
          {r.photos.length > 0 && (
            <p className="photos">
              {r.photos.map((p) => (
                <a key={p} href={`/admin/after-sales/photo/${p}`} target="_blank" rel="noreferrer">
                  <img src={`/admin/after-sales/photo/${p}`} alt={t('orders.admin.photo')} width={96} />
                </a>
              ))}
            </p>
          )}
          {r.note && <p>{r.note}</p>}
          {r.refunds.length > 0 && (
            <p>
              {t('orders.orders.refunds')}:{' '}
              {r.refunds.map((f) => (
                <span key={f.id} className="refund-chip">
                  <Price minor={f.amountMinor} currency={r.currency} /> <OrderStatus status={f.status} />
                </span>
              ))}
            </p>
          )}
          {r.status === 'open' && (
            <>
              <Form method="post">
                <input type="hidden" name="requestId" value={r.id} />
                <table className="data-table">
                  <tbody>
                    <tr>
                      <th>{t('orders.orders.lines')}</th>
                      <th>{t('orders.admin.bought')}</th>
                      <th>{t('orders.admin.unit')}</th>
                      <th>{t('orders.admin.asked')}</th>
                      <th>{t('orders.admin.refundQty')}</th>
                    </tr>
                    {r.lines.map((l) => (
                      <tr key={l.id} className={l.requestedQuantity > 0 ? 'requested' : undefined}>
                        <td>
                          {pick(i18n.language, l.title, l.titleEn)} {optionLabel(i18n.language, l.colour, l.colourEn)}/
                          {optionLabel(i18n.language, l.size, l.sizeEn)}
                        </td>
                        <td>
                          × {l.quantity}
                          {l.refundedQuantity > 0 && ` (${t('orders.status.refunded')} ${l.refundedQuantity})`}
                        </td>
                        <td>
                          <Price minor={l.unitPriceMinor} currency={r.currency} />
                        </td>
                        <td>{l.requestedQuantity}</td>
                        <td>
                          <input
                            type="number"
                            name={`qty:${l.id}`}
                            min={0}
                            max={l.quantity - l.refundedQuantity}
                            defaultValue={l.requestedQuantity}
                            className="qty"
                            aria-label={t('orders.admin.refundQty')}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {errorsOf(r.id, 'lines')}
                <button
                  type="submit"
                  name="intent"
                  value="approve"
                  className="button primary"
                  onClick={(e) => {
                    ;(e.currentTarget.form!.elements.namedItem('scope') as HTMLInputElement).value = 'lines'
                  }}
                >
                  {t('orders.admin.approveLines')}
                </button>{' '}
                <button
                  type="submit"
                  name="intent"
                  value="approve"
                  className="button"
                  onClick={(e) => {
                    ;(e.currentTarget.form!.elements.namedItem('scope') as HTMLInputElement).value = 'full'
                  }}
                >
                  {t('orders.admin.approveFull')}
                </button>
                <input type="hidden" name="scope" defaultValue="lines" />
              </Form>
              <Form method="post" className="reject-form">
                <input type="hidden" name="requestId" value={r.id} />
                <input type="hidden" name="intent" value="reject" />
                <label>
                  {t('orders.admin.rejectReason')} <input name="note" />
                </label>
                {errorsOf(r.id, 'note')}
                <button type="submit" className="button">
                  {t('orders.admin.reject')}
                </button>
              </Form>
            </>
          )}
        </article>
      ))}
    </div>
  )
}
