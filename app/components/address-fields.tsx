import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FieldErrors } from '#app/components/form-errors'

// The address fields as Chinese shoppers know them: paste a whole address to fill them, then province → city →
// district pickers that load one level at a time from /regions (the full list never ships to the phone).

interface Division {
  code: string
  name: string
}

export interface RegionLists {
  provinces: Division[]
  cities: Division[]
  districts: Division[]
}

export interface AddressValues {
  recipient: string
  phone: string
  provinceCode: string
  cityCode: string
  districtCode: string
  line: string
}

interface Recognised extends Partial<AddressValues> {
  lists?: RegionLists
}

const EMPTY: AddressValues = { recipient: '', phone: '', provinceCode: '', cityCode: '', districtCode: '', line: '' }

async function children(parent: string): Promise<Division[]> {
  const r = await fetch(parent ? `/regions?parent=${parent}` : '/regions')
  return r.ok ? ((await r.json()) as { options: Division[] }).options : []
}

export function AddressFields({
  idPrefix,
  names = {},
  initial,
  lists,
  errors: given,
}: {
  idPrefix: string
  /** Form field names where the form uses others (the customer checkout sends `name` and `address`). */
  names?: Partial<Record<'recipient' | 'line', string>>
  initial?: Partial<Record<keyof AddressValues, string | null>> | null
  lists?: RegionLists | null
  /** Field name → its errors (i18n keys), as a form reply carries them. */
  errors?: Record<string, string[] | null | undefined> | null
}) {
  const { t } = useTranslation()
  const errors = given ?? {}
  // The first of these fields that has an error; the region's three pickers share one message.
  const errorsOf = (...names: string[]) => ({
    errors: names.map((n) => errors[n]).find((e) => e?.length) ?? undefined,
    errorId: `${idPrefix}-${names[0]}-error`,
  })
  const [v, setV] = useState<AddressValues>({ ...EMPTY, ...clean(initial) })
  const [opts, setOpts] = useState<RegionLists>(lists ?? { provinces: [], cities: [], districts: [] })
  const pasteBox = useRef<HTMLTextAreaElement>(null)
  const [note, setNote] = useState<'' | 'filled' | 'partial' | 'none'>('')
  const seq = useRef(0)

  useEffect(() => {
    if (opts.provinces.length) return
    void children('').then((provinces) => setOpts((o) => ({ ...o, provinces })))
    // Only once: the province list never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const set = (k: keyof AddressValues) => (e: { target: { value: string } }) =>
    setV((x) => ({ ...x, [k]: e.target.value }))

  async function pickProvince(code: string) {
    const n = ++seq.current
    setV((x) => ({ ...x, provinceCode: code, cityCode: '', districtCode: '' }))
    setOpts((o) => ({ ...o, cities: [], districts: [] }))
    if (!code) return
    const cities = await children(code)
    if (n !== seq.current) return
    setOpts((o) => ({ ...o, cities }))
    // Municipalities have one city: choose it so the district list follows at once.
    if (cities.length === 1) void pickCity(cities[0]!.code, n)
  }

  async function pickCity(code: string, n = ++seq.current) {
    setV((x) => ({ ...x, cityCode: code, districtCode: '' }))
    setOpts((o) => ({ ...o, districts: [] }))
    if (!code) return
    const districts = await children(code)
    if (n === seq.current) setOpts((o) => ({ ...o, districts }))
  }

  async function recognise(text: string) {
    if (!text.trim()) return
    const n = ++seq.current
    const body = new FormData()
    body.set('text', text)
    const r = await fetch('/regions', { method: 'POST', body })
    if (!r.ok || n !== seq.current) return
    const found = (await r.json()) as Recognised
    const { lists: got, ...fields } = found
    const filled = clean(fields)
    setV((x) => ({
      ...x,
      ...filled,
      ...(filled.provinceCode ? { cityCode: filled.cityCode ?? '', districtCode: filled.districtCode ?? '' } : {}),
    }))
    if (got && filled.provinceCode) setOpts(got)
    setNote(!Object.keys(filled).length ? 'none' : filled.districtCode && filled.line ? 'filled' : 'partial')
  }

  const id = (k: string) => `${idPrefix}-${k}`
  const recipientName = names.recipient ?? 'recipient'
  const lineName = names.line ?? 'line'
  return (
    <div className="address-fields">
      <div className="address-paste">
        <label htmlFor={id('paste')}>{t('addresses.paste.label')}</label>
        <textarea
          id={id('paste')}
          rows={2}
          maxLength={500}
          ref={pasteBox}
          placeholder={t('addresses.paste.placeholder')}
          onPaste={(e) => {
            const text = e.clipboardData.getData('text')
            if (text) void recognise(text)
          }}
        />
        <button type="button" className="button" onClick={() => void recognise(pasteBox.current?.value ?? '')}>
          {t('addresses.paste.recognise')}
        </button>
        {note && (
          <p className={note === 'filled' ? 'ok small' : 'muted small'} role="status">
            {t(`addresses.paste.${note}`)}
          </p>
        )}
      </div>
      <label htmlFor={id('recipient')}>{t('addresses.fields.recipient')}</label>
      <input
        id={id('recipient')}
        name={recipientName}
        autoComplete="name"
        maxLength={60}
        required
        value={v.recipient}
        onChange={set('recipient')}
        aria-invalid={errors[recipientName] ? true : undefined}
      />
      <FieldErrors field={errorsOf(recipientName)} />
      <label htmlFor={id('phone')}>{t('addresses.fields.phone')}</label>
      <input
        id={id('phone')}
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        maxLength={25}
        required
        value={v.phone}
        onChange={set('phone')}
        aria-invalid={errors.phone ? true : undefined}
      />
      <FieldErrors field={errorsOf('phone')} />
      <fieldset className="region-pickers">
        <legend>{t('addresses.fields.region')}</legend>
        <div className="region-row">
          <RegionSelect
            id={id('province')}
            name="provinceCode"
            label={t('addresses.fields.province')}
            options={opts.provinces}
            value={v.provinceCode}
            onChange={(code) => void pickProvince(code)}
          />
          <RegionSelect
            id={id('city')}
            name="cityCode"
            label={t('addresses.fields.city')}
            options={opts.cities}
            value={v.cityCode}
            onChange={(code) => void pickCity(code)}
            disabled={!opts.cities.length}
          />
          <RegionSelect
            id={id('district')}
            name="districtCode"
            label={t('addresses.fields.district')}
            options={opts.districts}
            value={v.districtCode}
            onChange={(code) => setV((x) => ({ ...x, districtCode: code }))}
            disabled={!opts.districts.length}
            invalid={!!(errors.districtCode || errors.region)}
          />
        </div>
        <FieldErrors field={errorsOf('region', 'provinceCode', 'cityCode', 'districtCode')} />
      </fieldset>
      <label htmlFor={id('line')}>{t('addresses.fields.line')}</label>
      <input
        id={id('line')}
        name={lineName}
        autoComplete="street-address"
        maxLength={200}
        required
        placeholder={t('addresses.fields.linePlaceholder')}
        value={v.line}
        onChange={set('line')}
        aria-invalid={errors[lineName] ? true : undefined}
      />
      <FieldErrors field={errorsOf(lineName)} />
    </div>
  )
}

/** One level of the province → city → district pickers. */
function RegionSelect(props: {
  id: string
  name: string
  label: string
  options: Division[]
  value: string
  onChange: (code: string) => void
  disabled?: boolean
  invalid?: boolean
}) {
  return (
    <>
      <label htmlFor={props.id} className="sr-only">
        {props.label}
      </label>
      <select
        id={props.id}
        name={props.name}
        required
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.invalid ? true : undefined}
      >
        <option value="">{props.label}</option>
        {props.options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
    </>
  )
}

function clean(values: Partial<Record<keyof AddressValues, string | null>> | null | undefined): Partial<AddressValues> {
  const out: Partial<AddressValues> = {}
  for (const [k, val] of Object.entries(values ?? {}))
    if (typeof val === 'string' && val && k in EMPTY) out[k as keyof AddressValues] = val
  return out
}
