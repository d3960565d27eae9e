import { useState } from 'react'
import { useTranslation } from 'react-i18next'

/** Copies text to the clipboard (falls back to selecting a hidden textarea on old browsers). */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  async function copy() {
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      const area = document.createElement('textarea')
      area.value = text
      document.body.appendChild(area)
      area.select()
      document.execCommand('copy')
      area.remove()
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }
  return (
    <button type="button" className="button small" onClick={copy} aria-live="polite">
      {copied ? t('reseller.link.copied') : label ?? t('reseller.link.copy')}
    </button>
  )
}
