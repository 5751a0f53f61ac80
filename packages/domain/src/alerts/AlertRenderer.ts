import { Effect, Option, Schema } from "effect"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { loadingTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"
import { AlertId } from "./Alert.js"
import { AlertRepo } from "./AlertRepo.js"
import type { AlertMessageFacts } from "./AlertRepo.js"

/**
 * The kinds of messages about an alert: the alert itself, the short "another neighbour confirms"
 * (about the original alert), and the closing note once it is resolved or retracted.
 */
export const AlertMessageKind = Schema.Literal("alert", "followup", "closing")
export type AlertMessageKind = typeof AlertMessageKind.Type

/** How the texts of one message about an alert are written, from the alert's facts and the kind. */
export interface AlertTextsSpec {
  readonly sms: (alert: AlertMessageFacts, kind: AlertMessageKind, delivery: ClaimedDelivery) => string
  readonly email: (alert: AlertMessageFacts, kind: AlertMessageKind, delivery: ClaimedDelivery) => EmailContent
}

const kindOf = (delivery: ClaimedDelivery): AlertMessageKind =>
  Option.getOrThrowWith(
    Schema.decodeUnknownOption(AlertMessageKind)(delivery.subject.kind),
    () => new Error(`delivery ${delivery.id}: a ${delivery.subject.kind} is not an alert`)
  )

const isAlertId = Schema.is(AlertId)

/**
 * The alerts context's texts for the delivery engine, one per kind of `AlertMessageKind`: the alerts
 * of a claim are read in one query (AlertRepo.messageFacts), as they stand when it is claimed.
 */
export const alertRenderers = (spec: AlertTextsSpec): Effect.Effect<MessageRenderers, never, AlertRepo> =>
  Effect.map(AlertRepo, (repo) => {
    const texts = loadingTexts<AlertMessageFacts>({
      load: (ids) =>
        Effect.map(repo.messageFacts(ids.filter(isAlertId)), (found) => new Map(found.map((a) => [a.id as string, a]))),
      missing: (delivery) => `delivery ${delivery.id}: its alert is missing`,
      sms: (alert, delivery) => spec.sms(alert, kindOf(delivery), delivery),
      email: (alert, delivery) => spec.email(alert, kindOf(delivery), delivery)
    })
    return { alert: texts, followup: texts, closing: texts }
  })
