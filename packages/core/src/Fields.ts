/**
 * The field rules of the PaymentFlow contract, written once. Every resource's parameter and
 * object schemas are built from these.
 *
 * Over 300 lines for one reason: each rule is written here with its contract code, message and
 * JSON Schema form together (`Rule.code`), the contract's field list as one module; the headers
 * already live in `Headers.ts` and the versions in `Versions.ts`.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Rule from "./Rule.js"
import * as Versions from "./Versions.js"

/**
 * The API version this SDK is pinned to (`PaymentFlow-Version` header on every request): the
 * newest announced version ({@link Versions.registry}'s first), the one the rows and their types
 * are written for. Older versions exist only on the server's side (`Versions.ts`).
 *
 * @since 0.1.0
 * @category Constants
 */
export const API_VERSION: string = Versions.registry.versions[0].version

/**
 * Every API version the server has announced and serves, newest first (from core's version
 * registry, `Versions.ts`). A new pin is a new SDK release.
 *
 * @since 0.1.0
 * @category Constants
 */
export const SUPPORTED_API_VERSIONS: ReadonlyArray<string> = Versions.supported(Versions.registry)

/**
 * The largest amount the API accepts, in the currency's smallest unit.
 *
 * @since 0.1.0
 * @category Constants
 */
export const MAX_AMOUNT = 99_999_999

/** The JSON Schema form a refinement's rule carries (`Rule.code`'s third argument). */
const jsonSchemaFormOf = (ast: AST.AST): Rule.JsonSchemaForm | undefined =>
  Option.getOrUndefined(Option.map(AST.getJSONSchemaAnnotation(ast), (form): Rule.JsonSchemaForm => Object.fromEntries(Object.entries(form))))

const idPattern = (prefix: string) => new RegExp(`^${prefix}_[A-Za-z0-9]{24}$`)

const makeId = <const B extends string>(prefix: string, brand: B) => {
  const pattern = idPattern(prefix)
  return Schema.String.pipe(
    Schema.filter(
      (s) => pattern.test(s),
      Rule.code("parameter_invalid", `must be an id of the form ${prefix}_ followed by 24 letters or digits`, { pattern: pattern.source })
    ),
    Schema.brand(brand)
  ).annotations({ identifier: brand, title: brand, description: `${prefix}_ followed by 24 characters of [A-Za-z0-9]` })
}

/**
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentId = makeId("pay", "PaymentId")
/**
 * @since 0.1.0
 * @category Models
 */
export type PaymentId = typeof PaymentId.Type
/**
 * @since 0.1.0
 * @category Schemas
 */
export const RefundId = makeId("ref", "RefundId")
/**
 * @since 0.1.0
 * @category Models
 */
export type RefundId = typeof RefundId.Type
/**
 * @since 0.1.0
 * @category Schemas
 */
export const CustomerId = makeId("cus", "CustomerId")
/**
 * @since 0.1.0
 * @category Models
 */
export type CustomerId = typeof CustomerId.Type
/**
 * @since 0.1.0
 * @category Schemas
 */
export const PaymentMethodId = makeId("pm", "PaymentMethodId")
/**
 * @since 0.1.0
 * @category Models
 */
export type PaymentMethodId = typeof PaymentMethodId.Type
/**
 * @since 0.1.0
 * @category Schemas
 */
export const EventId = makeId("evt", "EventId")
/**
 * @since 0.1.0
 * @category Models
 */
export type EventId = typeof EventId.Type

/**
 * Integer Unix seconds.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Timestamp = Schema.Int.annotations({ identifier: "Timestamp", description: "Unix seconds" })

/**
 * An amount in the currency's smallest unit: an integer from 1 to 99 999 999.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Amount = Schema.Number.pipe(
  Schema.filter(
    (n) => Number.isInteger(n),
    Rule.code("parameter_invalid", "must be an integer in the currency's smallest unit", { type: "integer" })
  ),
  Schema.filter((n) => n >= 1, Rule.code("parameter_invalid", "must be at least 1", { minimum: 1 })),
  Schema.filter((n) => n <= MAX_AMOUNT, Rule.code("amount_too_large", `must be at most ${MAX_AMOUNT}`, { maximum: MAX_AMOUNT }))
).annotations({ identifier: "Amount" })

/**
 * An amount as it appears in a response object (0 allowed, e.g. `amount_refunded`).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const AmountValue = Schema.NonNegativeInt.annotations({ identifier: "AmountValue" })

/**
 * The currencies the API accepts. Upper case on the wire. `JPY` is zero-decimal.
 *
 * @since 0.1.0
 * @category Constants
 */
