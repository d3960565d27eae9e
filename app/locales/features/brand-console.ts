// The brand console: the deposit gate (banner and the scheduling refusal) and product form extras.
export const brandConsoleZh = {
  depositGate: {
    banner: '品牌保证金尚未缴纳：现在可以先整理商品、导入 CSV、准备档期草稿，缴纳保证金后才能提交排期、上线档期。',
    bannerLink: '去缴纳保证金',
    scheduleRefused: '无法提交排期：品牌保证金尚未缴纳。缴纳后品牌上线，即可提交排期。',
    scheduleHint: '缴纳保证金后才能提交排期。',
  },
  product: { descriptionEn: '英文描述（可选，英文界面显示）' },
} as const
