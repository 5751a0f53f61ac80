import { RpcMiddleware } from "@effect/rpc"
import { CurrentActor } from "./CurrentActor.js"

/**
 * Resolves the session cookie of each RPC call into the CurrentActor (Anonymous when there is no
 * live session). It never refuses a call itself: each use case decides what an actor may do.
 */
export class Authentication extends RpcMiddleware.Tag<Authentication>()("@vigie/domain/Authentication", {
  provides: CurrentActor
}) {}
