import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CopyButton } from '#app/components/copy-button'
import { Countdown } from '#app/components/countdown'
import { MarkupFields } from '#app/components/markup-fields'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { PriceIssues } from '#app/components/price-issues'
import { markupFromFields } from '#app/schemas/reseller'
import { ShopActionSchema } from '#app/schemas/shop'
import { resellerShopPage, shopAction, type ShopActionReply } from '#app/services/reseller/shop.server'
import { getDb } from '#app/utils/db.server'
import { requireUser } from '#app/utils/session.server'
import { localTitle } from '#app/utils/meta'
import { publicOrigin } from '#app/utils/public-url.server'
import { productImageUrl } from '#app/utils/images'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('shop.manage.title')) }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  return json(await resellerShopPage(getDb(), user, publicOrigin(), new Date()))
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const form = Object.fromEntries(await request.formData())
  const parsed = ShopActionSchema.safeParse(form)
  const bad = (intent: string, error: string): ShopActionReply => ({ intent, error, details: {}, status: 400 })
  if (!parsed.success) return json(bad(String(form.intent ?? ''), 'bad_request'), { status: 400 })
  const rule = parsed.data.intent === 'addSession' ? markupFromFields(parsed.data) : null
  if (parsed.data.intent === 'addSession' && (rule === 'invalid' || rule === null))
    return json(bad('addSession', 'invalid_markup'), { status: 400 })
  const reply = await shopAction(getDb(), user.id, parsed.data, rule === 'invalid' ? null : rule, new Date())
  return json(reply, { status: reply.status })
}

