/**
 * The shop's shoppers and their sign-in, in memory. **A demo, not an authentication system**:
 * `POST /session` signs the browser in as the one fixed demo shopper, with no password, by
 * setting an HttpOnly cookie that holds a random session token. In a real shop this is your
 * login and your database; what matters here is the link it keeps, from your shopper to the
 * PaymentFlow customer (`cus_…`) their saved cards are attached to, created the first time they
 * save a card.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"

/**
 * @since 0.1.0
 * @category Models
 */
export interface Shopper {
  readonly id: string
  readonly email: string
  readonly name: string
  /** Their PaymentFlow customer, once they have saved a card; else null. */
  readonly customerId: string | null
}

/**
 * The demo shopper everyone signs in as.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEMO_SHOPPER: Shopper = { id: "shopper_demo", email: "ada@example.com", name: "Ada (demo shopper)", customerId: null }

/**
 * The session cookie's name.
 *
 * @since 0.1.0
 * @category Constants
 */
export const SESSION_COOKIE = "shop_session"

/**
 * @since 0.1.0
 * @category Models
 */
export interface Shoppers {
  /** Signs in as the demo shopper: a new session token, for the cookie. */
  readonly signIn: () => { readonly token: string; readonly shopper: Shopper }
  /** The shopper of a request's `Cookie` header, if it carries a live session. */
  readonly fromCookie: (cookie: string | undefined) => Shopper | undefined
  /** Records a shopper's PaymentFlow customer. */
  readonly linkCustomer: (shopperId: string, customerId: string) => Shopper
}

const sessionToken = (cookie: string | undefined): string | undefined => {
  for (const part of (cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=")
    if (name === SESSION_COOKIE) return value.join("=")
  }
  return undefined
}

/**
 * @since 0.1.0
 * @category Constructors
 */
export const inMemoryShoppers = (demo: Shopper = DEMO_SHOPPER): Shoppers => {
  const shoppers = new Map<string, Shopper>([[demo.id, demo]])
  const sessions = new Map<string, string>()
  return {
    signIn: () => {
      const token = randomBytes(24).toString("base64url")
      sessions.set(token, demo.id)
      return { token, shopper: shoppers.get(demo.id) ?? demo }
    },
    fromCookie: (cookie) => {
      const token = sessionToken(cookie)
      const id = token === undefined ? undefined : sessions.get(token)
      return id === undefined ? undefined : shoppers.get(id)
    },
    linkCustomer: (shopperId, customerId) => {
      const shopper = shoppers.get(shopperId)
      if (shopper === undefined) throw new Error(`no shopper ${shopperId}`)
      const linked = { ...shopper, customerId }
      shoppers.set(shopperId, linked)
      return linked
    }
  }
}
