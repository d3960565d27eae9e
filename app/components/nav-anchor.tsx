import type { ReactNode } from 'react'

/**
 * A header link: a plain anchor (the header's one click handler keeps in-app navigation, as the item grid's does),
 * marked active as Remix's `<NavLink>` marks it: its path is the page's or, without `end`, one of the page's parents,
 * compared case-insensitively. `<Link>` and `<NavLink>` resolve every href through the router's hooks: the header's
 * 5–9 of them cost each page ~0.1 ms of its server render (profile of the session page, 2026-12-07).
 */
export function NavAnchor({
  to,
  end = false,
  className,
  here,
  children,
}: {
  to: string
  end?: boolean
  className?: string
  here: string
  children: ReactNode
}) {
  const page = here.toLowerCase()
  const path = to.toLowerCase()
  const active = page === path || (!end && page.startsWith(path) && page.charAt(path.length) === '/')
  const classes = [className, active ? 'active' : null].filter(Boolean).join(' ')
  return (
    <a href={to} className={classes || undefined} aria-current={active ? 'page' : undefined}>
      {children}
    </a>
  )
}
