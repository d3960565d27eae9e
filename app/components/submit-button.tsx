import { useNavigation } from '@remix-run/react'
import type { ButtonHTMLAttributes } from 'react'

/**
 * A submit button that shows it is working while its form is being submitted (aria-busy, spinner from CSS) and
 * cannot be pressed twice. `busy` overrides the check for fetcher forms, whose state the caller knows.
 */
export function SubmitButton({
  busy,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { busy?: boolean }) {
  const nav = useNavigation()
  const mine = nav.state === 'submitting' && (props.name === undefined || nav.formData?.get(props.name) === props.value)
  const working = busy ?? (mine && nav.formMethod !== 'GET')
  return (
    <button type="submit" {...props} aria-busy={working || undefined} disabled={props.disabled || working}>
      {children}
    </button>
  )
}
