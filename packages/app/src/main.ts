import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@vigie/adapters/sql/Database"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { Console, Effect } from "effect"

const command = process.argv[2] ?? "help"

const migrate = Migrations.migrate.pipe(
  Effect.tap((applied) => Console.log(`migrations applied: ${applied.length}`)),
  Effect.provide(Database.layerFromConfig)
)

const program: Effect.Effect<unknown, unknown> = command === "migrate"
  ? migrate
  : Effect.fail(new Error(`unknown command "${command}"; available: migrate`))

NodeRuntime.runMain(program)
