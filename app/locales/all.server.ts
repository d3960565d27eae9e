import en from './en'
import zhCN from './zh-CN'

/** Both languages, for the server: any request may ask for either. The browser loads only its page's (app/i18n.ts). */
export const allMessages = { 'zh-CN': zhCN, en }
