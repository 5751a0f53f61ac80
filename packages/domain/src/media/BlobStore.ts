import { Context } from "effect"
import type { Effect, Option } from "effect"

/**
 * Where the bytes of uploads live: a folder of the data directory, or an S3-compatible bucket. Keys
 * are made by the server (random, never a member's input), so an adapter may use them as paths.
 * `put` replaces what the key held; `get` of an unknown key is None; `remove` of an unknown key does
 * nothing. Infrastructure failures (disk, network, credentials) are defects: they die, and the use
 * case around them (an upload, a post) fails as a whole.
 */
export class BlobStore extends Context.Tag("@vigie/domain/BlobStore")<
  BlobStore,
  {
    readonly put: (key: string, bytes: Uint8Array, contentType: string) => Effect.Effect<void>
    readonly get: (key: string) => Effect.Effect<Option.Option<Uint8Array>>
    readonly remove: (key: string) => Effect.Effect<void>
  }
>() {}
