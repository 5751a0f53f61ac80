import { assert } from "@effect/vitest"
import * as PgMemberBlocks from "@vigie/adapters/sql/PgMemberBlocks"
import * as PgProfileRepo from "@vigie/adapters/sql/PgProfileRepo"
import * as PgUploadRepo from "@vigie/adapters/sql/PgUploadRepo"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import { DEFAULT_VISIBILITY, MemberProfile } from "@vigie/domain/directory/Profile"
import { ProfileRepo } from "@vigie/domain/directory/ProfileRepo"
import { Upload, UploadId } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { MemberBlocks } from "@vigie/domain/membership/MemberBlocks"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { DateTime, Effect, Layer, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { address, bordeaux, repositories, square, verifiedResident } from "./Fixtures"

const layer = Layer.mergeAll(PgProfileRepo.layer, PgMemberBlocks.layer, PgUploadRepo.layer, repositories)
const now = DateTime.unsafeMake("2026-12-06T10:00:00Z")

const community = (name: string) =>
  Effect.flatMap(CommunityRepo, (repo) => repo.insert({ insee: bordeaux, name, perimeter: square }))

describeEachDatabase("PgProfileRepo and PgMemberBlocks", (it) => {
  it.effect("saves a profile (again: replaces it) and reads it back, with the members of a quartier", () =>
    Effect.gen(function*() {
      const repo = yield* ProfileRepo
      const a = yield* community(`Profils A ${crypto.randomUUID()}`)
      const b = yield* community(`Profils B ${crypto.randomUUID()}`)
      const chloe = yield* verifiedResident(a.id, 1, address("12 bis rue des Lilas"))
      const hugo = yield* verifiedResident(a.id, 2, address("3 rue des Vignes"))
      const other = yield* verifiedResident(b.id, 3)
      // Chloé belongs to B as well: her membership there is not in A's list.
      yield* (yield* MembershipRepo).insert({ accountId: chloe.id, communityId: b.id, role: "referent",
        status: "verified", address: address("1 place du Marché") })
      const photoId = UploadId.make(crypto.randomUUID())
      yield* (yield* UploadRepo).insert(
        new Upload({ id: photoId, ownerId: chloe.id, kind: "photo", blobKey: `photo/${photoId}`,
          contentType: "image/jpeg", name: null, bytes: 10, width: 1, height: 1, createdAt: now, claimedAt: now })
      )

      assert.isTrue(Option.isNone(yield* repo.get(chloe.id)))
      const profile = new MemberProfile({
        accountId: chloe.id,
        listed: true,
        nameStyle: "full",
        photoId,
        presentation: "Bonjour « les voisins » l'été",
        interests: ["jardinage", "velo"],
        interestsOther: "Roses",
        skills: ["arrosage"],
        skillsOther: "",
        languages: ["fr", "eu"],
        visibility: { ...DEFAULT_VISIBILITY, street: "members" },
        updatedAt: now
      })
      yield* repo.save(profile)
      assert.deepStrictEqual(Option.getOrThrow(yield* repo.get(chloe.id)), profile)
      const changed = new MemberProfile({ ...profile, listed: false, interests: [], photoId: null })
      yield* repo.save(changed)
      assert.deepStrictEqual(Option.getOrThrow(yield* repo.get(chloe.id)), changed)
      assert.isTrue(Option.isNone(yield* repo.ownerOfPhoto(photoId)))
      yield* repo.save(profile)
      assert.strictEqual(Option.getOrThrow(yield* repo.ownerOfPhoto(photoId)), chloe.id)

      const member = Option.getOrThrow(yield* repo.member(chloe.id))
      assert.deepStrictEqual(member.memberships.map((m) => [m.communityId, m.role, m.addressLine1]), [
        [a.id, "resident", "12 bis rue des Lilas"],
        [b.id, "referent", "1 place du Marché"]
      ])
      assert.isNotNull(member.memberships[0]!.verifiedAt)
      assert.deepStrictEqual(member.profile, profile)
      const inA = yield* repo.membersOf(a.id)
      assert.deepStrictEqual(inA.map((m) => m.accountId).sort(), [chloe.id, hugo.id].sort())
      assert.deepStrictEqual(inA.find((m) => m.accountId === chloe.id)!.memberships.map((m) => m.communityId), [a.id])
      assert.isNull(inA.find((m) => m.accountId === hugo.id)!.profile)
      assert.notInclude((yield* repo.membersOf(a.id)).map((m) => m.accountId), other.id)
    }).pipe(Effect.provide(layer)))

  it.effect("records a block once, one way, lifts it, and answers either way", () =>
    Effect.gen(function*() {
      const blocks = yield* MemberBlocks
      const a = yield* community(`Blocs ${crypto.randomUUID()}`)
      const chloe = yield* verifiedResident(a.id, 1)
      const arthur = yield* verifiedResident(a.id, 2)
      assert.isTrue(yield* blocks.block(chloe.id, arthur.id, now))
      assert.isFalse(yield* blocks.block(chloe.id, arthur.id, now))
      assert.isTrue(yield* blocks.isBlockedBy(arthur.id, chloe.id))
      assert.isFalse(yield* blocks.isBlockedBy(chloe.id, arthur.id))
      assert.isTrue(yield* blocks.eitherBlocks(arthur.id, chloe.id))
      assert.deepStrictEqual(yield* blocks.blockersOf(arthur.id), [chloe.id])
      assert.deepStrictEqual((yield* blocks.blockedBy(chloe.id)).map((b) => [b.blockedId, b.createdAt]), [
        [arthur.id, now]
      ])
      // Among a set of members (a group): the blocks whose two ends are both in it, one way each.
      const hugo = yield* verifiedResident(a.id, 3)
      assert.deepStrictEqual(yield* blocks.among([hugo.id, arthur.id, chloe.id]), [
        { blockerId: chloe.id, blockedId: arthur.id }
      ])
      assert.deepStrictEqual(yield* blocks.among([hugo.id, arthur.id]), [])
      assert.deepStrictEqual(yield* blocks.among([chloe.id]), [])
      assert.isTrue(yield* blocks.unblock(chloe.id, arthur.id))
      assert.isFalse(yield* blocks.unblock(chloe.id, arthur.id))
      assert.isFalse(yield* blocks.eitherBlocks(arthur.id, chloe.id))
      assert.deepStrictEqual(yield* blocks.among([hugo.id, arthur.id, chloe.id]), [])
    }).pipe(Effect.provide(layer)))
})
