/**
 * Parsing the `PaymentFlow-Signature` header (`t=<unix>,v1=<hex>[,v1=<hex>...]`), with bounded
 * work whatever the header holds: its length and its number of entries are capped before
 * anything else is done, and signatures that are not 64 lowercase hex digits are skipped by a
 * linear check, so they never reach an HMAC comparison.
 */
import { isSignatureShaped } from "./webhookHex.js"

/** Longer headers are refused outright (a real one is ~80 characters per signature). */
export const MAX_HEADER_LENGTH = 8192

/** More `,`-separated entries than this are refused (rotation needs two or three). */
export const MAX_ENTRIES = 32

/** The header, parsed: its timestamp and its well-formed `v1` signatures. */
export interface ParsedHeader {
  readonly timestamp: number
  readonly signatures: ReadonlyArray<string>
}

/** Why a header could not be used. */
export interface HeaderFailure {
  readonly code: "missing_header" | "malformed_header" | "no_matching_signature"
  readonly message: string
}

const failure = (code: HeaderFailure["code"], message: string): HeaderFailure => ({ code, message })

const TIMESTAMP = /^\d{1,12}$/

/** The header as a string, or undefined when absent or blank. Arrays (repeated headers) are joined. */
const normalize = (header: string | ReadonlyArray<string> | null | undefined): string | undefined => {
  if (header === null || header === undefined) return undefined
  const s = typeof header === "string" ? header : header.join(",")
  return s.trim() === "" ? undefined : s
}

/**
 * Parses a signature header. Unknown schemes (`v0=`) and entries are ignored; a `v1` value that
 * is not 64 lowercase hex digits is skipped. A header without a single usable `v1` is
 * `no_matching_signature`: it is well formed, it just carries nothing that can match.
 */
export const parseHeader = (header: string | ReadonlyArray<string> | null | undefined): ParsedHeader | HeaderFailure => {
  const s = normalize(header)
  if (s === undefined) return failure("missing_header", "No PaymentFlow-Signature header")
  if (s.length > MAX_HEADER_LENGTH) {
    return failure("malformed_header", `The PaymentFlow-Signature header is longer than ${MAX_HEADER_LENGTH} characters`)
  }
  const entries = s.split(",")
  if (entries.length > MAX_ENTRIES) {
    return failure("malformed_header", `The PaymentFlow-Signature header has more than ${MAX_ENTRIES} entries`)
  }
  let timestamp: number | undefined
  const signatures: Array<string> = []
  let v1 = 0
  for (const raw of entries) {
    const entry = raw.trim()
    if (entry === "") continue
    const eq = entry.indexOf("=")
    if (eq <= 0) return failure("malformed_header", "The PaymentFlow-Signature header has an entry that is not key=value")
    const key = entry.slice(0, eq)
    const value = entry.slice(eq + 1)
    if (key === "t") {
      if (timestamp !== undefined) return failure("malformed_header", "The PaymentFlow-Signature header has more than one timestamp")
      if (!TIMESTAMP.test(value)) return failure("malformed_header", "The PaymentFlow-Signature timestamp is not Unix seconds")
      timestamp = Number(value)
    } else if (key === "v1") {
      v1++
      if (isSignatureShaped(value)) signatures.push(value)
    }
  }
  if (timestamp === undefined) return failure("malformed_header", "The PaymentFlow-Signature header has no timestamp (t=)")
  if (signatures.length === 0) {
    return failure(
      "no_matching_signature",
      v1 === 0 ? "The PaymentFlow-Signature header has no v1 signature" : "No v1 signature in the header is 64 lowercase hex digits"
    )
  }
  return { timestamp, signatures }
}

/** Tells a parsed header from a failure. */
export const isHeaderFailure = (u: ParsedHeader | HeaderFailure): u is HeaderFailure => "code" in u
