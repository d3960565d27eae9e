import { useTranslation } from 'react-i18next'

// Every Conform form reports errors the same way: the action answers `submission.reply(...)` whose messages are
// i18n keys (field rules from the Zod schema, business refusals as `formErrors`), and these two render them.

interface ErrorsOf {
  errors?: string[]
  errorId: string
}

type Values = Record<string, unknown>

function ErrorText({
  errors,
  id,
  className,
  values,
  alert,
}: {
  errors?: string[]
  id: string
  className: string
  values?: Values
  alert?: boolean
}) {
  const { t } = useTranslation()
  // Keys come from schemas and refusals at run time, so they are not the typed key union.
  const tr = t as unknown as (key: string, values?: Values) => string
  const key = errors?.[0]
  if (!key) return null
  return (
    <p className={className} id={id} role={alert ? 'alert' : undefined}>
      {tr(key, values)}
    </p>
  )
}

/** A field's first error, under the field, tied to its input by `aria-describedby` (Conform sets it). */
export function FieldErrors({ field, values }: { field: ErrorsOf; values?: Values }) {
  return <ErrorText errors={field.errors} id={field.errorId} className="field-error" values={values} />
}

/** The form's own error (a business refusal), above the fields, announced when it appears. */
export function FormErrors({ form, values }: { form: ErrorsOf; values?: Values }) {
  return <ErrorText errors={form.errors} id={form.errorId} className="form-error" values={values} alert />
}
