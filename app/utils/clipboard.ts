/**
 * Copies text to the clipboard; where the Clipboard API is refused (insecure context, old browser) selects a hidden
 * textarea and copies.
 */
export async function copyText(text: string): Promise<void> {
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
}
