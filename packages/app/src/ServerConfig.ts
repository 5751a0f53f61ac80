import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as SesEmailSender from "@vigie/adapters/email/SesEmailSender"
import * as S3BlobStore from "@vigie/adapters/media/S3BlobStore"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import * as Database from "@vigie/adapters/sql/Database"
import * as MairieSettings from "@vigie/domain/mairie/MairieSettings"
import type { MairieSettings as MairieSettingsTag } from "@vigie/domain/mairie/MairieSettings"
import type { TrustSettings } from "@vigie/domain/trust/TrustPolicy"
import type { InboxConfig } from "@vigie/domain/sms/InboxPolicy"
import type { VerificationSmsLimits } from "@vigie/domain/channels/VerificationSms"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { Config, ConfigError, Console, Data, Effect, Either, Option, Redacted } from "effect"
import { noTrustedProxies, parseTrustedProxies, type TrustedProxies } from "./http/ClientAddress.js"
import * as EdgeConfig from "./EdgeConfig.js"
import { defaultUiDir } from "./http/StaticUi.js"
import * as RetentionConfig from "./RetentionConfig.js"
import * as SmsLimitsConfig from "./SmsLimitsConfig.js"
import * as TelemetryConfig from "./TelemetryConfig.js"
import * as TrustConfig from "./TrustConfig.js"
import * as DeliveryWorker from "./workers/DeliveryWorker.js"
import * as InboxWorker from "./workers/InboxWorker.js"

export type VigieEnv = "development" | "production"

/** What the HTTP server and the composition root read from the environment. */
export interface ServerConfig {
  readonly port: number
  /** The site's own origin: RPC calls must come from it (CSRF), cookies are Secure when it is https. */
  readonly publicUrl: URL
  readonly env: VigieEnv
  readonly smsProvider: "outbox" | "plivo"
  readonly emailProvider: "outbox" | "ses"
  /** BLOB_STORE: where photos and attachments live, files under VIGIE_DATA_DIR/blobs (fs) or a bucket (s3). */
  readonly blobStore: "fs" | "s3"
  readonly dataDir: string
  /** TRUSTED_PROXIES: the proxies whose X-Forwarded-For names the client (none by default). */
  readonly trustedProxies: TrustedProxies
  /**
   * TILE_URL: the map tiles the web app shows under the quartiers ({z}/{x}/{y} template). OpenStreetMap's
   * in production, none in development (the maps then draw the quartiers on a plain background).
   */
  readonly tileUrl: Option.Option<string>
  /** UI_DIR: the built web app (vite's output) served for every page; packages/ui/dist by default. */
  readonly uiDir: string
}

/** OpenStreetMap's own tiles: fine for a town's few agents and residents (its tile usage policy). */
export const OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

/** A tile template the web app can use: http(s), with the {z}, {x} and {y} placeholders. */
const isTileTemplate = (template: string) =>
  /^https?:\/\/[^/\s]+\/\S*$/.test(template) && ["{z}", "{x}", "{y}"].every((p) => template.includes(p))

/**
 * PORT (default 3000), PUBLIC_URL (required in production; http://localhost:PORT otherwise),
 * VIGIE_ENV (development | production, default production), SMS_PROVIDER (outbox | plivo) and
 * EMAIL_PROVIDER (outbox | ses), both default outbox, BLOB_STORE (fs | s3, default fs; S3_* read by
 * the S3 adapter when s3), VIGIE_DATA_DIR (default .data), TRUSTED_PROXIES
 * (addresses and CIDR ranges, default none), TILE_URL (map tiles: OpenStreetMap's in production, none in
 * development; "none" turns them off), UI_DIR (the built web app, default packages/ui/dist of this
 * checkout, found from the sources and from dist/main.js alike). The providers' own variables (PLIVO_*, AWS_REGION,
 * SES_ENDPOINT, EMAIL_FROM) are read by their adapters. Development, which opens the dev inbox (codes
 * shown, forged SMS accepted), refuses a real site: an https PUBLIC_URL, Plivo or SES.
 */
