import type { SubmissionResult } from '@conform-to/react'
import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AddressFields } from './address-fields'
import type { BagItem, BagLine, useBag } from './customer-bag'
import { FieldErrors, FormErrors, replyErrors } from './form-errors'
import { optionLabel } from './option-label'
import { pick } from './pick'
import { Price } from './price'

// Loaded when the bag opens (customer-bag.tsx), not with the page: the address pickers and the form's messages
// are not needed for a page's first screen.

export type BagRow = BagLine & { item: BagItem }

// The order form's reply (the app's one form contract): the field messages, or a refusal naming its item.
export type CheckoutResult = {
  result?: SubmissionResult<string[]>
  formError?: { code: string; item?: string; cap?: number }
}

type Errors = Record<string, string[] | undefined>

/** The reply's field messages by field; a bag line's own (`line[2]`) count as the bag's. */
function fieldErrorsOf(result: SubmissionResult<string[]> | undefined): Errors {
  const errors: Errors = {}
  for (const [name, messages] of Object.entries(result?.error ?? {})) {
    const field = name.replace(/\[\d+\]$/, '')
    if (name && messages?.length) errors[field] ??= messages
  }
  return errors
}

/** The open bag: its lines and the no-account checkout form. */
export default function BagCheckout({
  rows,
  bag,
  answer,
  idempotencyKey,
}: {
  rows: BagRow[]
  bag: ReturnType<typeof useBag>
  answer: CheckoutResult | undefined
  idempotencyKey: string
}) {
  const { t, i18n } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  const errors = fieldErrorsOf(answer?.result)
  return (
    <div className="bag-sheet" data-testid="bag-sheet">
      <h2 id="bag-title">{t('customerOrders.bag.title')}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('customerOrders.bag.empty')}</p>
      ) : (
        <ul className="bag-lines">
          {rows.map((r) => (
            <li key={r.skuId} data-testid="bag-line">
              <span>
                {pick(i18n.language, r.item.title, r.item.titleEn)} ·{' '}
                {optionLabel(i18n.language, r.option.colour, r.option.colourEn)} /{' '}
                {optionLabel(i18n.language, r.option.size, r.option.sizeEn)} × {r.quantity}
              </span>
              <Price minor={r.item.priceMinor * r.quantity} currency={r.item.currency} />
              <button type="button" className="link-button" onClick={() => bag.remove(r.skuId)}>
                {t('customerOrders.bag.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" className="bag-form" noValidate onSubmit={() => bag.sent()}>
        <h3>{t('customerOrders.form.title')}</h3>
        {rows.map((r) => (
          <input key={r.skuId} type="hidden" name="line" value={`${r.skuId}:${r.quantity}`} />
        ))}
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <FieldErrors field={{ errors: errors.line, errorId: 'bag-line-error' }} />
        <AddressFields idPrefix="bag" names={{ recipient: 'name', line: 'address' }} errors={errors} />
        <label htmlFor="bag-email">{t('customerOrders.form.email')}</label>
        <input
          id="bag-email"
          name="email"
          type="email"
          autoComplete="email"
          maxLength={254}
          aria-describedby={errors.email ? 'bag-email-error' : undefined}
        />
        <FieldErrors field={{ errors: errors.email, errorId: 'bag-email-error' }} />
        <FormErrors form={replyErrors(answer?.result, '')} values={answer?.formError} />
        <p className="muted small">{t('customerOrders.form.holdNote')}</p>
        <button type="submit" className="button primary" disabled={busy || rows.length === 0 || !idempotencyKey}>
          {t('customerOrders.form.submit')}
        </button>
      </Form>
    </div>
  )
}
