/**
 * Schema arbitraries (`Arbitrary.make`) for core's schemas. Most of core's rules are plain
 * `Schema.filter` predicates (id patterns, Luhn, currencies, amounts), which `Arbitrary.make`
 * can only satisfy by generating and filtering — effectively never for an id pattern. So the
 * schema's AST is copied with an `arbitrary` annotation on the nodes named below (by their
 * `identifier`), and everything else is derived by `Arbitrary.make` as usual. The generated
 * values are still checked by the schema itself in the tests.
 */
import { CURRENCIES, MAX_AMOUNT } from "@paymentflow/core"
import { TEST_CARDS } from "@paymentflow/core/Card"
import * as Arbitrary from "effect/Arbitrary"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

const id = (prefix: string) => FastCheck.stringMatching(new RegExp(`^${prefix}_[A-Za-z0-9]{24}$`))

const email = FastCheck.tuple(
  FastCheck.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,19}$/),
  FastCheck.stringMatching(/^[a-z0-9]{1,12}$/),
  FastCheck.constantFrom("com", "org", "co.uk", "example")
).map(([local, domain, tld]) => `${local}@${domain}.${tld}`)

const card = FastCheck.record({
  number: FastCheck.constantFrom(...Object.keys(TEST_CARDS)),
  expMonth: FastCheck.integer({ min: 1, max: 12 }),
  expYear: FastCheck.integer({ min: 2031, max: 2099 }),
  cvc: FastCheck.stringMatching(/^\d{3,4}$/)
})

const metadata = FastCheck.dictionary(
  FastCheck.string({ minLength: 1, maxLength: 40 }),
  FastCheck.string({ maxLength: 60 }),
  { maxKeys: 6 }
)

/** Arbitraries of the Type side, by schema identifier. */
export const overrides: Readonly<Record<string, FastCheck.Arbitrary<unknown>>> = {
  PaymentId: id("pay"),
  RefundId: id("ref"),
  CustomerId: id("cus"),
  PaymentMethodId: id("pm"),
  EventId: id("evt"),
  "Cursor(PaymentId)": id("pay"),
  "Cursor(RefundId)": id("ref"),
  "Cursor(CustomerId)": id("cus"),
  "Cursor(PaymentMethodId)": id("pm"),
  Amount: FastCheck.integer({ min: 1, max: MAX_AMOUNT }),
  Currency: FastCheck.constantFrom(...CURRENCIES),
  Email: email,
  Card: card,
  Limit: FastCheck.integer({ min: 1, max: 100 }),
  MetadataParam: metadata
}

const annotate = (ast: AST.AST, arbitrary: FastCheck.Arbitrary<unknown>): AST.AST =>
  AST.annotations(ast, { [AST.ArbitraryAnnotationId]: () => () => arbitrary })

const rewrite = (ast: AST.AST): AST.AST => {
  const identifier = AST.getIdentifierAnnotation(ast)
  const override = Option.isSome(identifier) ? overrides[identifier.value] : undefined
  if (override !== undefined) return annotate(ast, override)
  switch (ast._tag) {
    case "TypeLiteral":
      return new AST.TypeLiteral(
        ast.propertySignatures.map((ps) => new AST.PropertySignature(ps.name, rewrite(ps.type), ps.isOptional, ps.isReadonly, ps.annotations)),
        ast.indexSignatures.map((is) => new AST.IndexSignature(is.parameter, rewrite(is.type), is.isReadonly)),
        ast.annotations
      )
    case "Union":
      return AST.Union.make(ast.types.map(rewrite), ast.annotations)
    case "Refinement":
      return new AST.Refinement(rewrite(ast.from), ast.filter, ast.annotations)
    case "Transformation":
      return new AST.Transformation(rewrite(ast.from), rewrite(ast.to), ast.transformation, ast.annotations)
    case "TupleType":
      return new AST.TupleType(
        ast.elements.map((e) => new AST.OptionalType(rewrite(e.type), e.isOptional, e.annotations)),
        ast.rest.map((r) => new AST.Type(rewrite(r.type), r.annotations)),
        ast.isReadonly,
        ast.annotations
      )
    default:
      return ast
  }
}