export const config: Config.Config<ServerConfig> = Config.all({
  // 0 asks the system for a free port (tests); the real one is printed once listening.
  port: Config.integer("PORT").pipe(
    Config.validate({ message: "Expected a port number from 0 to 65535", validation: (n) => n >= 0 && n <= 65_535 }),
    Config.withDefault(3000)
  ),
  env: Config.literal("development", "production")("VIGIE_ENV").pipe(Config.withDefault("production" as const)),
  publicUrl: Config.option(Config.url("PUBLIC_URL")),
  smsProvider: Config.literal("outbox", "plivo")("SMS_PROVIDER").pipe(Config.withDefault("outbox" as const)),
  emailProvider: Config.literal("outbox", "ses")("EMAIL_PROVIDER").pipe(Config.withDefault("outbox" as const)),
  blobStore: Config.literal("fs", "s3")("BLOB_STORE").pipe(Config.withDefault("fs" as const)),
  dataDir: Config.string("VIGIE_DATA_DIR").pipe(
    Config.validate({ message: "must be a directory path", validation: (dir) => dir.trim() !== "" }),
    Config.withDefault(".data")
  ),
  trustedProxies: Config.string("TRUSTED_PROXIES").pipe(
    Config.mapOrFail((text) => {
      const parsed = parseTrustedProxies(text)
      return parsed._tag === "Right"
        ? Either.right(parsed.value)
        : Either.left(
          ConfigError.InvalidData(
            [],
            `"${parsed.entry}" is neither an IP address nor a CIDR range (e.g. 10.0.0.0/8, fd00::/8)`
          )
        )
    }),
    Config.withDefault(noTrustedProxies)
  ),
  tileUrlSetting: Config.option(Config.string("TILE_URL")),
  uiDir: Config.string("UI_DIR").pipe(
    Config.validate({ message: "must be a directory path", validation: (dir) => dir.trim() !== "" }),
    Config.withDefault(defaultUiDir)
  )
}).pipe(
  Config.mapOrFail(({ publicUrl, tileUrlSetting, ...read }): Either.Either<ServerConfig, ConfigError.ConfigError> => {
    const setting = Option.map(tileUrlSetting, (t) => t.trim())
    if (Option.isSome(setting) && !["", "none"].includes(setting.value) && !isTileTemplate(setting.value)) {
      return Either.left(ConfigError.InvalidData(
        ["TILE_URL"],
        "must be an http(s):// tile address with {z}, {x} and {y} (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png), or none"
      ))
    }
    const tileUrl = Option.match(setting, {
      onNone: () => read.env === "production" ? Option.some(OSM_TILE_URL) : Option.none(),
      onSome: (t) => t === "" || t === "none" ? Option.none() : Option.some(t)
    })
    const rest = { ...read, tileUrl }
    if (rest.env === "development") {
      const refusals = [
        ...(Option.isSome(publicUrl) && publicUrl.value.protocol === "https:"
          ? [
            ConfigError.InvalidData(
              ["PUBLIC_URL"],
              "is https://, a real site: development (VIGIE_ENV=development) would open the dev inbox there; set VIGIE_ENV=production"
            )
          ]
          : []),
        ...(rest.smsProvider === "plivo"
          ? [
            ConfigError.InvalidData(
              ["SMS_PROVIDER"],
              "plivo sends real SMS: refused in development (VIGIE_ENV=development); use outbox, or VIGIE_ENV=production"
            )
          ]
          : []),
        ...(rest.emailProvider === "ses"
          ? [
            ConfigError.InvalidData(
              ["EMAIL_PROVIDER"],
              "ses sends real e-mails: refused in development (VIGIE_ENV=development); use outbox, or VIGIE_ENV=production"
            )
          ]
          : [])
      ]
      if (refusals.length > 0) return Either.left(refusals.reduce((a, b) => ConfigError.And(a, b)))
    }
    if (Option.isSome(publicUrl)) {
      const url = publicUrl.value
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        return Either.left(ConfigError.InvalidData(["PUBLIC_URL"], "must be an http:// or https:// address"))
      }
      if (rest.env === "production" && url.protocol !== "https:") {
        return Either.left(ConfigError.InvalidData(["PUBLIC_URL"], "must be https:// in production"))
      }
      return Either.right({ ...rest, publicUrl: url })
    }
    return rest.env === "production"
      ? Either.left(ConfigError.MissingData(["PUBLIC_URL"], "is required in production (the site's https:// address)"))
      : Either.right({ ...rest, publicUrl: new URL(`http://localhost:${rest.port}`) })
  })
)

