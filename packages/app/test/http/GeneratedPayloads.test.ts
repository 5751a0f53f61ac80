import { describe, expect, layer } from "@effect/vitest"
import type { Rpc } from "@effect/rpc"
import { RpcSchema } from "@effect/rpc"
import { pglite } from "@vigie/adapters/test/support/TestDatabase"
import { Arbitrary, Duration, Effect, FastCheck as fc, Schema } from "effect"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { postRaw, requestLine, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { makeWorld } from "../support/World.js"

const rpcs = [...VigieRpcs.requests.values()] as unknown as ReadonlyArray<Rpc.AnyWithProps>

/** Valid payloads (from the schema, encoded), and broken ones: anything JSON can carry. */
const payloads = (rpc: Rpc.AnyWithProps): fc.Arbitrary<unknown> => {
  const schema = rpc.payloadSchema as Schema.Schema<unknown, unknown, never>
  const valid = Arbitrary.make(schema).map((value) => Schema.encodeSync(schema)(value))
  const broken = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue(), { maxKeys: 6 }),
    valid.chain((v) =>
      typeof v === "object" && v !== null
        ? fc.tuple(fc.constantFrom(...Object.keys(v), "extra"), fc.jsonValue()).map(([k, j]) => ({ ...v, [k]: j }))
        : fc.jsonValue()
    )
  )
  // A valid call to a stream RPC would stay open: only broken payloads for those.
  if (!RpcSchema.isStreamSchema(rpc.successSchema)) return fc.oneof(valid, broken)
  const isValid = Schema.is(Schema.encodedSchema(schema), { onExcessProperty: "error" })
  return broken.filter((p) => !(typeof p === "object" && p !== null && !Array.isArray(p) && isValid(p)))
}

const isDefect = (line: Record<string, unknown>) =>
  line["_tag"] === "Defect" ||
  (line["_tag"] === "Exit" && JSON.stringify(line["exit"]).includes("\"_tag\":\"Die\""))

describe("generated payloads over real HTTP", () => {
  layer(serverLayer(pglite), { excludeTestServices: true, timeout: Duration.seconds(300) })("every RPC", (it) => {
    it.effect("never answers 5xx nor a defect, whatever the payload", () =>
      Effect.gen(function*() {
        const world = yield* makeWorld("fuzz")
        const cookies = [undefined, `vigie_session=${world.tokens.memberA}`, `vigie_session=${world.tokens.mairie}`]
        for (const rpc of rpcs) {
          const samples = fc.sample(fc.tuple(payloads(rpc), fc.constantFrom(...cookies)), {
            numRuns: Number(process.env["FUZZ_RUNS"] ?? 25),
            seed: 42
          })
          for (const [payload, cookie] of samples) {
            const context = `${rpc._tag} ${JSON.stringify(payload).slice(0, 300)}`
            // No reply time is asserted (a slow machine is no bug): a call that never answers fails the test's own timeout.
            const reply = yield* postRaw(requestLine(rpc._tag, payload), siteHeaders(cookie))
            expect(reply.status, context).toBeLessThan(500)
            expect(reply.lines.filter(isDefect), context).toStrictEqual([])
          }
        }
      }), { timeout: 300_000 })
  })
})
