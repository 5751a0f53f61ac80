import { mkdir } from "node:fs/promises"
import { dirname, resolve } from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { PGLiteSocketServer } from "@electric-sql/pglite-socket"
import { Context, Data, Effect, Layer } from "effect"
import type { Scope } from "effect"

/** The in-memory data directory: nothing is written to disk (tests). */
export const inMemory = "memory://"

export interface EmbeddedPostgresOptions {
  /** A directory for PGlite's files (its parent is created), or `inMemory`. */
  readonly dataDir: string
  /** Socket connections accepted at once: at least the client pool size + 1. */
  readonly maxConnections: number
  /**
   * A data directory saved by `dump` to start from instead of an empty cluster (tests start each
   * database from one migrated copy: loading it is several times faster than initdb + migrations).
   */
  readonly loadDataDir?: Blob | undefined
}

/** Where an embedded PostgreSQL listens, on loopback, for the ordinary `pg` driver. */
export interface EmbeddedPostgresServer {
  readonly host: string
  readonly port: number
  readonly username: string
  readonly database: string
  readonly dataDir: string
  /** The whole data directory as an uncompressed tarball, for `loadDataDir`. */
  readonly dump: Effect.Effect<Blob, EmbeddedPostgresError>
}

/** PGlite could not open its data directory, or the socket server could not listen. */
export class EmbeddedPostgresError extends Data.TaggedError("EmbeddedPostgresError")<{
  readonly dataDir: string
  readonly stage: "open" | "listen" | "dump"
  readonly cause: unknown
}> {
  override get message() {
    return `Embedded PostgreSQL failed to ${this.stage} (${this.dataDir}): ${String(this.cause)}`
  }
}

/**
 * An embedded PostgreSQL (PGlite, one backend) served on 127.0.0.1 on a free port, so the same
 * @effect/sql-pg code runs against it and against a real server. Closed with its scope.
 */
export class EmbeddedPostgres extends Context.Tag("@vigie/adapters/EmbeddedPostgres")<
  EmbeddedPostgres,
  EmbeddedPostgresServer
>() {}

const host = "127.0.0.1"

export const make = (
  options: EmbeddedPostgresOptions
): Effect.Effect<EmbeddedPostgresServer, EmbeddedPostgresError, Scope.Scope> =>
  Effect.gen(function*() {
    const memory = options.dataDir.startsWith("memory://")
    const dataDir = memory ? options.dataDir : resolve(options.dataDir)

    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          if (!memory) await mkdir(dirname(dataDir), { recursive: true })
          return await PGlite.create(
            dataDir,
            options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }
          )
        },
        catch: (cause) => new EmbeddedPostgresError({ dataDir, stage: "open", cause })
      }),
      (db) => Effect.tryPromise(() => db.close()).pipe(Effect.ignore)
    )

    const server = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections: options.maxConnections })
          await server.start()
          return server
        },
        catch: (cause) => new EmbeddedPostgresError({ dataDir, stage: "listen", cause })
      }),
      (server) => Effect.tryPromise(() => server.stop()).pipe(Effect.ignore)
    )

    const port = Number(server.getServerConn().split(":").at(-1))
    const dump = Effect.tryPromise({
      try: (): Promise<Blob> => db.dumpDataDir("none"),
      catch: (cause) => new EmbeddedPostgresError({ dataDir, stage: "dump", cause })
    })
    return { host, port, username: "postgres", database: "postgres", dataDir, dump }
  }).pipe(Effect.withSpan("EmbeddedPostgres.make"))

export const layer = (options: EmbeddedPostgresOptions): Layer.Layer<EmbeddedPostgres, EmbeddedPostgresError> =>
  Layer.scoped(EmbeddedPostgres, make(options))
