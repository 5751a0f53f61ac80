import { RpcSchema } from "@effect/rpc"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Schema } from "effect"
import * as AST from "effect/SchemaAST"
import { allRpcs } from "./Contracts.js"

/** The schemas of one RPC that cross the wire: payload, success (or stream element) and error. */
const wireSchemas = (rpc: (typeof allRpcs)[number][1]): ReadonlyArray<readonly [string, Schema.Schema.Any]> => {
  const success = rpc.successSchema as Schema.Schema.Any
  if (RpcSchema.isStreamSchema(success)) {
    const stream = success as unknown as RpcSchema.Stream<Schema.Schema.Any, Schema.Schema.Any>
    return [
      ["payload", rpc.payloadSchema as Schema.Schema.Any],
      ["stream element", stream.success as Schema.Schema.Any],
      ["stream error", stream.failure as Schema.Schema.Any],
      ["error", rpc.errorSchema as Schema.Schema.Any]
    ]
  }
  return [
    ["payload", rpc.payloadSchema as Schema.Schema.Any],
    ["success", success],
    ["error", rpc.errorSchema as Schema.Schema.Any]
  ]
}

const errorTags = (schema: Schema.Schema.Any): ReadonlyArray<string> => {
  const ast = schema.ast
  const members = ast._tag === "Union" ? ast.types : [ast]
  // Every member must be a tagged struct on the wire: a bare string or number is not an error type.
  return members.flatMap((m) => {
    const target = AST.encodedAST(m)
    if (target._tag !== "TypeLiteral") return []
    const field = target.propertySignatures.find((p) => p.name === "_tag")
    return field !== undefined && field.type._tag === "Literal" ? [String(field.type.literal)] : []
  })
}

describe("RPC contracts", () => {
  it("every RPC has a PascalCase tag and is unique across groups", () => {
    const tags = allRpcs.map(([, rpc]) => rpc._tag)
    expect(new Set(tags).size).toBe(tags.length)
    for (const tag of tags) expect(tag).toMatch(/^[A-Z][A-Za-z]+$/)
  })

  it("every error is a union of tagged errors, InvalidRequest among them", () => {
    for (const [, rpc] of allRpcs) {
      const success = rpc.successSchema as Schema.Schema.Any
      const error = RpcSchema.isStreamSchema(success)
        ? (success as unknown as RpcSchema.Stream<Schema.Schema.Any, Schema.Schema.Any>).failure
        : rpc.errorSchema as Schema.Schema.Any
      const tags = errorTags(error)
      const members = error.ast._tag === "Union" ? error.ast.types.length : 1
      expect(tags.length, rpc._tag).toBe(members)
      expect(tags, rpc._tag).toContain("InvalidRequest")
    }
  })

  for (const [group, rpc] of allRpcs) {
    for (const [kind, schema] of wireSchemas(rpc)) {
      if (schema.ast._tag === "NeverKeyword") continue
      it.prop(
        `${group}/${rpc._tag} ${kind} round-trips encode → decode`,
        [Arbitrary.make(schema as Schema.Schema<unknown, unknown, never>)],
        ([value]) => {
          const encode = Schema.encodeSync(schema as Schema.Schema<unknown, unknown, never>)
          const decode = Schema.decodeUnknownSync(schema as Schema.Schema<unknown, unknown, never>)
          const json = (u: unknown) => (u === undefined ? undefined : JSON.parse(JSON.stringify(u)))
          const wire = json(encode(value))
          const back = decode(wire)
          expect(json(encode(back))).toStrictEqual(wire)
        },
        { fastCheck: { numRuns: 60 } }
      )
    }
  }
})
