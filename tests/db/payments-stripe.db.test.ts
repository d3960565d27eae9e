import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { findPayment, refundPayment, startPayment } from '#app/services/payments/index.server'
import { paymentPurposeHandler } from '#app/services/payments/purposes.server'
import { action as webhookAction } from '#app/routes/webhooks.stripe'
import { createUser } from '#tests/fixtures/factories'
import { BASE } from '#tests/setup/http'
import { startStripeStandIn, type StripeStandIn } from '#tests/setup/stripe-stand-in'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let api: StripeStandIn
let payer: Awaited<ReturnType<typeof createUser>>
const now = new Date('2026-11-30T02:00:00Z')
const savedEnv = { ...process.env }
let n = 0

beforeAll(async () => {
  api = await startStripeStandIn()
  Object.assign(process.env, api.env(), { STRIPE_PAYMENT_METHODS: 'card,alipay,wechat_pay' })
  t = await createTestDatabase()
  payer = await createUser(t.db)
})
afterAll(async () => {
  for (const k of Object.keys(api.env()).concat('STRIPE_PAYMENT_METHODS')) {
    if (savedEnv[k] === undefined) delete process.env[k]
    else process.env[k] = savedEnv[k]
  }
  await api.close()
  await t.drop()
})

const spies: Array<{ mockRestore(): void }> = []
afterEach(() => {
  spies.splice(0).forEach((s) => s.mockRestore())
})
function handlers() {
  const succeeded = vi.spyOn(paymentPurposeHandler('order'), 'onSucceeded').mockResolvedValue(undefined)
  const failed = vi.spyOn(paymentPurposeHandler('order'), 'onFailed').mockResolvedValue(undefined)
  spies.push(succeeded, failed)
  return { succeeded, failed }
}

async function start(amountMinor = 25_800) {
  const result = await startPayment(
    t.db,
    {
      purpose: 'order',
      referenceId: `checkout-${n++}`,
      amountMinor,
      currency: 'CNY',
      description: '清仓订单',
      payerUserId: payer.id,
      successPath: '/orders?paid=1',
      cancelPath: '/checkout',
      origin: 'http://localhost:3000',
    },
    now,
  )
  const payment = (await findPayment(t.db, result.paymentId))!
  return { ...result, payment, sessionId: payment.provider_ref! }
}

let eventCounter = 0
function event(
  type: string,
  session: { id: string; paymentId: string },
  extra: Record<string, unknown> = {},
  id = `evt_test_${eventCounter++}_${Date.now()}`,
) {
  return {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: {
      object: {
        id: session.id,
        object: 'checkout.session',
        mode: 'payment',
        client_reference_id: session.paymentId,
        metadata: { paymentId: session.paymentId, purpose: 'order' },
        payment_intent: `pi_${session.id.slice(3)}`,
        payment_status: 'paid',
        status: 'complete',
        amount_total: 25_800,
        currency: 'cny',
        ...extra,
      },
    },
  }
}

async function deliver(body: unknown, signature?: string | null) {
  const payload = JSON.stringify(body)
  const header =
    signature === undefined
      ? Stripe.webhooks.generateTestHeaderString({ payload, secret: process.env.STRIPE_WEBHOOK_SECRET! })
      : signature
  const request = new Request(`${BASE}/webhooks/stripe`, {
    method: 'POST',
    body: payload,
    headers: { 'Content-Type': 'application/json', ...(header ? { 'Stripe-Signature': header } : {}) },
  })
  return webhookAction({ request, params: {}, context: {} })
}

describe('Stripe Checkout through the loopback API', () => {
  it('creates a Checkout Session with the configured methods, amount, return URLs and an idempotency key', async () => {
    const before = api.requests.length
    const { paymentId, redirectUrl, payment } = await start(25_800)
    expect(redirectUrl).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/)
    expect(payment).toMatchObject({ provider: 'stripe', status: 'pending' })
    expect(payment.provider_ref).toMatch(/^cs_test_/)
    const req = api.requests.slice(before).find((r) => r.path === '/v1/checkout/sessions')!
    expect(req.authorization).toBe('Bearer sk_test_stand_in')
    expect(req.idempotencyKey).toBe(`checkout-${paymentId}`)
    expect(req.body).toMatchObject({
      mode: 'payment',
      'allowed_payment_method_types[0]': 'card',
      'allowed_payment_method_types[1]': 'alipay',
      'allowed_payment_method_types[2]': 'wechat_pay',
      'payment_method_options[wechat_pay][client]': 'web',
      'line_items[0][price_data][currency]': 'cny',
      'line_items[0][price_data][unit_amount]': '25800',
      'line_items[0][quantity]': '1',
      client_reference_id: paymentId,
      'metadata[paymentId]': paymentId,
      success_url: 'http://localhost:3000/orders?paid=1',
      cancel_url: 'http://localhost:3000/checkout',
      expires_at: String(Math.floor(now.getTime() / 1000) + 30 * 60),
    })
  })
})

