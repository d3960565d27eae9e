import { createContext, useContext } from 'react'

// The server's clock renders the first frame (so hydration matches); after that the browser's clock ticks
// (`onEverySecond`), and what follows it writes its own text without a React render.
const NowContext = createContext<number>(Date.now())

export function NowProvider({ serverNow, children }: { serverNow?: string; children: React.ReactNode }) {
  const now = serverNow ? Date.parse(serverNow) : Date.now()
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>
}

/** The instant the page was rendered at: the server's clock on the first frame. */
export function useNow(): number {
  return useContext(NowContext)
}

const listeners = new Set<(now: number) => void>()
let timer: ReturnType<typeof setInterval> | undefined
let lastTick = 0

/** The browser's clock at the last tick, once the page ticks (0 before: on the server and while hydrating). */
export function tickedNow(): number {
  return lastTick
}

/**
 * One timer for the whole page: every countdown hears the same tick (a phone's page with twenty countdowns pays for
 * one timer, not twenty re-renders a second). Calls `listener` at once, then every second; returns the unsubscribe.
 */
export function onEverySecond(listener: (now: number) => void): () => void {
  listeners.add(listener)
  if (!timer)
    timer = setInterval(() => {
      const now = (lastTick = Date.now())
      for (const l of listeners) l(now)
    }, 1000)
  listener((lastTick = Date.now()))
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && timer) {
      clearInterval(timer)
      timer = undefined
    }
  }
}
