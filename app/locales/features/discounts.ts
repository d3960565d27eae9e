// Discounts and member levels in words: 折 for Chinese readers (N折 pays N tenths), percent off in English.
export const discountsZh = {
  lowest: '低至{{zhe}}折',
  previewLabel: '本场部分商品',
  tier: '{{zhe}}折',
  basePrice: '基础价',
  levels: {
    title: '会员等级与权益',
    intro: '成长值越高，拿货价越低。每消费 ¥10 得 1 成长值，付款后到账，退款扣回；加入与升级都不收费。',
    level: '等级',
    reach: '升级所需成长值',
    price: '拿货价',
    keep: '每月保级',
    perks: '权益',
    you: '当前等级',
    priceNote: '拿货价按档期基础价计算：9.7折即基础价的 97%。',
    perkInviteFrom:
      '{{level}} 起有专属邀请码：好友用它注册并首单付款，你得 {{points}} 成长值（只奖励成长值，不返佣金）。',
    noKeep: '—',
  },
  change: {
    up: '恭喜！你已从 {{from}} 升级为 {{to}}。',
    down: '你的等级已从 {{from}} 调整为 {{to}}。',
    price: '拿货价现为基础价的{{zhe}}折。',
    priceBase: '拿货价为基础价。',
    downRetention: '原因：上月获得的成长值未达到 {{from}} 的保级要求。',
    downPoints: '原因：退款扣回了成长值。',
    upNext: '继续下单可再升一级。',
    downNext: '再获得 {{points}} 成长值即可回到 {{from}}。',
  },
} as const