/** One line per missing or malformed variable: "PORT: Expected a port number ...". */
export const describeConfigError = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  switch (error._op) {
    case "And":
    case "Or":
      return [...new Set([...describeConfigError(error.left), ...describeConfigError(error.right)])]
    case "MissingData":
      // A secret's own message is redacted: say what is wrong without it.
      return [`${error.path.join(".")}: ${error.message === "<redacted>" ? "is required" : error.message}`]
    case "InvalidData":
    case "SourceUnavailable":
    case "Unsupported":
      return [`${error.path.join(".") || "(configuration)"}: ${error.message}`]
  }
}

/** A configuration problem, described one line per variable ("PORT: Expected a network port ..."). */
export class InvalidConfiguration extends Data.TaggedError("InvalidConfiguration")<{
  readonly lines: ReadonlyArray<string>
}> {
  override get message() {
    return `Invalid configuration:\n  ${this.lines.join("\n  ")}`
  }
}

/**
 * The web app must be built before a production server starts: without index.html every page would be
 * a 503. In development the server starts anyway (the page says to run `npm run build`) and says so here.
 */
export const checkUiDir = (server: ServerConfig): Effect.Effect<void, InvalidConfiguration> => {
  if (existsSync(join(server.uiDir, "index.html"))) return Console.log(`Web app: ${server.uiDir}`)
  const problem = `UI_DIR: no index.html in ${server.uiDir}: build the web app (npm run build) or set UI_DIR to it`
  return server.env === "production"
    ? Effect.fail(new InvalidConfiguration({ lines: [problem] }))
    : Console.log(problem)
}

/** What both `serve` and `worker` read: the site, the database, the providers and the delivery pace. */
export interface WorkerStartup {
  readonly server: ServerConfig
  readonly database: Database.DatabaseOptions
  /** Present when SMS_PROVIDER is plivo. */
  readonly plivo: Option.Option<PlivoSmsSender.PlivoOptions>
  /** Present when EMAIL_PROVIDER is ses. */
  readonly ses: Option.Option<SesEmailSender.SesOptions>
  /** The delivery workers' rates, lease, poll and retries (SMS_RATE_PER_SECOND, DELIVERY_*). */
  readonly delivery: DeliveryWorker.DeliveryWorkerConfig
  /** Traces, metrics and logs (OTEL_*, METRICS_*, LOG_*). */
  readonly telemetry: TelemetryConfig.TelemetryConfig
  /** TOWN_SMS_MONTHLY_BUDGET: the budget of communes without their own, for the budget gauges. */
  readonly townSmsMonthlyBudget: number
}

/** Everything the platform reads from the environment, read and checked once, at start. */
export interface Startup extends WorkerStartup {
  readonly secrets: NodeSecrets.KeySource
  /** Limits at the edge for unauthenticated traffic (EDGE_*). */
  readonly edge: EdgeConfig.EdgeLimits
  /** SMS_ALLOWED_COUNTRIES and the daily budgets of verification SMS (SMS_DAILY_*). */
  readonly verificationSms: VerificationSmsLimits
  /** The trust policy (TRUST_*). */
  readonly trust: TrustSettings
  /** The inbox workers (INBOX_*). */
  readonly inbox: InboxConfig
  /** The retention job (RETENTION_*, INACTIVE_ACCOUNT_*). */
  readonly retention: RetentionConfig.RetentionConfig
  /** The town alerts' preview figures (SMS_PRICE_EUR, TOWN_SMS_MONTHLY_BUDGET; the SMS rate is the workers'). */
  readonly mairie: MairieSettingsTag["Type"]
  /** Present when BLOB_STORE is s3: the bucket of photos and attachments (S3_*). */
  readonly s3: Option.Option<S3BlobStore.S3Options>
}

