import DataLoader from 'dataloader'
import type { Db } from '#db/client'
import { findSessionUsersWithAddresses, type SessionUserWithAddress } from '#db/queries/orders'
import { findSessionUser } from '#db/queries/users'
import { DomainError } from '#app/domain/errors'
import { CheckoutApiSchema, IdempotencyKeySchema } from '#app/schemas/orders'
import { readGate } from '#app/utils/read-gate'
import { sessionIdFromCookie } from '#app/utils/session.server'
import { groupCommitFor } from './group-commit.server'
import { placeCheckout } from './member-checkout.server'
import { checkoutStep } from './timeline.server'

/**
 * POST /api/checkout, the one implementation: its two transports (the node:http listener in front of Express,
 * app/server/checkout-transport.ts, and the Remix route app/routes/api.checkout.ts) only read the
 * socket into this input and write its reply. JSON { addressId, lines: [{ sessionItemSkuId, quantity }] }, session
 * cookie auth, in this order: 401 { error: 'unauthorized' } · 403 { error: 'forbidden' } (not a member) ·
 * 400 { fieldErrors } · 201 { checkoutId, orderIds, totalMinor, currency, expiresAt } ·
 * 409/422/429 { error: { code, message, ...details } }. An `Idempotency-Key` header (1–255 visible ASCII
 * characters) makes a retry safe: the same member with the same key gets the first answer again (201 or refusal),
 * and the key with a different body is refused (422 idempotency_key_reused).
 * Per request: the app's cookie authentication (sessionIdFromCookie), the session + user + address read (one
 * statement shared by every request that arrives in the same turn of the event loop; the session lookup alone when
 * the body is invalid), the VIP table from its cache, then the member's checkout through the pipeline.
 */
export interface CheckoutApiReply {
  status: number
  body: unknown
}

export interface CheckoutRequest {
  /** The Cookie header. */
  cookie: string | null
  /** The Idempotency-Key header. */
  idempotencyKey: string | null
  /** The parsed JSON body, or undefined when it is not JSON. */
  body: unknown
}

export interface CheckoutApiInput extends CheckoutRequest {
  now: Date
}

/** What a transport calls (the server entry's handleCheckout). */
export type CheckoutApiHandler = (input: CheckoutRequest) => Promise<CheckoutApiReply>

// Requests that arrive together (a storm at session open) share one read. The loader collects the keys asked during
// one turn of the event loop (setImmediate: after the I/O callbacks of that turn, where requests end), and while a
// read is in flight it keeps collecting until that read is answered: at an opening, after the first instant, the
// requests come in one per turn (between page renders), and a read per turn queued single-key statements on the
// connection (measured: the last ~240 carts waited 150–650 ms for their read). No caching: every request asks the
// database whether its session is still valid. The read goes over the group-commit queue's reader (a connection
// of its own, not the batches'), not the shared pool: postgres.js queues a statement behind those already sent on
// a busy connection, and at an opening the shared pool's connections carry the page loads' queries, so the
// opening's first read waited ~250 ms behind them before any checkout could join a batch.
type LookupKey = { sessionId: string; addressId: string; now: Date }
const lookups = new WeakMap<Db, DataLoader<LookupKey, SessionUserWithAddress | undefined>>()
function lookupFor(db: Db) {
  let loader = lookups.get(db)
  if (!loader) {
    const reader = groupCommitFor(db)?.reader ?? db
    const gate = readGate()
    loader = new DataLoader(
      (keys) =>
        gate.read(async () => {
          checkoutStep('read', keys.length)
          const found = await findSessionUsersWithAddresses(reader, keys, latest(keys))
          checkoutStep('read-done', keys.length)
          return found
        }),
      {
        cache: false,
        batchScheduleFn: gate.schedule,
        maxBatchSize: 500,
      },
    )
    lookups.set(db, loader)
  }
  return loader
}
/** The batch is judged at the latest `now` asked: a session that expired meanwhile is refused, never the reverse. */
const latest = (keys: readonly LookupKey[]) => new Date(Math.max(...keys.map((k) => k.now.getTime())))

export async function checkoutApi(db: Db, input: CheckoutApiInput): Promise<CheckoutApiReply> {
  checkoutStep('request')
  const sessionId = await sessionIdFromCookie(input.cookie)
  if (!sessionId) return { status: 401, body: { error: 'unauthorized' } }
  const parsed = CheckoutApiSchema.safeParse(input.body)
  const key = input.idempotencyKey === null ? null : IdempotencyKeySchema.safeParse(input.idempotencyKey)
  if (!parsed.success || (key && !key.success)) {
    // Auth still answers first: 401/403 before 400, as the contract says.
    const user = await findSessionUser(db, sessionId, input.now)
    if (!user) return { status: 401, body: { error: 'unauthorized' } }
    if (user.role !== 'member') return { status: 403, body: { error: 'forbidden' } }
    const fieldErrors = parsed.success ? {} : parsed.error.flatten().fieldErrors
    return {
      status: 400,
      body: {
        fieldErrors:
          key && !key.success ? { ...fieldErrors, idempotencyKey: key.error.flatten().formErrors } : fieldErrors,
      },
    }
  }
  const found = await lookupFor(db).load({ sessionId, addressId: parsed.data.addressId, now: input.now })
  if (!found) return { status: 401, body: { error: 'unauthorized' } }
  if (found.user.role !== 'member') return { status: 403, body: { error: 'forbidden' } }
  try {
    const placed = await placeCheckout(db, {
      memberId: found.user.id,
      vipLevel: found.user.vip_level,
      ...parsed.data,
      address: found.address,
      now: input.now,
      idempotencyKey: key?.data ?? null,
    })
    checkoutStep('answer')
    return { status: 201, body: { ...placed, expiresAt: placed.expiresAt.toISOString() } }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    checkoutStep('answer')
    return { status: e.status, body: { error: { code: e.code, message: e.message, ...e.details } } }
  }
}
