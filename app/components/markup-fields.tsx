import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { MarkupRule } from '#app/domain/retail-pricing'

const ROUNDINGS = ['none', 'yuan', 'nine', 'dot_nine'] as const

/** Markup kind, amount (percent, or yuan for a fixed amount) and rounding, as form fields. */
export function MarkupFields({ initial, allowNone = false }: { initial: MarkupRule | null; allowNone?: boolean }) {
  const { t } = useTranslation()
  const id = useId()
  const value = initial ? (initial.kind === 'percent' ? String(initial.value / 100) : (initial.value / 100).toFixed(2)) : ''
  return (
    <div className="markup-fields">
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('reseller.markup.kind')}</label>
        <select id={`${id}-kind`} name="markupKind" defaultValue={initial?.kind ?? (allowNone ? '' : 'percent')}>
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
        <select id={`${id}-rounding`} name="rounding" defaultValue={initial?.rounding ?? 'none'}>
          {ROUNDINGS.map((r) => <option key={r} value={r}>{t(`reseller.markup.roundings.${r}`)}</option>)}
        </select>
      </div>
    </div>
  )
}
