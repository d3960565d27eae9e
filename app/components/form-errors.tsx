import type { SubmissionResult } from '@conform-to/react'
import { useTranslation } from 'react-i18next'

// Every form reports errors the same way: the action answers `submission.reply(...)` whose messages are i18n keys
// (field rules from the Zod schema, business refusals as `formErrors`), and these two render them.

interface ErrorsOf {
  errors?: string[]
  errorId: string
}

// The reply's `formError` (a refusal's code and details) as it comes out of useActionData, typed loosely.
type Values = unknown

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
  const { t, i18n } = useTranslation()
  // Keys come from schemas and refusals at run time, so they are not the typed key union.
  const tr = t as unknown as (key: string, values?: object) => string
  const key = errors?.[0]
  const words = values && typeof values === 'object' ? values : undefined
  if (!key) return null
  // A refusal this page has no words for reads as its section's generic refusal.
  const generic = key.replace(/[^.]+$/, 'generic')
  const text = i18n.exists(key) || !i18n.exists(generic) ? tr(key, words) : tr(generic, words)
  return (
    <p className={className} id={id} role={alert ? 'alert' : undefined}>
      {text}
    </p>
  )
}

/** A field's first error, under the field, tied to its input by `aria-describedby` (Conform sets it). */
export function FieldErrors({ field, values }: { field: ErrorsOf; values?: Values }) {
  return <ErrorText errors={field.errors} id={field.errorId} className="field-error" values={values} />
}

/**
 * The form's own error (a business refusal), above the fields, announced when it appears. `values` words it
 * (the reply's `formError`: the item's name, a cap).
 */
export function FormErrors({ form, values }: { form: ErrorsOf; values?: Values }) {
  return <ErrorText errors={form.errors} id={form.errorId} className="form-error" values={values} alert />
}

/**
 * One field's (or, with '', the form's) errors from a reply, for forms that are rows of a list and so have no
 * `useForm` each: `<FieldErrors field={replyErrors(data?.result, 'note')} />`.
 */
export function replyErrors(result: SubmissionResult<string[]> | undefined | null, name = ''): ErrorsOf {
  return { errors: result?.error?.[name] ?? undefined, errorId: `${name || 'form'}-error` }
}

/** What a form's action answered, as the page reads it from useActionData. */
export interface FormReply {
  result?: SubmissionResult<string[]> | null
  formError?: Values
}

/**
 * One field's errors and the words of its message (a FieldRuleError's `values`, e.g. how many are free), for
 * pages that render their fields without `useForm`: `<FieldErrors {...fieldReply(data, 'skus[0].quantity')} />`.
 */
export function fieldReply(reply: FormReply | null | undefined, name: string) {
  const all = (reply?.formError as { values?: Record<string, object> } | undefined)?.values
  return { field: replyErrors(reply?.result, name), values: all?.[name] }
}
