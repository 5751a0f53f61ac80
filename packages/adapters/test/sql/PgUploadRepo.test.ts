import { SqlClient } from "@effect/sql"
import { assert } from "@effect/vitest"
import * as PgUploadRepo from "@vigie/adapters/sql/PgUploadRepo"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { AccountId } from "@vigie/domain/shared/Ids"
import { StaleUploads } from "@vigie/domain/media/StaleUploads"
import { Upload, UploadId } from "@vigie/domain/media/Upload"
import type { UploadKind } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { DateTime, Effect, Exit, Layer, Option } from "effect"
import { describeEachDatabase } from "../support/TestDatabase"
import { email, repositories } from "./Fixtures"

const layer = Layer.mergeAll(PgUploadRepo.layer, PgUploadRepo.layerStale, repositories)

const now = DateTime.unsafeMake("2026-12-06T10:00:00Z")
const hoursAgo = (h: number) => DateTime.subtract(now, { hours: h })

const account = Effect.flatMap(AccountRepo, (accounts) =>
  accounts.insert({
    firstName: "Camille",
    lastName: "Martin",
    email: Option.some(email()),
    phone: Option.none(),
    phoneVerified: false,
    passwordHash: Option.none(),
    staffRoles: []
  })).pipe(Effect.map((a) => a.id))

const upload = (ownerId: AccountId, kind: UploadKind = "photo", createdAt = now) =>
  Effect.gen(function*() {
    const id = UploadId.make(crypto.randomUUID())
    const u = new Upload({
      id,
      ownerId,
      kind,
      blobKey: `${kind}/${id}`,
      contentType: kind === "photo" ? "image/jpeg" : "application/pdf",
      name: kind === "pdf" ? "compte-rendu AG.pdf" : null,
      bytes: 1234,
      width: kind === "photo" ? 1600 : null,
      height: kind === "photo" ? 1200 : null,
      createdAt,
      claimedAt: null
    })
    yield* (yield* UploadRepo).insert(u)
    return u
  })

const claimedAt = (ids: ReadonlyArray<UploadId>) =>
  Effect.flatMap(
    UploadRepo,
    (repo) => Effect.forEach(ids, (id) => Effect.map(repo.get(id), (u) => Option.getOrThrow(u).claimedAt !== null))
  )

describeEachDatabase("PgUploadRepo", (it) => {
  it.effect("inserts an upload and reads it back as it was", () =>
    Effect.gen(function*() {
      const repo = yield* UploadRepo
      const owner = yield* account
      const u = yield* upload(owner, "pdf")
      assert.deepStrictEqual(yield* repo.get(u.id), Option.some(u))
      assert.isTrue(Option.isNone(yield* repo.get(UploadId.make(crypto.randomUUID()))))
    }).pipe(Effect.provide(layer)))

  it.effect("claims all the listed uploads of their owner at once, then never again", () =>
    Effect.gen(function*() {
      const repo = yield* UploadRepo
      const owner = yield* account
      const photos = yield* Effect.all([upload(owner), upload(owner), upload(owner)])
      const ids = photos.map((p) => p.id)
      const claimed = yield* repo.claim(owner, [...ids, ids[0]!], "photo", now)
      assert.deepStrictEqual(claimed.map((c) => c.id).sort(), [...ids].sort())
      assert.isTrue(claimed.every((c) => c.claimedAt !== null && DateTime.Equivalence(c.claimedAt, now)))
      const again = yield* Effect.flip(repo.claim(owner, [ids[1]!], "photo", now))
      assert.deepStrictEqual([again._tag, again.uploadIds], ["UploadUnavailable", [ids[1]!]])
      assert.deepStrictEqual(yield* repo.claim(owner, [], "photo", now), [])
    }).pipe(Effect.provide(layer)))

  it.effect("claims nothing when one of the list is not claimable: another's, another kind, taken, unknown", () =>
    Effect.gen(function*() {
      const repo = yield* UploadRepo
      const owner = yield* account
      const other = yield* account
      const mine = yield* upload(owner)
      const theirs = yield* upload(other)
      const pdf = yield* upload(owner, "pdf")
      const taken = yield* upload(owner)
      yield* repo.claim(owner, [taken.id], "photo", now)
      const unknown = UploadId.make(crypto.randomUUID())
      for (const bad of [theirs.id, pdf.id, taken.id, unknown]) {
        const error = yield* Effect.flip(repo.claim(owner, [mine.id, bad], "photo", now))
        assert.deepStrictEqual([error.uploadIds, error.kind], [[bad], "photo"])
      }
      assert.deepStrictEqual(yield* claimedAt([mine.id, theirs.id, pdf.id]), [false, false, false])
    }).pipe(Effect.provide(layer)))

  it.effect("of two posts racing for the same upload, exactly one takes it", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const repo = yield* UploadRepo
      const owner = yield* account
      for (let round = 0; round < 5; round++) {
        const shared = yield* upload(owner)
        const a = yield* upload(owner)
        const b = yield* upload(owner)
        // Each claim in its own transaction, as a post's write would be.
        const exits = yield* Effect.all([
          sql.withTransaction(repo.claim(owner, [a.id, shared.id], "photo", now)).pipe(Effect.exit),
          sql.withTransaction(repo.claim(owner, [shared.id, b.id], "photo", now)).pipe(Effect.exit)
        ], { concurrency: "unbounded" })
        assert.strictEqual(exits.filter(Exit.isSuccess).length, 1)
        // The loser took nothing: its own other photo is still free.
        const [aTaken, bTaken, sharedTaken] = yield* claimedAt([a.id, b.id, shared.id])
        assert.isTrue(sharedTaken)
        assert.strictEqual(aTaken, Exit.isSuccess(exits[0]!))
        assert.strictEqual(bTaken, Exit.isSuccess(exits[1]!))
      }
    }).pipe(Effect.provide(layer)))

  it.effect("removes unclaimed uploads older than the cut-off, by batches, and answers their blob keys", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`DELETE FROM media_uploads`
      const repo = yield* UploadRepo
      const stale = yield* StaleUploads
      const owner = yield* account
      const old = yield* Effect.all([upload(owner, "photo", hoursAgo(30)), upload(owner, "pdf", hoursAgo(26))])
      const oldClaimed = yield* upload(owner, "photo", hoursAgo(40))
      yield* repo.claim(owner, [oldClaimed.id], "photo", hoursAgo(39))
      const fresh = yield* upload(owner, "photo", hoursAgo(2))
      const cutoff = hoursAgo(24)
      const first = yield* stale.removeStale(cutoff, 1)
      const second = yield* stale.removeStale(cutoff, 10)
      assert.deepStrictEqual([...first, ...second].sort(), old.map((u) => u.blobKey).sort())
      assert.deepStrictEqual(first, [old[0]!.blobKey])
      assert.deepStrictEqual(yield* stale.removeStale(cutoff, 10), [])
      assert.isTrue(Option.isSome(yield* repo.get(oldClaimed.id)))
      assert.isTrue(Option.isSome(yield* repo.get(fresh.id)))
      assert.isTrue(Option.isNone(yield* repo.get(old[0]!.id)))
    }).pipe(Effect.provide(layer)))
})
