import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Community } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import { HomeAddress, type Membership } from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { MAX_ACTIVE_MEMBERSHIPS } from "@vigie/domain/membership/Moves"
import { Joining } from "@vigie/domain/registration/Joining"
import { Email } from "@vigie/domain/shared/Text"
import { InboundSmsRepo } from "@vigie/domain/sms/InboundSmsRepo"
import { smsCommunity } from "@vigie/domain/sms/SmsGateway"
import { Activation } from "@vigie/domain/verification/Activation"
import { Duration, Effect, Exit, Option, Schema } from "effect"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, CADAUJAC_POSTCODE } from "../support/World.js"

let squares = 0
/** A new active quartier of Cadaujac (its perimeter apart from every other one's). */
const quartier = (name: string) =>
  Effect.gen(function*() {
    const x = -0.6 + 0.011 * squares++
    const perimeter: Polygon = {
      type: "Polygon",
      coordinates: [[[x, 44.7], [x + 0.01, 44.7], [x + 0.01, 44.71], [x, 44.71], [x, 44.7]]]
    }
    return yield* (yield* CommunityRepo).insert({ insee: CADAUJAC, name: `${name} ${crypto.randomUUID().slice(0, 6)}`,
      perimeter })
  })

const address = (line1: string) =>
  new HomeAddress({ line1, line2: Option.none(), postcode: CADAUJAC_POSTCODE, city: "Cadaujac",
    location: Option.none() })

/** An account with a verified phone, verified in `home` (its home membership). */
const member = (home: Community, role: "resident" | "referent" = "resident") =>
  Effect.gen(function*() {
    const n = crypto.randomUUID().slice(0, 8)
    const account = yield* (yield* AccountRepo).insert({
      firstName: "Voisin",
      lastName: n,
      email: Option.some(Schema.decodeSync(Email)(`joining.${n}@example.org`)),
      phone: Option.some(`+3361${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}` as never),
      phoneVerified: true,
      passwordHash: Option.none(),
      staffRoles: []
    }).pipe(Effect.orDie)
    const membership = yield* (yield* MembershipRepo).insert({
      accountId: account.id,
      communityId: home.id,
      role,
      status: "verified",
      address: address(`1 rue ${n}`)
    }).pipe(Effect.orDie)
    return { account, actor: actorOf(account), membership }
  })

const statuses = (memberships: ReadonlyArray<Membership>) =>
  Object.fromEntries(memberships.map((m) => [m.communityId, `${m.status}${m.home ? " home" : ""}`]))