describe('webhooks.stripe', () => {
  it('answers 400 to a missing or wrong signature and changes nothing', async () => {
    const h = handlers()
    const { paymentId, sessionId } = await start()
    const body = event('checkout.session.completed', { id: sessionId, paymentId })
    expect((await deliver(body, null)).status).toBe(400)
    const wrong = Stripe.webhooks.generateTestHeaderString({
      payload: JSON.stringify(body),
      secret: 'whsec_someone_else',
    })
    expect((await deliver(body, wrong)).status).toBe(400)
    const tampered = Stripe.webhooks.generateTestHeaderString({
      payload: JSON.stringify({ ...body, id: 'evt_other' }),
      secret: process.env.STRIPE_WEBHOOK_SECRET!,
    })
    expect((await deliver(body, tampered)).status).toBe(400)
    expect(h.succeeded).not.toHaveBeenCalled()
    expect((await findPayment(t.db, paymentId))?.status).toBe('pending')
  })

  it('completed (paid) succeeds once even when delivered twice', async () => {
    const h = handlers()
    const { paymentId, sessionId } = await start()
    const body = event('checkout.session.completed', { id: sessionId, paymentId })
    const first = await deliver(body)
    const second = await deliver(body)
    expect(first.status).toBe(200)
    expect(await second.json()).toMatchObject({ received: true, duplicate: true })
    expect(h.succeeded).toHaveBeenCalledTimes(1)
    expect(await findPayment(t.db, paymentId)).toMatchObject({
      status: 'succeeded',
      provider_payment_ref: `pi_${sessionId.slice(3)}`,
    })
  })

  it('completed then expired: stays paid, onFailed never runs', async () => {
    const h = handlers()
    const { paymentId, sessionId } = await start()
    await deliver(event('checkout.session.completed', { id: sessionId, paymentId }))
    expect(
      (
        await deliver(
          event(
            'checkout.session.expired',
            { id: sessionId, paymentId },
            { status: 'expired', payment_status: 'unpaid' },
          ),
        )
      ).status,
    ).toBe(200)
    expect((await findPayment(t.db, paymentId))?.status).toBe('succeeded')
    expect(h.succeeded).toHaveBeenCalledTimes(1)
    expect(h.failed).not.toHaveBeenCalled()
  })

  it('expired then completed: the late payment is recorded and the handler decides', async () => {
    const h = handlers()
    const { paymentId, sessionId } = await start()
    await deliver(
      event(
        'checkout.session.expired',
        { id: sessionId, paymentId },
        { status: 'expired', payment_status: 'unpaid', payment_intent: null },
      ),
    )
    expect((await findPayment(t.db, paymentId))?.status).toBe('expired')
    expect(h.failed).toHaveBeenCalledTimes(1)
    await deliver(event('checkout.session.completed', { id: sessionId, paymentId }))
    expect((await findPayment(t.db, paymentId))?.status).toBe('succeeded')
    expect(h.succeeded).toHaveBeenCalledTimes(1)
  })

  it('async payment: completed-unpaid waits, then async succeeded pays; async failed fails', async () => {
    const h = handlers()
    const a = await start()
    await deliver(
      event('checkout.session.completed', { id: a.sessionId, paymentId: a.paymentId }, { payment_status: 'unpaid' }),
    )
    expect((await findPayment(t.db, a.paymentId))?.status).toBe('pending')
    expect(h.succeeded).not.toHaveBeenCalled()
    await deliver(event('checkout.session.async_payment_succeeded', { id: a.sessionId, paymentId: a.paymentId }))
    expect((await findPayment(t.db, a.paymentId))?.status).toBe('succeeded')
    expect(h.succeeded).toHaveBeenCalledTimes(1)

    const b = await start()
    await deliver(
      event('checkout.session.completed', { id: b.sessionId, paymentId: b.paymentId }, { payment_status: 'unpaid' }),
    )
    await deliver(
      event(
        'checkout.session.async_payment_failed',
        { id: b.sessionId, paymentId: b.paymentId },
        { payment_status: 'unpaid' },
      ),
    )
    expect((await findPayment(t.db, b.paymentId))?.status).toBe('failed')
    expect(h.failed).toHaveBeenCalledTimes(1)
  })

  it('answers 200 to event types it does not handle and to sessions that are not ours', async () => {
    const res = await deliver({
      id: 'evt_other_type',
      object: 'event',
      type: 'customer.created',
      data: { object: { id: 'cus_1', object: 'customer' } },
    })
    expect(res.status).toBe(200)
    const stranger = await deliver(
      event('checkout.session.completed', {
        id: 'cs_test_not_ours',
        paymentId: '00000000-0000-4000-8000-000000000000',
      }),
    )
    expect(await stranger.json()).toMatchObject({ received: true, handled: false })
  })
})

