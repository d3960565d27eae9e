import { Form, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FieldErrors, replyErrors, type FormReply } from '../form-errors'
import { SubmitButton } from '../submit-button'

/** The brand's photos of one product: up to nine, in order (the first is the cover); add several at once. */
export function PhotoManager({
  productId,
  photos,
  max,
  reply,
}: {
  productId: string
  photos: string[]
  max: number
  /** The photo form's last answer (its errors are on `photos`). */
  reply?: FormReply | null
}) {
  const { t } = useTranslation()
  const nav = useNavigation()
  const action = `/brand/products/${productId}?photos`
  return (
    <section className="photo-manager catalog-form" aria-labelledby="photos-heading">
      <h2 id="photos-heading">{t('phone.photos.title', { count: photos.length, max })}</h2>
      <p className="hint">{t('phone.photos.hint')}</p>
      {photos.length > 0 && (
        <ol className="photo-list">
          {photos.map((p, i) => (
            <li key={p}>
              <img src={`/uploads/${p}-thumb.webp`} alt={t('phone.photos.alt', { n: i + 1 })} width={96} height={128} />
              {i === 0 && <span className="pill">{t('phone.photos.cover')}</span>}
              <Form method="post" action={action} className="photo-actions">
                <input type="hidden" name="photo" value={p} />
                {i > 0 && (
                  <button type="submit" name="intent" value="first" className="button small">
                    {t('phone.photos.makeCover')}
                  </button>
                )}
                {i > 0 && (
                  <button
                    type="submit"
                    name="intent"
                    value="earlier"
                    className="button small"
                    aria-label={t('phone.photos.earlier', { n: i + 1 })}
                  >
                    ←
                  </button>
                )}
                {i < photos.length - 1 && (
                  <button
                    type="submit"
                    name="intent"
                    value="later"
                    className="button small"
                    aria-label={t('phone.photos.later', { n: i + 1 })}
                  >
                    →
                  </button>
                )}
                <button
                  type="submit"
                  name="intent"
                  value="remove"
                  className="button small"
                  aria-label={t('phone.photos.remove', { n: i + 1 })}
                >
                  ✕
                </button>
              </Form>
            </li>
          ))}
        </ol>
      )}
      {photos.length < max && (
        <Form method="post" action={action} encType="multipart/form-data" className="photo-add">
          <input type="hidden" name="intent" value="add" />
          <label>
            {t('phone.photos.add')}
            <input type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple />
          </label>
          <SubmitButton className="button" busy={nav.state === 'submitting' && nav.formData?.get('intent') === 'add'}>
            {t('phone.photos.upload')}
          </SubmitButton>
        </Form>
      )}
      <FieldErrors field={replyErrors(reply?.result, 'photos')} values={{ max }} />
    </section>
  )
}
