import type { MouseEvent } from 'react'

// Long lists of links (the item grid, the header) are plain `<a href>`s with one click handler on their container
// instead of a Remix `<Link>` each, whose href resolution costs every server render (measured in tests/bench).

/** A click on a plain same-origin link inside the element navigates in the app, as Remix's `<Link>` would. */
export function followInApp(e: MouseEvent<HTMLElement>, navigate: (to: string) => void) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const link = (e.target as Element).closest('a')
  if (
    !link ||
    !e.currentTarget.contains(link) ||
    (link.target && link.target !== '_self') ||
    link.hasAttribute('download')
  )
    return
  const url = new URL(link.href)
  if (url.origin !== window.location.origin) return
  e.preventDefault()
  navigate(url.pathname + url.search + url.hash)
}
