/**
 * Object ids: `<prefix>_` + 24 characters of [A-Za-z0-9]. The first 10 are a base62 sequence
 * number (in ASCII order, so a later id always sorts after an earlier one), the last 14 random.
 * Within one sandbox "created desc, id desc" is therefore creation order, and a page walk never
 * skips or repeats an object while new ones are created.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

const randomChars = (n: number): string => {
  const bytes = new Uint8Array(n)
  globalThis.crypto.getRandomValues(bytes)
  let out = ""
  for (const b of bytes) out += ALPHABET[b % 62]
  return out
}

const base62 = (n: number, width: number): string => {
  let out = ""
  let rest = n
  while (rest > 0) {
    out = ALPHABET[rest % 62] + out
    rest = Math.floor(rest / 62)
  }
  return out.padStart(width, "0")
}

/** A generator of monotonic ids, one per sandbox. */
export const makeIds = () => {
  let sequence = 0
  return (prefix: "pay" | "ref" | "cus" | "evt" | "whd"): string => {
    sequence += 1
    return `${prefix}_${base62(sequence, 10)}${randomChars(14)}`
  }
}

/** `req_` + 24 random characters. */
export const requestId = (): string => `req_${randomChars(24)}`
