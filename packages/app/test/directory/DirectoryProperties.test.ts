import type * as HttpClient from "@effect/platform/HttpClient"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { PROFILE_FIELDS, type ProfileField, type Visibility } from "@vigie/domain/directory/Profile"
import { Duration, Effect, FastCheck as fc } from "effect"
import type { Context } from "effect"
import { postRaw, requestLine, rpcClient, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { actorKinds, makeWorld, type ActorKind, type World } from "../support/World.js"

const cookieOf = (world: World, kind: ActorKind) =>
  world.tokens[kind] === undefined ? undefined : `vigie_session=${world.tokens[kind]}`

/** One RPC over real HTTP; the whole reply as the browser receives it (text) and its decoded exit. */
const raw = (world: World, kind: ActorKind, tag: string, payload: unknown) =>
  Effect.map(postRaw(requestLine(tag, payload), siteHeaders(cookieOf(world, kind))), (reply) => {
    const exit = reply.lines.find((l) => l["_tag"] === "Exit")?.["exit"] as
      | { readonly _tag: "Success"; readonly value: Record<string, unknown> }
      | { readonly _tag: "Failure"; readonly cause: { readonly failure?: { readonly _tag: string } } }
      | undefined
    return { text: JSON.stringify(reply.lines), exit }
  })

/** "data" for a success; otherwise the `_tag` of the typed failure in the encoded cause. */
const failureTag = (exit: unknown): string | undefined => {
  const e = exit as { readonly _tag?: string; readonly cause?: unknown } | undefined
  if (e?._tag === "Success") return "data"
  const find = (cause: unknown): string | undefined => {
    if (typeof cause !== "object" || cause === null) return undefined
    const c = cause as {
      readonly _tag?: string
      readonly error?: { readonly _tag?: string }
      readonly left?: unknown
      readonly right?: unknown
    }
    if (c._tag === "Fail") return c.error?._tag
    return find(c.left) ?? find(c.right)
  }
  return find(e?.cause)
}

const SECRETS = {
  presentation: "PRESENTATION-SECRETE-7Q",
  interestsOther: "INTERET-SECRET-7Q",
  skillsOther: "SAVOIR-SECRET-7Q"
}

const visibilities = fc.record(
  Object.fromEntries(PROFILE_FIELDS.map((f) => [f, fc.constantFrom<Visibility>("me", "members")])) as Record<
    ProfileField,
    fc.Arbitrary<Visibility>
  >
)

const profilePayload = (
  visibility: Record<ProfileField, Visibility>,
  listed: boolean,
  nameStyle: "short" | "full"
) => ({
  listed,
  nameStyle,
  photoId: null,
  presentation: SECRETS.presentation,
  interests: ["jardinage"],
  interestsOther: SECRETS.interestsOther,
  skills: ["arrosage"],
  skillsOther: SECRETS.skillsOther,
  languages: ["eu"],
  visibility
})

const count = (query: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ n: number }>`SELECT (${sql.unsafe(query)})::int AS n`.pipe(Effect.map((r) => r[0]!.n), Effect.orDie)
  )

/** Runs an effect of the suite's context from inside a fast-check property. */
const runIn = <R>(context: Context.Context<R>) => <A, E>(effect: Effect.Effect<A, E, R>) =>
  Effect.runPromise(Effect.provide(effect, context))

