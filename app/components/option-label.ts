import type { TFunction } from 'i18next'

/** A colour or size as the viewer reads it: "湖蓝" is "Teal" in English; anything unknown is shown as entered. */
export function optionLabel(t: TFunction, value: string): string {
  return t(`skuOptions.options.${value}`, { defaultValue: value }) as string
}
