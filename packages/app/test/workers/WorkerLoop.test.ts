import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Queue, Ref, TestClock } from "effect"
import * as WorkerLoop from "../../src/workers/WorkerLoop.js"

/** A loop over a table of `due` rows claimed one at a time, with a wake-up queue; counts its cycles. */
const world = (due: number, failFirst = 0) =>
  Effect.gen(function*() {
    const rows = yield* Ref.make(due)
    const cycles = yield* Ref.make(0)
    const wakeups = yield* Queue.sliding<void>(1)
    const loop: WorkerLoop.WorkerLoop<never> = {
      name: "test",
      cycle: Effect.gen(function*() {
        const n = yield* Ref.updateAndGet(cycles, (c) => c + 1)
        if (n <= failFirst) return yield* Effect.die(new Error("the database restarts"))
        const left = yield* Ref.get(rows)
        if (left === 0) return { claimed: 0 }
        yield* Ref.set(rows, left - 1)
        return { claimed: 1 }
      }),
      woken: Queue.take(wakeups),
      poll: Duration.seconds(10)
    }
    return { rows, cycles, wakeups, loop }
  })

describe("WorkerLoop", () => {
  it.effect("claims again at once while work remains, then waits for a wake-up or the poll", () =>
    Effect.gen(function*() {
      const w = yield* world(3)
      const fiber = yield* Effect.fork(WorkerLoop.forever(w.loop))
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Ref.get(w.rows)).toBe(0)
      expect(yield* Ref.get(w.cycles)).toBe(4) // three claims and the empty one

      yield* Ref.set(w.rows, 1)
      yield* Queue.offer(w.wakeups, undefined)
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Ref.get(w.rows)).toBe(0)
      expect(yield* Ref.get(w.cycles)).toBe(6)

      yield* Ref.set(w.rows, 1)
      yield* TestClock.adjust(Duration.seconds(9))
      expect(yield* Ref.get(w.rows)).toBe(1) // no wake-up: it waits for the poll
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* Ref.get(w.rows)).toBe(0)
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("a failing cycle is tried again after the poll; interrupting stops the loop", () =>
    Effect.gen(function*() {
      const w = yield* world(2, 1)
      const fiber = yield* Effect.fork(WorkerLoop.forever(w.loop))
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Ref.get(w.cycles)).toBe(1)
      expect(yield* Ref.get(w.rows)).toBe(2)
      yield* TestClock.adjust(Duration.seconds(10))
      expect(yield* Ref.get(w.rows)).toBe(0)
      yield* Fiber.interrupt(fiber)
      const cycles = yield* Ref.get(w.cycles)
      yield* Ref.set(w.rows, 5)
      yield* Queue.offer(w.wakeups, undefined)
      yield* TestClock.adjust(Duration.seconds(20))
      expect(yield* Ref.get(w.cycles)).toBe(cycles)
    }))

  it.effect("several copies of a loop share its wake-ups", () =>
    Effect.gen(function*() {
      const w = yield* world(0)
      const fiber = yield* Effect.fork(WorkerLoop.all(WorkerLoop.times(3, w.loop)))
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Ref.get(w.cycles)).toBe(3)
      yield* Ref.set(w.rows, 2)
      yield* Queue.offer(w.wakeups, undefined)
      yield* TestClock.adjust(Duration.millis(1))
      expect(yield* Ref.get(w.rows)).toBe(0)
      yield* Fiber.interrupt(fiber)
    }))
})