export const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK"] as const

/**
 * @since 0.1.0
 * @category Schemas
 */
export const Currency = Schema.String.pipe(
  Schema.filter(
    (s): s is (typeof CURRENCIES)[number] => (CURRENCIES as ReadonlyArray<string>).includes(s),
    Rule.code("parameter_invalid", `must be one of ${CURRENCIES.join(", ")} (upper case)`, { enum: [...CURRENCIES] })
  )
).annotations({ identifier: "Currency" })
/**
 * @since 0.1.0
 * @category Models
 */
export type Currency = typeof Currency.Type

/**
 * A string's length in Unicode code points, the unit of every length rule here (the contract
 * counts characters, as JSON Schema's `maxLength` does), not UTF-16 units: an emoji is one
 * character, not two. One pass over the units; ASCII costs one comparison per unit.
 */
const codePoints = (s: string): number => {
  let n = s.length
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}

const emailPattern = /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

/**
 * A syntactically valid address of at most 254 characters.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Email = Schema.String.pipe(
  Schema.filter((s) => codePoints(s) <= 254, Rule.code("parameter_invalid", "must be at most 254 characters", { maxLength: 254 })),
  Schema.filter(
    (s) => emailPattern.test(s),
    Rule.code("parameter_invalid", "must be a valid email address", { format: "email", pattern: emailPattern.source })
  )
).annotations({ identifier: "Email" })

const maxLength = (n: number, what: string) =>
  Schema.String.pipe(
    Schema.filter((s) => codePoints(s) <= n, Rule.code("parameter_invalid", `must be at most ${n} characters`, { maxLength: n }))
  ).annotations({ identifier: what })

/**
 * @since 0.1.0
 * @category Schemas
 */
export const Description = maxLength(1000, "Description")
/**
 * @since 0.1.0
 * @category Schemas
 */
export const Name = maxLength(256, "Name")
/**
 * @since 0.1.0
 * @category Schemas
 */
export const Phone = maxLength(32, "Phone")

/**
 * Metadata as stored and returned: string keys to string values.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const MetadataValue = Schema.Record({ key: Schema.String, value: Schema.String }).annotations({
  identifier: "Metadata"
})

/**
 * Metadata as a parameter: at most 50 keys of 1–40 characters, values of at most 500.
 * The key and value checks report the offending key's wire path (`metadata.order_id`).
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Metadata = Schema.Record({
  // A JavaScript object cannot hold `__proto__` as data: the key is refused (as an unknown
  // parameter), never silently lost.
  key: Schema.String.pipe(Schema.filter((k) => k !== "__proto__", { jsonSchema: { not: { const: "__proto__" } } })),
  value: Schema.String.pipe(
    Schema.filter((v) => codePoints(v) <= 500, Rule.code("parameter_invalid", "must be at most 500 characters", { maxLength: 500 }))
  )
}).pipe(
  Schema.filter((m) => Object.keys(m).length <= 50, Rule.code("parameter_invalid", "must have at most 50 keys", { maxProperties: 50 })),
  Schema.filter((m) => {
    for (const key of Object.keys(m)) {
      const length = codePoints(key)
      if (length < 1 || length > 40) {
        return { path: [key], message: "must be a key of 1 to 40 characters" }
      }

    }
    return true
    // `allOf`: a bare `propertyNames` would replace the key schema's own (`not: "__proto__"`)
  }, Rule.code("parameter_invalid", "must be a key of 1 to 40 characters", { allOf: [{ propertyNames: { minLength: 1, maxLength: 40 } }] }))
).annotations({ identifier: "MetadataParam" })
/**
 * @since 0.1.0
 * @category Models
 */
