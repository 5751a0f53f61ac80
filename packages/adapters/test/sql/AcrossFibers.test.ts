import { describe, expect, it } from "@effect/vitest"
import { acrossFibers } from "@vigie/adapters/sql/AcrossFibers"
import type { Array as Arr } from "effect"
import { Deferred, Effect, Exit } from "effect"

/** A batch function (doubles, refuses negatives) that records each batch and, while `gate` is open, lets batches finish. */
const recording = Effect.gen(function*() {
  const batches: Array<ReadonlyArray<number>> = []
  let running = 0
  let mostAtOnce = 0
  const gate = yield* Deferred.make<void>()
  const double = (inputs: Arr.NonEmptyReadonlyArray<number>) =>
    Effect.gen(function*() {
      running++
      mostAtOnce = Math.max(mostAtOnce, running)
      batches.push(inputs)
      yield* Deferred.await(gate)
      running--
      return inputs.map((n) => n < 0 ? Exit.fail(`refused ${n}`) : Exit.succeed(n * 2))
    })
  return { batches, gate, double, mostAtOnce: () => mostAtOnce }
})

describe("acrossFibers", () => {
  it.live("requests of concurrent fibers made while a batch runs go together in the next one", () =>
    Effect.gen(function*() {
      const world = yield* recording
      const ask = yield* acrossFibers(world.double, { maxBatchSize: 200, inFlight: 1 })

      const first = yield* Effect.fork(ask(1))
      yield* Effect.yieldNow()
      const others = yield* Effect.fork(
        Effect.all([2, 3, 4, -5].map((n) => Effect.exit(ask(n))), { concurrency: "unbounded" })
      )
      yield* Effect.sleep("20 millis")
      expect(world.batches).toStrictEqual([[1]]) // the others wait for the running batch
      yield* Deferred.succeed(world.gate, undefined)

      expect(yield* first.await).toStrictEqual(Exit.succeed(2))
      const exits = yield* others.await.pipe(Effect.flatten)
      expect(exits).toStrictEqual([Exit.succeed(4), Exit.succeed(6), Exit.succeed(8), Exit.fail("refused -5")])
      expect(world.batches).toStrictEqual([[1], [2, 3, 4, -5]])
    }).pipe(Effect.scoped))

  it.live("at most `inFlight` batches run at once, each at most `maxBatchSize`", () =>
    Effect.gen(function*() {
      const world = yield* recording
      const ask = yield* acrossFibers(world.double, { maxBatchSize: 3, inFlight: 2 })
      const all = yield* Effect.fork(
        Effect.all(
          Array.from({ length: 10 }, (_, n) => ask(n)),
          { concurrency: "unbounded" }
        )
      )
      yield* Effect.sleep("20 millis")
      yield* Deferred.succeed(world.gate, undefined)
      expect(yield* all.await.pipe(Effect.flatten)).toStrictEqual(Array.from({ length: 10 }, (_, n) => n * 2))
      expect(world.mostAtOnce()).toBeLessThanOrEqual(2)
      expect(world.batches.every((b) => b.length <= 3)).toBe(true)
      expect(world.batches.flat().sort((a, b) => a - b)).toStrictEqual(Array.from({ length: 10 }, (_, n) => n))
    }).pipe(Effect.scoped))

  it.live("a batch that dies fails each of its calls, and later batches still run", () =>
    Effect.gen(function*() {
      let calls = 0
      const ask = yield* acrossFibers(
        (inputs: Arr.NonEmptyReadonlyArray<number>) =>
          ++calls === 1 ? Effect.die("lost connection") : Effect.succeed(inputs.map((n) => Exit.succeed(n + 1))),
        { maxBatchSize: 10, inFlight: 1 }
      )
      const first = yield* Effect.exit(ask(1))
      expect(first).toStrictEqual(Exit.die("lost connection"))
      expect(yield* ask(2)).toBe(3)
    }).pipe(Effect.scoped))
})
