// A refusal as a customer may read it: the stable code and the item's name, nothing else. Refusals from the
// checkout carry counts and prices in their details (members see those); a customer never does.
import { randomBytes } from 'node:crypto'
import { json, redirect } from '@remix-run/node'
import { CustomerCheckoutSchema, customerCheckoutFields } from '#app/schemas/customer-orders'
import {
  placeCustomerOrder,
  startCustomerPayment,
  type OrderSource,
} from '#app/services/customer-orders/checkout.server'
import { regionFor } from '#app/services/regions.server'
import { getDb } from '#app/utils/db.server'
import { getLocale } from '#app/utils/locale.server'
import { clientKey, domainErrorReply, type ReplyingSubmission } from '#app/utils/http.server'
import { publicOrigin } from '#app/utils/public-url.server'

const SAFE_DETAILS = ['item', 'cap'] as const

export function customerRefusalReply(error: unknown, submission?: ReplyingSubmission) {
  return domainErrorReply(error, submission, { messages: 'customerOrders.refusal', details: SAFE_DETAILS })
}

/** A Set-Cookie for a device that has no client id yet (null when it has one). */
export function customerClientCookie(request: Request): string | null {
  if (/(?:^|;\s*)cid=[A-Za-z0-9_-]{16,64}/.test(request.headers.get('Cookie') ?? '')) return null
  return `cid=${randomBytes(18).toString('base64url')}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax`
}

/** The client a customer orders from: the long-lived cookie set by her pages, else her address. */
export function customerClientKey(request: Request, addressKey: string): string {
  const m = /(?:^|;\s*)cid=([A-Za-z0-9_-]{16,64})/.exec(request.headers.get('Cookie') ?? '')
  return m ? `cid:${m[1]}` : `ip:${addressKey}`.slice(0, 128)
}

/**
 * The bag's checkout, shared by the reseller's share page and shop: parse the form, place the order, start the
 * payment and send the customer to it (or to her order page when the payment could not be started).
 */
export async function customerCheckout(request: Request, source: OrderSource) {
  const form = await request.formData().catch(() => null)
  if (!form) return json({ fieldErrors: { line: ['customerOrders.errors.invalid'] } }, { status: 400 })
  const parsed = CustomerCheckoutSchema.safeParse(customerCheckoutFields(form))
  if (!parsed.success)
    return json({ fieldErrors: parsed.error.flatten().fieldErrors as Record<string, string[]> }, { status: 400 })
  const v = parsed.data
  const region = regionFor(v)
  if (!region) return json({ fieldErrors: { region: ['addresses.errors.region'] } }, { status: 400 })
  const now = new Date()
  try {
    const placed = await placeCustomerOrder(getDb(), {
      source,
      lines: v.line,
      customer: {
        name: v.name,
        phone: v.phone,
        email: v.email ?? null,
        region: region.label,
        line: v.address,
        locale: await getLocale(request),
      },
      clientKey: customerClientKey(request, clientKey(request)),
      idempotencyKey: v.idempotencyKey,
      now,
    })
    const payment = await startCustomerPayment(getDb(), {
      token: placed.token,
      origin: publicOrigin(),
      now,
    }).catch((e: unknown) => {
      console.warn('[customer-orders] could not start a payment', (e as Error).message)
      return null
    })
    return redirect(payment?.redirectUrl ?? `/o/${placed.token}`)
  } catch (e) {
    return customerRefusalReply(e)
  }
}
