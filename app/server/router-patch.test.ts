import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { matchRoutes } from '@remix-run/router'
import { describe, expect, it } from 'vitest'

// patches/@remix-run+router+1.23.3.patch (applied by `npm install` through patch-package) keeps the ranked route
// branches per routes array, the compiled path patterns and, on the server, the matches per pathname, which the
// server otherwise worked out three times per page.
describe('the @remix-run/router patch', () => {
  it('is applied to the build the server loads', () => {
    const file = createRequire(import.meta.url).resolve('@remix-run/router')
    expect(readFileSync(file, 'utf8')).toContain('rankedBranchesCache')
    expect(readFileSync(file, 'utf8')).toContain('matchesCache')
  })

  it('gives every caller its own matches of a kept pathname: changing one answer leaves the next as matched', () => {
    const routes = [{ id: 'root', path: '/', children: [{ id: 'item', path: 'items/:itemId' }] }]
    const first = matchRoutes(routes, '/items/a')!
    ;(first[1]!.params as Record<string, string>).itemId = 'changed'
    first.pop()
    const again = matchRoutes(routes, '/items/a')!
    expect(again.map((m) => m.route.id)).toEqual(['root', 'item'])
    expect(again[1]!.params).toEqual({ itemId: 'a' })
    // One params object for a match's routes, as matching makes it.
    expect(again[0]!.params).toBe(again[1]!.params)
  })

  it('still matches as before: params, ranking (static before dynamic), splats, no match', () => {
    const routes = [
      {
        id: 'root',
        path: '/',
        children: [
          { id: 'sessions.new', path: 'sessions/new' },
          { id: 'sessions.$id', path: 'sessions/:sessionId' },
          { id: 'files', path: 'files/*' },
        ],
      },
    ]
    for (let i = 0; i < 2; i++) {
      expect(matchRoutes(routes, '/sessions/new')?.map((m) => m.route.id)).toEqual(['root', 'sessions.new'])
      expect(matchRoutes(routes, '/sessions/abc')?.at(-1)?.params).toEqual({ sessionId: 'abc' })
      expect(matchRoutes(routes, '/files/a/b.png')?.at(-1)?.params['*']).toBe('a/b.png')
      expect(matchRoutes(routes, '/nowhere/at/all')).toBeNull()
    }
  })
})
