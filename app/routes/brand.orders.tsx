import { parseWithZod } from '@conform-to/zod'
import { z } from 'zod'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { OrderStatus } from '#app/components/order-status'
import { Price } from '#app/components/price'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { ShipSchema } from '#app/schemas/orders'
import { listBrandOrders, shipFromCsv, shipOrder } from '#app/services/orders/orders.server'
import { getDb } from '#app/utils/db.server'
import { formatDateTime } from '#app/utils/format'
import { domainErrorReply, invalidReply, invariantResponse } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  const filter = new URL(request.url).searchParams.get('view') === 'all' ? 'all' : 'to_ship'
  return json({ filter, orders: await listBrandOrders(getDb(), user.brand_id!, filter, new Date()) })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['brand_staff'])
  if (Number(request.headers.get('Content-Length') ?? 0) > 2_000_000)
    return invalidReply(null, { fieldErrors: { csv: ['orders.errors.tooLong'] }, status: 413 })
  const form = await request.formData().catch(() => new FormData())
  const now = new Date()
  if (form.get('intent') === 'csv') {
    const submission = parseWithZod(form, { schema: z.object({ intent: z.literal('csv') }) })
    const file = form.get('csv')
    const text =
      typeof file === 'object' && file && 'text' in file
        ? await (file as File).text()
        : typeof file === 'string'
          ? file
          : ''
    if (!text.trim()) return invalidReply(submission, { fieldErrors: { csv: ['orders.errors.required'] } })
    return json({ csv: await shipFromCsv(getDb(), { brandId: user.brand_id!, csv: text, now }) })
  }
  const submission = parseWithZod(form, { schema: ShipSchema })
  // Every order on the page has its own form: the reply says whose errors these are.
  const orderId = String(form.get('orderId') ?? '')
  if (submission.status !== 'success') return invalidReply(submission, { body: { orderId } })
  try {
    invariantResponse(await shipOrder(getDb(), { brandId: user.brand_id!, ...submission.value, now }))
    return json({ shipped: submission.value.orderId })
  } catch (e) {
    return domainErrorReply(e, submission, { body: { orderId } })
  }
}

export default function BrandOrders() {
  const { orders, filter } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { t, i18n } = useTranslation()
  const result = data && 'result' in data ? data.result : undefined
  const failedOrder = data && 'orderId' in data ? data.orderId : null
  const csv = data && 'csv' in data ? data.csv : null
  return (
    <div className="page">
      <h1>{t('orders.brand.title')}</h1>
      <nav className="tabs">
        <Link to="/brand/orders" aria-current={filter === 'to_ship' ? 'page' : undefined}>
          {t('orders.brand.toShip')}
        </Link>
        <Link to="/brand/orders?view=all" aria-current={filter === 'all' ? 'page' : undefined}>
          {t('orders.brand.all')}
        </Link>
        <a href="/brand/orders/packing-list">{t('orders.brand.packingList')}</a>
        <Link to="/brand/settlements">{t('orders.nav.settlements')}</Link>
      </nav>
      <FormErrors form={replyErrors(result)} values={data && 'formError' in data ? data.formError : null} />
      {data && 'shipped' in data && (
        <p className="ok" role="status">
          {t('orders.brand.shipped')}
        </p>
      )}
      {!orders.length ? (
        <p className="empty">{t('orders.brand.none')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('orders.orders.order')}</th>
              <th>{t('orders.orders.units')}</th>
              <th>{t('orders.orders.amount')}</th>
              <th>{t('orders.orders.shipTo')}</th>
              <th>{t('orders.brand.deadline')}</th>
              <th>{t('orders.orders.status')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id} className={o.late ? 'late' : ''} data-testid="brand-order">
                <td>
                  <code>{o.id.slice(0, 8)}</code>
                </td>
                <td data-label={t('orders.orders.units')}>{o.units}</td>
                <td data-label={t('orders.orders.amount')}>
                  <Price minor={o.goodsMinor} currency={o.currency} />
                </td>
                <td data-label={t('orders.orders.shipTo')}>
                  {o.dropShip && <span className="badge">{t('orders.orders.dropShip')}</span>} {o.shipTo.recipient} ·{' '}
                  {o.shipTo.region}
                  {o.sender && (
                    <>
                      <br />
                      <span className="muted small" data-testid="sender">
                        {t('customerOrders.brand.sender')}: {o.sender}
                      </span>
                    </>
                  )}
                </td>
                <td data-label={t('orders.brand.deadline')}>
                  {o.shipByAt ? formatDateTime(o.shipByAt, i18n.language) : '—'}
                </td>
                <td data-label={t('orders.orders.status')}>
                  <OrderStatus status={o.status} late={o.late} />
                  {o.trackingNo && (
                    <>
                      <br />
                      <span className="muted">
                        {o.carrier} {o.trackingNo}
                      </span>
                    </>
                  )}
                </td>
                <td>
                  {o.status === 'paid' && (
                    <Form method="post" className="inline ship-form">
                      <input type="hidden" name="orderId" value={o.id} />
                      <input
                        name="carrier"
                        placeholder={t('orders.orders.carrier')}
                        aria-label={t('orders.orders.carrier')}
                        size={8}
                      />
                      <input
                        name="trackingNo"
                        placeholder={t('orders.orders.tracking')}
                        aria-label={t('orders.orders.tracking')}
                        size={14}
                      />
                      <button type="submit" className="button">
                        {t('orders.brand.ship')}
                      </button>
                      {failedOrder === o.id && (
                        <>
                          <FieldErrors field={replyErrors(result, 'carrier')} />
                          <FieldErrors field={replyErrors(result, 'trackingNo')} />
                        </>
                      )}
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Form method="post" encType="multipart/form-data" className="form-card">
        <h2>{t('orders.brand.csvTitle')}</h2>
        <input type="hidden" name="intent" value="csv" />
        <input type="file" name="csv" accept=".csv,text/csv" aria-label={t('orders.brand.upload')} />
        <FieldErrors field={replyErrors(result, 'csv')} />
        <button type="submit" className="button">
          {t('orders.brand.upload')}
        </button>
        {csv && (
          <>
            <p role="status">
              {t('orders.brand.csvResult', {
                ok: csv.filter((r) => r.ok).length,
                failed: csv.filter((r) => !r.ok).length,
              })}
            </p>
            {csv.some((r) => !r.ok) && (
              <table className="data-table">
                <thead>
                  <tr>
                    <th>{t('orders.brand.row')}</th>
                    <th>{t('orders.orders.order')}</th>
                    <th>{t('orders.brand.error')}</th>
                  </tr>
                </thead>
                <tbody>
                  {csv
                    .filter((r) => !r.ok)
                    .map((r) => (
                      <tr key={r.row}>
                        <td>{r.row}</td>
                        <td>{r.orderId}</td>
                        <td>{t(`orders.brand.csvErrors.${r.error}` as 'orders.brand.csvErrors.not_found')}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Form>
    </div>
  )
}
