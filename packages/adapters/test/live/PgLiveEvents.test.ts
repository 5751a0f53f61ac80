import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import * as LiveEventsLayer from "@vigie/adapters/live/LiveEventsLayer"
import * as PgLiveEvents from "@vigie/adapters/live/PgLiveEvents"
import * as Database from "@vigie/adapters/sql/Database"
import { inMemory } from "@vigie/adapters/sql/EmbeddedPostgres"
import { postgresSkipReason } from "@vigie/adapters/test/support/TestDatabase"
import type { AlertId } from "@vigie/domain/alerts/Alert"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Chunk, Context, Duration, Effect, Fiber, Layer, Redacted, Schedule, Stream } from "effect"

const adminUrl = process.env["DATABASE_URL"]

const published = (n: number): Extract<LiveEvent, { readonly _tag: "AlertPublished" }> => ({
  _tag: "AlertPublished",
  alertId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as AlertId,
  insee: "49007" as InseeCode,
  communityIds: [`10000000-0000-4000-8000-${String(n).padStart(12, "0")}` as CommunityId],
  authorities: n % 2 === 0
})

/** A database of its own on the real server, dropped at the end. */
const freshDatabase = Effect.gen(function*() {
  const name = `vigie_live_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`
  const admin = yield* PgClient.make({ url: Redacted.make(adminUrl!), maxConnections: 1 }).pipe(
    Effect.provide(Reactivity.layer)
  )
  yield* Effect.acquireRelease(
    admin`CREATE DATABASE ${admin(name)}`,
    () => admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`.pipe(Effect.orDie)
  )
  const url = new URL(adminUrl!)
  url.pathname = `/${name}`
  return url.toString()
})

/**
 * One app process: its own pool, its own LISTEN connection, its own live-events adapter, chosen by
 * LiveEventsLayer from the database kind ("server" here), or PgLiveEvents with a fast heartbeat.
 */
const processOf = (url: string, fastHeartbeat = false) =>
  Effect.gen(function*() {
    const adapter = fastHeartbeat ? PgLiveEvents.layerWith({ heartbeat: Duration.millis(200) }) : LiveEventsLayer.layer
    const context = yield* Layer.build(
      adapter.pipe(Layer.provideMerge(Database.layer({ url: Redacted.make(url), maxConnections: 3 })))
    ).pipe(Effect.orDie)
    return {
      live: Context.get(context, LiveEvents),
      sql: Context.get(context, SqlClient.SqlClient)
    }
  })

/** Starts collecting `n` events (or whatever arrives within `within`) before returning. */
const collect = (live: LiveEvents["Type"], n: number, within: Duration.DurationInput = "2 seconds") =>
  Effect.gen(function*() {
    const stream = yield* live.subscribe
    return yield* stream.pipe(
      Stream.take(n),
      Stream.interruptWhen(Effect.sleep(within)),
      Stream.runCollect,
      Effect.map(Chunk.toReadonlyArray),
      Effect.fork
    )
  })

describe.skipIf(postgresSkipReason !== undefined)("PgLiveEvents [postgres]", () => {
  it.live(
    "an event published by one process reaches the subscribers of every process within a second",
    () =>
      Effect.gen(function*() {
        const url = yield* freshDatabase
        const a = yield* processOf(url)
        const b = yield* processOf(url)
        const onA = yield* collect(a.live, 1, "1 second")
        const onB1 = yield* collect(b.live, 1, "1 second")
        const onB2 = yield* collect(b.live, 1, "1 second")
        const event = published(1)
        yield* a.live.publish(event)
        expect(yield* Fiber.join(onA)).toEqual([event])
        expect(yield* Fiber.join(onB1)).toEqual([event])
        expect(yield* Fiber.join(onB2)).toEqual([event])
      }).pipe(Effect.scoped),
    30_000
  )

  it.live(
    "an event published inside a transaction is seen only if the transaction commits",
    () =>
      Effect.gen(function*() {
        const url = yield* freshDatabase
        const a = yield* processOf(url)
        const b = yield* processOf(url)
        const onB = yield* collect(b.live, 2, "1500 millis")
        yield* a.sql.withTransaction(
          Effect.zipRight(PgLiveEvents.publishInTransaction(published(1)), Effect.fail("rolled back" as const))
        ).pipe(Effect.provideService(SqlClient.SqlClient, a.sql), Effect.ignore)
        yield* a.sql.withTransaction(a.live.publish(published(2)))
        const seen = yield* Fiber.join(onB)
        expect(seen.map((e) => ("alertId" in e ? e.alertId : undefined))).toEqual([published(2).alertId])
      }).pipe(Effect.scoped),
    30_000
  )

  it.live(
    "a town alert naming 500 communities is split under the 8000-byte limit and fully received",
    () =>
      Effect.gen(function*() {
        const url = yield* freshDatabase
        const a = yield* processOf(url)
        const communityIds = Array.from({ length: 500 }, () => crypto.randomUUID() as CommunityId)
        const event: LiveEvent = { ...published(3), communityIds }
        const payloads = PgLiveEvents.payloadsOf(event)
        expect(payloads.length).toBeGreaterThan(1)
        for (const p of payloads) expect(new TextEncoder().encode(p).length).toBeLessThan(8000)
        const onA = yield* collect(a.live, payloads.length)
        yield* a.live.publish(event)
        const seen = yield* Fiber.join(onA)
        expect(
          new Set(
            seen.flatMap((e) => e._tag === "DeliveryProgress" || e._tag === "ConversationChanged" ? [] : e.communityIds)
          )
        ).toEqual(
          new Set(communityIds)
        )
      }).pipe(Effect.scoped),
    30_000
  )

  it.live("a payload that is not a live event is dropped and the stream goes on", () =>
    Effect.gen(function*() {
      const url = yield* freshDatabase
      const a = yield* processOf(url)
      const onA = yield* collect(a.live, 1)
      yield* a.sql`SELECT pg_notify(${PgLiveEvents.CHANNEL}, ${"{\"_tag\":\"Nonsense\"}"})`
      yield* a.sql`SELECT pg_notify(${PgLiveEvents.CHANNEL}, ${"not json"})`
      yield* a.live.publish(published(4))
      expect((yield* Fiber.join(onA)).map((e) => ("alertId" in e ? e.alertId : undefined))).toEqual([
        published(4).alertId
      ])
    }).pipe(Effect.scoped), 30_000)

  it.live(
    "after pg_terminate_backend of the LISTEN connection, the process listens again and receives new events",
    () =>
      Effect.gen(function*() {
        const url = yield* freshDatabase
        const a = yield* processOf(url, true)
        const b = yield* processOf(url, true)
        const listeners = () =>
          a.sql<
            { pid: number }
          >`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`
        const before = yield* listeners()
        expect(before.length).toBe(2)
        yield* a
          .sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`
        // Both processes lost their LISTEN connection; wait until both listen again.
        const after = yield* listeners().pipe(
          Effect.filterOrFail((rows) => rows.length === 2 && rows.every((r) => !before.some((o) => o.pid === r.pid))),
          Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("15 seconds")))
        )
        expect(after.length).toBe(2)
        const onB = yield* collect(b.live, 1, "1 second")
        yield* a.live.publish(published(5))
        expect((yield* Fiber.join(onB)).map((e) => ("alertId" in e ? e.alertId : undefined))).toEqual([
          published(5).alertId
        ])
      }).pipe(Effect.scoped),
    30_000
  )
})

describe("LiveEventsLayer", () => {
  it.live("uses the in-process PubSub on the embedded database", () =>
    Effect.gen(function*() {
      const live = yield* LiveEvents
      const received = yield* collect(live, 1)
      yield* live.publish(published(6))
      expect(yield* Fiber.join(received)).toEqual([published(6)])
    }).pipe(
      Effect.scoped,
      Effect.provide(
        LiveEventsLayer.layer.pipe(Layer.provideMerge(Database.layer({ dataDir: inMemory, poolSize: 2 })), Layer.orDie)
      )
    ), 30_000)
})
