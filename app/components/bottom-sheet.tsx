import { useLocation } from '@remix-run/react'
import { useEffect, useState, type ReactNode } from 'react'
import { useFastTranslation } from './use-fast-translation'

/**
 * Filters and sorts: a side panel on wide screens, on phones a sheet that slides up from the bottom behind a
 * "筛选" button, so results come first. Following a link inside it (a facet, a sort) closes it.
 */
export function BottomSheet({
  id,
  title,
  toggleLabel,
  className,
  children,
}: {
  id: string
  title: string
  toggleLabel: string
  className?: string
  children: ReactNode
}) {
  const { t } = useFastTranslation()
  const [open, setOpen] = useState(false)
  const location = useLocation()
  useEffect(() => setOpen(false), [location.search])
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
  return (
    <>
      {/* A link to the sheet's anchor, so that without JavaScript `:target` opens it. */}
      <a
        href={`#${id}`}
        role="button"
        className="button sheet-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={(e) => {
          e.preventDefault()
          setOpen(true)
        }}
      >
        {toggleLabel}
      </a>
      {open && <div className="sheet-backdrop" aria-hidden onClick={() => setOpen(false)} />}
      <aside id={id} className={`sheet${open ? ' open' : ''}${className ? ` ${className}` : ''}`} aria-label={title}>
        <div className="sheet-head">
          <h2>{title}</h2>
          <a
            href="#"
            role="button"
            className="button sheet-close"
            onClick={(e) => {
              e.preventDefault()
              setOpen(false)
            }}
          >
            {t('phone.sheet.close')}
          </a>
        </div>
        {children}
      </aside>
    </>
  )
}
