import { Config, ConfigError, Either, Option } from "effect"

export type VigieEnv = "development" | "production"

/** What the HTTP server and the composition root read from the environment. */
export interface ServerConfig {
  readonly port: number
  /** The site's own origin: RPC calls must come from it (CSRF), cookies are Secure when it is https. */
  readonly publicUrl: URL
  readonly env: VigieEnv
  readonly smsProvider: "outbox" | "plivo"
  readonly emailProvider: "outbox" | "ses"
  readonly dataDir: string
}

/**
 * PORT (default 3000), PUBLIC_URL (required in production; http://localhost:PORT otherwise),
 * VIGIE_ENV (development | production, default development), SMS_PROVIDER (outbox | plivo) and
 * EMAIL_PROVIDER (outbox | ses), both default outbox, VIGIE_DATA_DIR (default .data). The providers'
 * own variables (PLIVO_*, AWS_REGION, SES_ENDPOINT, EMAIL_FROM) are read by their adapters.
 */
export const config: Config.Config<ServerConfig> = Config.all({
  port: Config.port("PORT").pipe(Config.withDefault(3000)),
  env: Config.literal("development", "production")("VIGIE_ENV").pipe(Config.withDefault("development" as const)),
  publicUrl: Config.option(Config.url("PUBLIC_URL")),
  smsProvider: Config.literal("outbox", "plivo")("SMS_PROVIDER").pipe(Config.withDefault("outbox" as const)),
  emailProvider: Config.literal("outbox", "ses")("EMAIL_PROVIDER").pipe(Config.withDefault("outbox" as const)),
  dataDir: Config.string("VIGIE_DATA_DIR").pipe(Config.withDefault(".data"))
}).pipe(
  Config.mapOrFail(({ publicUrl, ...rest }): Either.Either<ServerConfig, ConfigError.ConfigError> => {
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
    case "InvalidData":
    case "SourceUnavailable":
    case "Unsupported":
      return [`${error.path.join(".") || "(configuration)"}: ${error.message}`]
  }
}
