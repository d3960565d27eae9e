import { createContext, useContext } from 'react'
import appStylesHref from '#app/styles/app.css'
import phoneStylesHref from '#app/styles/phone.css'

/** The site's stylesheets in cascade order: the wide-screen look, then the phone layer. */
export const STYLESHEETS = [appStylesHref, phoneStylesHref]

const ID = 'app-styles'

/**
 * The stylesheets in the document's head: on a visitor's first page as the CSS itself (a phone on a slow network
 * then paints the first screen from the document alone, ≈ 12 KB compressed instead of further round trips), later as
 * links to the files her browser has kept since (`stylesForRequest` in app/utils/styles.server.ts decides). The
 * server render gives the text, or null for links; in the browser the component renders whatever the server wrote,
 * read from the page once, so hydration matches it.
 */
const StylesContext = createContext<string | null | undefined>(undefined)
export const StylesProvider = StylesContext.Provider

let fromPage: string | null | undefined

export function InlineStyles() {
  const server = useContext(StylesContext)
  const css =
    server !== undefined
      ? server
      : (fromPage ??= typeof document === 'undefined' ? null : (document.getElementById(ID)?.textContent ?? null))
  if (css === null) return STYLESHEETS.map((href) => <link key={href} rel="stylesheet" href={href} />)
  return (
    <>
      <style id={ID} dangerouslySetInnerHTML={{ __html: css }} />
      {/* Fetched when the browser is idle, so that her next page finds them in its cache. */}
      {STYLESHEETS.map((href) => (
        <link key={href} rel="prefetch" as="style" href={href} />
      ))}
    </>
  )
}
