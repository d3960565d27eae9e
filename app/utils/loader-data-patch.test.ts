import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createStaticHandler, json } from '@remix-run/router'
import { describe, expect, it } from 'vitest'

// patches/@remix-run+router+1.23.3.patch also keeps the JSON text of a `json()` response with it, and a document
// request's loader data is parsed from that text instead of being encoded into the response's body stream and read
// back from it (~4 % of a session page's server CPU).
describe("the router patch's loader data", () => {
  it('is applied to the build the server loads', () => {
    const file = createRequire(import.meta.url).resolve('@remix-run/router')
    expect(readFileSync(file, 'utf8')).toContain('jsonTexts')
  })

  const query = async (loader: () => Response) => {
    const handler = createStaticHandler([{ id: 'root', path: '/', loader }])
    const context = await handler.query(new Request('http://app.test/'))
    if (context instanceof Response) throw new Error('unexpected response')
    return context
  }

  it('is what the JSON in the response says, as before: a copy, dates as text, no undefined', async () => {
    const data = { when: new Date('2026-12-07T10:00:00Z'), gone: undefined, items: [{ n: 1 }] }
    const response = json(data, { headers: { 'X-Kept': 'yes' } })
    const context = await query(() => response)
    expect(context.loaderData.root).toEqual({ when: '2026-12-07T10:00:00.000Z', items: [{ n: 1 }] })
    expect(context.loaderData.root.items).not.toBe(data.items)
    expect(context.loaderHeaders.root?.get('X-Kept')).toBe('yes')
    // The body is still there for whoever sends the response itself (a `?_data` request).
    expect(await response.json()).toEqual({ when: '2026-12-07T10:00:00.000Z', items: [{ n: 1 }] })
  })

  it('reads any other JSON response from its body', async () => {
    const plain = new Response('{"made":"by hand"}', { headers: { 'Content-Type': 'application/json' } })
    expect((await query(() => plain)).loaderData.root).toEqual({ made: 'by hand' })
  })
})
