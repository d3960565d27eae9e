import { parseWithZod } from '@conform-to/zod'
import { redirect } from '@remix-run/node'
import { ProductFormSchema } from '#app/schemas/catalog'
import { getDb } from '#app/utils/db.server'
import { bodyTooLarge, domainErrorReply, invalidReply } from '#app/utils/http.server'
import { saveProduct } from './brand-catalog.server'
import { replaceCoverPhoto } from './product-photos.server'
import { hasFile, storeImage, uploadMaxBytes } from './uploads.server'

/** The product form's action, shared by new and edit: parse, store the photo, save, redirect. */
export async function handleProductForm(request: Request, brandId: string, productId: string | null) {
  if (bodyTooLarge(request, uploadMaxBytes() + 1024 * 1024))
    return invalidReply(null, { fieldErrors: { image: ['catalog.errors.image_too_large'] }, status: 413 })
  const formData = await request.formData().catch(() => null)
  if (!formData) return invalidReply(null, { fieldErrors: { '': ['catalog.errors.bad_request'] } })
  const submission = parseWithZod(formData, { schema: ProductFormSchema })
  if (submission.status !== 'success') return invalidReply(submission)
  try {
    const image = formData.get('image')
    const imagePath = hasFile(image) ? await storeImage(image) : null
    const now = new Date()
    const id = await saveProduct(getDb(), brandId, productId, { ...submission.value, imagePath }, now)
    if (imagePath) await replaceCoverPhoto(getDb(), id, imagePath, now)
    return redirect(`/brand/products/${id}?saved=1`)
  } catch (e) {
    return domainErrorReply(e, submission, { messages: 'catalog.errors' })
  }
}