const isUrl = (text: string, protocols: ReadonlyArray<string>) => {
  try {
    return protocols.includes(new URL(text).protocol)
  } catch {
    return false
  }
}

const checked = <A>(config: Config.Config<A>, name: string, valid: (a: A) => boolean, message: string) =>
  Config.mapOrFail(config, (a) => valid(a) ? Either.right(a) : Either.left(ConfigError.InvalidData([name], message)))

const databaseConfig = checked(
  Database.config,
  "DATABASE_URL",
  (options) => !("url" in options) || isUrl(Redacted.value(options.url), ["postgres:", "postgresql:"]),
  "must be a postgres:// address (postgres://user:password@host:5432/database)"
)

const noneOr = <A>(predicate: (a: A) => boolean) => (option: Option.Option<A>) =>
  Option.isNone(option) || predicate(option.value)

const optionalUrl = (name: string) =>
  checked(
    Config.option(Config.string(name)),
    name,
    noneOr((u: string) => isUrl(u, ["https:", "http:"])),
    "must be an http(s):// address"
  )

/** The adapter's own config, and each variable checked on its own so that every problem shows. */
const plivoConfig = Config.all([
  PlivoSmsSender.config,
  optionalUrl("PLIVO_API_URL"),
  checked(
    Config.option(Config.string("PLIVO_NUMBER")),
    "PLIVO_NUMBER",
    noneOr((n: string) => /^(\+?[0-9]{6,15}|[A-Za-z0-9]{3,11})$/.test(n)),
    "must be a phone number in E.164 (+33...) or a sender id"
  )
]).pipe(Config.map(([options]) => options))

const sesConfig = Config.all([
  SesEmailSender.config,
  optionalUrl("SES_ENDPOINT"),
  checked(
    Config.option(Config.string("AWS_REGION")),
    "AWS_REGION",
    noneOr((r: string) => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)),
    "must be an AWS region such as eu-west-3"
  ),
  checked(
    Config.option(Config.string("EMAIL_FROM")),
    "EMAIL_FROM",
    noneOr((f: string) => /^(?:[^<>]*<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$/.test(f.trim())),
    "must be an e-mail address, e.g. Vigie <alertes@vigie.example>"
  )
]).pipe(Config.map(([options]) => options))

type Checked = Either.Either<unknown, ConfigError.ConfigError>

/** Every value read, or every problem of them together, one line per variable. */
const collect = <const T extends Record<string, Checked>>(
  results: T
): Effect.Effect<{ readonly [K in keyof T]: Either.Either.Right<T[K]> }, InvalidConfiguration> => {
  const errors = Object.values(results).flatMap((e) => Either.isLeft(e) ? [e.left] : [])
  return errors.length > 0
    ? Effect.fail(new InvalidConfiguration({ lines: [...new Set(errors.flatMap(describeConfigError))] }))
    : Effect.succeed(Object.fromEntries(Object.entries(results).map(([k, e]) => [k, Either.getOrThrow(e)])) as never)
}

/**
 * What `serve` and `worker` share, each part read on its own so that every problem shows (a bad PORT
 * does not hide missing Plivo keys): the site (PORT, PUBLIC_URL, VIGIE_ENV, ...), the database, the
 * providers (SMS_PROVIDER and PLIVO_* when it is plivo, EMAIL_PROVIDER and AWS_REGION, SES_ENDPOINT,
 * EMAIL_FROM when it is ses) and the delivery pace. One rule for both commands.
 */
