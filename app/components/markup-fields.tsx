import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { MarkupRule } from '#app/domain/retail-pricing'

const ROUNDINGS = ['none', 'yuan', 'nine', 'dot_nine'] as const

/**
 * Markup kind, amount (percent, or yuan for a fixed amount) and rounding, as form fields. `typed` (the fields as
 * they were submitted) wins over `initial`, so a form sent back after a preview or a refusal shows what she typed.
 */
export function MarkupFields({
  initial,
  allowNone = false,
  typed,
}: {
  initial: MarkupRule | null
  allowNone?: boolean
  typed?: { markupKind: string; markupValue: string; rounding: string }
}) {
  const { t } = useTranslation()
  const id = useId()
  const value = typed
    ? typed.markupValue
    : initial
      ? initial.kind === 'percent'
        ? String(initial.value / 100)
        : (initial.value / 100).toFixed(2)
      : ''
  const kind = typed ? typed.markupKind : (initial?.kind ?? (allowNone ? '' : 'percent'))
  const rounding =
    typed && (ROUNDINGS as readonly string[]).includes(typed.rounding) ? typed.rounding : (initial?.rounding ?? 'none')
  return (
    <div className="markup-fields">
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('reseller.markup.kind')}</label>
        <select id={`${id}-kind`} name="markupKind" defaultValue={kind}>
          {allowNone && <option value="">{t('reseller.profile.none')}</option>}
          <option value="percent">{t('reseller.markup.percent')}</option>
          <option value="fixed">{t('reseller.markup.fixed')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-value`}>{t('reseller.markup.value')}</label>
        <input id={`${id}-value`} name="markupValue" defaultValue={value} inputMode="decimal" size={8} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-rounding`}>{t('reseller.markup.rounding')}</label>
        <select id={`${id}-rounding`} name="rounding" defaultValue={rounding}>
          {ROUNDINGS.map((r) => (
            <option key={r} value={r}>
              {t(`reseller.markup.roundings.${r}`)}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}
