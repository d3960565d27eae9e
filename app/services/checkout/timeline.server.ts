import { channel } from 'node:diagnostics_channel'

/**
 * The checkout's steps as they happen, published on a diagnostics channel for whoever listens: the benchmarks'
 * server probe (tests/bench/server-probe.mjs) writes them with the wall clock, to read a session opening's timeline
 * (requests in, the members' read, each batch's locks, write and COMMIT, answers out) against the event loop and the
 * garbage collector. With no listener, a step costs one property read.
 */
export type CheckoutStep =
  /** A checkout request reached the API. */
  | 'request'
  /** The members' session + address read went out / was answered (`n`: requests in it). */
  | 'read'
  | 'read-done'
  /** A group-commit batch started (`n`: purchases). */
  | 'batch'
  /** A placement's rows were locked and its reads answered (a batch's, or a purchase placed alone). */
  | 'locked'
  /** Its write statement went out (none when every purchase in it was refused). */
  | 'write'
  /** A batch's COMMIT returned. */
  | 'committed'
  /** A checkout's answer, placed or refused, is ready to be written. */
  | 'answer'

export const CHECKOUT_STEPS_CHANNEL = 'clearance.checkout.steps'
const steps = channel(CHECKOUT_STEPS_CHANNEL)

export function checkoutStep(step: CheckoutStep, n = 1) {
  if (steps.hasSubscribers) steps.publish({ step, n, at: performance.timeOrigin + performance.now() })
}
