import { parseWithZod } from '@conform-to/zod'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { optionLabel } from '#app/components/option-label'
import { pick } from '#app/components/pick'
import { Price } from '#app/components/price'
import { FieldErrors, FormErrors, replyErrors } from '#app/components/form-errors'
import { StockBadge } from '#app/components/stock-badge'
import { SubmitButton } from '#app/components/submit-button'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { AddToCartSchema, CartActionSchema } from '#app/schemas/orders'
import { listAddresses } from '#app/services/orders/addresses.server'
import { addToCart, cartView, checkoutCart, removeCartLine, updateCartLine } from '#app/services/orders/cart.server'
import { getDb } from '#app/utils/db.server'
import { publicOrigin } from '#app/utils/public-url.server'
import { localTitle } from '#app/utils/meta'
import { domainErrorReply, invalidReply } from '#app/utils/http.server'
import { requireUser } from '#app/utils/session.server'
import { productImageUrl } from '#app/utils/images'

export const meta: MetaFunction = ({ matches }) => [{ title: localTitle(matches, (t) => t('orders.cart.title')) }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const [cart, addresses] = await Promise.all([
    cartView(getDb(), { id: user.id, vipLevel: user.vip_level }, new Date()),
    listAddresses(getDb(), user.id),
  ])
  return json({ cart, addresses })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, ['member'])
  const member = { id: user.id, vipLevel: user.vip_level }
  const form = await request.formData().catch(() => new FormData())
  const now = new Date()
  const intent = form.get('intent')
  if (intent === 'add-to-cart' || intent === 'buy-now') {
    const add = parseWithZod(form, { schema: AddToCartSchema })
    if (add.status !== 'success') return invalidReply(add)
    try {
      const { sessionItemSkuId, quantity } = add.value
      const { remaining } = await addToCart(getDb(), { member, sessionItemSkuId, quantity, now })
      // Buy now (立即抢购) is add-to-cart that goes straight on to the checkout.
      return intent === 'buy-now' ? redirect('/cart#checkout') : json({ ok: true, remaining })
    } catch (e) {
      return domainErrorReply(e, add)
    }
  }
  const submission = parseWithZod(form, { schema: CartActionSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  const input = submission.value
  try {
    if (input.intent === 'update')
      await updateCartLine(getDb(), { member, sessionItemSkuId: input.sessionItemSkuId, quantity: input.quantity, now })
    if (input.intent === 'remove') await removeCartLine(getDb(), { member, sessionItemSkuId: input.sessionItemSkuId })
    if (input.intent !== 'checkout') return json({ ok: true })
    const { redirectTo } = await checkoutCart(getDb(), {
      member,
      addressId: input.addressId,
      origin: publicOrigin(),
      now,
    })
    return redirect(redirectTo)
  } catch (e) {
    return domainErrorReply(e, submission)
  }
}

export default function Cart() {
  const { cart, addresses } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const nav = useNavigation()
  const { t, i18n } = useTranslation()
  const result = data && 'result' in data ? data.result : undefined
  const formError = data && 'formError' in data ? data.formError : undefined
  return (
    <div className="page cart-page">
      <h1>{t('orders.cart.title')}</h1>
      <FormErrors form={replyErrors(result)} values={formError} />
      {!cart.brands.length ? (
        <p className="empty">{t('orders.cart.empty')}</p>
      ) : (
        <>
          {cart.brands.map((b) => (
            <section
              key={b.brandId}
              className="cart-brand"
              aria-label={pick(i18n.language, b.brandName, b.brandNameEn)}
            >
              <h2>{pick(i18n.language, b.brandName, b.brandNameEn)}</h2>
              <ul className="cart-lines">
                {b.lines.map((l) => (
                  <li
                    key={l.sessionItemSkuId}
                    className={`cart-line${l.live ? '' : ' inactive'}`}
                    data-testid="cart-line"
                  >
                    <img className="cart-thumb" src={productImageUrl(l, true)} alt="" width={72} height={96} />
                    <div className="cart-line-body">
                      <Link to={`/products/${l.productId}`} className="cart-title">
                        {pick(i18n.language, l.title, l.titleEn)}
                      </Link>
                      <p className="muted cart-options">
                        {optionLabel(i18n.language, l.colour, l.colourEn)} /{' '}
                        {optionLabel(i18n.language, l.size, l.sizeEn)} ·{' '}
                        <Price minor={l.unitPriceMinor} currency={l.currency} /> <StockBadge stock={l.stock} />
                      </p>
                      {!l.live && <p className="field-error">{t('orders.cart.notLive')}</p>}
                      <div className="cart-line-actions">
                        <Form method="post" className="inline">
                          <input type="hidden" name="intent" value="update" />
                          <input type="hidden" name="sessionItemSkuId" value={l.sessionItemSkuId} />
                          <input
                            type="number"
                            name="quantity"
                            defaultValue={l.quantity}
                            min={0}
                            max={99}
                            className="qty"
                            aria-label={t('orders.buy.quantity')}
                          />
                          <button type="submit" className="link-button">
                            {t('orders.cart.update')}
                          </button>
                        </Form>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="sessionItemSkuId" value={l.sessionItemSkuId} />
                          <button type="submit" className="link-button">
                            {t('orders.cart.remove')}
                          </button>
                        </Form>
                        <strong className="cart-line-total">
                          <Price minor={l.lineMinor} currency={l.currency} />
                        </strong>
                      </div>
                    </div>
                  </li>
                ))}
              </ul>
              <p className="subtotal">
                {t('orders.cart.subtotal')}: <Price minor={b.subtotalMinor} currency={cart.currency} />
              </p>
            </section>
          ))}
          <Form method="post" className="form-card checkout-form" id="checkout">
            <fieldset>
              <legend>{t('orders.cart.shipTo')}</legend>
              {addresses.length ? (
                addresses.map((a, i) => (
                  <label key={a.id} className="address-choice">
                    <input type="radio" name="addressId" value={a.id} defaultChecked={i === 0} />
                    <span className="badge">
                      {t(a.kind === 'own' ? 'orders.cart.own' : 'orders.cart.customer')}
                    </span>{' '}
                    {a.isDefault && <span className="badge default-badge">{t('addresses.default')}</span>} {a.recipient}{' '}
                    {a.phone} · {a.region} {a.line}
                  </label>
                ))
              ) : (
                <p>
                  {t('orders.cart.noAddress')}
                  <Link to="/account/addresses">{t('orders.cart.addAddress')}</Link>
                </p>
              )}
              <FieldErrors field={replyErrors(result, 'addressId')} />
              <p className="muted">{t('orders.cart.dropShipNote')}</p>
            </fieldset>
            {/* The total and the checkout button stay on screen while the member scrolls through the cart. */}
            <div className="action-bar sticky checkout-bar">
              <p className="total grow">
                {t('orders.cart.total')}:{' '}
                <Price minor={cart.totalMinor} currency={cart.currency} className="price big" />
              </p>
              <SubmitButton
                className="button primary"
                name="intent"
                value="checkout"
                disabled={
                  !cart.checkoutLines.length ||
                  !addresses.length ||
                  (nav.state !== 'idle' && nav.formData?.get('intent') !== 'checkout')
                }
              >
                {t('orders.cart.checkout', { minutes: Math.round(PLATFORM_RULES.unpaidHoldMs / 60000) })}
              </SubmitButton>
            </div>
          </Form>
        </>
      )}
    </div>
  )
}
