/**
 * A fast path for decoding webhook events, compiled from the event Schemas' AST.
 *
 * `Schema.decodeUnknownEither` interprets the AST on every call and, for a struct with renamed
 * keys (`fromKey`), validates both sides of the transformation, with an `Either` per node: about
 * 14 µs for a payment event, several times the HMAC. Webhook verification is on the hot path of
 * a receiver, so each member's AST is compiled once into plain closures that follow
 * `ParseResult`'s decoding rules for the node kinds the event schemas use (structs and records,
 * renamed keys, refinements, literals, keyword types, unions of those).
 *
 * It only ever decides the happy path: a value it accepts decodes to exactly what `Schema`
 * produces (same values, same key order); anything it rejects, and any schema with a node it
 * does not know, goes to `Schema.decodeUnknownEither`, which gives the verdict and the issue.
 * `test/WebhookDecode.test.ts` checks the two agree on generated valid and broken events.
 */
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"

/** Returned by a compiled decoder when the input is not accepted. */
export const REJECT: unique symbol = Symbol.for("@paymentflow/core/internal/webhookDecode/REJECT")

/** A compiled decoder: the decoded value, or {@link REJECT}. */
export type Compiled = (input: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

const isRecord = (u: unknown): u is Record<PropertyKey, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const accept: Compiled = (u) => u

/** Compiles `ast` for decoding, or returns undefined when it holds a node this compiler does not handle. */
export const compile = (ast: AST.AST): Compiled | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (u) => (typeof u === "string" ? u : REJECT)
    case "NumberKeyword":
      return (u) => (typeof u === "number" ? u : REJECT)
    case "BooleanKeyword":
      return (u) => (typeof u === "boolean" ? u : REJECT)
    case "UndefinedKeyword":
      return (u) => (u === undefined ? u : REJECT)
    case "UnknownKeyword":
    case "AnyKeyword":
      return accept
    case "Literal": {
      const literal = ast.literal
      return (u) => (u === literal ? u : REJECT)
    }
    case "Refinement": {
      const from = compile(ast.from)
      if (from === undefined) return undefined
      const refinement = ast
      return (u) => {
        const a = from(u)
        if (a === REJECT) return REJECT
        return Option.isNone(refinement.filter(a, AST.defaultParseOption, refinement)) ? a : REJECT
      }
    }
    case "Union": {
      // Only unions of members that cannot overlap on an accepted value with different outputs
      // (literals and keywords, e.g. `NullOr(String)`): there, trying members in order picks
      // what ParseResult's candidate search picks.
      const members: Array<Compiled> = []
      for (const member of ast.types) {
        if (!isSimple(member)) return undefined
        const compiled = compile(member)
        if (compiled === undefined) return undefined
        members.push(compiled)
      }
      return (u) => {
        for (const member of members) {
          const a = member(u)
          if (a !== REJECT) return a
        }
        return REJECT
      }
    }
    case "TypeLiteral":
      return compileTypeLiteral(ast)
    case "Transformation": {
      if (ast.transformation._tag !== "TypeLiteralTransformation") return undefined
      const from = compile(ast.from)
      const to = compile(ast.to)
      if (from === undefined || to === undefined) return undefined
      const psts = ast.transformation.propertySignatureTransformations
      const direct = compileRenames(ast.from, ast.to, from, psts)
      if (direct !== undefined) return direct
      const renamed = new Set<PropertyKey>(psts.map((pst) => pst.from))
      // ParseResult applies the renames one after the other on one object (read `from`, delete
      // it, set `to`). Without chains (a `to` that is another's `from`) that is: the other keys
      // in order, then each `to` in order — built here without `delete`, which is slow in V8.
      if (psts.some((pst) => renamed.has(pst.to))) return undefined
      return (u) => {
        const a = from(u)
        if (a === REJECT || !isRecord(a)) return REJECT
        const b: Record<PropertyKey, unknown> = {}
        for (const key of Reflect.ownKeys(a)) if (!renamed.has(key)) b[key] = a[key]
        for (const pst of psts) {
          const o = pst.decode(hasOwn.call(a, pst.from) ? Option.some(a[pst.from]) : Option.none())
          if (Option.isSome(o)) b[pst.to] = o.value
        }
        return to(b)
      }
    }
    default:
      return undefined
  }
}