/** `Arbitrary.make` of `schema`, with the overrides above. */
export const make = <A, I>(schema: Schema.Schema<A, I>): FastCheck.Arbitrary<A> => {
  const is = Schema.is(schema)
  return Arbitrary.make(Schema.make<A, I, never>(rewrite(schema.ast))).filter(is)
}

/** The same for a schema known only as `Schema.Schema.AnyNoContext` (a row of the endpoint table). */
export const makeUnknown = (schema: Schema.Schema.AnyNoContext): FastCheck.Arbitrary<unknown> =>
  Arbitrary.make(Schema.make<unknown, unknown, never>(rewrite(schema.ast)))

/** Values that break things: wrong types, edge numbers, odd strings, deep and odd objects. */
export const nasty: FastCheck.Arbitrary<unknown> = FastCheck.oneof(
  FastCheck.constantFrom<unknown>(
    null,
    undefined,
    "",
    " ",
    0,
    -0,
    -1,
    0.5,
    1e21,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    MAX_AMOUNT + 1,
    "100",
    "usd",
    "USD ",
    "\u0000",
    "💳",
    "a".repeat(1001),
    "x@",
    "__proto__",
    [],
    {},
    { card: null },
    { card: { number: "4242424242424241", exp_month: 12, exp_year: 2099, cvc: "123" } },
    { card: { number: "4242424242424242", expMonth: 1, expYear: 2001, cvc: "123" } },
    true
  ),
  FastCheck.string({ maxLength: 30 }),
  FastCheck.integer(),
  FastCheck.double(),
  FastCheck.jsonValue({ maxDepth: 3 })
)

/** The camelCase keys of a params struct (the Type side of its struct). */
export const keysOf = (schema: Schema.Schema.AnyNoContext): ReadonlyArray<string> => {
  const ast = AST.typeAST(schema.ast)
  return ast._tag === "TypeLiteral" ? ast.propertySignatures.map((ps) => String(ps.name)) : []
}

interface Mutation {
  readonly kind: "set" | "delete" | "unknown" | "card"
  readonly key: string
  readonly value: unknown
}

const cardKeys = ["number", "expMonth", "expYear", "cvc"] as const

const applyMutation = (keys: ReadonlyArray<string>) => (input: unknown, m: Mutation): unknown => {
  const base: Record<string, unknown> = typeof input === "object" && input !== null && !Array.isArray(input) ? { ...input } : {}
  switch (m.kind) {
    case "set":
      base[m.key] = m.value
      return base
    case "delete":
      delete base[m.key]
      return base
    case "unknown":
      base[`x${m.key}`] = m.value
      return base
    case "card": {
      if (!keys.includes("paymentMethod")) return { ...base, [`x${m.key}`]: m.value }
      const card = { number: "4242424242424242", expMonth: 12, expYear: 2099, cvc: "123" }
      const field = cardKeys[Math.abs(m.key.length) % cardKeys.length] ?? "number"
      return { ...base, paymentMethod: { card: { ...card, [field]: m.value } } }
    }
  }
}

/**
 * Valid params of `schema` (a row's params struct, Type side), the same with one to three
 * mutations — a key set to garbage, deleted, an unknown key added, or (where the params take a
 * `paymentMethod`) one card field set to garbage — or garbage. `values`: what a key is set to
 * (default {@link nasty}).
 */
export const params = (
  schema: Schema.Schema.AnyNoContext,
  values: FastCheck.Arbitrary<unknown> = nasty
): FastCheck.Arbitrary<unknown> => {
  const keys = keysOf(schema)
  const mutation: FastCheck.Arbitrary<Mutation> = FastCheck.record({
    kind: FastCheck.constantFrom<Mutation["kind"]>("set", "set", "delete", "unknown", "card"),
    key: keys.length === 0 ? FastCheck.string({ minLength: 1, maxLength: 8 }) : FastCheck.constantFrom(...keys),
    value: values
  })
  return FastCheck.oneof(
    { weight: 2, arbitrary: makeUnknown(schema) },
    {
      weight: 6,
      arbitrary: FastCheck.tuple(makeUnknown(schema), FastCheck.array(mutation, { minLength: 1, maxLength: 3 }))
        .map(([valid, ms]) => ms.reduce(applyMutation(keys), valid))
    },
    { weight: 1, arbitrary: nasty }
  )
}
