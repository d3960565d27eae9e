import type { ReactNode } from 'react'
import { useNavigate } from '@remix-run/react'
import { followInApp } from './follow-in-app'

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
