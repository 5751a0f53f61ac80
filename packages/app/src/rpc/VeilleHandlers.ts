import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { VeilleRpcs } from "@vigie/domain/checkin/VeilleRpcs"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { Effect, Option } from "effect"

export const layer = VeilleRpcs.toLayer(Effect.gen(function*() {
  const veilles = yield* Veilles
  return {
    SetupVeille: (setup) => Effect.flatMap(CurrentActor, (actor) => veilles.setup(actor, setup)),
    GetVeille: ({ person }) =>
      Effect.flatMap(CurrentActor, (actor) => veilles.view(actor, Option.fromNullable(person))),
    ListPaperNeighbours: () => Effect.flatMap(CurrentActor, veilles.paperNeighbours),
    ListVeilleurCandidates: ({ person }) =>
      Effect.flatMap(CurrentActor, (actor) => veilles.candidates(actor, Option.fromNullable(person))),
    ListWatched: () => Effect.flatMap(CurrentActor, veilles.watched),
    AnswerVeilleInvitation: ({ accept, veilleId }) =>
      Effect.flatMap(CurrentActor, (actor) => veilles.answerInvitation(actor, veilleId, accept)),
    SetVeilleAbsence: ({ from, to, veilleId }) =>
      Effect.flatMap(CurrentActor, (actor) => veilles.setAbsence(actor, veilleId, from, to)),
    StopVeille: ({ veilleId }) => Effect.flatMap(CurrentActor, (actor) => veilles.stop(actor, veilleId)),
    RespondToVeille: ({ answer, veilleId }) =>
      Effect.flatMap(CurrentActor, (actor) => veilles.respond(actor, veilleId, answer)),
    GetVeilleHistory: ({ veilleId }) => Effect.flatMap(CurrentActor, (actor) => veilles.history(actor, veilleId)),
    GetVeilleCounts: ({ insee }) => Effect.flatMap(CurrentActor, (actor) => veilles.counts(actor, insee)),
    SetCcasContact: ({ email, insee }) => Effect.flatMap(CurrentActor, (actor) => veilles.setCcas(actor, insee, email))
  }
}))
