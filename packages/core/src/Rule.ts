/**
 * Contract rules as Schema annotations, and the one place that turns a failed decode into the
 * contract's `code` and wire `field`.
 *
 * Every parameter rule of the wire contract is a Schema refinement annotated with the
 * contract's error code. The SDK (before sending, by encoding) and the sandbox (on receipt, by
 * decoding) both read failures through {@link violation}, so the two sides cannot disagree on a
 * verdict or on the code and field they report.
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"
import type * as AST from "effect/SchemaAST"

/**
 * The annotation key under which a refinement records the contract error code it yields.
 *
 * @since 0.1.0
 * @category Annotations
 */
export const RuleId: unique symbol = Symbol.for("@paymentflow/core/Rule")

/**
 * @since 0.1.0
 * @category Annotations
 */
export interface RuleAnnotation {
  readonly code: string
  readonly message: string
}

const getRule = (ast: AST.AST): RuleAnnotation | undefined => {
  const value = ast.annotations[RuleId]
  return typeof value === "object" && value !== null && "code" in value ? value as RuleAnnotation : undefined
}

/**
 * The JSON Schema form of one rule: the keywords (`type: "integer"`, `minimum`, `pattern`,
 * `maxProperties`, `propertyNames`, …) that state in `openapi.json` what the predicate checks.
 * Effect's JSON Schema generator merges it into the schema the rule refines; a fragment with a
 * `type` replaces that schema instead, so only the first rule on a schema should carry one.
 *
 * @since 0.1.0
 * @category Models
 */
export type JsonSchemaForm = Readonly<Record<string, unknown>>

/**
 * Annotations for a refinement that yields a contract error code and a human message, with the
 * rule's JSON Schema form when a schema can state it (`openapi.json` is generated from it).
 * A rule without one is a rule no JSON Schema can state (the Luhn check, an expiry against
 * today); `test/contract/refinements.test.ts` lists each with its reason.
 *
 * @since 0.1.0
 * @category Annotations
 */
export const code = (errorCode: string, message: string, jsonSchema?: JsonSchemaForm): {
  readonly [RuleId]: RuleAnnotation
  readonly message: () => string
  readonly jsonSchema?: JsonSchemaForm
} => ({
  [RuleId]: { code: errorCode, message } satisfies RuleAnnotation,
  message: () => message,
  ...(jsonSchema === undefined ? {} : { jsonSchema })
})

/**
 * The contract rule a refinement carries (its code and message), if it carries one.
 *
 * @since 0.1.0
 * @category Annotations
 */
export const ruleOf = (ast: AST.AST): RuleAnnotation | undefined => getRule(ast)

/**
 * A parameter rule that failed: the contract's code, the wire path of the field, a message.
 * The message does not repeat the field (`must be at least 1`, not `amount: must be at least 1`):
 * errors carry both, and users print `${field}: ${message}`. Client and sandbox use it as is for a
 * `ValidationError`'s message and the wire's `error.message`.
 *
 * @since 0.1.0
 * @category Models
 */
export interface Violation {
  readonly code: string
  readonly field: string | undefined
  readonly message: string
}

/**
 * One step of a camelCase path through a schema: the wire name of `key` at `ast` (renamed by a
 * `TypeLiteralTransformation`) and the AST of its value. Keys already on the wire side stay.
 */
const step = (ast: AST.AST, key: PropertyKey): { readonly wire: PropertyKey; readonly next: AST.AST | undefined } => {
  switch (ast._tag) {
    case "Refinement":
      return step(ast.from, key)
    case "Suspend":
      return step(ast.f(), key)
    case "Transformation": {
      if (ast.transformation._tag !== "TypeLiteralTransformation") return step(ast.from, key)
      const renamed = ast.transformation.propertySignatureTransformations.find((p) => p.to === key)
      return step(ast.from, renamed ? renamed.from : key)
    }
    case "TypeLiteral": {
      const ps = ast.propertySignatures.find((p) => p.name === key)
      return { wire: key, next: ps ? ps.type : ast.indexSignatures[0]?.type }
    }
    case "Union": {
      for (const member of ast.types) {
        const found = step(member, key)
        if (found.wire !== key || found.next !== undefined) return found
      }
      return { wire: key, next: undefined }
    }
    default:
      return { wire: key, next: undefined }
  }
}

/**
 * The wire path of a camelCase `path` in `root`. Encoding checks a refined struct (`Card`) on its
 * camelCase side with no Transformation issue on the way, so the issue's keys alone do not say
 * which are renamed: the schema does.
 */
const toWire = (root: AST.AST | undefined, path: ReadonlyArray<PropertyKey>): ReadonlyArray<PropertyKey> => {
  if (root === undefined) return path
  const out: Array<PropertyKey> = []
  let ast: AST.AST | undefined = root
  for (const key of path) {
    const s: { readonly wire: PropertyKey; readonly next: AST.AST | undefined } = ast === undefined ? { wire: key, next: undefined } : step(ast, key)
    out.push(s.wire)
    ast = s.next
  }
  return out
}

