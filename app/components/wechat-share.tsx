import { useEffect } from 'react'

/** WeChat's JS-SDK, loaded from WeChat only on pages that have share-card settings (see the CSP in csp.server.ts). */
export const WECHAT_JS_SDK = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'

export interface WechatCard {
  title: string
  description: string
  link: string
  image: string
}

interface Wx {
  config(options: Record<string, unknown>): void
  ready(fn: () => void): void
  updateAppMessageShareData(options: Record<string, unknown>): void
  updateTimelineShareData(options: Record<string, unknown>): void
}

/**
 * Inside WeChat, sets what "send to a friend" and "share to Moments" show for this page: the card's title,
 * description and image. Renders nothing; without `config` (no WeChat settings, or another browser) loads nothing.
 */
export function WechatShare({
  config,
  card,
}: {
  config: { appId: string; timestamp: number; nonceStr: string; signature: string } | null
  card: WechatCard
}) {
  const { title, description, link, image } = card
  useEffect(() => {
    if (!config) return
    const script = document.createElement('script')
    script.src = WECHAT_JS_SDK
    script.async = true
    script.onload = () => {
      const wx = (window as unknown as { wx?: Wx }).wx
      if (!wx) return
      wx.config({
        debug: false,
        appId: config.appId,
        timestamp: config.timestamp,
        nonceStr: config.nonceStr,
        signature: config.signature,
        jsApiList: ['updateAppMessageShareData', 'updateTimelineShareData'],
      })
      wx.ready(() => {
        wx.updateAppMessageShareData({ title, desc: description, link, imgUrl: image })
        wx.updateTimelineShareData({ title, link, imgUrl: image })
      })
    }
    document.head.appendChild(script)
    return () => script.remove()
  }, [config, title, description, link, image])
  return null
}
