import type { Me } from "@vigie/domain/accounts/Me"
import { isModerator } from "@vigie/domain/accounts/Account"
import type { AuditAction, AuditTargetKind } from "@vigie/domain/moderation/AuditEntry"
import { hideReasonLabel, HideReason } from "@vigie/domain/moderation/HideReason"
import type { AppealStatus, FlagStatus, PersonRef, QueueItemKind } from "@vigie/domain/moderation/ModeratedAlert"
import type { FlaggedSpan, SensitiveKind } from "@vigie/domain/trust/SensitiveDescriptors"
import type { HoldReason } from "@vigie/domain/trust/TrustPolicy"
import type { CommunityId } from "@vigie/domain/communities/Community"

/** Whether the logged-in account is platform moderation staff (Moderator or Admin). */
export const isModeratorMe = (me: Me): boolean => isModerator(me.account.staffRoles)

/** The communities where I am a verified référent. */
export const referentOf = (me: Me): ReadonlyArray<{ readonly id: CommunityId; readonly name: string }> =>
  me.memberships
    .filter((m) => m.membership.role === "referent" && m.membership.status === "verified")
    .map((m) => ({ id: m.community.id, name: m.community.name }))

/** The reasons in the order the lists show them. */
export const HIDE_REASONS: ReadonlyArray<HideReason> = HideReason.literals

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** "Description discriminatoire ou au faciès": the domain's label (the same as in the SMS), capitalised. */
export const reasonLabel = (reason: HideReason): string => capitalize(hideReasonLabel[reason])

/** A hint under each reason, so that a member flagging an alert picks the right one. */
export const reasonHints: Record<HideReason, string> = {
  profiling: "désigne des personnes par leur origine, leur couleur de peau, leur religion ou leur santé",
  personal_data: "nom, adresse, plaque ou téléphone d'une personne, photo",
  false_or_unverifiable: "les faits semblent inventés ou impossibles à vérifier",
  off_topic: "rien à voir avec la vigilance du quartier (publicité, opinion…)",
  insulting: "insultes, moqueries, menaces",
  duplicate: "la même chose a déjà été signalée",
  other: "précisez en quelques mots"
}

/** Why the trust policy held an alert, as moderators read it. */
export const holdReasonLabels: Record<HoldReason, string> = {
  new_member: "Nouveau membre (premières alertes)",
  sensitive_descriptors: "Description sensible des personnes",
  member_burst: "Beaucoup d'alertes de ce membre en peu de temps",
  community_burst: "Beaucoup d'alertes dans ce quartier en peu de temps"
}

/** The same reasons, told to the author in plain French. */
export const holdReasonForAuthor: Record<HoldReason, string> = {
  new_member: "les premières alertes d'un nouveau membre sont relues par un modérateur avant de partir",
  sensitive_descriptors:
    "votre message décrit des personnes par leur origine, leur couleur de peau, leur religion ou leur santé, ou sans dire ce qu'elles font",
  member_burst: "vous avez envoyé plusieurs alertes en peu de temps",
  community_burst: "beaucoup d'alertes ont été envoyées dans votre quartier en peu de temps"
}

/** Why a stretch of text is highlighted (the same words as the warning before posting). */
export const kindLabels: Record<SensitiveKind, string> = {
  origin: "origine",
  skin_colour: "couleur de peau",
  religion: "religion",
  health: "santé ou handicap",
  person_without_behaviour: "personne décrite sans dire ce qu'elle fait"
}

export const queueSectionLabels: Record<QueueItemKind, string> = {
  held: "Alertes retenues",
  unreviewed: "Alertes publiées à relire",
  flagged: "Signalements des membres",
  appeal: "Contestations"
}

export const auditActionLabels: Record<AuditAction, string> = {
  approve: "Alerte approuvée",
  mark_reviewed: "Alerte relue",
  hide: "Alerte masquée",
  hide_pending: "Masquée par un référent (en attente)",
  confirm_hide: "Masquage confirmé",
  restore: "Alerte rétablie",
  dismiss_flags: "Signalements classés",
  warn: "Avertissement",
  suspend: "Compte suspendu",
  lift_suspension: "Suspension levée",
  ban: "Exclusion d'un quartier",
  lift_ban: "Exclusion levée",
  appeal_restore: "Contestation acceptée (rétablie)",
  appeal_uphold: "Contestation refusée (reste masquée)",
  read_reported_message: "Message signalé lu (avec son contexte)",
  close_message_report: "Signalement de message classé"
}

export const targetKindLabels: Record<AuditTargetKind, string> = {
  alert: "alerte",
  account: "compte",
  membership: "inscription",
  appeal: "contestation",
  gazette_post: "publication de la Gazette",
  gazette_comment: "commentaire de la Gazette",
  message_report: "message signalé"
}

export const flagStatusLabels: Record<FlagStatus, string> = {
  open: "en attente",
  dismissed: "classé",
  upheld: "retenu (alerte masquée)"
}

export const appealStatusLabels: Record<AppealStatus, string> = {
  pending: "en attente d'un autre modérateur",
  restored: "acceptée : alerte rétablie",
  upheld: "refusée : l'alerte reste masquée"
}

export const roleLabels = { moderator: "modérateur", referent: "référent" } as const

export const personName = (p: PersonRef): string => `${p.firstName} ${p.lastName}`

/** "moins d'une minute", "12 minutes", "3 h 05", "2 jours". */
export const formatWaiting = (seconds: number): string => {
  if (seconds < 60) return "moins d'une minute"
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} minute${minutes > 1 ? "s" : ""}`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")}`
  const days = Math.floor(hours / 24)
  return `${days} jours`
}

/** The text cut into plain parts and flagged parts (spans sorted, overlaps merged into the first). */
export const segments = (text: string, spans: ReadonlyArray<FlaggedSpan>) => {
  const parts: Array<{ readonly text: string; readonly span?: FlaggedSpan }> = []
  let at = 0
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    if (span.end <= at) continue
    const start = Math.max(span.start, at)
    if (start > at) parts.push({ text: text.slice(at, start) })
    parts.push({ text: text.slice(start, span.end), span })
    at = span.end
  }
  if (at < text.length) parts.push({ text: text.slice(at) })
  return parts
}
