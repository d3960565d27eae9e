// Web Push: shows the message in the device's language and opens its link when tapped.
self.addEventListener('push', (event) => {
  let data
  try {
    data = event.data ? event.data.json() : {}
  } catch {
    data = { title: event.data ? event.data.text() : '' }
  }
  const en = !String(self.navigator.language || '')
    .toLowerCase()
    .startsWith('zh')
  const title = (en && data.titleEn) || data.title || '清仓集市'
  const body = (en && data.bodyEn) || data.body || ''
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      tag: data.tag,
      data: { url: data.url || '/notifications' },
      icon: '/favicon.svg',
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = (event.notification.data && event.notification.data.url) || '/notifications'
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
      for (const c of list) if (c.url === url && 'focus' in c) return c.focus()
      return self.clients.openWindow(url)
    }),
  )
})
