import { RefundRefusedError } from '#app/domain/payments'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { applyPaymentOutcome, findPayment, refundPayment, startPayment } from '#app/services/payments/index.server'
import { latestPaymentFor } from '#db/queries/payments'
import { paymentPurposeHandler } from '#app/services/payments/purposes.server'
import { paymentProvider } from '#app/services/payments/provider.server'
import { initEnv } from '#app/utils/env.server'
import { action as payAction, loader as payLoader } from '#app/routes/pay.test.$paymentId'
import { createUser } from '#tests/fixtures/factories'
import { cookieFor, formRequest, getRequest, settle } from '#tests/setup/http'
import { createTestDatabase, type TestDatabase } from '#tests/setup/test-db'

let t: TestDatabase
let payer: Awaited<ReturnType<typeof createUser>>
let other: Awaited<ReturnType<typeof createUser>>
let payerCookie: string
let otherCookie: string
const now = new Date('2026-11-30T02:00:00Z')
let n = 0

beforeAll(async () => {
  delete process.env.STRIPE_SECRET_KEY
  t = await createTestDatabase()
  payer = await createUser(t.db)
  other = await createUser(t.db)
  payerCookie = await cookieFor(t.db, payer.id)
  otherCookie = await cookieFor(t.db, other.id)
})
afterAll(() => t.drop())
// Restore only our own spies (the console.error guard owns its spy).
const spies: Array<{ mockRestore(): void }> = []
afterEach(() => {
  spies.splice(0).forEach((s) => s.mockRestore())
})
function spy<T extends object, K extends keyof T & string>(obj: T, key: K) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const s = vi.spyOn(obj as any, key)
  spies.push(s)
  return s
}

function spyHandlers(purpose: 'order' | 'brand_deposit' = 'order') {
  return {
    succeeded: spy(paymentPurposeHandler(purpose), 'onSucceeded').mockResolvedValue(undefined),
    failed: spy(paymentPurposeHandler(purpose), 'onFailed').mockResolvedValue(undefined),
  }
}

async function start(amountMinor = 10_000, purpose: 'order' | 'brand_deposit' = 'order') {
  return startPayment(
    t.db,
    {
      purpose,
      referenceId: `ref-${n++}`,
      amountMinor,
      currency: 'CNY',
      description: '订单 #1',
      payerUserId: payer.id,
      successPath: '/orders/1?paid=1',
      cancelPath: '/checkout',
      origin: 'http://localhost:3000',
    },
    now,
  )
}

const pay = (paymentId: string, intent: string, cookie = payerCookie) =>
  settle(() =>
    payAction({
      request: formRequest(`/pay/test/${paymentId}`, { intent }, { cookie }),
      params: { paymentId },
      context: {},
    }),
  )

describe('startPayment with the test provider', () => {
  it('stores a pending payment and sends the payer to the labelled test page', async () => {
    const { paymentId, redirectUrl } = await start(12_345)
    expect(redirectUrl).toBe(`/pay/test/${paymentId}`)
    const p = await findPayment(t.db, paymentId)
    expect(p).toMatchObject({
      status: 'pending',
      provider: 'test',
      amount_minor: 12_345,
      currency: 'CNY',
      payer_user_id: payer.id,
      provider_ref: paymentId,
      refunded_minor: 0,
    })
    expect((await latestPaymentFor(t.db, 'order', p!.reference_id))?.id).toBe(paymentId)
    expect(await latestPaymentFor(t.db, 'brand_deposit', p!.reference_id)).toBeUndefined()
  })

  it('refuses non-positive amounts and off-site return paths, and the table refuses them too', async () => {
    await expect(start(0)).rejects.toThrow(RangeError)
    await expect(
      startPayment(t.db, {
        purpose: 'order',
        referenceId: 'x',
        amountMinor: 100,
        currency: 'CNY',
        description: '',
        payerUserId: payer.id,
        successPath: '//evil.example',
        cancelPath: '/c',
        origin: 'http://localhost:3000',
      }),
    ).rejects.toThrow(RangeError)
    await expect(
      t.db
        .insertInto('payments')
        .values({
          purpose: 'order',
          reference_id: 'x',
          payer_user_id: payer.id,
          amount_minor: -1,
          currency: 'CNY',
          provider: 'test',
          success_path: '/a',
          cancel_path: '/b',
        })
        .execute(),
    ).rejects.toThrow(/check/)
  })
})

