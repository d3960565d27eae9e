/** Chinese text by default; the English variant when the viewer reads English and one exists. */
export function pick(language: string, zh: string, en: string | null | undefined): string {
  return language.startsWith('en') && en ? en : zh
}
