import http from 'node:http'
import { describe, expect, it } from 'vitest'
import type { OrderFormAnswer, OrderFormRequest } from '#app/utils/customer-replies.server'
import { listenOnLoopback as listen, requestLoopback } from '#tests/setup/loopback-server'
import { admissionControl } from './admission'
import { orderFormTarget, orderFormTransport, type OrderFormHandler } from './checkout-transport'

const FORM = 'application/x-www-form-urlencoded'
const req = (method: string, url: string, type = FORM) =>
  ({ method, url, headers: { 'content-type': type } }) as unknown as http.IncomingMessage

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

// One keep-alive connection for every request of a test, as a browser's: a reply must leave it usable.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

async function send(
  port: number,
  method: string,
  path: string,
  body = '',
  headers: Record<string, string> = { 'content-type': FORM },
): Promise<Answer> {
  const r = await requestLoopback(port, { method, path, body, headers, agent })
  return { ...r, body: r.body.toString('utf8') }
}

/** Remix's stand-in: answers with what it read of the request, so a test sees the body it was handed. */
const remix: http.RequestListener = (req, res) => {
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (c: string) => (body += c))
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-answered-by': 'remix' })
    res.end(`${req.method} ${req.url} ${body}`)
  })
}

describe('which requests are order forms', () => {
  it('url-encoded POSTs to a share page or a shop, as a form or as the page’s data request', () => {
    expect(orderFormTarget(req('POST', '/s/abcDEF123'))).toEqual({
      source: { kind: 'share', token: 'abcDEF123' },
      url: '/s/abcDEF123',
      dataRequest: false,
    })
    expect(orderFormTarget(req('POST', '/s/abcDEF123?_data=routes%2Fs.%24token'))).toEqual({
      source: { kind: 'share', token: 'abcDEF123' },
      url: '/s/abcDEF123?_data=routes%2Fs.%24token',
      dataRequest: true,
    })
    // Her shop's page is its address with the filters: the page a refusal re-renders.
    expect(orderFormTarget(req('POST', '/shop/lily?size=M'))).toEqual({
      source: { kind: 'shop', handle: 'lily' },
      url: '/shop/lily?size=M',
      dataRequest: false,
    })
    expect(orderFormTarget(req('POST', '/shop/lily?size=M&_data=routes%2Fshop.%24handle'))).toEqual({
      source: { kind: 'shop', handle: 'lily' },
      url: '/shop/lily?size=M&_data=routes%2Fshop.%24handle',
      dataRequest: true,
    })
    for (const [method, url, type] of [
      ['GET', '/s/abcDEF123', FORM],
      ['POST', '/s/abcDEF123', 'multipart/form-data; boundary=x'],
      ['POST', '/s/abcDEF123', 'application/json'],
      ['POST', '/s/abc/card.png', FORM],
      ['POST', '/shopping', FORM],
      ['POST', '/sessions/x', FORM],
      // Another route's data, an index route, a malformed or control-character path: Remix's to answer.
      ['POST', '/s/abc?_data=routes%2Fshop.%24handle', FORM],
      ['POST', '/s/abc?index', FORM],
      ['POST', '/s/%E0%A4%A', FORM],
      ['POST', '/s/ab%01c', FORM],
    ])
      expect(orderFormTarget(req(method!, url!, type)), `${method} ${url} ${type}`).toBeNull()
  })
})