describe('test-payment page', () => {
  it('shows the payment to its payer only', async () => {
    const { paymentId } = await start(5_000)
    const res = await settle(() =>
      payLoader({ request: getRequest(`/pay/test/${paymentId}`, payerCookie), params: { paymentId }, context: {} }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: paymentId, amountMinor: 5_000, status: 'pending', purpose: 'order' })
    expect(
      (
        await settle(() =>
          payLoader({ request: getRequest(`/pay/test/${paymentId}`, otherCookie), params: { paymentId }, context: {} }),
        )
      ).status,
    ).toBe(404)
    expect(
      (
        await settle(() =>
          payLoader({ request: getRequest('/pay/test/nope', payerCookie), params: { paymentId: 'nope' }, context: {} }),
        )
      ).status,
    ).toBe(404)
    const signedOut = await settle(() =>
      payLoader({ request: getRequest(`/pay/test/${paymentId}`), params: { paymentId }, context: {} }),
    )
    expect(signedOut.status).toBe(302)
  })

  it('approve by the payer pays once and returns to the success path; another user is refused', async () => {
    const h = spyHandlers()
    const { paymentId } = await start()
    expect((await pay(paymentId, 'approve', otherCookie)).status).toBe(404)
    expect(h.succeeded).not.toHaveBeenCalled()
    const res = await pay(paymentId, 'approve')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/orders/1?paid=1')
    await pay(paymentId, 'approve')
    await pay(paymentId, 'decline')
    expect(h.succeeded).toHaveBeenCalledTimes(1)
    expect(h.failed).not.toHaveBeenCalled()
    expect((await findPayment(t.db, paymentId))?.status).toBe('succeeded')
    expect(h.succeeded.mock.calls[0][1]).toMatchObject({ id: paymentId, status: 'succeeded' })
  })

  it('decline fails the payment, calls onFailed once and returns to the cancel path', async () => {
    const h = spyHandlers()
    const { paymentId } = await start()
    const res = await pay(paymentId, 'decline')
    expect(res.headers.get('Location')).toBe('/checkout')
    await pay(paymentId, 'decline')
    expect(h.failed).toHaveBeenCalledTimes(1)
    expect((await findPayment(t.db, paymentId))?.status).toBe('failed')
    expect((await pay(paymentId, 'maybe')).status).toBe(400)
  })

  it('is refused in production, and production refuses to start without Stripe keys', async () => {
    const { paymentId } = await start()
    const saved = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      expect(
        (
          await settle(() =>
            payLoader({
              request: getRequest(`/pay/test/${paymentId}`, payerCookie),
              params: { paymentId },
              context: {},
            }),
          )
        ).status,
      ).toBe(404)
      expect((await pay(paymentId, 'approve')).status).toBe(404)
      expect(() => paymentProvider()).toThrow(/production/)
      await expect(start()).rejects.toThrow(/production/)
      expect(() => initEnv({ NODE_ENV: 'production', SESSION_SECRET: 'a-long-enough-session-secret' })).toThrow(
        /STRIPE_SECRET_KEY/,
      )
      expect(
        initEnv({
          NODE_ENV: 'production',
          SESSION_SECRET: 'a-long-enough-session-secret',
          STRIPE_SECRET_KEY: 'sk_live_x',
          STRIPE_WEBHOOK_SECRET: 'whsec_x',
        }).NODE_ENV,
      ).toBe('production')
    } finally {
      process.env.NODE_ENV = saved
      initEnv()
    }
    expect((await findPayment(t.db, paymentId))?.status).toBe('pending')
  })
})

describe('applyPaymentOutcome', () => {
  it('ignores a duplicate event id: the handler runs once', async () => {
    const h = spyHandlers()
    const { paymentId } = await start()
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        applyPaymentOutcome(
          t.db,
          { paymentId, eventId: `evt_dup_${paymentId}`, type: 'checkout.session.completed', outcome: 'succeeded' },
          now,
        ),
      ),
    )
    expect(results.filter((r) => r?.duplicate === false)).toHaveLength(1)
    expect(h.succeeded).toHaveBeenCalledTimes(1)
    const events = await t.db.selectFrom('payment_events').selectAll().where('payment_id', '=', paymentId).execute()
    expect(events).toHaveLength(1)
  })

  it('expiry after success changes nothing; success after expiry is recorded and notified', async () => {
    const h = spyHandlers('brand_deposit')
    const a = await start(1_000_000, 'brand_deposit')
    await applyPaymentOutcome(
      t.db,
      {
        paymentId: a.paymentId,
        eventId: `e1_${a.paymentId}`,
        type: 'checkout.session.completed',
        outcome: 'succeeded',
      },
      now,
    )
    const late = await applyPaymentOutcome(
      t.db,
      { paymentId: a.paymentId, eventId: `e2_${a.paymentId}`, type: 'checkout.session.expired', outcome: 'expired' },
      now,
    )
    expect(late).toMatchObject({ duplicate: false, notified: null, payment: { status: 'succeeded' } })
    expect(h.failed).not.toHaveBeenCalled()

    const b = await start(1_000_000, 'brand_deposit')
    await applyPaymentOutcome(
      t.db,
      { paymentId: b.paymentId, eventId: `e1_${b.paymentId}`, type: 'checkout.session.expired', outcome: 'expired' },
      now,
    )
    expect((await findPayment(t.db, b.paymentId))?.status).toBe('expired')
    const paid = await applyPaymentOutcome(
      t.db,
      {
        paymentId: b.paymentId,
        eventId: `e2_${b.paymentId}`,
        type: 'checkout.session.async_payment_succeeded',
        outcome: 'succeeded',
      },
      now,
    )
    expect(paid).toMatchObject({ notified: 'succeeded', payment: { status: 'succeeded' } })
    expect(h.failed).toHaveBeenCalledTimes(1)
    expect(h.succeeded).toHaveBeenCalledTimes(2)
  })

  it('rolls everything back when the purpose handler throws, so a retry applies it', async () => {
    const { paymentId } = await start()
    spy(paymentPurposeHandler('order'), 'onSucceeded').mockRejectedValueOnce(new Error('handler down'))
    await expect(
      applyPaymentOutcome(t.db, { paymentId, eventId: `e_${paymentId}`, type: 'x', outcome: 'succeeded' }, now),
    ).rejects.toThrow('handler down')
    expect((await findPayment(t.db, paymentId))?.status).toBe('pending')
    const ok = spy(paymentPurposeHandler('order'), 'onSucceeded').mockResolvedValue(undefined)
    expect(
      await applyPaymentOutcome(t.db, { paymentId, eventId: `e_${paymentId}`, type: 'x', outcome: 'succeeded' }, now),
    ).toMatchObject({ duplicate: false, notified: 'succeeded' })
    expect(ok).toHaveBeenCalledTimes(1)
  })

  it('returns null for an unknown payment', async () => {
    expect(
      await applyPaymentOutcome(
        t.db,
        { paymentId: '00000000-0000-4000-8000-000000000000', eventId: 'e_unknown', type: 'x', outcome: 'succeeded' },
        now,
      ),
    ).toBeNull()
  })
})

