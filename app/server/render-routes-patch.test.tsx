import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createStaticHandler, type AgnosticDataRouteObject } from '@remix-run/router'
import { useContext } from 'react'
import { renderToString } from 'react-dom/server'
import { UNSAFE_DataRouterContext, useParams } from 'react-router-dom'
import { createStaticRouter } from 'react-router-dom/server'
import { describe, expect, it } from 'vitest'

// patches/@remix-run+react+2.17.5.patch and patches/react-router-dom+6.30.4.patch: a render reuses the route tree
// of its build instead of making it again (and having the router rank it again) for every page.
const require = createRequire(import.meta.url)

describe('the render route-tree patches', () => {
  it('are applied to the files the server loads', () => {
    expect(readFileSync(require.resolve('@remix-run/react/dist/server.js'), 'utf8')).toContain('serverRoutesCache')
    expect(readFileSync(require.resolve('react-router-dom/server'), 'utf8')).toContain('staticDataRoutesCache')
  })

  it('createStaticRouter keeps the data routes of one routes array, and makes new ones for another', async () => {
    const tree = () => [{ id: 'root', path: '/', children: [{ id: 'sessions.$id', path: 'sessions/:sessionId' }] }]
    const routes = tree()
    const context = async () => {
      const result = await createStaticHandler(routes as AgnosticDataRouteObject[]).query(
        new Request('http://localhost/sessions/abc'),
      )
      if (result instanceof Response) throw new Error('no context')
      return result
    }
    const first = createStaticRouter(routes, await context())
    const second = createStaticRouter(routes, await context())
    expect(second.routes).toBe(first.routes)
    expect(second.state.matches.map((m) => m.route.id)).toEqual(['root', 'sessions.$id'])
    expect(second.state.matches.at(-1)?.params).toEqual({ sessionId: 'abc' })
    expect(createStaticRouter(tree(), await context()).routes).not.toBe(first.routes)
  })

  it('RemixServer renders each request with the one tree of its build, and a changed route module gets a new one', async () => {
    const seen: unknown[] = []
    function Root() {
      return <Page />
    }
    function Page() {
      seen.push(useContext(UNSAFE_DataRouterContext)?.router.routes)
      return <p>session {useParams().sessionId}</p>
    }
    const manifestRoutes = {
      root: { id: 'root', path: '', hasLoader: false, hasAction: false, module: '/root.js', index: undefined },
      'routes/sessions.$id': {
        id: 'routes/sessions.$id',
        parentId: 'root',
        path: 'sessions/:sessionId',
        hasLoader: false,
        hasAction: false,
        module: '/session.js',
      },
    }
    const modules = { root: { default: Root }, 'routes/sessions.$id': { default: () => null } }
    const future = {} // the build's one future object
    const render = async (url: string, routeModules: Record<string, { default: () => unknown }>) => {
      const handler = createStaticHandler([
        { id: 'root', path: '', children: [{ id: 'routes/sessions.$id', path: 'sessions/:sessionId' }] },
      ])
      const staticHandlerContext = await handler.query(new Request(`http://localhost${url}`))
      if (staticHandlerContext instanceof Response) throw new Error('no context')
      const context = {
        manifest: { routes: manifestRoutes, entry: { module: '/entry.js', imports: [] }, url: '/m.js', version: '1' },
        routeModules,
        staticHandlerContext,
        future,
        isSpaMode: false,
        serverHandoffString: '{}',
        renderMeta: {},
      } as unknown as EntryContext
      return renderToString(<RemixServer context={context} url={`http://localhost${url}`} />)
    }
    expect(await render('/sessions/a', modules)).toContain('session <!-- -->a')
    expect(await render('/sessions/b', modules)).toContain('session <!-- -->b')
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
    // A development rebuild hands in new module objects: the tree is made again from them.
    expect(await render('/sessions/c', { ...modules, root: { default: Root } })).toContain('session <!-- -->c')
    expect(seen[2]).not.toBe(seen[0])
  })
})
