// Words a document is also found by, in both languages: its category's names, the everyday word for what it is
// ("裤子" for 休闲裤 and 牛仔裤, "shirt" for 衬衫 and back), and the tag-cut label. Pure; both engines index them
// next to the titles, so the two engines find the same items for these words.
import type { SearchDocument } from './documents'

const CATEGORY_WORDS: Record<string, string> = {
  womens: '女装 女士 women womens womenswear',
  mens: '男装 男士 men mens menswear',
  kids: '童装 儿童 kids children',
  shoes_bags: '鞋包 鞋子 包包 shoes bags',
  jewellery: '珠宝配饰 配饰 饰品 jewellery jewelry accessories',
}

/** A kind of garment: the Chinese and English words that name it, and what in a title says it is one. */
interface Kind {
  words: string
  zh: string[]
  en: RegExp
}

const KINDS: Kind[] = [
  { words: '裤子 长裤 pants trousers', zh: ['裤'], en: /\b(pants|trousers|jeans|shorts|leggings)\b/i },
  { words: '衬衫 衬衣 shirt shirts blouse', zh: ['衬衫', '衬衣'], en: /\b(shirts?|blouses?)\b/i },
  { words: 'T恤 tee t-shirt tshirt', zh: ['T恤', 't恤', '短袖'], en: /\b(tees?|t-shirts?|tshirts?)\b/i },
  { words: '裙子 dress skirt', zh: ['裙'], en: /\b(dress(es)?|skirts?)\b/i },
  {
    words: '外套 coat jacket outerwear',
    zh: ['外套', '大衣', '夹克', '羽绒服', '风衣', '西装'],
    en: /\b(coats?|jackets?|parkas?|blazers?)\b/i,
  },
  {
    words: '毛衣 针织衫 sweater knitwear jumper',
    zh: ['毛衣', '针织', '开衫', '卫衣'],
    en: /\b(sweaters?|knit\w*|jumpers?|cardigans?|hoodies?)\b/i,
  },
  { words: '鞋子 shoes', zh: ['鞋', '靴'], en: /\b(shoes?|sneakers?|boots?|loafers?|sandals?)\b/i },
  { words: '包包 bag bags', zh: ['包'], en: /\b(bags?|totes?|handbags?|backpacks?)\b/i },
]

/** The extra words a document is found by. */
export function searchKeywords(doc: Pick<SearchDocument, 'title' | 'titleEn' | 'category' | 'tagCut'>): string {
  const words = [CATEGORY_WORDS[doc.category] ?? '']
  for (const k of KINDS) {
    if (k.zh.some((w) => doc.title.includes(w)) || k.en.test(doc.titleEn)) words.push(k.words)
  }
  if (doc.tagCut) words.push('剪标 tag-cut tagcut tag cut')
  return words.filter(Boolean).join(' ')
}
