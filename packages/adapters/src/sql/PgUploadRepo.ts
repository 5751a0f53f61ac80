import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { AccountId } from "@vigie/domain/shared/Ids"
import { UploadUnavailable } from "@vigie/domain/media/MediaErrors"
import { StaleUploads } from "@vigie/domain/media/StaleUploads"
import { Upload, UploadId, UploadKind } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { DateTime, Effect, Either, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const UploadRow = Schema.Struct({
  id: UploadId,
  owner_id: AccountId,
  kind: UploadKind,
  blob_key: Schema.String,
  content_type: Schema.String,
  name: Schema.NullOr(Schema.String),
  bytes: Schema.Int,
  width: Schema.NullOr(Schema.Int),
  height: Schema.NullOr(Schema.Int),
  created_at: Schema.DateTimeUtcFromDate,
  claimed_at: Schema.NullOr(Schema.DateTimeUtcFromDate)
})

const decodeRows = Schema.decodeUnknown(Schema.Array(UploadRow))

const toUpload = (r: typeof UploadRow.Type) =>
  new Upload({
    id: r.id,
    ownerId: r.owner_id,
    kind: r.kind,
    blobKey: r.blob_key,
    contentType: r.content_type,
    name: r.name,
    bytes: r.bytes,
    width: r.width,
    height: r.height,
    createdAt: r.created_at,
    claimedAt: r.claimed_at
  })

const COLUMNS = "id, owner_id, kind, blob_key, content_type, name, bytes, width, height, created_at, claimed_at"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const claim: UploadRepo["Type"]["claim"] = (ownerId, ids, kind, now) => {
    const wanted = [...new Set(ids)]
    if (wanted.length === 0) return Effect.succeed([])
    // One statement: lock the claimable rows among those wanted, and mark them only when every one
    // wanted is among them. A racing claim waits on the row locks, then finds claimed_at set and
    // marks nothing. All or none.
    return sql`
WITH candidates AS (
  SELECT id FROM media_uploads
  WHERE id = ANY (${wanted}::uuid[]) AND owner_id = ${ownerId} AND kind = ${kind} AND claimed_at IS NULL
  FOR UPDATE
), claimed AS (
  UPDATE media_uploads SET claimed_at = ${DateTime.toDateUtc(now)}
  WHERE id IN (SELECT id FROM candidates) AND (SELECT count(*) FROM candidates) = ${wanted.length}
  RETURNING ${sql.unsafe(COLUMNS)}
)
SELECT * FROM claimed`.pipe(
      Effect.flatMap(decodeRows),
      Effect.flatMap((rows): Effect.Effect<Either.Either<ReadonlyArray<Upload>, UploadUnavailable>, SqlError> =>
        rows.length === wanted.length
          ? Effect.succeed(Either.right(rows.map(toUpload)))
          : sql<{ id: string }>`
SELECT id FROM media_uploads
WHERE id = ANY (${wanted}::uuid[]) AND owner_id = ${ownerId} AND kind = ${kind} AND claimed_at IS NULL`.pipe(
            Effect.map((available) => {
              const free = new Set(available.map((a) => a.id))
              const missing = wanted.filter((id) => !free.has(id))
              // Every one was free a moment later (a racing claim rolled back): still nothing was claimed.
              return Either.left(new UploadUnavailable({ uploadIds: missing.length > 0 ? missing : wanted, kind }))
            })
          )
      ),
      mapFailures(),
      Effect.flatMap((outcome) => outcome),
      Effect.withSpan("PgUploadRepo.claim", { attributes: { uploads: wanted.length } })
    )
  }

  return UploadRepo.of({
    insert: (upload) =>
      sql`
INSERT INTO media_uploads (${sql.unsafe(COLUMNS)})
VALUES (${upload.id}, ${upload.ownerId}, ${upload.kind}, ${upload.blobKey}, ${upload.contentType}, ${upload.name},
        ${upload.bytes}, ${upload.width}, ${upload.height}, ${DateTime.toDateUtc(upload.createdAt)},
        ${upload.claimedAt === null ? null : DateTime.toDateUtc(upload.claimedAt)})`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgUploadRepo.insert")
      ),
    get: (id) =>
      sql`SELECT ${sql.unsafe(COLUMNS)} FROM media_uploads WHERE id = ${id}`.pipe(
        Effect.flatMap(decodeRows),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toUpload)),
        mapFailures(),
        Effect.withSpan("PgUploadRepo.get")
      ),
    claim,
    release: (ownerId, ids) =>
      ids.length === 0 ? Effect.void : sql`
UPDATE media_uploads SET claimed_at = NULL
WHERE id = ANY (${[...new Set(ids)]}::uuid[]) AND owner_id = ${ownerId} AND claimed_at IS NOT NULL`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgUploadRepo.release")
      )
  })
})

export const layer = Layer.effect(UploadRepo, make)

export const makeStale = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return StaleUploads.of({
    removeStale: (before, limit) =>
      sql<{ blob_key: string }>`
DELETE FROM media_uploads
WHERE id IN (
  SELECT id FROM media_uploads
  WHERE claimed_at IS NULL AND created_at < ${DateTime.toDateUtc(before)}
  ORDER BY created_at
  LIMIT ${limit}
  FOR UPDATE SKIP LOCKED
) AND claimed_at IS NULL
RETURNING blob_key`.pipe(
        Effect.map((rows) => rows.map((r) => r.blob_key)),
        mapFailures(),
        Effect.withSpan("PgUploadRepo.removeStale")
      )
  })
})

/** The unclaimed uploads' rows, for the retention job. */
export const layerStale = Layer.effect(StaleUploads, makeStale)
