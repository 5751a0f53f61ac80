/**
 * The load loop of the benches that measure use cases in process (bench:messages, bench:national):
 * `count` calls with `parallel` in flight, their latencies and this process's CPU per call, and the
 * lines that print them; `percentile` is bench:webhooks' too.
 */
import { Effect } from "effect"

/** A duration in ms, one decimal, right-aligned on 7 characters. */
export const ms = (n: number) => n.toFixed(1).padStart(7)

/** The value at `p` (0 to 1) of ascending `sorted` (not interpolated; the last for p = 1). */
export const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

export interface Run {
  readonly perSecond: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
  /** This process's CPU time (user + system) per call: what one Node process can serve, contention aside. */
  readonly cpuMs: number
}

/** `count` calls of `one(i)` with `parallel` in flight; latencies of each, and the rate overall. */
export const load = <E, R>(count: number, parallel: number, one: (i: number) => Effect.Effect<unknown, E, R>) =>
  Effect.gen(function*() {
    const latencies: Array<number> = []
    const started = performance.now()
    const cpu = process.cpuUsage()
    yield* Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) =>
      Effect.suspend(() => {
        const at = performance.now()
        return Effect.tap(one(i), () => Effect.sync(() => latencies.push(performance.now() - at)))
      }), { concurrency: parallel, discard: true })
    const elapsed = performance.now() - started
    const used = process.cpuUsage(cpu)
    latencies.sort((a, b) => a - b)
    return {
      perSecond: Math.round(count / (elapsed / 1000)),
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1)!,
      cpuMs: (used.user + used.system) / 1000 / count
    } satisfies Run
  })

/** Prints a run: its name padded to `width`, the rate, p50, p95 (when `p95`), p99, max and CPU per call. */
export const line = (name: string, run: Run, options: { readonly width: number; readonly p95: boolean }) =>
  console.log(
    `  ${name.padEnd(options.width)} ${String(run.perSecond).padStart(6)} /s   p50 ${ms(run.p50)} ms   ${
      options.p95 ? `p95 ${ms(run.p95)} ms   ` : ""
    }p99 ${ms(run.p99)} ms   max ${ms(run.max)} ms   cpu ${run.cpuMs.toFixed(3)} ms/call`
  )

/** Prints `run`'s rate and p99 against `baseline`'s, then `rest` (the bench's own comparison or goal). */
export const ratio = (name: string, run: Run, baseline: Run, rest: string) =>
  console.log(
    `  → ${name}: ${(run.perSecond / baseline.perSecond).toFixed(3)}× the baseline's rate, p99 ${
      (run.p99 / baseline.p99).toFixed(1)
    }× the baseline's${rest}`
  )
