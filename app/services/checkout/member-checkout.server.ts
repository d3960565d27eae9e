// A member's own checkout: the member buys for themself at their VIP price, ships to one of their addresses,
// counts against their own caps and open-hold limits (PLATFORM_RULES.checkoutHolds), and the bought SKUs leave
// their cart.
import type { Transaction } from 'kysely'
import type { Db } from '#db/client'
import type { Database } from '#db/schema'
import { findOwnAddress } from '#db/queries/orders'
import type { VipTier } from '#app/domain/pricing'
import {
  AddressNotFoundError,
  EmptyCheckoutError,
  lockOrder,
  paymentDeadline,
  type RequestedLine,
} from '#app/domain/orders'
import { PLATFORM_RULES } from '#app/domain/platform-rules'
import { memberUnitPrice } from '#app/domain/pricing'
import { loadPriceBook, type PriceBook } from '../membership/pricing.server'
import { submitPurchase } from './group-commit.server'
import { placePurchases, type Buyer, type Placed, type Purchase } from './pipeline.server'
import { runOn } from './transaction.server'

export interface PlaceCheckoutInput {
  memberId: string
  vipLevel: number
  lines: RequestedLine[]
  addressId: string
  now: Date
  holdMs?: number
  /** The address row when the caller already read it (findSessionUsersWithAddresses): null = not the member's own. */
  address?: OwnAddress | null
  /** The request's Idempotency-Key, if it has one. */
  idempotencyKey?: string | null
}

type OwnAddress = NonNullable<Awaited<ReturnType<typeof findOwnAddress>>>
export type PlacedCheckout = Placed

/** The member as the pipeline's buyer, priced by a VIP table or by the price book (each session's own). */
export function memberBuyer(member: { id: string; vipLevel: number }, tiers: readonly VipTier[] | PriceBook): Buyer {
  const tiersFor = (sessionId: string) => ('tiersFor' in tiers ? tiers.tiersFor(sessionId) : tiers)
  return {
    accountId: member.id,
    capKey: member.id,
    holds: { accountId: member.id, limits: PLATFORM_RULES.checkoutHolds },
    unitPriceMinor: (sku) => memberUnitPrice(sku.basePriceMinor, member.vipLevel, tiersFor(sku.sessionId)),
    clearsCart: true,
  }
}

async function purchaseFor(db: Db | Transaction<Database>, input: PlaceCheckoutInput): Promise<Purchase> {
  if (!lockOrder(input.lines).length) throw new EmptyCheckoutError('nothing to check out')
  const [address, book] = await Promise.all([
    input.address !== undefined ? input.address : findOwnAddress(db, input.memberId, input.addressId),
    loadPriceBook(db),
  ])
  if (!address) throw new AddressNotFoundError('choose one of your addresses')
  return {
    buyer: memberBuyer({ id: input.memberId, vipLevel: input.vipLevel }, book),
    lines: input.lines,
    shipTo: {
      recipient: address.recipient,
      phone: address.phone,
      region: address.region,
      line: address.line,
      kind: address.kind,
    },
    addressId: address.id,
    dropShip: address.kind === 'customer',
    now: input.now,
    expiresAt: paymentDeadline(input.now, input.holdMs ?? PLATFORM_RULES.unpaidHoldMs),
    idempotency: input.idempotencyKey
      ? {
          key: input.idempotencyKey,
          fingerprint: JSON.stringify({ addressId: input.addressId, lines: lockOrder(input.lines) }),
        }
      : null,
  }
}

/** The checkout: the member's purchase through the checkout pipeline (group-committed when the queue takes it). */
export async function placeCheckout(db: Db, input: PlaceCheckoutInput): Promise<PlacedCheckout> {
  return submitPurchase(db, await purchaseFor(db, input))
}

/**
 * The same checkout on the caller's transaction: the demo seed places its orders through this, so they are
 * exactly what a member's checkout writes.
 */
export async function placeCheckoutInTransaction(
  trx: Transaction<Database>,
  input: PlaceCheckoutInput,
): Promise<PlacedCheckout> {
  const [result] = await placePurchases(runOn(trx), [await purchaseFor(trx, input)])
  if (result instanceof Error) throw result
  return result!
}
