import { randomFillSync } from 'node:crypto'

// Unguessable tokens made on a hot path (a customer's order page, her device id) come from one buffer of the
// system's cryptographic generator, refilled 4 KB at a time: a storm of orders makes one call into the generator per
// ~170 tokens instead of one per token. Every byte is used once; the tokens are as random as randomBytes' own.
const POOL_BYTES = 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let used = POOL_BYTES

/** `bytes` random bytes (at most 4,096) as base64url. */
export function randomToken(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError('randomToken: at most 4096 bytes')
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool)
    used = 0
  }
  const token = pool.toString('base64url', used, used + bytes)
  used += bytes
  return token
}
