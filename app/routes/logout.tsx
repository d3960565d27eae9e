import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { destroySession } from '#app/utils/session.server'

export async function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  return redirect('/', { headers: { 'Set-Cookie': await destroySession(request) } })
}