describe('Stripe refunds', () => {
  it('goes to /v1/refunds with the PaymentIntent and the idempotency key, once per key', async () => {
    handlers()
    const { paymentId, sessionId } = await start(25_800)
    await deliver(event('checkout.session.completed', { id: sessionId, paymentId }))
    const before = api.requests.length
    const r1 = await refundPayment(t.db, {
      paymentId,
      amountMinor: 10_000,
      idempotencyKey: `after-sale-1-${paymentId}`,
      reason: '质量问题',
    })
    const r1again = await refundPayment(t.db, {
      paymentId,
      amountMinor: 10_000,
      idempotencyKey: `after-sale-1-${paymentId}`,
    })
    expect(r1).toEqual(r1again)
    expect(r1.status).toBe('succeeded')
    const calls = api.requests.slice(before).filter((r) => r.path === '/v1/refunds')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      idempotencyKey: `after-sale-1-${paymentId}`,
      body: { payment_intent: `pi_${sessionId.slice(3)}`, amount: '10000', 'metadata[reason]': '质量问题' },
    })
    expect(await findPayment(t.db, paymentId)).toMatchObject({ status: 'partially_refunded', refunded_minor: 10_000 })
    const row = await t.db
      .selectFrom('payment_refunds')
      .selectAll()
      .where('id', '=', r1.refundId)
      .executeTakeFirstOrThrow()
    expect(row.provider_ref).toMatch(/^re_test_/)
  })

  it('a pending refund holds its amount until refund.updated settles it, once', async () => {
    handlers()
    const { paymentId, sessionId } = await start(5_000)
    await deliver(event('checkout.session.completed', { id: sessionId, paymentId }))
    api.refundStatus = 'pending'
    try {
      const r = await refundPayment(t.db, { paymentId, amountMinor: 5_000, idempotencyKey: `slow-${paymentId}` })
      expect(r.status).toBe('pending')
      await expect(
        refundPayment(t.db, { paymentId, amountMinor: 1, idempotencyKey: `more-${paymentId}` }),
      ).rejects.toThrow(/refundable 0/)
      expect((await findPayment(t.db, paymentId))?.refunded_minor).toBe(0)
      const row = await t.db
        .selectFrom('payment_refunds')
        .selectAll()
        .where('id', '=', r.refundId)
        .executeTakeFirstOrThrow()
      const updated = {
        id: `evt_refund_${row.id}`,
        object: 'event',
        type: 'refund.updated',
        data: { object: { id: row.provider_ref, object: 'refund', status: 'succeeded', amount: 5_000 } },
      }
      expect((await deliver(updated)).status).toBe(200)
      expect((await deliver({ ...updated, id: `${updated.id}_again` })).status).toBe(200)
      expect(await findPayment(t.db, paymentId)).toMatchObject({ status: 'refunded', refunded_minor: 5_000 })
      expect(await refundPayment(t.db, { paymentId, amountMinor: 5_000, idempotencyKey: `slow-${paymentId}` })).toEqual(
        { refundId: r.refundId, status: 'succeeded' },
      )
    } finally {
      api.refundStatus = 'succeeded'
    }
  })
})