for (const db of databases) {
  describe(`the annuaire's privacy, as properties [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(300) })("over HTTP", (it) => {
      it.scoped("a hidden field never leaves the server for anyone but its owner", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`directory-hidden-${db.name}`)
          const chloe = yield* rpcClient(cookieOf(world, "memberA"))
          const memberA = world.accounts.memberA.id
          const run = runIn(yield* Effect.context<HttpClient.HttpClient | SqlClient.SqlClient>())
          const hiddenValue: Record<ProfileField, ReadonlyArray<string>> = {
            photo: [],
            presentation: [SECRETS.presentation],
            interests: [SECRETS.interestsOther, "jardinage"],
            skills: [SECRETS.skillsOther, "arrosage"],
            languages: ["\"eu\""],
            street: ["rue memberA"],
            houseNumber: [],
            phone: [],
            email: [world.emails.memberA]
          }
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                visibilities,
                fc.boolean(),
                fc.constantFrom("short" as const, "full" as const),
                fc.constantFrom(...actorKinds),
                (visibility, listed, nameStyle, viewer) =>
                  run(Effect.gen(function*() {
                    yield* chloe.SaveMyProfile(profilePayload(visibility, listed, nameStyle))
                    const profile = yield* raw(world, viewer, "GetMemberProfile", { accountId: memberA })
                    const annuaire = yield* raw(world, viewer, "ListAnnuaire", { communityId: world.communityA.id })
                    if (viewer === "memberA") {
                      expect(failureTag(profile.exit)).toBe("data")
                      return
                    }
                    const texts = [profile.text, annuaire.text]
                    // And what she shows does reach a neighbour (the property is not vacuous).
                    if (viewer === "referentA" && listed && visibility.presentation === "members") {
                      expect(profile.text).toContain(SECRETS.presentation)
                    }
                    for (const field of PROFILE_FIELDS) {
                      if (visibility[field] === "members" && listed && (viewer === "referentA")) continue
                      for (const secret of hiddenValue[field]) {
                        for (const text of texts) expect(text, `${field} to ${viewer}`).not.toContain(secret)
                      }
                    }
                    // The house number is the address's "1": checked on the decoded answer.
                    if (profile.exit?._tag === "Success" && visibility.houseNumber === "me") {
                      expect(profile.exit.value["houseNumber"]).toBeNull()
                    }
                    if (nameStyle === "short") { for (const text of texts) expect(text).not.toContain("Test memberA") }
                    // Who may not find her learns nothing of her, not even her id.
                    if (viewer !== "referentA" || !listed) {
                      expect(failureTag(profile.exit)).toBe(
                        viewer === "anonymous" ? "Unauthenticated" : "ProfileNotFound"
                      )
                      expect(annuaire.text).not.toContain(memberA)
                    }
                  }))
              ),
              { numRuns: 40 }
            )
          )
        }))

      it.scoped("a blocked member never reaches the blocker: annuaire, profile, Gazette comments and merci, alert marks", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`directory-blocked-${db.name}`)
          const chloe = yield* rpcClient(cookieOf(world, "memberA"))
          const memberA = world.accounts.memberA.id
          const referentA = world.accounts.referentA.id
          const run = runIn(yield* Effect.context<HttpClient.HttpClient | SqlClient.SqlClient>())
          yield* chloe.BlockMember({ accountId: referentA })
          const written = () =>
            Effect.all([
              count(`SELECT count(*) FROM gazette_comments WHERE author_id = '${referentA}'`),
              count(`SELECT count(*) FROM gazette_thanks WHERE account_id = '${referentA}'`),
              count(`SELECT count(*) FROM alert_reactions WHERE account_id = '${referentA}'`)
            ])
          const before = yield* written()
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                visibilities,
                fc.boolean(),
                fc.constantFrom("", "test", "jardinage", "rue", "M"),
                fc.constantFrom("going" as const, "seen" as const),
                fc.constantFrom(world.gazettePost.id, world.gazetteEvent.id),
                (visibility, listed, query, kind, postId) =>
                  run(Effect.gen(function*() {
                    yield* chloe.SaveMyProfile(profilePayload(visibility, listed, "short"))
                    const annuaire = yield* raw(world, "referentA", "ListAnnuaire", { communityId: world.communityA.id,
                      query })
                    expect(failureTag(annuaire.exit)).toBe("data")
                    expect(annuaire.text).not.toContain(memberA)
                    const profile = yield* raw(world, "referentA", "GetMemberProfile", { accountId: memberA })
                    expect(failureTag(profile.exit)).toBe("ProfileNotFound")
                    const comment = yield* raw(world, "referentA", "CommentGazettePost", { postId, text: "Bonjour" })
                    expect(failureTag(comment.exit)).toBe("Forbidden")
                    const thanks = yield* raw(world, "referentA", "ThankGazettePost", { postId })
                    expect(failureTag(thanks.exit)).toBe("Forbidden")
                    const mark = yield* raw(world, "referentA", "MarkAlert", { alertId: world.alertKept.id, kind })
                    expect(failureTag(mark.exit)).toBe("Forbidden")
                    // The refusals say nothing of a block.
                    for (const r of [comment, thanks, mark]) expect(r.text.toLowerCase()).not.toContain("block")
                    expect(yield* written()).toEqual(before)
                  }))
              ),
              { numRuns: 25 }
            )
          )
        }))
    })
  })
}
