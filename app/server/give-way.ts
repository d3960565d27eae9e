import type { ServerResponse } from 'node:http'

// Kept pages give way to everything else. A kept page is the cheapest answer the server has, and a forwarded card
// brings them by the thousand: sent as they come, they fill every turn of the event loop, and whatever else the
// process is doing waits behind hundreds of them at each step. Measured on 2 cores with 500 connections on her
// share page while 200 customers order from it: an order's database answers waited 30–50 ms per turn, and orders'
// p99 was 400–800 ms against ~150 ms without the page load (tests/bench/README.md). So while other work is in
// flight (an order, held as admission control holds it) or was asked for a moment ago (a poster, a render, any
// request that is not a kept page), kept pages wait in a queue sent `perTick` at a time per timer tick — a
// millisecond, longer when the loop is busy — so each turn carries a few of them and the rest of the work goes on.
// A burst of kept pages with nothing else asking is sent at once, as before; the queue is bounded (past `maxQueued`
// a page is sent at once), and a visitor who left meanwhile is not sent anything.

export interface GiveWayOptions {
  /** Kept pages sent per timer tick while giving way; 0 never waits. */
  perTick: number
  /** Orders in flight (admission control's holds). */
  held: () => number
  /**
   * How long after another request arrived kept pages still give way (ms, 100): a page's own assets and posters
   * come within it; a health check every few seconds does not keep it open.
   */
  windowMs?: number
  /** Kept pages waiting at most (2,000); past it one is sent at once: a bound on memory, not on visitors. */
  maxQueued?: number
  now?: () => number
}

export interface GiveWay {
  /** Sends a kept page now, or after the other work's turn. */
  send(res: ServerResponse, send: () => void): void
  /** A request that is not a kept page arrived. */
  other(): void
  stats(): { queued: number; paced: number }
}

export function giveWay(options: GiveWayOptions): GiveWay {
  const { perTick, held, windowMs = 100, maxQueued = 2_000 } = options
  const now = options.now ?? (() => performance.now())
  let queue: { res: ServerResponse; send: () => void }[] = []
  let head = 0
  let lastOther = -Infinity
  let timer: NodeJS.Timeout | null = null
  let paced = 0
  const givingWay = () => held() > 0 || now() - lastOther < windowMs

  const drain = () => {
    timer = null
    let n = givingWay() ? perTick : Infinity
    while (n > 0 && head < queue.length) {
      const next = queue[head++]!
      if (next.res.destroyed) continue
      n--
      next.send()
    }
    if (head < queue.length) timer = setTimeout(drain, 1)
    else {
      queue = []
      head = 0
    }
  }

  return {
    send(res, send) {
      const waiting = queue.length - head
      if (perTick <= 0 || waiting >= maxQueued || (waiting === 0 && !givingWay())) return send()
      paced++
      queue.push({ res, send })
      timer ??= setTimeout(drain, 1)
    },
    other() {
      lastOther = now()
    },
    stats: () => ({ queued: queue.length - head, paced }),
  }
}
