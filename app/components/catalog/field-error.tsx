import { useTranslation } from 'react-i18next'

/** A field's error: message keys under catalog.errors, with an optional ":param" (e.g. "exceeds_free:12"). */
export function FieldError({ errors, name }: { errors?: Record<string, string> | null; name: string }) {
  const { t } = useTranslation()
  const value = errors?.[name]
  if (!value) return null
  const [key, param] = value.split(':')
  return (
    <p className="field-error" role="alert" id={`${name}-error`}>
      {t(`catalog.errors.${key}` as 'catalog.errors.required', { free: param, defaultValue: key })}
    </p>
  )
}

export function FormError({
  errors,
}: {
  errors?: { formError?: string | null; fieldErrors?: Record<string, string> } | null
}) {
  const { t } = useTranslation()
  if (!errors?.formError || errors.formError === 'field_rule') return null
  if (errors.formError === 'bad_request' || errors.formError === 'allocation_exceeded') return null
  return (
    <p className="form-error" role="alert">
      {t(`catalog.errors.${errors.formError}` as 'catalog.errors.required', { defaultValue: errors.formError })}
    </p>
  )
}
