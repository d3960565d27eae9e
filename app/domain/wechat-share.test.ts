import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { credentialRefreshAt, jsApiSignatureBase } from './wechat-share'

describe('jsApiSignatureBase', () => {
  // WeChat's documented example (JS-SDK documentation, appendix 1: signature algorithm).
  const example = {
    ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
    nonceStr: 'Wm3WZYTPz0wzccnW',
    timestamp: 1414587457,
    url: 'http://mp.weixin.qq.com?params=value',
  }

  it('sorts the fields and joins them unencoded', () => {
    expect(jsApiSignatureBase(example)).toBe(
      'jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg' +
        '&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value',
    )
  })

  it('gives WeChat’s documented signature once hashed with SHA-1', () => {
    const signature = createHash('sha1').update(jsApiSignatureBase(example)).digest('hex')
    expect(signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed')
  })

  it('does not sign the fragment', () => {
    expect(jsApiSignatureBase({ ...example, url: `${example.url}#bag` })).toBe(jsApiSignatureBase(example))
  })
})

describe('credentialRefreshAt', () => {
  it('refreshes five minutes before WeChat’s expiry, at once for a lifetime shorter than that', () => {
    const at = new Date('2026-12-06T10:00:00Z')
    expect(credentialRefreshAt(at, 7200).toISOString()).toBe('2026-12-06T11:55:00.000Z')
    expect(credentialRefreshAt(at, 60).toISOString()).toBe(at.toISOString())
  })
})
