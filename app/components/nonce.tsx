import { createContext, useContext } from 'react'

// The per-response CSP nonce, given by the server render to the inline scripts of the page (empty in the browser).
const NonceContext = createContext('')
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
