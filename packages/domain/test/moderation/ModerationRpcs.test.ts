import type { Rpc } from "@effect/rpc"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Schema } from "effect"
import * as AST from "effect/SchemaAST"
import { ModerationRpcs } from "../../src/moderation/ModerationRpcs.js"

const rpcs = [...ModerationRpcs.requests.values()] as unknown as ReadonlyArray<Rpc.AnyWithProps>

const errorTags = (schema: Schema.Schema.Any): ReadonlyArray<string> => {
  const members = schema.ast._tag === "Union" ? schema.ast.types : [schema.ast]
  return members.flatMap((m) => {
    const target = AST.encodedAST(m)
    if (target._tag !== "TypeLiteral") return []
    const field = target.propertySignatures.find((p) => p.name === "_tag")
    return field !== undefined && field.type._tag === "Literal" ? [String(field.type.literal)] : []
  })
}

describe("moderation RPC contracts", () => {
  it("every error is a union of tagged errors with the caller's refusals and InvalidRequest", () => {
    for (const rpc of rpcs) {
      const tags = errorTags(rpc.errorSchema as Schema.Schema.Any)
      expect(tags.length, rpc._tag).toBe(
        (rpc.errorSchema as Schema.Schema.Any).ast._tag === "Union"
          ? (rpc.errorSchema.ast as AST.Union).types.length
          : 1
      )
      expect(tags, rpc._tag).toEqual(expect.arrayContaining(["Unauthenticated", "AccountSuspended", "InvalidRequest"]))
    }
  })

  for (const rpc of rpcs) {
    for (
      const [kind, schema] of [["payload", rpc.payloadSchema], ["success", rpc.successSchema], ["error",
        rpc.errorSchema]] as const
    ) {
      it.prop(
        `${rpc._tag} ${kind} round-trips encode → JSON → decode`,
        [Arbitrary.make(schema as Schema.Schema<unknown, unknown, never>)],
        ([value]) => {
          const s = schema as Schema.Schema<unknown, unknown, never>
          const json = (u: unknown) => (u === undefined ? undefined : JSON.parse(JSON.stringify(u)))
          const wire = json(Schema.encodeSync(s)(value))
          expect(json(Schema.encodeSync(s)(Schema.decodeUnknownSync(s)(wire)))).toStrictEqual(wire)
        },
        { fastCheck: { numRuns: 30 } }
      )
    }
  }
})
