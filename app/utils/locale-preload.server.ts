import { readFileSync } from 'node:fs'
import path from 'node:path'

// An English page fetches its translations' chunk before it hydrates (app/entry.client.tsx). Found only when the
// entry's own chunk has run, that fetch would start a round trip after every other script: a preload of it among
// the page's scripts starts it with them. Its address is the one the entry's chunks import, read once per build.

const CHUNK = /import\("([^"]*\/en-[A-Za-z0-9]+\.js)"\)/
const found = new Map<string, string | null>()

/** The address of the browser's English chunk, from the files of the entry and its imports; null if none says. */
export function englishChunk(
  manifest: { version: string; entry: { module: string; imports: string[] } },
  publicDir = 'public',
): string | null {
  const known = found.get(manifest.version)
  if (known !== undefined) return known
  let url: string | null = null
  for (const file of [manifest.entry.module, ...manifest.entry.imports]) {
    try {
      url = CHUNK.exec(readFileSync(path.join(publicDir, file), 'utf8'))?.[1] ?? null
    } catch {
      // A file not there (a build being replaced): no preload, the page fetches the chunk itself.
    }
    if (url) break
  }
  found.set(manifest.version, url)
  return url
}

/**
 * The document with a module preload of `url` as the body's last element, after Remix's scripts: React leaves a
 * body's extra last nodes alone when it hydrates, and the preload waits for the first paint with the others
 * (after-first-paint.server.ts). A document without `</body>` is returned as it is.
 */
export function withModulePreload(document: string, url: string): string {
  const at = document.lastIndexOf('</body>')
  if (at < 0) return document
  const link = `<link rel="modulepreload" href="${url.replace(/[^\w/.-]/g, '')}"/>`
  return document.slice(0, at) + link + document.slice(at)
}
