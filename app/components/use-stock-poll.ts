import { useFetcher } from '@remix-run/react'
import { useEffect } from 'react'
import type { StockState } from '#app/domain/stock'

export interface StockSnapshot {
  items: Record<string, StockState>
  skus: Record<string, StockState>
}

/** Polls the small stock endpoint every few seconds and when the tab regains focus. */
export function useStockPoll(sessionId: string | null | undefined, everyMs = 5000): StockSnapshot | undefined {
  const fetcher = useFetcher<StockSnapshot>()
  useEffect(() => {
    if (!sessionId) return
    const url = `/api/stock/${sessionId}`
    const load = () => {
      if (document.visibilityState === 'visible') fetcher.load(url)
    }
    const timer = window.setInterval(load, everyMs)
    window.addEventListener('focus', load)
    return () => {
      window.clearInterval(timer)
      window.removeEventListener('focus', load)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId, everyMs])
  return fetcher.data
}
