import { useCallback, useEffect, useRef, useState, type ImgHTMLAttributes } from 'react'

const ATTEMPTS = 6

/** The URL of the n-th retry: a query parameter the image routes ignore, so the browser asks again. */
export function retryUrl(src: string, attempt: number): string {
  if (attempt === 0) return src
  return `${src}${src.includes('?') ? '&' : '?'}retry=${attempt}`
}

/**
 * An image drawn on demand (a poster): on a busy server its request may be refused (503 with Retry-After) and a
 * plain <img> would then stay broken. This one asks again after 2, 4, 6 … seconds, a few times. A failure before
 * hydration is noticed on mount (React attaches onError too late for it).
 */
export function RetryingImage({ src, ...rest }: ImgHTMLAttributes<HTMLImageElement> & { src: string }) {
  const [attempt, setAttempt] = useState(0)
  const tried = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const retry = useCallback(() => {
    if (tried.current + 1 >= ATTEMPTS) return
    const next = ++tried.current
    clearTimeout(timer.current)
    timer.current = setTimeout(() => setAttempt(next), 2_000 * next)
  }, [])
  const ref = useCallback(
    (img: HTMLImageElement | null) => {
      if (img?.complete && img.naturalWidth === 0 && img.getAttribute('src')) retry()
    },
    [retry],
  )
  useEffect(() => {
    tried.current = 0
    setAttempt(0)
    return () => clearTimeout(timer.current)
  }, [src])
  return <img {...rest} ref={ref} src={retryUrl(src, attempt)} onError={retry} />
}