export type Metadata = typeof MetadataValue.Type

/**
 * Page size for list endpoints: an integer from 1 to 100 (default 10). On the wire it is
 * a query-string number.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Limit = Schema.Number.pipe(
  Schema.filter(
    (n) => Number.isInteger(n) && n >= 1 && n <= 100,
    Rule.code("parameter_invalid", "must be an integer from 1 to 100", { type: "integer", minimum: 1, maximum: 100 })
  )
).annotations({ identifier: "Limit" })

/**
 * The default page size.
 *
 * @since 0.1.0
 * @category Constants
 */
export const DEFAULT_LIMIT = 10

const queryIntPattern = /^-?\d{1,15}$/

/**
 * A query-string integer. Decodes only canonical decimal integers so `limit=1e1` or
 * `limit=10abc` are rejected rather than guessed at.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const QueryInt = Schema.transform(
  Schema.String.pipe(
    Schema.filter((s) => queryIntPattern.test(s), Rule.code("parameter_invalid", "must be an integer", { pattern: queryIntPattern.source }))
  ),
  Schema.Number,
  { strict: true, decode: (s) => Number(s), encode: (n) => String(n) }
)

/**
 * A query-string number checked by `schema`. OpenAPI describes a query parameter by its value,
 * not by its text, so the document gives the value's JSON Schema form (for `limit`: an integer
 * from 1 to 100), which generated clients type as a number and validators coerce to.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const QueryNumber = (schema: Schema.Schema<number>): Schema.Schema<number, string> => {
  const form = jsonSchemaFormOf(schema.ast)
  const query = Schema.compose(QueryInt, schema)
  return form === undefined ? query : query.annotations({ jsonSchema: form })
}

/**
 * `limit` as a query parameter: {@link QueryInt} then {@link Limit}.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const QueryLimit: Schema.Schema<number, string> = QueryNumber(Limit)

const idempotencyKeyPattern = /^[\x20-\x7e]{1,255}$/

/**
 * Idempotency keys: 1–255 printable ASCII characters.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const IdempotencyKey = Schema.String.pipe(
  Schema.filter(
    (s) => idempotencyKeyPattern.test(s),
    Rule.code("parameter_invalid", "must be 1 to 255 printable ASCII characters", { pattern: idempotencyKeyPattern.source })
  )
).annotations({ identifier: "IdempotencyKey" })

/**
 * The API key format: `pk_` or `sk_`, `live` or `test`, then at least 16 letters or digits.
 *
 * @since 0.1.0
 * @category Constants
 */
export const API_KEY_PATTERN = /^(pk|sk)_(live|test)_[A-Za-z0-9]{16,}$/

/**
 * A pagination cursor: the id of an object of the same list. A malformed or unknown cursor is
 * `invalid_cursor`, never silently treated as the first page.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const Cursor = <A extends string>(id: Schema.Schema<A, string>): Schema.Schema<A, string> => {
  const is = Schema.is(id)
  return Schema.String.pipe(
    // the same JSON Schema form as the id (its pattern)
    Schema.filter((s): s is A => is(s), Rule.code("invalid_cursor", "must be the id of an object from the same list", jsonSchemaFormOf(id.ast)))
  ).annotations({ identifier: `Cursor(${String(id.ast.annotations[Symbol.for("effect/annotation/Identifier")] ?? "id")})` })
}

/**
 * `PaymentFlow-Version` as a parameter: one of the versions the sandbox serves; anything else is
 * `400 version_unknown`.
 *
 * @since 0.1.0
 * @category Schemas
 */
export const ApiVersion = Schema.String.pipe(
  Schema.filter(
    (s) => SUPPORTED_API_VERSIONS.includes(s),
    Rule.code("version_unknown", `must be one of ${SUPPORTED_API_VERSIONS.join(", ")}`, { enum: [...SUPPORTED_API_VERSIONS] })
  )
).annotations({ identifier: "ApiVersion" })
