import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@vigie/adapters/sql/Database"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { Console, Effect, Layer } from "effect"
import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as StaffAccounts from "@vigie/domain/mairie/StaffAccounts"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import type { CommandName } from "./Commands.js"
import { seed } from "./commands/Seed.js"
import { staff, StaffCommandError } from "./commands/Staff.js"
import * as Platform from "./Platform.js"
import { serve } from "./commands/Serve.js"
import * as ServerConfig from "./ServerConfig.js"
import * as Logging from "./telemetry/Logging.js"
import { alertRenderer } from "./workers/AlertTexts.js"
import { worker } from "./workers/WorkerCommand.js"

const usage = `Usage: node dist/main.js <command> (built), or npm run vigie -- <command> (sources, development)
  start     migrate the database, seed the demo town when empty (development), and run the platform
  migrate   apply pending database migrations
  seed      seed the demo town (development only; idempotent)
  serve     serve HTTP (POST /rpc, GET /healthz, GET /readyz) on PORT until Ctrl-C / SIGTERM
  worker    run only the delivery workers (SMS and e-mail), e.g. in extra processes
  staff add --role mairie|police|moderator|admin [--commune INSEE] --email … --first-name … --last-name …
            create a staff account (or give an existing one the role)`

const migrate = Migrations.migrate.pipe(
  Effect.tap((applied) =>
    Console.log(
      applied.length === 0
        ? "Database up to date."
        : `Migrations applied: ${applied.map(([, name]) => name).join(", ")}`
    )
  )
)

const databaseLayer = (options: Database.DatabaseOptions) => {
  const where = "url" in options ? "PostgreSQL server (DATABASE_URL)" : `embedded PostgreSQL in ${options.dataDir}`
  return Layer.effectDiscard(Console.log(`Database: ${where}`)).pipe(Layer.provideMerge(Database.layer(options)))
}

const withDatabase = <A, E>(self: Effect.Effect<A, E, Database.Database>) =>
  Effect.flatMap(Database.config, (options) => Effect.provide(self, databaseLayer(options)))

/** Reads and checks the whole configuration first: a mistake is reported before anything starts. */
const serving = (before: Effect.Effect<void, unknown, Database.Database>) =>
  Effect.flatMap(
    Effect.tap(ServerConfig.startup, (startup) => ServerConfig.checkUiDir(startup.server)),
    (startup) =>
      Effect.provide(Effect.zipRight(before, serve(startup)), databaseLayer(startup.database)).pipe(
        Effect.onInterrupt(() => Console.log("Vigie stopped: requests finished, database closed."))
      )
  )

const commands: { readonly [K in CommandName]: Effect.Effect<void, unknown> } = {
  migrate: withDatabase(migrate),
  seed: withDatabase(Effect.zipRight(migrate, seed)),
  start: serving(Effect.zipRight(migrate, seed)),
  serve: serving(Effect.void),
  staff: withDatabase(Effect.zipRight(
    migrate,
    staff(process.argv.slice(3)).pipe(
      Effect.provide(StaffAccounts.layer.pipe(
        Layer.provide(Layer.mergeAll(Platform.repositories, Platform.localServices, NodeSecrets.layer)),
        Layer.merge(Layer.effect(PublicUrl, ServerConfig.publicUrl))
      ))
    )
  )),
  worker: worker(alertRenderer)
}

const name = process.argv[2] ?? "help"
const command = Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined

const program = command === undefined
  ? Console.error(name === "help" ? usage : `Unknown command "${name}".\n${usage}`).pipe(
    Effect.andThen(Effect.sync(() => (process.exitCode = name === "help" ? 0 : 2)))
  )
  : command.pipe(
    Effect.catchIf(
      (error): error is StaffCommandError => error instanceof StaffCommandError,
      (error) => Console.error(error.message).pipe(Effect.andThen(Effect.sync(() => (process.exitCode = 2))))
    ),
    Effect.catchIf(
      (error): error is ServerConfig.InvalidConfiguration => error instanceof ServerConfig.InvalidConfiguration,
      (error) => Console.error(error.message).pipe(Effect.andThen(Effect.sync(() => (process.exitCode = 1))))
    )
  )

// JSON lines in production, readable text in development (LOG_FORMAT, LOG_LEVEL).
NodeRuntime.runMain(program.pipe(Effect.provide(Logging.layerFromEnv)), {
  disablePrettyLogger: true
})
