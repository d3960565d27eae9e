/**
 * Lets a page paint before its JavaScript loads. Remix writes `<link rel="modulepreload">` for every module of the
 * page and one inline module script that imports them and hydrates; on a slow phone network those ~170 KB of
 * scripts share the connection with the first screen's pictures and hold up their paint. Here, on the server's
 * finished document, the preloads are parked (`rel="preload-after-paint"`, which browsers ignore) and the module
 * script becomes a classic script that, after the first frame is painted, turns the preloads back on and inserts
 * the original module script unchanged. A tab opened in the background paints no frame: there a timer starts it.
 * Turning a preload on costs the main thread a few milliseconds (on a slow phone ~8 ms: the request is set up
 * synchronously), so they are turned on a few per task, never blocking input for long; the module script follows
 * the last of them.
 *
 * Hydration does not notice: React does not compare a `<link>`'s attributes when it hydrates, and Remix renders its
 * scripts with `suppressHydrationWarning`. A document of another shape (no module script, or more than one) is
 * returned as it is, so the page then simply loads its scripts at once.
 */
const MODULE_SCRIPT = /<script nonce="([^"]*)" type="module" async="">([\s\S]*?)<\/script>/g
const PARKED = 'preload-after-paint'
const BACKGROUND_TAB_MS = 1000
/** Preloads turned on per task. */
const PRELOADS_PER_TASK = 2

export function hydrateAfterFirstPaint(document: string): string {
  // Remix writes its scripts at the end of the body: only that tail is searched.
  const from = document.indexOf('<link rel="modulepreload"')
  if (from < 0) return document
  const html = document.slice(from)
  const scripts = [...html.matchAll(MODULE_SCRIPT)]
  if (scripts.length !== 1) return document
  const [whole, nonce, code] = scripts[0]!
  // JSON.stringify leaves `<` as is: escape it so the module's text cannot close this script element.
  const text = JSON.stringify(code).replaceAll('<', '\\u003c')
  const loader =
    `<script nonce="${nonce}">(function(){var started=false;function start(){if(started)return;started=true;` +
    `var links=[].slice.call(document.querySelectorAll('link[rel="${PARKED}"]'));(function next(){` +
    `links.splice(0,${PRELOADS_PER_TASK}).forEach(function(l){l.rel="modulepreload"});` +
    `if(links.length)return setTimeout(next);` +
    `var s=document.createElement("script");s.type="module";s.nonce=${JSON.stringify(nonce)};s.textContent=${text};` +
    `document.body.appendChild(s)})()}` +
    `requestAnimationFrame(function(){setTimeout(start)});setTimeout(start,${BACKGROUND_TAB_MS})})()</script>`
  return (
    document.slice(0, from) + html.replaceAll('rel="modulepreload"', `rel="${PARKED}"`).replace(whole, () => loader)
  )
}