describe('refundPayment (test provider)', () => {
  async function paid(amount = 10_000) {
    spyHandlers()
    const { paymentId } = await start(amount)
    await applyPaymentOutcome(
      t.db,
      { paymentId, eventId: `paid_${paymentId}`, type: 'test.approve', outcome: 'succeeded' },
      now,
    )
    return paymentId
  }

  it('is idempotent by key and tracks partial then full refunds', async () => {
    const paymentId = await paid(10_000)
    const first = await refundPayment(t.db, {
      paymentId,
      amountMinor: 3_000,
      idempotencyKey: `r1-${paymentId}`,
      reason: '尺码不合适',
    })
    const again = await refundPayment(t.db, { paymentId, amountMinor: 3_000, idempotencyKey: `r1-${paymentId}` })
    expect(first).toEqual({ refundId: again.refundId, status: 'succeeded' })
    expect(await findPayment(t.db, paymentId)).toMatchObject({ status: 'partially_refunded', refunded_minor: 3_000 })
    await refundPayment(t.db, { paymentId, amountMinor: 7_000, idempotencyKey: `r2-${paymentId}` })
    expect(await findPayment(t.db, paymentId)).toMatchObject({ status: 'refunded', refunded_minor: 10_000 })
    const rows = await t.db.selectFrom('payment_refunds').selectAll().where('payment_id', '=', paymentId).execute()
    expect(rows.map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
  })

  it('refuses more than was paid, unpaid payments, and a key reused for another amount', async () => {
    const paymentId = await paid(10_000)
    await expect(
      refundPayment(t.db, { paymentId, amountMinor: 10_001, idempotencyKey: `big-${paymentId}` }),
    ).rejects.toThrow(RefundRefusedError)
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        refundPayment(t.db, { paymentId, amountMinor: 4_000, idempotencyKey: `race-${i}-${paymentId}` }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
    expect((await findPayment(t.db, paymentId))?.refunded_minor).toBe(8_000)
    const usedKey = `race-${results.findIndex((r) => r.status === 'fulfilled')}-${paymentId}`
    await expect(refundPayment(t.db, { paymentId, amountMinor: 1_000, idempotencyKey: usedKey })).rejects.toThrow(
      /different refund/,
    )
    const { paymentId: unpaid } = await start()
    await expect(
      refundPayment(t.db, { paymentId: unpaid, amountMinor: 1, idempotencyKey: `u-${unpaid}` }),
    ).rejects.toThrow(RefundRefusedError)
  })
})

describe('payment purposes', () => {
  it('are registered at start-up and an unregistered purpose is refused loudly', async () => {
    const { registerPaymentPurposes } = await import('#app/services/payments/register-purposes.server')
    registerPaymentPurposes()
    expect(paymentPurposeHandler('order')).toBe(
      (await import('#app/services/orders/order-payments.server')).orderPaymentHandler,
    )
    expect(paymentPurposeHandler('brand_deposit')).toBe(
      (await import('#app/services/onboarding/deposits.server')).depositPaymentHandler,
    )
    expect(() => paymentPurposeHandler('no_such_purpose' as never)).toThrow(/no handler registered/)
  })
})
