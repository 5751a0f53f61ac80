import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { ProposalRpcs } from "@vigie/domain/proposals/ProposalRpcs"
import * as ProposalsService from "@vigie/domain/proposals/Proposals"
import { Proposals } from "@vigie/domain/proposals/Proposals"
import * as Registration from "@vigie/domain/registration/Registration"
import { Effect, Layer, Option } from "effect"

const handlers = ProposalRpcs.toLayer(Effect.gen(function*() {
  const proposals = yield* Proposals
  const acting = <A, E, R>(f: (actor: typeof CurrentActor.Service) => Effect.Effect<A, E, R>) =>
    Effect.flatMap(CurrentActor, f)
  return {
    ProposeCommunity: (input) => acting((actor) => proposals.propose(actor, input)),
    RegisterWithProposal: (input) => proposals.registerWithProposal(input),
    ListMyProposals: () => acting((actor) => proposals.listMine(actor)),
    WithdrawProposal: ({ proposalId }) => acting((actor) => proposals.withdraw(actor, proposalId)),
    ListProposals: ({ insee }) => acting((actor) => proposals.list(actor, Option.fromNullable(insee))),
    AcceptProposal: ({ name, perimeter, proposalId }) =>
      acting((actor) =>
        proposals.accept(actor, proposalId, { name: Option.fromNullable(name),
          perimeter: Option.fromNullable(perimeter) })
      ),
    RefuseProposal: ({ proposalId, reason }) => acting((actor) => proposals.refuse(actor, proposalId, reason))
  }
}))

/** Handlers of the quartier proposals' RPCs (ProposalRpcs), with their use case and its sign-up. */
export const layer = handlers.pipe(
  Layer.provide(ProposalsService.layer.pipe(Layer.provide(Registration.layer)))
)
