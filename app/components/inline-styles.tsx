import { createContext, useContext } from 'react'

const ID = 'app-styles'

/**
 * The site's stylesheets, given by the server render (`stylesText` in app/utils/styles.server.ts) and written into
 * the document's head. A phone on a slow network then paints the first screen from the document alone, without a
 * further round trip for the CSS (≈ 12 KB compressed, smaller than the trips it saves). In the browser the element
 * keeps the text the server wrote, read once from the page so hydration matches it.
 */
const StylesContext = createContext<string | null>(null)
export const StylesProvider = StylesContext.Provider

let fromPage: string | undefined

export function InlineStyles() {
  const server = useContext(StylesContext)
  const css =
    server ?? (fromPage ??= typeof document === 'undefined' ? '' : (document.getElementById(ID)?.textContent ?? ''))
  return <style id={ID} dangerouslySetInnerHTML={{ __html: css }} />
}
