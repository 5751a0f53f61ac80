import { createHash, randomUUID } from "node:crypto"
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { Effect, Layer, Option } from "effect"

/**
 * Where a key's file lives: two levels of folders from the key's SHA-256 (256 × 256 shards, so no
 * folder grows past a few thousand files), then the key itself as one file name (percent-encoded:
 * a "/" in a key never makes a folder, and no key can step out of the root).
 */
export const pathOf = (root: string, key: string) => {
  if (key === "" || key === "." || key === "..") throw new Error(`not a blob key: ${JSON.stringify(key)}`)
  const hash = createHash("sha256").update(key).digest("hex")
  return join(root, hash.slice(0, 2), hash.slice(2, 4), encodeURIComponent(key))
}

const isMissing = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT"

/**
 * Blobs as files under `root` (`<VIGIE_DATA_DIR>/blobs` in the platform). A put writes a temporary
 * file beside the target and renames it over the target: a reader sees the whole old file or the
 * whole new one, and a crash mid-write leaves at most a stray `.tmp` file, never a half blob.
 * The content type is not kept (every reader knows it from the upload's row).
 */
export const make = (root: string) =>
  BlobStore.of({
    put: (key, bytes) =>
      Effect.promise(async () => {
        const path = pathOf(root, key)
        await mkdir(dirname(path), { recursive: true })
        const temporary = `${path}.${randomUUID()}.tmp`
        try {
          await writeFile(temporary, bytes, { flush: true })
          await rename(temporary, path)
        } catch (error) {
          await rm(temporary, { force: true })
          throw error
        }
      }).pipe(Effect.withSpan("FsBlobStore.put", { attributes: { bytes: bytes.byteLength } })),
    get: (key) =>
      Effect.promise(async () => {
        try {
          return Option.some(new Uint8Array(await readFile(pathOf(root, key))))
        } catch (error) {
          if (isMissing(error)) return Option.none()
          throw error
        }
      }).pipe(Effect.withSpan("FsBlobStore.get")),
    remove: (key) =>
      Effect.promise(() => rm(pathOf(root, key), { force: true })).pipe(Effect.withSpan("FsBlobStore.remove"))
  })

/** Blobs under `root`, created when first written. */
export const layerWith = (root: string) => Layer.succeed(BlobStore, make(root))