const fieldOf = (path: ReadonlyArray<PropertyKey>, root?: AST.AST): string | undefined =>
  path.length === 0
    ? undefined
    : toWire(root, path).map((k) => typeof k === "symbol" ? k.description ?? "" : String(k)).join(".")

const describe = (ast: AST.AST): string => {
  switch (ast._tag) {
    case "StringKeyword":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "a boolean"
    case "TypeLiteral":
      return "an object"
    case "TupleType":
      return "an array"
    case "Literal":
      return JSON.stringify(ast.literal)
    case "Union":
      return `one of ${ast.types.map(describe).join(", ")}`
    case "Refinement":
    case "Transformation":
      return describe(ast.from)
    default:
      return String(ast)
  }
}

const isMany = (u: ParseResult.Composite["issues"]): u is readonly [ParseResult.ParseIssue, ...Array<ParseResult.ParseIssue>] => Array.isArray(u)
const issuesOf = (u: ParseResult.Composite["issues"]): ReadonlyArray<ParseResult.ParseIssue> => (isMany(u) ? u : [u])

/** A member of a union that failed only because the input is not its kind (an object where a string is taken). */
const isKindMismatch = (issue: ParseResult.ParseIssue): boolean =>
  issue._tag === "Type" ||
  ((issue._tag === "Transformation" || issue._tag === "Refinement") && issue.kind === "From" && isKindMismatch(issue.issue)) ||
  (issue._tag === "Transformation" && issue.kind === "Encoded" && isKindMismatch(issue.issue))

const go = (
  issue: ParseResult.ParseIssue,
  path: ReadonlyArray<PropertyKey>,
  rename: ReadonlyMap<PropertyKey, PropertyKey> | undefined,
  rule: RuleAnnotation | undefined,
  root: AST.AST | undefined
): Violation => {
  switch (issue._tag) {
    case "Pointer": {
      const keys = Array.isArray(issue.path) ? issue.path : [issue.path]
      const mapped = keys.map((k, i) => (i === 0 && rename ? rename.get(k) ?? k : k))
      return go(issue.issue, [...path, ...mapped], undefined, rule, root)
    }
    case "Transformation": {
      const t = issue.ast.transformation
      // Encoding checks the camelCase side first: map its keys back to the wire names.
      const next = issue.kind === "Type" && t._tag === "TypeLiteralTransformation"
        ? new Map(t.propertySignatureTransformations.map((p) => [p.to, p.from] as const))
        : rename
      return go(issue.issue, path, next, rule, root)
    }
    case "Refinement":
      return issue.kind === "Predicate"
        ? go(issue.issue, path, rename, getRule(issue.ast) ?? rule, root)
        : go(issue.issue, path, rename, rule, root)
    case "Composite": {
      if (issue.ast._tag === "Union" && issue.ast.types.every((t) => t._tag === "Literal")) {
        return { code: rule?.code ?? "parameter_invalid", field: fieldOf(path, root), message: `must be ${describe(issue.ast)}` }
      }
      const issues = issuesOf(issue.issues)
      // a union (`payment_method`: a card or a `pm_…`): the member the input's kind fits says what
      // is wrong, not the first member the input is not even the kind of
      const first = issue.ast._tag === "Union" ? issues.find((i) => !isKindMismatch(i)) ?? issues[0] : issues[0]
      return first === undefined
        ? { code: rule?.code ?? "parameter_invalid", field: fieldOf(path, root), message: "is invalid" }
        : go(first as ParseResult.ParseIssue, path, rename, rule, root)
    }
    case "Missing":
      return { code: "parameter_missing", field: fieldOf(path, root), message: "is required" }
    case "Unexpected":
      return { code: "parameter_unknown", field: fieldOf(path, root), message: "is not a known parameter" }
    case "Type":
      return rule
        ? { code: rule.code, field: fieldOf(path, root), message: rule.message }
        : { code: "parameter_invalid", field: fieldOf(path, root), message: `must be ${describe(issue.ast)}` }
    case "Forbidden":
      return { code: rule?.code ?? "parameter_invalid", field: fieldOf(path, root), message: rule?.message ?? "is invalid" }
  }
}

/**
 * Reads the first failure of a decode or encode as the contract's code and wire field.
 *
 * @since 0.1.0
 * @category Utils
 */
export const violation = (issue: ParseResult.ParseIssue): Violation =>
  // an encode (the SDK, before sending) fails on the Type side: its paths are camelCase
  go(issue, [], undefined, undefined, issue._tag === "Transformation" && issue.kind === "Type" ? issue.ast : undefined)

/**
 * A violation as one sentence that names its field (`customer_email: must be a valid email
 * address`), for a message that carries no separate `field`, such as a `NetworkError` about a
 * response body. An error that has a `field` takes `message` alone.
 *
 * @since 0.1.0
 * @category Utils
 */
export const formatViolation = (v: Violation): string => (v.field ? `${v.field}: ${v.message}` : v.message)

/**
 * @since 0.1.0
 * @category Utils
 */
export const fromParseError = (error: ParseResult.ParseError): Violation => violation(error.issue)
