import { displayOptionName } from '#app/domain/option-names'

/** A size or colour as the viewer reads it: the brand's English name in English, else as the brand wrote it. */
export function optionLabel(language: string, value: string, en: string | null | undefined): string {
  return displayOptionName(language, value, en)
}