for (const db of databases) {
  describe(`joining, leaving and moving home [${db.name}]`, () => {
    layer(platform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over SQL", (it) => {
      it.effect("a move keeps the old home until the new address is verified; then it ends and the SMS home follows", () =>
        Effect.gen(function*() {
          const joining = yield* Joining
          const repo = yield* MembershipRepo
          const inbound = yield* InboundSmsRepo
          const oldQuartier = yield* quartier("Ancien")
          const newQuartier = yield* quartier("Nouveau")
          const { account, actor } = yield* member(oldQuartier)
          const referent = yield* member(newQuartier, "referent")
          const smsHome = () =>
            Effect.map(
              inbound.senderFacts(Option.getOrThrow(account.phone)),
              (facts) => Option.map(smsCommunity(facts.memberships), (m) => m.communityId)
            )

          const asked = yield* joining.move(actor, newQuartier.id, address("12 avenue du Nouveau"))
          expect(asked.status).toBe("pending_verification")
          expect(asked.home).toBe(false)
          // Before the verification nothing of the old home ends: alerts by SMS still go there.
          expect(statuses(yield* repo.listByAccount(account.id))).toStrictEqual({
            [oldQuartier.id]: "verified home",
            [newQuartier.id]: "pending_verification"
          })
          expect(yield* smsHome()).toStrictEqual(Option.some(oldQuartier.id))
          // A second move cannot start while this one waits.
          const again = yield* Effect.exit(joining.move(actor, (yield* quartier("Autre")).id, address("3 rue")))
          expect(again).toStrictEqual(
            Exit.fail(expect.objectContaining({ _tag: "MoveNotAllowed", reason: "move_in_progress" }))
          )

          // The référent of the new quartier vouches for the new address.
          yield* (yield* Activation).vouch(referent.actor, asked.id)
          expect(statuses(yield* repo.listByAccount(account.id))).toStrictEqual({
            [oldQuartier.id]: "left",
            [newQuartier.id]: "verified home"
          })
          expect(yield* smsHome()).toStrictEqual(Option.some(newQuartier.id))
        }))

      it.effect("joining another quartier keeps the home; leaving the home hands it to the oldest verified one", () =>
        Effect.gen(function*() {
          const joining = yield* Joining
          const repo = yield* MembershipRepo
          const a = yield* quartier("A")
          const b = yield* quartier("B")
          const { account, actor, membership } = yield* member(a)
          const referentB = yield* member(b, "referent")

          const joined = yield* joining.join(actor, b.id, address("5 rue de B"))
          expect(joined.status).toBe("pending_verification")
          yield* (yield* Activation).vouch(referentB.actor, joined.id)
          expect(statuses(yield* repo.listByAccount(account.id))).toStrictEqual({
            [a.id]: "verified home",
            [b.id]: "verified"
          })
          // Asking again where one already is: refused, nothing written.
          const twice = yield* Effect.exit(joining.join(actor, b.id, address("5 rue de B")))
          expect(twice).toStrictEqual(Exit.fail(expect.objectContaining({ _tag: "AlreadyMember" })))

          const left = yield* joining.leave(actor, membership.id)
          expect(left.status).toBe("left")
          expect(statuses(yield* repo.listByAccount(account.id))).toStrictEqual({
            [a.id]: "left",
            [b.id]: "verified home"
          })
          // Leaving twice is refused; someone else's membership is not found.
          expect(yield* Effect.exit(joining.leave(actor, membership.id))).toStrictEqual(
            Exit.fail(expect.objectContaining({ _tag: "InvalidMembershipTransition", from: "left" }))
          )
          expect(yield* Effect.exit(joining.leave(referentB.actor, joined.id))).toStrictEqual(
            Exit.fail(expect.objectContaining({ _tag: "MembershipNotFound" }))
          )
          // Coming back to a quartier left earlier: the same row, pending again at the new address.
          const back = yield* joining.join(actor, a.id, address("8 rue du Retour"))
          expect(back.id).toBe(membership.id)
          expect(back.status).toBe("pending_verification")
          expect(back.address.line1).toBe("8 rue du Retour")
          expect(back.home).toBe(false)
        }))

      it.effect("a référent who leaves is no longer one; a postcode of another commune is refused with nothing written", () =>
        Effect.gen(function*() {
          const joining = yield* Joining
          const repo = yield* MembershipRepo
          const a = yield* quartier("A")
          const b = yield* quartier("B")
          const referent = yield* member(a, "referent")
          const left = yield* joining.leave(referent.actor, referent.membership.id)
          expect(left.role).toBe("resident")

          const outside = yield* Effect.exit(
            joining.join(
              referent.actor,
              b.id,
              new HomeAddress({ ...address("1 cours de l'Intendance"),
                postcode: Schema.decodeSync(HomeAddress.fields.postcode)("33000") })
            )
          )
          expect(outside).toStrictEqual(Exit.fail(expect.objectContaining({ _tag: "AddressOutsideCommune" })))
          expect((yield* repo.listByAccount(referent.account.id)).map((m) => m.communityId)).toStrictEqual([a.id])
        }))

      it.effect(`${MAX_ACTIVE_MEMBERSHIPS} quartiers at most, even when eight joins arrive at once`, () =>
        Effect.gen(function*() {
          const joining = yield* Joining
          const repo = yield* MembershipRepo
          const home = yield* quartier("Maison")
          const { account, actor } = yield* member(home)
          for (let i = 0; i < MAX_ACTIVE_MEMBERSHIPS - 2; i++) {
            yield* joining.join(actor, (yield* quartier(`Q${i}`)).id, address(`${i} rue`))
          }
          const others = yield* Effect.forEach(Array.from({ length: 8 }, (_, i) => i), (i) => quartier(`R${i}`))
          const exits = yield* Effect.forEach(
            others,
            (q, i) => Effect.exit(joining.join(actor, q.id, address(`${i} place`))),
            { concurrency: "unbounded" }
          )
          expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
          expect(exits.filter(Exit.isFailure)).toStrictEqual(
            Array.from({ length: 7 }, () => Exit.fail(expect.objectContaining({ _tag: "TooManyCommunities", max: 5 })))
          )
          expect(
            (yield* repo.listByAccount(account.id)).filter((m) =>
              m.status === "verified" || m.status === "pending_verification"
            )
          ).toHaveLength(MAX_ACTIVE_MEMBERSHIPS)
        }))
    })
  })
}
