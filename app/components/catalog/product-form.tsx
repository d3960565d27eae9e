import { Form, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CATEGORIES } from '#app/domain/platform-rules'
import { suggestOptionNameEn } from '#app/domain/option-names'
import { fenToYuan } from '#app/domain/session-items'
import { productImageUrl } from '#app/utils/images'
import { fieldReply, FieldErrors, FormErrors, replyErrors, type FormReply } from '../form-errors'

export interface ProductFormValues {
  styleCode: string | null
  title: string
  titleEn: string
  description: string
  descriptionEn?: string
  category: string
  tagPriceMinor: number
  tagCut: boolean
  imageSeed: string
  imagePath: string | null
  skus: {
    id?: string
    size: string
    colour: string
    sizeEn?: string
    colourEn?: string
    barcode: string
    stock: number
    held?: number
  }[]
}

type OptionKind = 'size' | 'colour'
const nameKey = (kind: OptionKind, value: string) => `${kind}\u0000${value.trim()}`

type Row = { key: number; id?: string; size: string; colour: string; barcode: string; stock: string; held?: number }
let nextKey = 1

export function ProductForm({
  product,
  reply,
  maxMb,
}: {
  product: ProductFormValues | null
  /** The product form's last answer: field errors and a refusal, in the one reply shape. */
  reply?: FormReply | null
  maxMb: number
}) {
  const { t } = useTranslation()
  const nav = useNavigation()
  const [rows, setRows] = useState<Row[]>(() =>
    product?.skus.length
      ? product.skus.map((k) => ({
          key: nextKey++,
          id: k.id,
          size: k.size,
          colour: k.colour,
          barcode: k.barcode,
          stock: String(k.stock),
          held: k.held,
        }))
      : [{ key: nextKey++, size: '', colour: '', barcode: '', stock: '0' }],
  )
  // English names per size and colour value: the brand's own once typed, else the dictionary's suggestion.
  const [names, setNames] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      (product?.skus ?? []).flatMap((k) => [
        [nameKey('size', k.size), k.sizeEn ?? ''],
        [nameKey('colour', k.colour), k.colourEn ?? ''],
      ]),
    ),
  )
  const optionValues = (['size', 'colour'] as const).flatMap((kind) =>
    [...new Set(rows.map((r) => r[kind].trim()).filter(Boolean))].map((value) => ({ kind, value })),
  )
  const [sizes, setSizes] = useState('')
  const [colours, setColours] = useState('')
  const invalid = (name: string) => Boolean(reply?.result?.error?.[name])
  const errorOf = (name: string) => <FieldErrors {...fieldReply(reply, name)} />
  const update = (key: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)))
  function generate() {
    const ss = sizes
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean)
    const cs = colours
      .split(/[,，\s]+/)
      .map((s) => s.trim())
      .filter(Boolean)
    if (!ss.length || !cs.length) return
    setRows((rs) => {
      const kept = rs.filter((r) => r.id || r.barcode)
      const out = [...kept]
      for (const c of cs)
        for (const s of ss)
          if (!out.some((r) => r.size === s && r.colour === c))
            out.push({ key: nextKey++, size: s, colour: c, barcode: '', stock: '0' })
      return out
    })
  }
  return (
    <Form method="post" encType="multipart/form-data" className="catalog-form" noValidate>
      <FormErrors form={replyErrors(reply?.result)} values={reply?.formError} />
      <div className="form-grid">
        <label>
          {t('catalog.products.styleCode')}
          <input
            name="styleCode"
            defaultValue={product?.styleCode ?? ''}
            required
            maxLength={64}
            aria-invalid={invalid('styleCode')}
            aria-describedby={invalid('styleCode') ? 'styleCode-error' : undefined}
          />
        </label>
        {errorOf('styleCode')}
        <label>
          {t('catalog.products.titleZh')}
          <input
            name="title"
            defaultValue={product?.title ?? ''}
            required
            maxLength={200}
            aria-invalid={invalid('title')}
            aria-describedby={invalid('title') ? 'title-error' : undefined}
          />
        </label>
        {errorOf('title')}
        <label>
          {t('catalog.products.titleEn')}
          <input name="titleEn" defaultValue={product?.titleEn ?? ''} maxLength={200} />
        </label>
        {errorOf('titleEn')}
        <label>
          {t('catalog.products.category')}
          <select name="category" defaultValue={product?.category ?? 'womens'}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`categories.${c}`)}
              </option>
            ))}
          </select>
        </label>
        {errorOf('category')}
        <label>
          {t('catalog.products.tagPrice')}
          <input
            name="tagPrice"
            inputMode="decimal"
            defaultValue={product ? fenToYuan(product.tagPriceMinor) : ''}
            required
            aria-invalid={invalid('tagPrice')}
            aria-describedby={invalid('tagPrice') ? 'tagPrice-error' : undefined}
          />
        </label>
        {errorOf('tagPrice')}
        <label className="checkbox">
          <input type="checkbox" name="tagCut" defaultChecked={product?.tagCut ?? false} />{' '}
          {t('catalog.products.tagCut')}
        </label>
        <label>
          {t('catalog.products.description')}
          <textarea name="description" defaultValue={product?.description ?? ''} rows={3} maxLength={2000} />
        </label>
        {errorOf('description')}
        <label>
          {t('brandConsole.product.descriptionEn')}
          <textarea name="descriptionEn" defaultValue={product?.descriptionEn ?? ''} rows={3} maxLength={2000} />
        </label>
        {errorOf('descriptionEn')}
        <div className="image-field">
          {product && (
            <img
              src={productImageUrl(product, true)}
              alt={t('catalog.products.currentImage')}
              width={120}
              height={160}
            />
          )}
          <label>
            {t('catalog.products.image')}
            <input type="file" name="image" accept="image/jpeg,image/png,image/webp" />
          </label>
          <p className="hint">{t('catalog.products.imageHint', { mb: maxMb })}</p>
          {errorOf('image')}
        </div>
      </div>
      <fieldset className="sku-matrix">
        <legend>{t('catalog.products.skus')}</legend>
        <div className="matrix-generator">
          <label>
            {t('catalog.products.sizes')}
            <input value={sizes} onChange={(e) => setSizes(e.target.value)} placeholder="S, M, L" />
          </label>
          <label>
            {t('catalog.products.colours')}
            <input value={colours} onChange={(e) => setColours(e.target.value)} placeholder="黑色, 米白" />
          </label>
          <button type="button" className="button secondary" onClick={generate}>
            {t('catalog.products.generate')}
          </button>
        </div>
        {errorOf('skus')}
        <table className="sku-edit">
          <thead>
            <tr>
              <th>{t('catalog.products.size')}</th>
              <th>{t('catalog.products.colour')}</th>
              <th>{t('catalog.products.barcode')}</th>
              <th>{t('catalog.products.stock')}</th>
              <th>{t('catalog.products.held')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <td>
                  {r.id && <input type="hidden" name={`skus[${i}].id`} value={r.id} />}
                  <input
                    name={`skus[${i}].size`}
                    value={r.size}
                    onChange={(e) => update(r.key, { size: e.target.value })}
                    aria-label={`${t('catalog.products.size')} ${i + 1}`}
                  />
                  {errorOf(`skus[${i}].size`)}
                </td>
                <td>
                  <input
                    name={`skus[${i}].colour`}
                    value={r.colour}
                    onChange={(e) => update(r.key, { colour: e.target.value })}
                    aria-label={`${t('catalog.products.colour')} ${i + 1}`}
                  />
                  {errorOf(`skus[${i}].colour`)}
                </td>
                <td>
                  <input
                    name={`skus[${i}].barcode`}
                    value={r.barcode}
                    onChange={(e) => update(r.key, { barcode: e.target.value })}
                    aria-label={`${t('catalog.products.barcode')} ${i + 1}`}
                  />
                  {errorOf(`skus[${i}].barcode`)}
                </td>
                <td>
                  <input
                    name={`skus[${i}].stock`}
                    value={r.stock}
                    inputMode="numeric"
                    onChange={(e) => update(r.key, { stock: e.target.value })}
                    aria-label={`${t('catalog.products.stock')} ${i + 1}`}
                    className="narrow"
                  />
                  {errorOf(`skus[${i}].stock`)}
                </td>
                <td className="muted">{r.held ?? 0}</td>
                <td>
                  {rows.length > 1 && (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                    >
                      {t('catalog.products.removeRow')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          type="button"
          className="button secondary"
          onClick={() => setRows((rs) => [...rs, { key: nextKey++, size: '', colour: '', barcode: '', stock: '0' }])}
        >
          {t('catalog.products.addRow')}
        </button>
      </fieldset>
      {optionValues.length > 0 && (
        <fieldset className="option-names">
          <legend>{t('catalog.products.optionNames')}</legend>
          <p className="hint">{t('catalog.products.optionNamesHint')}</p>
          <div className="form-grid">
            {optionValues.map((o, j) => {
              const key = nameKey(o.kind, o.value)
              return (
                <label key={key}>
                  {t(`catalog.products.${o.kind}`)} {o.value}
                  <input type="hidden" name={`optionNames[${j}].kind`} value={o.kind} />
                  <input type="hidden" name={`optionNames[${j}].value`} value={o.value} />
                  <input
                    name={`optionNames[${j}].en`}
                    value={names[key] ?? suggestOptionNameEn(o.value)}
                    onChange={(e) => setNames((n) => ({ ...n, [key]: e.target.value }))}
                    maxLength={32}
                    lang="en"
                  />
                </label>
              )
            })}
          </div>
        </fieldset>
      )}
      <button type="submit" className="button" disabled={nav.state === 'submitting'}>
        {t('catalog.products.save')}
      </button>
    </Form>
  )
}