describe('the order form transport', () => {
  const seen: OrderFormRequest[] = []
  const handler: OrderFormHandler = async (input): Promise<OrderFormAnswer> => {
    seen.push(input)
    if (input.form.get('valid') === '1') return { status: 302, headers: { location: '/o/token/pay' }, body: '' }
    if (input.form.get('refused') !== '1') return 'invalid'
    if (!input.dataRequest) return 'refused'
    return { status: 409, headers: { 'content-type': 'application/json' }, body: '{"formError":{"code":"sold_out"}}' }
  }
  const transport = () => orderFormTransport(handler, () => '203.0.113.9', remix)

  it('answers a valid order itself: a redirect for the form, Remix’s 204 redirect for the page’s script', async () => {
    const port = await listen(transport())
    const form = await send(port, 'POST', '/s/tok123', 'valid=1&name=x', {
      'content-type': FORM,
      cookie: 'cid=abcdefghijklmnop',
      'accept-encoding': 'gzip, br',
      'user-agent': 'MicroMessenger/8.0',
    })
    expect(form.status).toBe(302)
    expect(form.headers.location).toBe('/o/token/pay')
    expect(form.headers['x-answered-by']).toBeUndefined()
    const input = seen.at(-1)!
    expect(input).toMatchObject({
      source: { kind: 'share', token: 'tok123' },
      url: '/s/tok123',
      dataRequest: false,
      cookie: 'cid=abcdefghijklmnop',
      acceptEncoding: 'gzip, br',
      userAgent: 'MicroMessenger/8.0',
    })
    expect([...input.form]).toEqual([
      ['valid', '1'],
      ['name', 'x'],
    ])
    expect(input.clientAddress()).toBe('203.0.113.9')
    const data = await send(port, 'POST', '/shop/lily?_data=routes%2Fshop.%24handle', 'valid=1')
    expect(data.status).toBe(204)
    expect(data.headers['x-remix-redirect']).toBe('/o/token/pay')
    expect(data.headers['x-remix-status']).toBe('302')
    expect(data.headers.location).toBeUndefined()
    // A refusal to the page's script is its JSON, marked as a Remix response.
    const refused = await send(port, 'POST', '/s/tok123?_data=routes%2Fs.%24token', 'refused=1')
    expect(refused.status).toBe(409)
    expect(refused.headers['x-remix-response']).toBe('yes')
    expect(JSON.parse(refused.body)).toEqual({ formError: { code: 'sold_out' } })
  })

  it('hands everything else to Remix unchanged, with the body it read, on the same connection', async () => {
    const port = await listen(transport())
    const invalid = await send(port, 'POST', '/s/tok123', 'name=&phone=abc')
    expect(invalid.headers['x-answered-by']).toBe('remix')
    expect(invalid.body).toBe('POST /s/tok123 name=&phone=abc')
    const count = seen.length
    const page = await send(port, 'GET', '/s/tok123')
    expect(page.body).toBe('GET /s/tok123 ')
    const control = await send(port, 'POST', '/s/tok123', 'valid=1&name=%01')
    expect(control.body).toBe('POST /s/tok123 valid=1&name=%01')
    const multipart = await send(port, 'POST', '/s/tok123', '--x--', {
      'content-type': 'multipart/form-data; boundary=x',
    })
    expect(multipart.body).toBe('POST /s/tok123 --x--')
    expect(seen.length).toBe(count)
  })

  it('refuses a cross-site order and an oversized form before the checkout', async () => {
    const port = await listen(transport())
    const count = seen.length
    const cross = await send(port, 'POST', '/s/tok123', 'valid=1', {
      'content-type': FORM,
      origin: 'https://evil.example',
      host: `127.0.0.1:${port}`,
    })
    expect(cross.status).toBe(403)
    const big = await send(port, 'POST', '/s/tok123', `valid=1&x=${'a'.repeat(70_000)}`)
    expect(big.status).toBe(413)
    expect(seen.length).toBe(count)
  })

  it('answers orders and their refusals while admission control turns pages away; invalid forms wait their turn', async () => {
    // Every page takes 300 ms and only one runs at a time with none queued: a second request at once is a 503.
    const slow: http.RequestListener = (req, res) => void setTimeout(() => remix(req, res), 300)
    const admitted = admissionControl({ maxConcurrent: 1, maxQueued: 0, queueTimeoutMs: 10, minConcurrent: 1 }, slow)
    const port = await listen(orderFormTransport(handler, () => '203.0.113.9', admitted, admitted.hold, admitted.now))
    // Each request its own connection here: they run at once.
    const at = async (method: string, path: string, body = '') =>
      (await requestLoopback(port, { method, path, body, headers: { 'content-type': FORM }, agent: false })).status
    const [page, busy, order] = await Promise.all([
      at('GET', '/s/t1'),
      at('GET', '/s/t1'),
      at('POST', '/s/t1', 'valid=1'),
    ])
    expect([page, busy].sort()).toEqual([200, 503])
    expect(order).toBe(302)
    const [page2, invalid] = await Promise.all([at('GET', '/s/t1'), at('POST', '/s/t1', 'name=')])
    expect([page2, invalid].sort()).toEqual([200, 503])
    // An order the checkout refused is answered with its page even while every page slot is taken: the refusal is
    // the order's answer, never "busy".
    const [page3, refusal] = await Promise.all([at('GET', '/s/t1'), at('POST', '/s/t1', 'refused=1')])
    expect([page3, refusal]).toEqual([200, 200])
    // Every order the transport took was let go when it was answered (or handed on).
    expect(admitted.stats().held).toBe(0)
  })
})
