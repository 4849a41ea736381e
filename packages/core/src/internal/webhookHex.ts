/** Hex helpers for webhook signatures: encoding and a cheap shape check (the constant-time compare is `Hmac.constantTimeEqual`). */

const HEX: ReadonlyArray<string> = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/** Lowercase hex of `bytes`. */
export const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]!
  return out
}

/** The length of a hex HMAC-SHA256. */
export const SIGNATURE_LENGTH = 64

/** `s` is 64 lowercase hex digits. Linear, no regex backtracking; stops at the first bad char. */
export const isSignatureShaped = (s: string): boolean => {
  if (s.length !== SIGNATURE_LENGTH) return false
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    const c = s.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false
  }
  return true
}
