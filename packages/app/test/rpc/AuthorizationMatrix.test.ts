import { RpcClient, RpcTest } from "@effect/rpc"
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Layer, Option, Schema, Stream } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { rows, type Outcome } from "../support/Matrix.js"
import { platform } from "../support/TestPlatform.js"
import { actorKinds, makeWorld, type ActorKind } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

type AnyClient = Record<
  string,
  (
    payload: unknown
  ) => Effect.Effect<unknown, { readonly _tag: string }> | Stream.Stream<unknown, { readonly _tag: string }>
>

const outcomeOf = (exit: Exit.Exit<unknown, { readonly _tag: string }>): Outcome =>
  Exit.match(exit, {
    onSuccess: () => "data",
    onFailure: (cause) =>
      Option.match(Cause.failureOption(cause), {
        onSome: (error) => error._tag,
        onNone: () => `DEFECT ${Cause.pretty(cause)}`
      })
  })

/** Runs one call; a stream counts as "data" when it stays open without a refusal for a moment. */
const call = (client: AnyClient, rpc: string, encoded: unknown, token: string | undefined) => {
  // RpcTest skips serialization: hand the client the decoded payload, as the HTTP server would.
  const schema =
    (VigieRpcs.requests.get(rpc) as unknown as { payloadSchema: Schema.Schema<unknown, unknown, never> }).payloadSchema
  const result = client[rpc]!(Schema.decodeUnknownSync(schema)(encoded))
  const run: Effect.Effect<unknown, { readonly _tag: string }> = Stream.StreamTypeId in (result as object)
    ? Stream.runHead(result as Stream.Stream<unknown, { readonly _tag: string }>).pipe(
      Effect.timeout(Duration.millis(150)),
      Effect.catchTag("TimeoutException", () => Effect.succeed("open"))
    ) as Effect.Effect<unknown, { readonly _tag: string }>
    : result as Effect.Effect<unknown, { readonly _tag: string }>
  return Effect.exit(token === undefined ? run : RpcClient.withHeaders(run, { cookie: `vigie_session=${token}` }))
}

describe("authorization matrix", () => {
  it("has a row for every RPC", () => {
    const covered = new Set(rows.map((r) => r.rpc))
    const missing = [...VigieRpcs.requests.keys()].filter((tag) => !covered.has(tag))
    expect(missing).toStrictEqual([])
  })

  for (const db of databases) {
    const handlers = Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl)))
    layer(handlers, { excludeTestServices: true, timeout: Duration.seconds(120) })(
      `every RPC × every actor (RpcTest) [${db.name}]`,
      (it) => {
        it.scoped("answers each actor with data or the expected typed refusal", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld("matrix")
            const client = (yield* RpcTest.makeClient(VigieRpcs, { flatten: false })) as unknown as AnyClient
            const seen: Array<string> = []
            const wanted: Array<string> = []
            for (const row of rows) {
              for (const actor of actorKinds) {
                const token = world.tokens[actor]
                const exit = yield* call(client, row.rpc, row.payload(world, actor as ActorKind), token)
                const name = `${row.rpc}${row.label ? ` (${row.label})` : ""} as ${actor}`
                seen.push(`${name}: ${outcomeOf(exit)}`)
                wanted.push(`${name}: ${row.expect[actor]}`)
              }
            }
            expect(seen).toStrictEqual(wanted)
          }), { timeout: 180_000 })
      }
    )
  }
})
