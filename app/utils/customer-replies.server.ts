// The customers' order form on a reseller's share page and shop, and how its answers read. A refusal as a customer
// may read it: the stable code and the item's name, nothing else. Refusals from the checkout carry counts and
// prices in their details (members see those); a customer never does.
import { parseWithZod, unstable_coerceFormValue as coerceFormValue } from '@conform-to/zod'
import { redirect } from '@remix-run/node'
import { DomainError, FieldRuleError } from '#app/domain/errors'
import { CustomerCheckoutSchema, type CustomerCheckoutInput } from '#app/schemas/customer-orders'
import { payStepPath, placeCustomerOrder, type OrderSource } from '#app/services/customer-orders/checkout.server'
import { regionFor } from '#app/services/regions.server'
import { findRefusalPage, type PageRefusal } from '#app/services/reseller/public-documents.server'
import { encodedBody } from '#app/utils/content-encoding'
import { getDb } from '#app/utils/db.server'
import { localeOfCookie } from '#app/utils/locale.server'
import { customerClientKey } from '#app/utils/customer-client.server'
import { clientKey, domainErrorReply, invalidReply, type ReplyingSubmission } from '#app/utils/http.server'

const SAFE_DETAILS = ['item', 'cap'] as const

/**
 * A refusal's answer: its status, the form's message and `formError` (the item's name, a cap). The order form
 * passes no submission: her typed details are not echoed (the bag's form keeps them in the browser and never reads
 * them back), so a refusal reads the same for every customer refused the same way and its page can be rendered
 * once for all of them (`findRefusalPage`).
 */
export function customerRefusalReply(error: unknown, submission?: ReplyingSubmission) {
  return domainErrorReply(error, submission, { messages: 'customerOrders.refusal', details: SAFE_DETAILS })
}

/** A refusal as the customer reads it (the reply's `formError`): its code and the details she may see. */
export function customerFormError(error: DomainError): PageRefusal {
  const shown: PageRefusal = { code: error.code }
  for (const k of SAFE_DETAILS) if (k in error.details) shown[k] = error.details[k]
  return shown
}

// The schema as Conform reads forms (empty fields unset, single values as lists where a list is expected), built
// once: parseWithZod would rebuild it on every call, which cost an order more CPU than its checkout.
const ORDER_FORM = coerceFormValue(CustomerCheckoutSchema)
const SINGLE_FIELDS = Object.keys(CustomerCheckoutSchema.shape).filter((field) => field !== 'line')

/**
 * The form as Conform reads it for this schema (the bag's lines a list, an empty field unset), for an order that
 * is valid as sent; null when a field is sent twice, which only Conform's reading may judge.
 */
function plainFormValue(payload: FormData | URLSearchParams): Record<string, unknown> | null {
  const value: Record<string, unknown> = { line: payload.getAll('line') }
  for (const field of SINGLE_FIELDS) {
    const all = payload.getAll(field)
    if (all.length > 1) return null
    value[field] = all[0] === '' ? undefined : all[0]
  }
  return value
}

const conformRead = (payload: FormData | URLSearchParams) =>
  parseWithZod(payload, { schema: ORDER_FORM, disableAutoCoercion: true })

type ReadForm =
  { order: OrderForm } | { order: null; submission: ReturnType<typeof conformRead>; fieldErrors?: { region: string[] } }

function readWithConform(payload: FormData | URLSearchParams): ReadForm {
  const submission = conformRead(payload)
  if (submission.status !== 'success') return { submission, order: null }
  const region = regionFor(submission.value)
  if (!region) return { submission, order: null, fieldErrors: { region: ['addresses.errors.region'] } }
  return { order: { ...submission.value, region: region.label } }
}

/**
 * The order form read once, by the one rule both of its readers use (the pages' action and the server's order
 * transport): the schema's field messages, then whether province, city and district belong together. `order` is
 * null when the form is not an order the checkout can take, with Conform's submission for the field messages;
 * `fieldErrors` adds what the schema cannot see. A valid order is read by the schema alone: Conform's reading of a
 * form costs more than the order's checkout under a storm, and neither an order nor its refusal replies with it.
 */
export function readOrderForm(payload: FormData | URLSearchParams): ReadForm {
  const plain = plainFormValue(payload)
  const parsed = plain && CustomerCheckoutSchema.safeParse(plain)
  const region = parsed?.success ? regionFor(parsed.data) : null
  if (!parsed?.success || !region) return readWithConform(payload)
  return { order: { ...parsed.data, region: region.label } }
}

type OrderForm = CustomerCheckoutInput & { region: string }

