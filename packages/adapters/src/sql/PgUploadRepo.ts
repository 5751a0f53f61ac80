import { SqlClient } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { UploadUnavailable } from "@vigie/domain/media/MediaErrors"
import { Upload, UploadId, UploadKind } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const Row = Schema.Struct({
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
const decodeRows = Schema.decodeUnknown(Schema.Array(Row))
const toUpload = (r: typeof Row.Type) =>
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

/**
 * Uploads in PostgreSQL (media_uploads). `claim` takes every listed upload in one statement that
 * updates only when all of them are the owner's, of the kind and unclaimed (their count matches),
 * so of two posts racing for one upload exactly one takes it.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return UploadRepo.of({
    insert: (u) =>
      sql`
INSERT INTO media_uploads (id, owner_id, kind, blob_key, content_type, name, bytes, width, height, created_at,
  claimed_at)
VALUES (${u.id}, ${u.ownerId}, ${u.kind}, ${u.blobKey}, ${u.contentType}, ${u.name}, ${u.bytes}, ${u.width},
  ${u.height}, ${DateTime.toDateUtc(u.createdAt)}, ${u.claimedAt === null ? null : DateTime.toDateUtc(u.claimedAt)})`
        .pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgUploadRepo.insert")),
    get: (id) =>
      sql`SELECT * FROM media_uploads WHERE id = ${id}`.pipe(
        Effect.flatMap(decodeRows),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toUpload)),
        mapFailures(),
        Effect.withSpan("PgUploadRepo.get")
      ),
    claim: (ownerId, ids, kind, now) => {
      const wanted = [...new Set(ids)]
      if (wanted.length === 0) return Effect.succeed([])
      return sql`
WITH wanted AS (SELECT DISTINCT value::uuid AS id FROM jsonb_array_elements_text(${JSON.stringify(wanted)}::jsonb)),
available AS (
  SELECT u.id FROM media_uploads u JOIN wanted w ON w.id = u.id
  WHERE u.owner_id = ${ownerId} AND u.kind = ${kind} AND u.claimed_at IS NULL
  FOR UPDATE OF u
)
UPDATE media_uploads u SET claimed_at = ${DateTime.toDateUtc(now)}
WHERE u.id IN (SELECT id FROM available) AND (SELECT count(*) FROM available) = ${wanted.length}
RETURNING u.*`.pipe(
        Effect.flatMap(decodeRows),
        mapFailures(),
        Effect.flatMap((rows) =>
          rows.length === wanted.length
            ? Effect.succeed(rows.map(toUpload))
            : Effect.fail(new UploadUnavailable({ uploadIds: wanted, kind }))
        ),
        Effect.withSpan("PgUploadRepo.claim")
      )
    }
  })
})

export const layer = Layer.effect(UploadRepo, make)