export default function ResellerShop() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const { t, i18n } = useTranslation()
  const errorFor = (intent: string) => (result?.intent === intent && result.error ? result : null)
  const handleError = errorFor('handle')
  const addError = errorFor('addSession')
  return (
    <div className="page reseller-page">
      <p>
        <Link to="/reseller">← {t('reseller.session.back')}</Link>
      </p>
      <h1>{t('shop.manage.title')}</h1>
      <p className="muted">{t('shop.manage.intro')}</p>

      <PriceIssues
        issues={data.issues}
        fixed={result?.intent === 'reprice' && !result.error ? Number(result.details.count) : null}
      />

      <section className="form-card shop-handle" aria-labelledby="handle-title">
        <h2 id="handle-title">{t('shop.manage.handleTitle')}</h2>
        {data.url ? (
          <p className="share-url-row">
            <span className="label">{t('shop.manage.shopUrl')}</span>{' '}
            <a href={data.url} data-testid="shop-url" target="_blank" rel="noreferrer">
              {data.url}
            </a>{' '}
            <CopyButton text={data.url} />
          </p>
        ) : (
          <p>{t('shop.manage.handleNone')}</p>
        )}
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="handle" />
          <label htmlFor="handle">{t('shop.manage.handleLabel')}</label>
          <div className="row">
            <input
              id="handle"
              name="handle"
              defaultValue={data.handle ?? data.suggestedHandle ?? ''}
              maxLength={30}
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              aria-invalid={handleError ? true : undefined}
              aria-describedby={handleError ? 'handle-error' : undefined}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('shop.manage.handleSave')}
            </button>
          </div>
          {handleError && (
            <p className="field-error" role="alert" id="handle-error">
              {t(
                `shop.manage.handleErrors.${handleError.error === 'handle_taken' ? 'taken' : String(handleError.details.problem ?? 'characters')}` as 'shop.manage.handleErrors.taken',
              )}
            </p>
          )}
          {result?.intent === 'handle' && !result.error && (
            <p className="form-ok" role="status">
              {t('shop.manage.handleSaved')}
            </p>
          )}
          {data.formerHandles.length > 0 && (
            <p className="muted small">{t('shop.manage.formerHandles', { list: data.formerHandles.join(', ') })}</p>
          )}
        </Form>
      </section>

      <section aria-labelledby="add-title">
        <h2 id="add-title">{t('shop.manage.addTitle')}</h2>
        <p className="muted small">{t('shop.manage.addHint')}</p>
        {addError && (
          <p className="form-error" role="alert">
            {addError.error === 'no_shop'
              ? t('shop.manage.needHandle')
              : addError.error === 'invalid_markup' || addError.error === 'bad_request'
                ? t('shop.manage.markupInvalid')
                : addError.error === 'shop_full'
                  ? t('shop.manage.full', { max: addError.details.max })
                  : t('shop.manage.sessionClosed')}
          </p>
        )}
        {result?.intent === 'addSession' && !result.error && (
          <p className="form-ok" role="status" data-testid="added">
            {t('shop.manage.added', { listed: result.details.listed, raised: result.details.raised })}
          </p>
        )}
        {data.sessions.length ? (
          <ul className="shop-add-sessions">
            {data.sessions.map((s) => (
              <li key={s.id} className="form-card" data-testid="add-session">
                <p>
                  <span className={`phase phase-${s.phase}`}>
                    {t(`session.phase.${s.phase}` as 'session.phase.live')}
                  </span>{' '}
                  <strong>{pick(i18n.language, s.title, s.titleEn)}</strong>{' '}
                  <span className="muted">{pick(i18n.language, s.brandName, s.brandNameEn)}</span>
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="addSession" />
                  <input type="hidden" name="sessionId" value={s.id} />
                  <MarkupFields initial={data.defaultMarkup ?? { kind: 'percent', value: 3000, rounding: 'nine' }} />
                  <button type="submit" className="button primary" disabled={busy}>
                    {t('shop.manage.addButton')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t('shop.manage.noSessions')}</p>
        )}
      </section>

      <section aria-labelledby="shelves-title">
        <h2 id="shelves-title">{t('shop.manage.shelvesTitle')}</h2>
        {data.shelves.length === 0 && <p className="empty">{t('shop.manage.shelvesEmpty')}</p>}
        {data.shelves.map((s) => (
          <div key={s.id} className="shelf" data-testid="shelf">
            <div className="shelf-head">
              <h3>{pick(i18n.language, s.title, s.titleEn)}</h3>
              <Countdown
                to={s.phase === 'live' ? s.endsAt : s.startsAt}
                label={t(s.phase === 'live' ? 'home.endsIn' : 'home.startsIn')}
                starting={s.phase !== 'live'}
              />
              <Form
                method="post"
                onSubmit={(e) => {
                  if (!confirm(t('shop.manage.removeSessionConfirm'))) e.preventDefault()
                }}
              >
                <input type="hidden" name="intent" value="removeSession" />
                <input type="hidden" name="sessionId" value={s.id} />
                <button type="submit" className="link-button danger" disabled={busy}>
                  {t('shop.manage.removeSession')}
                </button>
              </Form>
            </div>
            <ol className="shelf-items">
              {s.items.map((item, i) => (
                <li key={item.id} data-testid="shelf-item" className={item.broken ? 'broken' : ''}>
                  <img src={productImageUrl(item, true)} alt="" width={36} height={48} />
                  <span className="shelf-text">
                    <span className="shelf-title">{pick(i18n.language, item.title, item.titleEn)}</span>
                    <span className="shelf-price">
                      {item.priceMinor != null && <Price minor={item.priceMinor} currency={item.currency} />}
                      {item.broken && <span className="pill pill-rejected">{t('shop.manage.broken')}</span>}
                    </span>
                  </span>
                  <span className="shelf-actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="itemId" value={item.id} />
                      <button
                        type="submit"
                        name="direction"
                        value="up"
                        className="button small"
                        disabled={busy || i === 0}
                        aria-label={`${t('shop.manage.up')} ${item.title}`}
                      >
                        ↑
                      </button>
                      <button
                        type="submit"
                        name="direction"
                        value="down"
                        className="button small"
                        disabled={busy || i === s.items.length - 1}
                        aria-label={`${t('shop.manage.down')} ${item.title}`}
                      >
                        ↓
                      </button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="itemId" value={item.id} />
                      <button
                        type="submit"
                        className="button small"
                        disabled={busy}
                        aria-label={`${t('shop.manage.remove')} ${item.title}`}
                      >
                        {t('shop.manage.remove')}
                      </button>
                    </Form>
                  </span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </section>
    </div>
  )
}
