// The brand console: the deposit gate (banner and the scheduling refusal) and product form extras.
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }

export const brandConsoleZh = {
  depositGate: {
    banner: '品牌保证金尚未缴纳：现在可以先整理商品、导入 CSV、准备档期草稿，缴纳保证金后才能提交排期、上线档期。',
    bannerLink: '去缴纳保证金',
    scheduleRefused: '无法提交排期：品牌保证金尚未缴纳。缴纳后品牌上线，即可提交排期。',
    scheduleHint: '缴纳保证金后才能提交排期。',
  },
  product: { descriptionEn: '英文描述（可选，英文界面显示）' },
} as const

export const brandConsoleEn: Widen<typeof brandConsoleZh> = {
  depositGate: {
    banner:
      'Your brand deposit is not paid yet: you can already prepare products, import a CSV and draft sessions, but a session can only be scheduled once the deposit is paid.',
    bannerLink: 'Pay the deposit',
    scheduleRefused:
      'The session cannot be scheduled: the brand deposit has not been paid. Once it is paid your brand goes live and you can schedule.',
    scheduleHint: 'Sessions can be scheduled once the deposit is paid.',
  },
  product: { descriptionEn: 'English description (optional, shown to English readers)' },
}
