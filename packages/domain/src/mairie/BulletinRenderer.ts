import { Effect, Schema } from "effect"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { loadingTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"
import { BulletinId } from "./ReferentBulletin.js"
import type { ReferentBulletin } from "./ReferentBulletin.js"
import { ReferentBulletinRepo } from "./ReferentBulletinRepo.js"

/** The kind of the messages of a bulletin from the mairie or the police to référents. */
export const BULLETIN_MESSAGE = "bulletin"

/** How the texts of a bulletin's message are written. */
export interface BulletinTextsSpec {
  readonly sms: (bulletin: ReferentBulletin, delivery: ClaimedDelivery) => string
  readonly email: (bulletin: ReferentBulletin, delivery: ClaimedDelivery) => EmailContent
}

const isBulletinId = Schema.is(BulletinId)

/** The mairie's texts for the delivery engine: the bulletins of a claim are read in one query. */
export const bulletinRenderers = (
  spec: BulletinTextsSpec
): Effect.Effect<MessageRenderers, never, ReferentBulletinRepo> =>
  Effect.map(ReferentBulletinRepo, (repo) => ({
    [BULLETIN_MESSAGE]: loadingTexts<ReferentBulletin>({
      load: (ids) =>
        Effect.map(repo.findByIds(ids.filter(isBulletinId)), (found) => new Map(found.map((b) => [b.id as string, b]))),
      missing: (delivery) => `delivery ${delivery.id}: its bulletin is missing`,
      sms: spec.sms,
      email: spec.email
    })
  }))
