import type { MouseEvent, ReactNode } from 'react'
import { useNavigate } from '@remix-run/react'

/**
 * The grid of item cards. Cards link with plain `<a href>` and this one click handler keeps in-app navigation
 * (what Remix's `<Link>` does per link): 60 `<Link>`s cost the session page — the flash sale's busiest — about
 * 15 % of its server render (each resolves its href through the router's hooks; measured in tests/bench).
 * Without JavaScript, or with a modifier key / middle click, the links behave as ordinary links.
 */
export function ItemGrid({ children, serverHtml }: { children: ReactNode; serverHtml?: string }) {
  const navigate = useNavigate()
  // The server's render may give the cards' kept markup (app/components/server-fragments.tsx); the browser
  // always renders the children, and hydrates them against it.
  if (serverHtml !== undefined) return <ul className="item-grid" dangerouslySetInnerHTML={{ __html: serverHtml }} />
  return (
    <ul className="item-grid" onClick={(e) => followInApp(e, navigate)}>
      {children}
    </ul>
  )
}

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
