import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FieldError } from '#app/components/refusal'
import { AddressSchema } from '#app/schemas/orders'
import { archiveAddress, createAddress, listAddresses } from '#app/services/orders/addresses.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'
import { SubmitButton } from '#app/components/submit-button'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json({ addresses: await listAddresses(getDb(), user.id) })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const body = await request.formData().catch(() => null)
  if (!body) return json({ fieldErrors: { form: ['orders.errors.invalid'] } }, { status: 400 })
  const form = Object.fromEntries(body)
  if (form.intent === 'archive') {
    const id = z.string().uuid().safeParse(form.addressId)
    if (!id.success) return json({ fieldErrors: { addressId: ['orders.errors.invalid'] } }, { status: 400 })
    const done = await archiveAddress(getDb(), user.id, id.data, new Date())
    if (!done) throw new Response('Not found', { status: 404 })
    return json({ ok: true })
  }
  const parsed = AddressSchema.safeParse(form)
  if (!parsed.success) return json({ fieldErrors: parsed.error.flatten().fieldErrors, values: form }, { status: 400 })
  await createAddress(getDb(), user.id, parsed.data)
  return json({ ok: true, saved: true })
}

export default function Addresses() {
  const { addresses } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { t } = useTranslation()
  const fe = (data && 'fieldErrors' in data ? data.fieldErrors : {}) as Record<string, string[] | undefined>
  const values = (data && 'values' in data ? data.values : {}) as Record<string, string>
  return (
    <div className="page">
      <h1>{t('orders.addresses.title')}</h1>
      {(['own', 'customer'] as const).map((kind) => (
        <section key={kind}>
          <h2>{t(kind === 'own' ? 'orders.addresses.own' : 'orders.addresses.customer')}</h2>
          {addresses.filter((a) => a.kind === kind).length ? (
            <ul className="address-list">
              {addresses
                .filter((a) => a.kind === kind)
                .map((a) => (
                  <li key={a.id}>
                    <span>
                      {a.recipient} · {a.phone} · {a.region} {a.line}
                    </span>
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="archive" />
                      <input type="hidden" name="addressId" value={a.id} />
                      <button type="submit" className="link-button">
                        {t('orders.addresses.archive')}
                      </button>
                    </Form>
                  </li>
                ))}
            </ul>
          ) : (
            <p className="muted">{t('orders.addresses.none')}</p>
          )}
        </section>
      ))}
      <Form method="post" className="form-card">
        {data && 'saved' in data && (
          <p className="ok" role="status">
            {t('orders.addresses.saved')}
          </p>
        )}
        <label htmlFor="kind">{t('orders.addresses.kind')}</label>
        <select id="kind" name="kind" defaultValue={values.kind ?? 'own'}>
          <option value="own">{t('orders.addresses.own')}</option>
          <option value="customer">{t('orders.addresses.customer')}</option>
        </select>
        {(['recipient', 'phone', 'region', 'line'] as const).map((f) => (
          <div key={f}>
            <label htmlFor={f}>{t(`orders.addresses.${f}`)}</label>
            <input id={f} name={f} defaultValue={values[f] ?? ''} aria-invalid={fe[f] ? true : undefined} />
            <FieldError errors={fe[f]} />
          </div>
        ))}
        <SubmitButton className="button primary">{t('orders.addresses.add')}</SubmitButton>
      </Form>
    </div>
  )
}
