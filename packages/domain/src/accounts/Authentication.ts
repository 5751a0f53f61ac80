import { RpcMiddleware } from "@effect/rpc"
import { CurrentActor } from "./CurrentActor.js"
import { SecondFactorEnrolmentRequired } from "./SecondFactorErrors.js"

/**
 * Resolves the session cookie of each RPC call into the CurrentActor (Anonymous when there is no
 * live session). It refuses one thing itself: any call but the enrolment ones from a staff account
 * that has not enrolled its second factor yet (SecondFactorEnrolmentRequired). Otherwise each use
 * case decides what an actor may do.
 */
export class Authentication extends RpcMiddleware.Tag<Authentication>()("@vigie/domain/Authentication", {
  provides: CurrentActor,
  failure: SecondFactorEnrolmentRequired
}) {}
