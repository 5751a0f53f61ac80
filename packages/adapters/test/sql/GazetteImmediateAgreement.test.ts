import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgGazetteImmediateRepo from "@vigie/adapters/sql/PgGazetteImmediateRepo"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { immediateEmail, immediateRecipients, immediateSms } from "@vigie/domain/gazette/GazetteImmediate"
import { GazetteImmediateRepo } from "@vigie/domain/gazette/GazetteImmediateRepo"
import { DateTime, Effect, FastCheck as fc } from "effect"
import { agree } from "../support/Agreement.js"
import { RUN_AT, seed, type WorldExtras, worldArb } from "../support/GazetteWorld.js"
import { describeEachDatabase } from "../support/TestDatabase"

/**
 * The immediate messages planned in SQL (PgGazetteImmediateRepo.plan: every pending post's message and
 * its deliveries in one statement) agree with the pure immediateRecipients on generated worlds: who
 * is e-mailed (their choice for the post's kind, defaults included, never the author), who gets the
 * mairie's SMS (asked for, verified phone, not STOPped), one message per published post, none twice.
 */

const caseArb = worldArb.chain((world) =>
  fc.record({
    world: fc.constant(world),
    phones: fc.array(fc.record({ has: fc.boolean(), verified: fc.boolean(), stopped: fc.nat({ max: 4 }) }), {
      minLength: world.accounts.length,
      maxLength: world.accounts.length
    }),
    mairieSms: fc.array(fc.boolean(), { minLength: world.accounts.length, maxLength: world.accounts.length })
  })
).map(({ mairieSms, phones, world }) => {
  const extras: WorldExtras = {
    phones: new Map(
      world.accounts.flatMap((a, i) =>
        phones[i]!.has
          ? [[a.id, { phone: `+3361234${String(i).padStart(4, "0")}`, verified: phones[i]!.verified }]]
          : []
      )
    ),
    suppressed: new Set(
      world.accounts.flatMap((_, i) =>
        phones[i]!.has && phones[i]!.stopped === 0 ? [`+3361234${String(i).padStart(4, "0")}`] : []
      )
    ),
    // The SMS choice is stored with the other choices: only members who chose anything have it.
    mairieSms: new Set(world.accounts.filter((a, i) => mairieSms[i]! && world.choices.has(a.id)).map((a) => a.id))
  }
  return { world, extras }
})
type Case = typeof caseArb extends fc.Arbitrary<infer A> ? A : never

const since = DateTime.subtract(RUN_AT, { days: 30 })
const at = DateTime.add(RUN_AT, { days: 2 })

let reached = 0

const agreement = ({ extras, world }: Case) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const repo = yield* GazetteImmediateRepo
    yield* seed(world, extras)
    const report = yield* repo.plan(since, at, 1000)
    const rows = yield* sql<{ post_id: string; account_id: string; channel: string; destination: string }>`
      SELECT gazette_post_id::text AS post_id, account_id::text, channel, destination FROM deliveries`
    const actual = rows.map((r) => `${r.post_id}|${r.account_id}|${r.channel}`).sort()
    const full = { ...world, ...extras }
    const expected = world.posts.flatMap((p) =>
      immediateRecipients(full, p.id).map((d) => `${p.id}|${d.accountId}|${d.channel}`)
    ).sort()
    assert.deepStrictEqual(actual, expected)
    if (actual.length > 0) reached++
    for (const r of rows) {
      const account = r.account_id as AccountId
      assert.strictEqual(
        r.destination,
        r.channel === "sms" ? extras.phones.get(account)?.phone : world.accounts.find((a) => a.id === account)?.email
      )
    }
    const handled = world.posts.filter((p) => p.status === "published" && p.cancelledAt === null).length
    assert.strictEqual(report.posts, handled, "one message per published post")
    assert.strictEqual(report.sms + report.email, rows.length)
    // Handled once: a second planning (another process, the next run) writes nothing.
    assert.deepStrictEqual(yield* repo.plan(since, at, 1000), { posts: 0, sms: 0, email: 0 })
  })

describeEachDatabase("The Gazette's immediate messages planned in SQL agree with immediateRecipients", (it) => {
  it.effect("on generated worlds", () =>
    Effect.gen(function*() {
      reached = 0
      yield* agree(caseArb, agreement, 50)
      assert.isAbove(reached, 5, "generated worlds where someone is told at once")
    }).pipe(Effect.provide(PgGazetteImmediateRepo.layer)), 240_000)

  it.effect(
    "the texts: a mairie SMS with its link, an e-mail in French, nothing once the post is hidden",
    () =>
      Effect.gen(function*() {
        const repo = yield* GazetteImmediateRepo
        const sql = yield* SqlClient.SqlClient
        const [world] = fc.sample(worldArb.filter((w) => w.posts.some((p) => p.kind === "communication")), {
          numRuns: 1,
          seed: 7
        })
        yield* seed(world!)
        const communication = world!.posts.find((p) => p.kind === "communication")!
        const post = (yield* repo.posts([communication.id])).get(communication.id)!
        const sms = immediateSms(post, "https://vigie.example")
        assert.isTrue(sms.startsWith("Vigie – Mairie : "))
        assert.isTrue(sms.endsWith(`https://vigie.example/gazette/${communication.id}`))
        const email = immediateEmail(post, "https://vigie.example")
        assert.strictEqual(email.subject, `Vigie – Mairie : ${post.title}`)
        assert.include(email.text, "Gérer vos notifications : https://vigie.example/preferences")
        yield* sql`UPDATE gazette_posts SET status = 'hidden' WHERE id = ${communication.id}`
        assert.strictEqual((yield* repo.posts([communication.id])).get(communication.id)?.status, "hidden")
      }).pipe(Effect.provide(PgGazetteImmediateRepo.layer)),
    60_000
  )
})