/** Places a read order form on the page it was sent from; the answer is the path of her pay step. */
async function placeOrderForm(
  order: OrderForm,
  from: { source: OrderSource; locale: 'zh-CN' | 'en'; clientKey: string },
): Promise<string> {
  const placed = await placeCustomerOrder(getDb(), {
    source: from.source,
    lines: order.line,
    customer: {
      name: order.name,
      phone: order.phone,
      email: order.email ?? null,
      region: order.region,
      line: order.address,
      locale: from.locale,
    },
    clientKey: from.clientKey,
    idempotencyKey: order.idempotencyKey,
    now: new Date(),
  })
  // The payment is opened on her pay step, not here: the order's answer waits on nothing but the checkout.
  return payStepPath(placed.token)
}

/**
 * The bag's checkout, shared by the reseller's share page and shop: read the form (400 with the field messages),
 * place the order and send the customer to her pay step, or answer the refusal (the item named, never a count).
 */
export async function customerCheckout(request: Request, source: OrderSource) {
  const form = await request.formData().catch(() => new FormData())
  const read = readOrderForm(form)
  if (!read.order) return invalidReply(read.submission, { fieldErrors: read.fieldErrors })
  const cookie = request.headers.get('Cookie')
  try {
    return redirect(
      await placeOrderForm(read.order, {
        source,
        locale: await localeOfCookie(cookie),
        clientKey: customerClientKey(cookie, () => clientKey(request)),
      }),
    )
  } catch (e) {
    return customerRefusalReply(e)
  }
}

/** An order form as the server's order transport hands it over (app/server/checkout-transport.ts). */
export interface OrderFormRequest {
  source: OrderSource
  /** Path and query it was posted to: the page a refusal re-renders (her shop's filters are in its query). */
  url: string
  /** The client's Accept-Encoding: a kept refusal page is sent compressed as `compression` would. */
  acceptEncoding: string | null
  /** Her browser's User-Agent: her pages differ inside WeChat (its share card). */
  userAgent: string | null
  /** The form's url-encoded body, as the transport read it. */
  form: URLSearchParams
  cookie: string | null
  /** The client's address as the server records it (TRUST_PROXY applies); asked only for a device without a cid. */
  clientAddress: () => string
  /** A Remix data request (`?_data=`, the page's JavaScript): a refusal is answered as JSON, not as a page. */
  dataRequest: boolean
}

/** An answer the transport writes itself (a plain object: building a web Response costs an order more than its write). */
export interface OrderFormReply {
  status: number
  headers: Record<string, string | string[]>
  body: string | Buffer
}

/**
 * What the transport does with an order form: write this reply; `invalid`: hand the form to Remix as a page
 * request (the page re-renders with the field messages); `refused`: hand it to Remix as the answer to an order the
 * checkout refused (a page without JavaScript re-renders with the refusal).
 */
export type OrderFormAnswer = OrderFormReply | 'invalid' | 'refused'

/**
 * The order form without Remix, for the server's order transport: the answer the pages' action would give to a
 * valid order (the redirect to her pay step; a refusal as JSON for the page's script, or as her share page with
 * the refusal, once rendered, for a page without it), or what Remix must answer instead.
 */
export async function answerOrderForm(input: OrderFormRequest): Promise<OrderFormAnswer> {
  const read = readOrderForm(input.form)
  if (!read.order) return 'invalid'
  try {
    const location = await placeOrderForm(read.order, {
      source: input.source,
      locale: await localeOfCookie(input.cookie),
      clientKey: customerClientKey(input.cookie, input.clientAddress),
    })
    return { status: 302, headers: { location }, body: '' }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    if (!input.dataRequest) return refusalPage(input, e)
    const reply = customerRefusalReply(e)
    return { status: reply.status, headers: Object.fromEntries(reply.headers), body: await reply.text() }
  }
}

/**
 * A refused order form from a page without JavaScript: her share page or shop with the refusal, rendered once for
 * everyone refused the same way at that address and kept while the page's data is fresh ('refused': Remix renders
 * it, and it is kept), sent compressed as `compression` would send the render.
 */
async function refusalPage(input: OrderFormRequest, error: DomainError): Promise<OrderFormAnswer> {
  if (error instanceof FieldRuleError || error.status === 503) return 'refused'
  const page = await findRefusalPage(input, customerFormError(error))
  if (!page) return 'refused'
  const headers: OrderFormReply['headers'] = Object.fromEntries(page.document.headers)
  if (page.setCookies.length) headers['set-cookie'] = page.setCookies
  // The page differs by her language (a cookie) and by encoding.
  headers.vary = 'Cookie, Accept-Encoding'
  const { body, encoding } = encodedBody(page.document, input.acceptEncoding)
  if (encoding) headers['content-encoding'] = encoding
  return { status: error.status, headers, body }
}
