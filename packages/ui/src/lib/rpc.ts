import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { RpcClient, RpcSerialization } from "@effect/rpc"
import type { RpcClientError } from "@effect/rpc/RpcClientError"
import type { RpcGroup } from "@effect/rpc"
import { SessionRpcs } from "@vigie/domain/accounts/SessionRpcs"
import { LifecycleRpcs } from "@vigie/domain/accounts/LifecycleRpcs"
import { SecondFactorRpcs } from "@vigie/domain/accounts/SecondFactorRpcs"
import { AlertRpcs } from "@vigie/domain/alerts/AlertRpcs"
import { AlertReactionRpcs } from "@vigie/domain/alerts/AlertReactionRpcs"
import { MairieRpcs } from "@vigie/domain/mairie/MairieRpcs"
import { ModerationRpcs } from "@vigie/domain/moderation/ModerationRpcs"
import { RegistrationRpcs } from "@vigie/domain/registration/RegistrationRpcs"
import { JoiningRpcs } from "@vigie/domain/registration/JoiningRpcs"
import { PaperRegistrationRpcs } from "@vigie/domain/registration/PaperRegistrationRpcs"
import { PreferencesRpcs } from "@vigie/domain/delivery/PreferencesRpcs"
import { ActivationRpcs } from "@vigie/domain/verification/ActivationRpcs"
import { PhoneRpcs } from "@vigie/domain/verification/PhoneRpcs"
import { PersonalDataRpcs } from "@vigie/domain/accounts/PersonalDataRpcs"
import { AdministrationRpcs } from "@vigie/domain/administration/AdministrationRpcs"
import { ProposalRpcs } from "@vigie/domain/proposals/ProposalRpcs"
import { GazettePreferencesRpcs } from "@vigie/domain/gazette/GazettePreferencesRpcs"
import { MediaRpcs } from "@vigie/domain/gazette/MediaRpcs"
import { GazetteModerationRpcs } from "@vigie/domain/gazette/GazetteModerationRpcs"
import { GazetteRpcs } from "@vigie/domain/gazette/GazetteRpcs"
import { GazetteSocialRpcs } from "@vigie/domain/gazette/GazetteSocialRpcs"
import { DirectoryRpcs } from "@vigie/domain/directory/DirectoryRpcs"
import { MessagingRpcs } from "@vigie/domain/messaging/MessagingRpcs"
import { VeilleRpcs } from "@vigie/domain/checkin/VeilleRpcs"
import { Context, Layer } from "effect"

/** Every RPC group the web app calls: the domain's contracts, merged as the server merges them. */
export const VigieRpcs = RegistrationRpcs.merge(
  SessionRpcs,
  ActivationRpcs,
  PhoneRpcs,
  PreferencesRpcs,
  AlertRpcs,
  MairieRpcs,
  AlertReactionRpcs,
  ModerationRpcs,
  PersonalDataRpcs,
  LifecycleRpcs,
  SecondFactorRpcs,
  JoiningRpcs,
  AdministrationRpcs,
  PaperRegistrationRpcs,
  ProposalRpcs,
  GazettePreferencesRpcs,
  MediaRpcs,
  GazetteRpcs,
  GazetteSocialRpcs,
  GazetteModerationRpcs,
  DirectoryRpcs,
  MessagingRpcs,
  VeilleRpcs
)
export type VigieRpc = RpcGroup.Rpcs<typeof VigieRpcs>

/** The header the server's CSRF gate requires on every RPC call (packages/app/src/http/RpcGate.ts). */
export const RPC_HEADER = "x-vigie-rpc"

/** The typed RPC client of the whole platform. */
export class Vigie extends Context.Tag("@vigie/ui/Vigie")<Vigie, RpcClient.RpcClient<VigieRpc, RpcClientError>>() {}

/**
 * The client over HTTP + NDJSON on POST `url` (the page's own origin in the browser, so the Origin
 * check passes), with the CSRF header and the session cookie (credentials: same-origin).
 */
export const layerHttp = (url = "/rpc") =>
  Layer.scoped(Vigie, RpcClient.make(VigieRpcs)).pipe(
    Layer.provide(
      RpcClient.layerProtocolHttp({
        url,
        // A refusal of the whole request (403, 413, 429 with Retry-After) fails its calls at once,
        // with the response as the cause (lib/errors.ts shows the 429 in French). The protocol wraps
        // every error of the client in an RpcClientError, so the widened error type does not escape.
        transformClient: (client) =>
          HttpClient.filterStatusOk(
            client.pipe(HttpClient.mapRequest(HttpClientRequest.setHeader(RPC_HEADER, "1")))
          ) as typeof client
      })
    ),
    Layer.provide(RpcSerialization.layerNdjson),
    Layer.provide(FetchHttpClient.layer),
    Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, { credentials: "same-origin" }))
  )
