import { useTranslation } from 'react-i18next'
import type { MarkupRule } from '#app/domain/retail-pricing'

const ROUNDINGS = ['none', 'yuan', 'nine', 'dot_nine'] as const

/** Markup kind, amount (percent, or yuan for a fixed amount) and rounding, as form fields. */
export function MarkupFields({ initial, allowNone = false }: { initial: MarkupRule | null; allowNone?: boolean }) {
  const { t } = useTranslation()
  const value = initial ? (initial.kind === 'percent' ? String(initial.value / 100) : (initial.value / 100).toFixed(2)) : ''
  return (
    <div className="markup-fields">
      <label>
        {t('reseller.markup.kind')}
        <select name="markupKind" defaultValue={initial?.kind ?? (allowNone ? '' : 'percent')}>
          {allowNone && <option value="">{t('reseller.profile.none')}</option>}
          <option value="percent">{t('reseller.markup.percent')}</option>
          <option value="fixed">{t('reseller.markup.fixed')}</option>
        </select>
      </label>
      <label>
        {t('reseller.markup.value')}
        <input name="markupValue" defaultValue={value} inputMode="decimal" size={8} />
      </label>
      <label>
        {t('reseller.markup.rounding')}
        <select name="rounding" defaultValue={initial?.rounding ?? 'none'}>
          {ROUNDINGS.map((r) => <option key={r} value={r}>{t(`reseller.markup.roundings.${r}`)}</option>)}
        </select>
      </label>
    </div>
  )
}
