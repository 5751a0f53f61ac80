import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { Config, Data, Effect, Layer, Option, Redacted } from "effect"

export interface S3Options {
  readonly bucket: string
  readonly region: string
  /** Another S3-compatible endpoint (MinIO, Scaleway, OVH, Garage, s3rver in tests); Amazon's when absent. */
  readonly endpoint?: string
  /** Path-style addresses (endpoint/bucket/key), as most S3-compatible servers want. Default false. */
  readonly forcePathStyle?: boolean
  /** Explicit keys; the default AWS credential chain (env, profile, instance role) when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: Redacted.Redacted }
}

/**
 * `S3_BUCKET`, `S3_REGION` (default eu-west-3), and optionally `S3_ENDPOINT`, `S3_FORCE_PATH_STYLE`,
 * `S3_ACCESS_KEY_ID` with `S3_SECRET_ACCESS_KEY` (both or neither; the default AWS chain otherwise).
 */
export const config: Config.Config<S3Options> = Config.all({
  bucket: Config.string("S3_BUCKET").pipe(
    Config.validate({ message: "must be a bucket name", validation: (b) =>
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b) })
  ),
  region: Config.string("S3_REGION").pipe(
    Config.validate({ message: "must be a region such as eu-west-3 or fr-par", validation: (r) =>
      /^[a-z0-9-]+$/.test(r) }),
    Config.withDefault("eu-west-3")
  ),
  endpoint: Config.option(Config.url("S3_ENDPOINT")),
  forcePathStyle: Config.boolean("S3_FORCE_PATH_STYLE").pipe(Config.withDefault(false)),
  accessKeyId: Config.option(Config.string("S3_ACCESS_KEY_ID")),
  secretAccessKey: Config.option(Config.redacted("S3_SECRET_ACCESS_KEY"))
}).pipe(
  Config.validate({
    message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither",
    validation: (c) => Option.isSome(c.accessKeyId) === Option.isSome(c.secretAccessKey)
  }),
  Config.map(({ accessKeyId, endpoint, secretAccessKey, ...rest }): S3Options => ({
    ...rest,
    ...Option.match(endpoint, { onNone: () => ({}), onSome: (url) => ({ endpoint: url.toString() }) }),
    ...(Option.isSome(accessKeyId) && Option.isSome(secretAccessKey)
      ? { credentials: { accessKeyId: accessKeyId.value, secretAccessKey: secretAccessKey.value } }
      : {})
  }))
)

/** A failed call to the object store, before it becomes a defect. */
export class S3Failure extends Data.TaggedError("S3Failure")<{ readonly operation: string; readonly cause: unknown }> {}

const isNoSuchKey = (error: unknown) =>
  error instanceof NoSuchKey ||
  (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "NoSuchKey")

/**
 * Blobs as objects of one bucket, keyed as given. Any failure of the store (network, credentials, a
 * missing bucket) is a defect, as the port says; only a missing key on `get` is an answer (None).
 */
export const make = (options: S3Options) =>
  Effect.gen(function*() {
    const client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : {
        credentials: {
          accessKeyId: options.credentials.accessKeyId,
          secretAccessKey: Redacted.value(options.credentials.secretAccessKey)
        }
      })
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => client.destroy()))
    const call = <A>(operation: string, run: (signal: AbortSignal) => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: (cause) => new S3Failure({ operation, cause }) }).pipe(
        Effect.withSpan(`S3BlobStore.${operation}`, { attributes: { bucket: options.bucket } })
      )
    return BlobStore.of({
      put: (key, bytes, contentType) =>
        call("put", (abortSignal) =>
          client.send(
            new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: bytes, ContentType: contentType }),
            { abortSignal }
          )).pipe(Effect.asVoid, Effect.orDie),
      get: (key) =>
        call("get", async (abortSignal) => {
          const answer = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }), { abortSignal })
          return answer.Body === undefined ? new Uint8Array() : await answer.Body.transformToByteArray()
        }).pipe(
          Effect.map(Option.some),
          Effect.catchIf((failure) => isNoSuchKey(failure.cause), () => Effect.succeed(Option.none())),
          Effect.orDie
        ),
      remove: (key) =>
        call("remove", (abortSignal) =>
          client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }), { abortSignal })).pipe(
            Effect.asVoid,
            Effect.orDie
          )
    })
  })

/** Blobs in the bucket of `options`; the client is closed with the layer. */
export const layerWith = (options: S3Options) => Layer.scoped(BlobStore, make(options))

/** Blobs in the bucket the environment names (S3_*). */
export const layer = Layer.scoped(BlobStore, Effect.flatMap(config, make))
