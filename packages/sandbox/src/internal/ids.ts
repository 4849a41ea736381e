/**
 * Object ids: `<prefix>_` + 24 characters of [A-Za-z0-9]. The first 10 are a base62 sequence
 * number (in ASCII order, so a later id always sorts after an earlier one), the last 14 random.
 * Within one sandbox "created desc, id desc" is therefore creation order, and a page walk never
 * skips or repeats an object while new ones are created.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** Random bytes drawn 4 KB at a time (one `getRandomValues` call per ~100 ids, not one per id). */
const POOL_SIZE = 4096
const pool = new Uint8Array(POOL_SIZE)
let poolAt = POOL_SIZE

const randomChars = (n: number): string => {
  if (poolAt + n > POOL_SIZE) {
    globalThis.crypto.getRandomValues(pool)
    poolAt = 0
  }
  let out = ""
  for (let i = 0; i < n; i++) out += ALPHABET[pool[poolAt + i]! % 62]
  poolAt += n
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
  return (prefix: "pay" | "ref" | "cus" | "pm" | "evt" | "whd"): string => {
    sequence += 1
    return `${prefix}_${base62(sequence, 10)}${randomChars(14)}`
  }
}

/** `req_` + 24 random characters. */
export const requestId = (): string => `req_${randomChars(24)}`

/**
 * `n` characters of [A-Za-z0-9], each uniformly drawn (bytes of 248 and above are redrawn), for
 * secrets: a client secret's 24 characters.
 */
export const secretChars = (n: number): string => {
  let out = ""
  const bytes = new Uint8Array(n * 2)
  while (out.length < n) {
    globalThis.crypto.getRandomValues(bytes)
    for (const b of bytes) {
      if (b < 248 && out.length < n) out += ALPHABET[b % 62]
    }
  }
  return out
}
