import { useTranslation } from 'react-i18next'

export interface FormError {
  code: string
  message?: string
  [k: string]: unknown
}

/** A business refusal (409/422) in the viewer's language, naming the item when there is one. */
export function Refusal({ error }: { error: FormError | null | undefined }) {
  const { t } = useTranslation()
  if (!error) return null
  // A stock refusal carries a count only when few are left.
  const key =
    error.code === 'sold_out' && typeof error.left === 'number'
      ? 'orders.refusal.sold_out_few'
      : `orders.refusal.${error.code}`
  const text = t(key as 'orders.refusal.generic', error as Record<string, string>)
  return (
    <p className="form-error" role="alert">
      {text === key ? t('orders.refusal.generic') : text}
    </p>
  )
}

export function FieldError({ errors }: { errors?: string[] }) {
  const { t } = useTranslation()
  if (!errors?.length) return null
  return <p className="field-error">{t(errors[0] as 'orders.errors.required')}</p>
}
