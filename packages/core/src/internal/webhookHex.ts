/** Hex helpers for webhook signatures: encoding, a cheap shape check, a constant-time compare. */

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

/**
 * Compares two strings of the same length without an early exit, so the time taken does not
 * tell how many leading characters matched. Different lengths compare unequal at once (the
 * length of a signature is public).
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
