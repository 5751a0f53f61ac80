import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@vigie/adapters/sql/Database"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { Console, Effect, Layer } from "effect"
import { seed } from "./commands/Seed.js"
import { serve } from "./commands/Serve.js"

const usage = `Usage: npm run vigie -- <command>
  start     migrate the database, seed the demo town when empty (development), and run the platform
  migrate   apply pending database migrations
  seed      seed the demo town (development only; idempotent)
  serve     serve HTTP (POST /rpc, GET /healthz, GET /readyz) on PORT until Ctrl-C / SIGTERM`

const migrate = Migrations.migrate.pipe(
  Effect.tap((applied) =>
    Console.log(applied.length === 0 ? "Database up to date." : `Migrations applied: ${applied.map(([, name]) => name).join(", ")}`)
  )
)

const database = Layer.unwrapEffect(
  Effect.map(Database.config, (options) => {
    const where = "url" in options ? "PostgreSQL server (DATABASE_URL)" : `embedded PostgreSQL in ${options.dataDir}`
    return Layer.effectDiscard(Console.log(`Database: ${where}`)).pipe(Layer.provideMerge(Database.layer(options)))
  })
)

const commands: Record<string, Effect.Effect<void, unknown, Database.Database>> = {
  migrate,
  seed: Effect.zipRight(migrate, seed),
  start: Effect.zipRight(migrate, seed).pipe(Effect.zipRight(serve)),
  serve
}

const name = process.argv[2] ?? "help"
const command = commands[name]

const program = command === undefined
  ? Console.error(name === "help" ? usage : `Unknown command "${name}".\n${usage}`).pipe(
    Effect.andThen(Effect.sync(() => (process.exitCode = name === "help" ? 0 : 2)))
  )
  : command.pipe(Effect.provide(database))

NodeRuntime.runMain(program)
