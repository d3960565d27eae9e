// A loopback stand-in for the two WeChat API calls the JS-SDK needs: /cgi-bin/token (access_token) and
// /cgi-bin/ticket/getticket (jsapi_ticket), answering as WeChat documents and recording every request.
// The app reaches it through WECHAT_API_ORIGIN.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface WechatStandIn {
  origin: string
  appId: string
  appSecret: string
  /** The ticket it hands out (WeChat's documented example ticket). */
  ticket: string
  requests: { path: string; query: Record<string, string> }[]
  /** Set: every call answers with this WeChat error code. */
  failWith: number | null
  env(): Record<string, string>
  close(): Promise<void>
}

export async function startWechatStandIn(): Promise<WechatStandIn> {
  const appId = 'wx0123456789abcdef'
  const appSecret = 'stand-in-secret'
  const accessToken = 'ACCESS_TOKEN_STAND_IN'
  const state: Pick<WechatStandIn, 'requests' | 'failWith' | 'ticket'> = {
    requests: [],
    failWith: null,
    ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in')
    const query = Object.fromEntries(url.searchParams)
    state.requests.push({ path: url.pathname, query })
    const send = (body: Record<string, unknown>) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (state.failWith !== null) return send({ errcode: state.failWith, errmsg: 'stand-in refusal' })
    if (url.pathname === '/cgi-bin/token') {
      if (query.grant_type !== 'client_credential' || query.appid !== appId || query.secret !== appSecret)
        return send({ errcode: 40013, errmsg: 'invalid appid' })
      return send({ access_token: accessToken, expires_in: 7200 })
    }
    if (url.pathname === '/cgi-bin/ticket/getticket') {
      if (query.access_token !== accessToken || query.type !== 'jsapi')
        return send({ errcode: 40001, errmsg: 'invalid credential' })
      return send({ errcode: 0, errmsg: 'ok', ticket: state.ticket, expires_in: 7200 })
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return Object.assign(state, {
    origin,
    appId,
    appSecret,
    env: () => ({ WECHAT_APP_ID: appId, WECHAT_APP_SECRET: appSecret, WECHAT_API_ORIGIN: origin }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}
