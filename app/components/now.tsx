import { createContext, useContext, useEffect, useState } from 'react'

// The server's clock renders the first frame (so hydration matches); the browser's clock ticks after that.
const NowContext = createContext<number>(Date.now())

export function NowProvider({ serverNow, children }: { serverNow?: string; children: React.ReactNode }) {
  const [now, setNow] = useState(() => (serverNow ? Date.parse(serverNow) : Date.now()))
  useEffect(() => {
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>
}

export function useNow(): number {
  return useContext(NowContext)
}
