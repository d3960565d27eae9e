import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AddressFields } from '#app/components/address-fields'
import { FormErrors, replyErrors } from '#app/components/form-errors'
import { SubmitButton } from '#app/components/submit-button'
import { AddressIdSchema, AddressSchema } from '#app/schemas/orders'
import {
  addressBookPage,
  archiveAddress,
  saveAddressForm,
  setDefaultAddress,
} from '#app/services/orders/addresses.server'
import { getDb } from '#app/utils/db.server'
import { invalidReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'

const EditParam = z.object({ edit: z.string().uuid().optional() })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const q = EditParam.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!q.success) throw new Response('Bad request', { status: 400 })
  const page = await addressBookPage(getDb(), user.id, q.data.edit)
  if (!page) throw new Response('Not found', { status: 404 })
  return json(page)
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const form = await request.formData().catch(() => new FormData())
  const intent = form.get('intent')
  if (intent === 'archive' || intent === 'default') {
    const id = parseWithZod(form, { schema: AddressIdSchema })
    if (id.status !== 'success') return invalidReply(id)
    const change = intent === 'archive' ? archiveAddress : setDefaultAddress
    if (!(await change(getDb(), user.id, id.value.addressId, new Date())))
      throw new Response('Not found', { status: 404 })
    return json({ ok: true })
  }
  const submission = parseWithZod(form, { schema: AddressSchema.merge(AddressIdSchema.partial()) })
  if (submission.status !== 'success') return invalidReply(submission)
  const saved = await saveAddressForm(getDb(), user.id, submission.value)
  if (saved === 'not_found') throw new Response('Not found', { status: 404 })
  if (saved === 'invalid_region')
    return invalidReply(submission, { fieldErrors: { region: ['addresses.errors.region'] } })
  return redirect('/account/addresses?saved=1')
}

export default function Addresses() {
  const { addresses, editing, lists } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const { t } = useTranslation()
  const result = data && 'result' in data ? data.result : undefined
  // A refused form starts again from what was typed (the reply echoes it).
  const values = (result?.initialValue ?? null) as Record<string, string> | null
  const start = values ?? editing
  const formKey = editing?.id ?? 'new'
  const [params] = useSearchParams()
  return (
    <div className="page address-book">
      <h1>{t('orders.addresses.title')}</h1>
      {(['own', 'customer'] as const).map((kind) => {
        const mine = addresses.filter((a) => a.kind === kind)
        return (
          <section key={kind}>
            <h2>{t(kind === 'own' ? 'orders.addresses.own' : 'orders.addresses.customer')}</h2>
            {mine.length ? (
              <ul className="address-cards">
                {mine.map((a) => (
                  <li key={a.id} className="address-card" data-testid="address-card">
                    <p className="address-who">
                      <strong>{a.recipient}</strong> <span>{a.phone}</span>
                      {a.isDefault && <span className="badge default-badge">{t('addresses.default')}</span>}
                    </p>
                    <p className="address-where">
                      {a.region} {a.line}
                    </p>
                    {a.needsRegion && <p className="muted small">{t('addresses.needsRegion')}</p>}
                    <div className="address-actions">
                      <Link className="button small" to={`?edit=${a.id}#address-form`}>
                        {t('addresses.edit')}
                      </Link>
                      {!a.isDefault && (
                        <Form method="post" className="inline">
                          <input type="hidden" name="addressId" value={a.id} />
                          <SubmitButton className="button small" name="intent" value="default">
                            {t('addresses.makeDefault')}
                          </SubmitButton>
                        </Form>
                      )}
                      <Form method="post" className="inline">
                        <input type="hidden" name="addressId" value={a.id} />
                        <SubmitButton className="link-button" name="intent" value="archive">
                          {t('orders.addresses.archive')}
                        </SubmitButton>
                      </Form>
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t('orders.addresses.none')}</p>
            )}
          </section>
        )
      })}
      <Form method="post" className="form-card" id="address-form" key={formKey}>
        <h2>{editing ? t('addresses.editTitle') : t('addresses.newTitle')}</h2>
        {params.get('saved') && !data && (
          <p className="ok" role="status">
            {t('orders.addresses.saved')}
          </p>
        )}
        {editing && <input type="hidden" name="addressId" value={editing.id} />}
        <label htmlFor="kind">{t('orders.addresses.kind')}</label>
        <select id="kind" name="kind" defaultValue={start?.kind ?? 'own'}>
          <option value="own">{t('orders.addresses.own')}</option>
          <option value="customer">{t('orders.addresses.customer')}</option>
        </select>
        <AddressFields idPrefix="address" initial={start} lists={lists} errors={result?.error} />
        <label className="check">
          <input
            type="checkbox"
            name="makeDefault"
            defaultChecked={editing?.isDefault ?? values?.makeDefault === 'on'}
            disabled={editing?.isDefault}
          />{' '}
          {t('addresses.makeDefault')}
        </label>
        <FormErrors form={replyErrors(result)} />
        <div className="form-actions">
          <SubmitButton className="button primary">{t('orders.addresses.add')}</SubmitButton>
          {editing && (
            <Link className="button" to="/account/addresses">
              {t('addresses.cancel')}
            </Link>
          )}
        </div>
      </Form>
    </div>
  )
}