const shared = Effect.gen(function*() {
  const server = yield* Effect.either(config)
  const database = yield* Effect.either(databaseConfig)
  const providers = yield* Effect.either(Config.all({
    sms: Config.literal("outbox", "plivo")("SMS_PROVIDER").pipe(Config.withDefault("outbox" as const)),
    email: Config.literal("outbox", "ses")("EMAIL_PROVIDER").pipe(Config.withDefault("outbox" as const))
  }))
  const none = Either.right(Option.none())
  const plivo = Either.isRight(providers) && providers.right.sms === "plivo"
    ? Either.map(yield* Effect.either(plivoConfig), Option.some)
    : none
  const ses = Either.isRight(providers) && providers.right.email === "ses"
    ? Either.map(yield* Effect.either(sesConfig), Option.some)
    : none
  const telemetry = yield* Effect.either(TelemetryConfig.config)
  const townSmsMonthlyBudget = yield* Effect.either(
    Config.map(MairieSettings.config, (mairie) => mairie.defaultMonthlySmsSegments)
  )
  return { server, database, plivo, ses, telemetry, townSmsMonthlyBudget }
})

/** The site's address by `serve`'s rule (required in production), for the commands that only need it. */
export const publicUrl: Effect.Effect<URL, InvalidConfiguration> = config.pipe(
  Effect.map((server) => server.publicUrl),
  Effect.mapError((error) => new InvalidConfiguration({ lines: describeConfigError(error) }))
)

/** The worker command's configuration: what it shares with `serve`, read by the same rules. */
export const workerStartup: Effect.Effect<WorkerStartup, InvalidConfiguration> = Effect.gen(function*() {
  const { database, plivo, server, ses, telemetry, townSmsMonthlyBudget } = yield* shared
  const delivery = yield* Effect.either(DeliveryWorker.config)
  return yield* collect({ server, database, plivo, ses, delivery, telemetry, townSmsMonthlyBudget })
})

/**
 * Reads and checks the whole configuration at once (PORT, DATABASE_URL, VIGIE_DATA_DIR, PUBLIC_URL,
 * SMS_PROVIDER and PLIVO_* when it is plivo, EMAIL_PROVIDER and AWS_REGION, SES_ENDPOINT, EMAIL_FROM
 * when it is ses, BLOB_STORE and S3_* when it is s3, VIGIE_ENV, VIGIE_SECRET_KEY, the limits, the trust policy, the workers, the
 * retention job, the town alerts' figures and the telemetry: OTEL_*, METRICS_*, LOG_*), so that every problem is reported together, one line
 * per variable, before anything starts.
 */
export const startup: Effect.Effect<Startup, InvalidConfiguration> = Effect.gen(function*() {
  const { database, plivo, server, ses, telemetry, townSmsMonthlyBudget } = yield* shared
  const secrets = yield* Effect.either(NodeSecrets.config)
  const edge = yield* Effect.either(EdgeConfig.config)
  // Set but empty (a compose file's `${PLIVO_AUTH_TOKEN:-}`): webhook signatures would be keyed on "".
  const plivoToken = yield* Effect.either(checked(
    Config.option(Config.string("PLIVO_AUTH_TOKEN")),
    "PLIVO_AUTH_TOKEN",
    noneOr((token: string) => token.trim() !== ""),
    "is empty: set Plivo's auth token, or leave the variable unset"
  ))
  const verificationSms = yield* Effect.either(SmsLimitsConfig.config)
  const delivery = yield* Effect.either(DeliveryWorker.config)
  const trust = yield* Effect.either(TrustConfig.config)
  const inbox = yield* Effect.either(InboxWorker.config)
  const retention = yield* Effect.either(RetentionConfig.config)
  const mairie = yield* Effect.either(MairieSettings.config)
  const blobStore = yield* Effect.either(
    Config.literal("fs", "s3")("BLOB_STORE").pipe(Config.withDefault("fs" as const))
  )
  const s3 = Either.isRight(blobStore) && blobStore.right === "s3"
    ? Either.map(yield* Effect.either(S3BlobStore.config), Option.some)
    : Either.right(Option.none())
  const read = yield* collect({
    server,
    database,
    secrets,
    plivo,
    ses,
    edge,
    plivoToken,
    verificationSms,
    delivery,
    trust,
    inbox,
    retention,
    mairie,
    telemetry,
    townSmsMonthlyBudget,
    s3
  })
  const { plivoToken: _, ...values } = read
  return { ...values, mairie: { ...read.mairie, smsRatePerSecond: read.delivery.sms.ratePerSecond } }
})
