import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { copyText } from '#app/utils/clipboard'

/**
 * The member's invitation code with copy and share (Web Share API where the browser has it, else copy the share
 * text).
 */
export function InviteCode({ code }: { code: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const shareUrl = () => `${window.location.origin}/register?code=${encodeURIComponent(code)}`
  async function copy(text: string) {
    await copyText(text)
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }
  async function share() {
    const text = t('membership.centre.inviteShareText', { code, url: shareUrl() })
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title: t('app.name'), text, url: shareUrl() })
        return
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') return
      }
    }
    await copy(text)
  }
  return (
    <div className="invite-code">
      <code data-testid="invite-code">{code}</code>
      <button type="button" className="button" onClick={() => void copy(code)}>
        {t('membership.centre.inviteCopy')}
      </button>
      <button type="button" className="button" onClick={() => void share()}>
        {t('membership.centre.inviteShare')}
      </button>
      <span role="status" className="copied">
        {copied ? t('membership.centre.inviteCopied') : ''}
      </span>
    </div>
  )
}

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={label}
    >
      <span style={{ width: `${percent}%` }} />
    </div>
  )
}
