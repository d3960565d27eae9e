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
import { resellerShopPage, shopAction } from '#app/services/reseller/shop.server'
import { parseWithZod } from '@conform-to/zod'
import { FieldErrors, FormErrors, fieldReply, replyErrors, type FormReply } from '#app/components/form-errors'
import type { DomainError } from '#app/domain/errors'
import { domainErrorReply, invalidReply, invariantResponse } from '#app/utils/http.server'
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

// A refusal's message: the handle's problem, or what stops the listing.
function shopRefusal(error: DomainError) {
  if (error.code === 'invalid_handle') return `shop.manage.handleErrors.${String(error.details.problem)}`
  if (error.code === 'handle_taken') return 'shop.manage.handleErrors.taken'
  if (error.code === 'no_shop') return 'shop.manage.needHandle'
  if (error.code === 'shop_full') return 'shop.manage.full'
  return 'shop.manage.sessionClosed'
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const submission = parseWithZod(await request.formData(), { schema: ShopActionSchema })
  // Which of the page's forms answered, so its errors show at that form only.
  const intent = String(submission.payload.intent ?? '')
  if (submission.status !== 'success') return invalidReply(submission, { body: { intent } })
  const rule = submission.value.intent === 'addSession' ? markupFromFields(submission.value) : null
  if (submission.value.intent === 'addSession' && (rule === 'invalid' || rule === null))
    return invalidReply(submission, { fieldErrors: { markupValue: ['shop.manage.markupInvalid'] }, body: { intent } })
  try {
    const done = await shopAction(getDb(), user.id, submission.value, rule === 'invalid' ? null : rule, new Date())
    invariantResponse(done)
    return json({ intent, done, result: null, formError: null })
  } catch (e) {
    return domainErrorReply(e, submission, { messages: shopRefusal, body: { intent } })
  }
}

/** What an action answered: which form (`intent`), and what it did or why not. */
type ShopReply = FormReply & { intent?: string; done?: Record<string, unknown> }

export default function ResellerShop() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ShopReply | undefined
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle'
  const { t, i18n } = useTranslation()
  const reply = (intent: string) => (result?.intent === intent ? result : null)
  const done = (intent: string) => (result?.intent === intent ? result.done : undefined)
  const handleReply = reply('handle')
  // A handle the schema refuses marks the field; one the rules refuse (reserved, taken) is the form's error.
  const handleField = replyErrors(handleReply?.result, 'handle')
  const handleError = replyErrors(handleReply?.result)
  const handleProblem = handleField.errors ? handleField : handleError.errors ? handleError : null
  const addReply = reply('addSession')
  const added = done('addSession')
  const repriced = done('reprice')
  return (
    <div className="page reseller-page">
      <p>
        <Link to="/reseller">← {t('reseller.session.back')}</Link>
      </p>
      <h1>{t('shop.manage.title')}</h1>
      <p className="muted">{t('shop.manage.intro')}</p>

      <PriceIssues issues={data.issues} fixed={repriced ? Number(repriced.count) : null} />

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
              aria-invalid={handleProblem ? true : undefined}
              aria-describedby={handleProblem?.errorId}
            />
            <button type="submit" className="button" disabled={busy}>
              {t('shop.manage.handleSave')}
            </button>
          </div>
          <FieldErrors field={handleField} />
          {handleReply && <FormErrors form={handleError} values={handleReply.formError} />}
          {done('handle') && (
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
        {addReply && (
          <>
            <FormErrors form={replyErrors(addReply.result)} values={addReply.formError} />
            <FieldErrors {...fieldReply(addReply, 'markupValue')} />
          </>
        )}
        {added && (
          <p className="form-ok" role="status" data-testid="added">
            {t('shop.manage.added', { listed: added.listed, raised: added.raised })}
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
