import { createContext, useContext, type ReactElement } from 'react'

/**
 * A part of a page that many requests render identically (the session page's cards for one level and language)
 * can be rendered once and its markup reused: the server's render gives the kept HTML for a key, the browser
 * renders the components as usual and hydrates them against that HTML, which is byte for byte what they render.
 * `key` must name everything the part's output depends on besides the request's language (the provider adds it):
 * its data and whatever it reads from context. Outside the server's render there is no provider and nothing is kept.
 */
export type RenderFragment = (key: string, render: () => ReactElement) => string | undefined

const FragmentsContext = createContext<RenderFragment | null>(null)
export const ServerFragmentsProvider = FragmentsContext.Provider

/** The kept (or freshly rendered) HTML of `render()` under `key` during a server render; undefined in the browser. */
export function useServerFragment(key: string | null, render: () => ReactElement): string | undefined {
  const fragments = useContext(FragmentsContext)
  return fragments && key !== null ? fragments(key, render) : undefined
}
