import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CopyButton } from '#app/components/copy-button'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { ownLinkPage, revokeLink } from '#app/services/reseller/forwarding.server'
import { getDb } from '#app/utils/db.server'
import { parseWithZod } from '@conform-to/zod'
import { z } from 'zod'
import { invalidReply, invariantResponse, UUID } from '#app/utils/http.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { productImageUrl } from '#app/utils/images'
import { RetryingImage } from '#app/components/retrying-image'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('reseller.link.title')) }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.linkId ?? ''))
  const page = await ownLinkPage(getDb(), user, params.linkId!, publicOrigin(), new Date())
  invariantResponse(page)
  const qrSvg = await QRCode.toString(page.url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return json({ ...page, qrSvg })
}

// The page's one button: revoking the link.
const LinkActionSchema = z.object({ intent: z.literal('revoke') })

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  invariantResponse(UUID.test(params.linkId ?? ''))
  const submission = parseWithZod(await request.formData(), { schema: LinkActionSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const done = await revokeLink(getDb(), user, params.linkId!, new Date())
  invariantResponse(done)
  return redirect(`/reseller/links/${params.linkId}`)
}

export default function ShareLinkPage() {
  const link = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const [lang, setLang] = useState<'zh-CN' | 'en'>(i18n.language === 'en' ? 'en' : 'zh-CN')
  const card = lang === 'en' ? link.cards.en : link.cards.zh
  const text = link.copyText[lang]
  return (
    <div className="page reseller-page">
      <p>
        <Link to="/reseller">← {t('reseller.session.back')}</Link>
      </p>
      <h1>
        {t('reseller.link.title')} · {pick(i18n.language, link.session.title, link.session.titleEn)}
      </h1>
      {link.revoked && (
        <p className="form-error" role="alert">
          {t('reseller.link.revoked')}
        </p>
      )}
      <p className="stat" data-testid="link-views">
        {t('reseller.link.views', { count: link.views })}
      </p>
      <div className="lang-tabs" role="group">
        <button type="button" aria-pressed={lang === 'zh-CN'} onClick={() => setLang('zh-CN')}>
          {t('reseller.link.zh')}
        </button>
        <button type="button" aria-pressed={lang === 'en'} onClick={() => setLang('en')}>
          {t('reseller.link.en')}
        </button>
      </div>
      <div className="share-layout">
        <figure className="card-preview">
          {!link.revoked && (
            <RetryingImage
              src={card}
              alt={t(link.kind === 'list' ? 'reseller.link.grid' : 'reseller.link.card')}
              width={360}
              height={480}
              data-testid="card-image"
            />
          )}
          <figcaption>
            {t(link.kind === 'list' ? 'reseller.link.grid' : 'reseller.link.card')}{' '}
            {!link.revoked && (
              <a href={card} download>
                {t('reseller.link.download')}
              </a>
            )}
          </figcaption>
          {/* WeChat's browser ignores <a download>: the picture itself is what she saves, by pressing and holding it. */}
          {!link.revoked && <p className="muted small">{t('reseller.link.longPress')}</p>}
        </figure>
        <div className="share-side">
          <h2>{t('reseller.link.shareUrl')}</h2>
          <p className="share-url">
            <a href={link.url} data-testid="share-url">
              {link.url}
            </a>{' '}
            <CopyButton text={link.url} />
          </p>
          <h2>{t('reseller.link.qr')}</h2>
          <div className="qr" dangerouslySetInnerHTML={{ __html: link.qrSvg }} />
          <h2>{t('reseller.link.copyText')}</h2>
          <textarea
            readOnly
            value={text}
            rows={Math.min(14, text.split('\n').length + 1)}
            className="copy-text"
            data-testid="copy-text"
            aria-label={t('reseller.link.copyText')}
          />
          <p>
            <CopyButton text={text} />
          </p>
          <h2>{t('reseller.dashboard.items')}</h2>
          <ul className="reseller-link-items">
            {link.items.map((i, n) => (
              <li key={i.id}>
                <img src={productImageUrl(i, true)} alt="" width={36} height={48} />
                <span>{pick(i18n.language, i.title, i.titleEn)}</span>
                <Price minor={i.priceMinor} currency={i.currency} />
                <span className="muted">{t('reseller.link.itemViews', { count: i.views })}</span>
                {link.kind === 'list' && !link.revoked && (
                  <a href={lang === 'en' ? link.cards.items[n].en : link.cards.items[n].zh}>
                    {t('reseller.link.card')}
                  </a>
                )}
              </li>
            ))}
          </ul>
          {link.kind === 'list' && !link.revoked && (
            <section className="nine-images" aria-labelledby="nine-title">
              <h2 id="nine-title">{t('reseller.link.nineTitle')}</h2>
              <p className="muted small">{t('reseller.link.nineHint')}</p>
              <ul className="nine-grid" data-testid="nine-images">
                {link.items.slice(0, 9).map((i, n) => (
                  <li key={i.id}>
                    <RetryingImage
                      src={lang === 'en' ? link.cards.items[n].en : link.cards.items[n].zh}
                      alt={pick(i18n.language, i.title, i.titleEn)}
                      width={360}
                      height={480}
                      loading="lazy"
                    />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {!link.revoked && (
            <Form
              method="post"
              onSubmit={(e) => {
                if (!confirm(t('reseller.link.revokeConfirm'))) e.preventDefault()
              }}
            >
              <button type="submit" name="intent" value="revoke" className="button danger">
                {t('reseller.link.revoke')}
              </button>
            </Form>
          )}
        </div>
      </div>
    </div>
  )
}
