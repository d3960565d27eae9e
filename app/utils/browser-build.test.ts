import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { matchRoutes as MatchRoutes } from '@remix-run/router'
import { describe, expect, it } from 'vitest'

// Guards of the two patches that shape the browser's bundle (patches/README.md): they fail when `npm install`
// left the code the build reads unpatched.
const require = createRequire(import.meta.url)

describe('the browser build', () => {
  it("matches routes through the router's ESM build, which keeps the ranked branches and compiled patterns", async () => {
    const file = path.join(path.dirname(require.resolve('@remix-run/router')), 'router.js')
    expect(readFileSync(file, 'utf8')).toContain('rankedBranchesCache')
    const { matchRoutes } = (await import(file)) as { matchRoutes: typeof MatchRoutes }
    const routes = [
      {
        id: 'root',
        path: '/',
        children: [
          { id: 'shop', path: 'shop/:handle' },
          { id: 'sessions.new', path: 'sessions/new' },
          { id: 'sessions.$id', path: 'sessions/:sessionId' },
        ],
      },
    ]
    for (let i = 0; i < 2; i++) {
      expect(matchRoutes(routes, '/sessions/new')?.map((m) => m.route.id)).toEqual(['root', 'sessions.new'])
      expect(matchRoutes(routes, '/shop/lily')?.at(-1)?.params).toEqual({ handle: 'lily' })
      expect(matchRoutes(routes, '/nowhere')).toBeNull()
    }
  })

  it("is compiled with Chromium's compile hint at the top of every production chunk", () => {
    const compiler = path.join(
      path.dirname(require.resolve('@remix-run/dev/package.json')),
      'dist/compiler/js/compiler.js',
    )
    expect(readFileSync(compiler, 'utf8')).toContain('js: "//# allFunctionsCalledOnLoad"')
  })
})
