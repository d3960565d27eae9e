import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { copyText } from '#app/utils/clipboard'

/** Copies text to the clipboard (falls back to selecting a hidden textarea on old browsers). */
export function CopyButton({
  text,
  label,
  className = 'button small',
}: {
  text: string
  label?: string
  className?: string
}) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  async function copy() {
    await copyText(text)
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }
  return (
    <button type="button" className={className} onClick={copy} aria-live="polite">
      {copied ? t('reseller.link.copied') : (label ?? t('reseller.link.copy'))}
    </button>
  )
}