const isSimple = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Literal":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UndefinedKeyword":
      return true
    case "Refinement":
      return isSimple(ast.from)
    case "Union":
      return ast.types.every(isSimple)
    default:
      return false
  }
}

const compileTypeLiteral = (ast: AST.TypeLiteral): Compiled | undefined => {
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) {
    return (u) => (u === null || u === undefined ? REJECT : u)
  }
  const properties: Array<{ readonly name: PropertyKey; readonly optional: boolean; readonly decode: Compiled }> = []
  const expected = new Set<PropertyKey>()
  for (const ps of ast.propertySignatures) {
    const decode = compile(ps.type)
    if (decode === undefined) return undefined
    properties.push({ name: ps.name, optional: ps.isOptional, decode })
    expected.add(ps.name)
  }
  const indexes: Array<Compiled> = []
  for (const is of ast.indexSignatures) {
    // String keys only (`Record({ key: String, ... })`): every own enumerable string key.
    if (is.parameter._tag !== "StringKeyword") return undefined
    const decode = compile(is.type)
    if (decode === undefined) return undefined
    indexes.push(decode)
  }
  return (u) => {
    if (!isRecord(u)) return REJECT
    const out: Record<PropertyKey, unknown> = {}
    for (const p of properties) {
      if (!hasOwn.call(u, p.name) && p.optional) continue
      // A missing required key is decoded as `undefined`, as ParseResult does without `exact`.
      const a = p.decode(u[p.name])
      if (a === REJECT) return REJECT
      out[p.name] = a
    }
    for (const decode of indexes) {
      for (const key of Object.keys(u)) {
        const a = decode(u[key])
        if (a === REJECT) return REJECT
        if (!expected.has(key)) out[key] = a
      }
    }
    return out
  }
}

/** No transformation anywhere inside: decoding only checks, and returns the input (or an equal copy). */
const isValidationOnly = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Literal":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UndefinedKeyword":
    case "UnknownKeyword":
    case "AnyKeyword":
      return true
    case "Refinement":
      return isValidationOnly(ast.from)
    case "Union":
      return ast.types.every(isValidationOnly)
    case "TypeLiteral":
      return ast.propertySignatures.every((ps) => isValidationOnly(ps.type)) &&
        ast.indexSignatures.every((is) => isValidationOnly(is.type))
    default:
      return false
  }
}

/**
 * The common case of `Schema.Struct` with `fromKey` fields: every renaming is `identity`, and
 * every field's type side is the very AST its encoded side was checked with, holding no
 * transformation. Then checking the type side again (what ParseResult does) cannot fail and
 * yields the same values, so the output is built directly, in the type side's key order.
 * Anything else returns undefined and takes the general path.
 */
const compileRenames = (
  fromAst: AST.AST,
  toAst: AST.AST,
  from: Compiled,
  psts: ReadonlyArray<AST.PropertySignatureTransformation>
): Compiled | undefined => {
  if (fromAst._tag !== "TypeLiteral" || toAst._tag !== "TypeLiteral" || toAst.indexSignatures.length > 0) return undefined
  if (psts.some((pst) => pst.decode !== identity)) return undefined
  const fromProperties = new Map(fromAst.propertySignatures.map((ps) => [ps.name, ps] as const))
  const renamedTo = new Map(psts.map((pst) => [pst.to, pst.from] as const))
  const renamedFrom = new Set(psts.map((pst) => pst.from))
  const steps: Array<{ readonly to: PropertyKey; readonly from: PropertyKey }> = []
  for (const ps of toAst.propertySignatures) {
    const source = renamedTo.get(ps.name) ?? (renamedFrom.has(ps.name) ? undefined : ps.name)
    if (source === undefined) return undefined
    const fps = fromProperties.get(source)
    if (fps === undefined || fps.type !== ps.type || fps.isOptional !== ps.isOptional || ps.isOptional || !isValidationOnly(ps.type)) {
      return undefined
    }
    steps.push({ to: ps.name, from: source })
  }
  return (u) => {
    const a = from(u)
    if (a === REJECT || !isRecord(a)) return REJECT
    const out: Record<PropertyKey, unknown> = {}
    for (const step of steps) {
      // Required on both sides, so `from` set it (possibly to undefined, when that is allowed).
      if (!hasOwn.call(a, step.from)) return REJECT
      out[step.to] = a[step.from]
    }
    return out
  }
}
