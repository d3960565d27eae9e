import { GeneralErrorBoundary } from '#app/components/error-boundary'

// Unknown paths render the 404 page through the error boundary.
export async function loader() {
  throw new Response('Not found', { status: 404 })
}

export async function action() {
  throw new Response('Not found', { status: 404 })
}

export default function NotFound() {
  return <GeneralErrorBoundary />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
