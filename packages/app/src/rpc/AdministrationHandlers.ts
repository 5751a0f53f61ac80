import { AdministrationRpcs } from "@vigie/domain/administration/AdministrationRpcs"
import * as PlatformAdministrationService from "@vigie/domain/administration/PlatformAdministration"
import { PlatformAdministration } from "@vigie/domain/administration/PlatformAdministration"
import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { Effect, Layer, Option } from "effect"

const handlers = AdministrationRpcs.toLayer(Effect.gen(function*() {
  const admin = yield* PlatformAdministration
  return {
    SearchOfficialCommunes: ({ query }) => Effect.flatMap(CurrentActor, (actor) => admin.searchCommunes(actor, query)),
    ActivateVigilantCommune: ({ insee }) =>
      Effect.flatMap(CurrentActor, (actor) => admin.activateCommune(actor, insee)),
    ListVigilantCommunes: () => Effect.flatMap(CurrentActor, (actor) => admin.listVigilantCommunes(actor)),
    InviteCommuneStaff: (request) => Effect.flatMap(CurrentActor, (actor) => admin.inviteStaff(actor, request)),
    ListStaffRoles: ({ insee }) =>
      Effect.flatMap(CurrentActor, (actor) => admin.listStaff(actor, Option.fromNullable(insee))),
    RevokeStaffRole: ({ accountId, role }) =>
      Effect.flatMap(CurrentActor, (actor) => admin.revokeStaffRole(actor, accountId, role)),
    GetPoliceContact: ({ insee }) => Effect.flatMap(CurrentActor, (actor) => admin.getPoliceContact(actor, insee)),
    SetPoliceContact: ({ contact, insee }) =>
      Effect.flatMap(CurrentActor, (actor) => admin.setPoliceContact(actor, insee, contact))
  }
}))

/**
 * Handlers of the platform administration's RPCs (AdministrationRpcs), with their use case. It invites
 * staff as the `staff add` command does (StaffAccounts) and writes links with PublicUrl.
 */
export const layer = handlers.pipe(Layer.provide(PlatformAdministrationService.layer))
