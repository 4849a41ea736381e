import { inject, describe, expect, it } from "vitest"

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("")

describe("the browser suite runs in a real Chromium", () => {
  it("has a DOM, Web Crypto and fetch", () => {
    expect(typeof document.createElement).toBe("function")
    expect(navigator.userAgent).toMatch(/Chrome\//)
    expect(typeof crypto.subtle.sign).toBe("function")
  })

  it("Web Crypto HMAC-SHA256 gives the same hex as node:crypto", async () => {
    const vectors = inject("hmacVectors")
    expect(vectors.length).toBeGreaterThan(0)
    for (const [secret, payload, expected] of vectors) {
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(payload))
      expect(hex(mac)).toBe(expected)
    }
  })

  it("reaches the loopback witness server across origins (CORS)", async () => {
    const base = inject("witnessUrl")
    expect(new URL(base).origin).not.toBe(location.origin)
    const response = await fetch(`${base}/__witness/count/smoke`)
    expect(response.status).toBe(200)
    const body: unknown = await response.json()
    expect(body).toEqual({ count: 0 })
  })
})
