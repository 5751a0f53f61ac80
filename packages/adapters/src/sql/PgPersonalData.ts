import { SqlClient } from "@effect/sql"
import type { Row } from "@effect/sql/SqlConnection"
import { CommunityId } from "@vigie/domain/communities/Community"
import { TOMBSTONE_NAMES } from "@vigie/domain/accounts/ErasedAccount"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import type { PersonalDataFile } from "@vigie/domain/accounts/PersonalDataRepo"
import { DateTime, Effect, Layer, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

/** What an erased membership's address becomes (the columns are NOT NULL and checked). */
export const ERASED_ADDRESS = { line1: "—", postcode: "00000", city: "—" } as const

const PersonRow = Schema.Struct({
  first_name: Schema.String,
  last_name: Schema.String,
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String)
})

/**
 * The export reads each table with the member's id and names only the columns that are about them:
 * no other account's id (reviewers, hiders, vouchers, authors of bulletins stay out), no secrets
 * (password and code hashes, session tokens).
 *
 * The erasure, in the caller's transaction. Every table that holds personal data has its statement
 * here (a new one adds its own DELETE to `erase`, and its columns to the export): known browsers,
 * the ledger of verification SMS, password resets, e-mail changes (the pending new address is
 * exported), quotas, the second factor and recovery codes, sign-in challenges, invitations.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const collect = (accountId: string, loginKey: Uint8Array) =>
    Effect.gen(function*() {
      const file = (name: string, rows: ReadonlyArray<Row>): PersonalDataFile => ({ name, content: rows })
      const account = yield* sql`
SELECT a.id, a.first_name, a.last_name, a.email, a.phone, a.phone_verified, a.status, a.created_at, a.last_active_at,
  a.inactivity_warned_at, a.password_hash IS NOT NULL AS has_password,
  coalesce((SELECT json_agg(json_build_object('role', r.role, 'insee', r.insee)) FROM staff_roles r WHERE r.account_id = a.id), '[]') AS staff_roles
FROM accounts a WHERE a.id = ${accountId}`
      const memberships = yield* sql`
SELECT c.name AS community, c.insee, m.role, m.status, m.left_reason, m.home, m.address_line1, m.address_line2, m.postcode, m.city,
  m.lon, m.lat, m.created_at, m.verified_at,
  coalesce((SELECT json_agg(json_build_object('method', v.method, 'status', v.status, 'created_at', v.created_at,
    'expires_at', v.expires_at) ORDER BY v.created_at) FROM address_verifications v WHERE v.membership_id = m.id), '[]') AS verifications,
  (SELECT json_build_object('recorded_at', p.recorded_at,
    'recorded_by', CASE (SELECT v.method FROM address_verifications v
      WHERE v.membership_id = m.id AND v.vouched_by = p.recorded_by ORDER BY v.created_at LIMIT 1)
      WHEN 'mairie_vouch' THEN 'mairie_agent' WHEN 'referent_vouch' THEN 'referent' END,
    'consent', p.consent, 'phone_kind', p.phone_kind, 'claimed_at', p.claimed_at)
   FROM paper_registrations p WHERE p.membership_id = m.id) AS paper_registration
FROM memberships m JOIN communities c ON c.id = m.community_id
WHERE m.account_id = ${accountId} ORDER BY m.created_at`
      const alerts = yield* sql`
SELECT al.id, c.name AS community, al.insee, al.origin, al.category, al.urgency, al.text, al.place,
  al.shared_with_authorities, al.status, al.created_at, al.closed_at, al.hold_reasons, am.hidden_reason,
  am.hidden_details, am.hidden_at
FROM alerts al LEFT JOIN communities c ON c.id = al.community_id LEFT JOIN alert_moderation am ON am.alert_id = al.id
WHERE al.author_id = ${accountId} ORDER BY al.created_at`
      const reactions = yield* sql`
SELECT alert_id, kind, created_at FROM alert_reactions WHERE account_id = ${accountId} ORDER BY created_at`
      const preferences = yield* sql`
SELECT sms, email, quiet_start, quiet_end, updated_at FROM notification_preferences WHERE account_id = ${accountId}`
      const gazettePreferences = yield* sql`
SELECT communication, perdu_trouve, entraide, annonce, covoiturage, evenement, vie_du_quartier, compte_rendu,
  mairie_sms, updated_at FROM gazette_preferences WHERE account_id = ${accountId}`
      const deliveries = yield* sql`
SELECT m.kind AS message_kind, d.alert_id, d.channel, d.destination, d.status, d.attempts, d.created_at, d.updated_at,
  CASE WHEN m.kind IN ('notice', 'community_notice', 'proposal_notice', 'gazette_notice', 'gazette_activity',
    'veille_notice') THEN m.body END AS notice_text
FROM deliveries d JOIN messages m ON m.id = d.message_id
WHERE d.account_id = ${accountId} ORDER BY d.created_at, d.id`
      const sessions = yield* sql`
SELECT created_at, last_seen_at, expires_at FROM sessions WHERE account_id = ${accountId} ORDER BY created_at`
      const loginFailures = yield* sql`
SELECT failures, last_failure_at FROM login_failures WHERE login_key = ${loginKey}`
      const flags = yield* sql`
SELECT alert_id, reason, text, status, created_at, closed_at FROM moderation_flags WHERE flagged_by = ${accountId} ORDER BY created_at`
      const appeals = yield* sql`
SELECT alert_id, text, status, created_at, decided_at, decision_reason FROM moderation_appeals WHERE author_id = ${accountId} ORDER BY created_at`
      const gazetteFlags = yield* sql`
SELECT post_id, comment_id, reason, text, status, created_at, closed_at FROM gazette_flags
WHERE flagged_by = ${accountId} ORDER BY created_at, id`
      const gazetteAppeals = yield* sql`
SELECT post_id, comment_id, text, status, created_at, decided_at, decision_reason FROM gazette_appeals
WHERE author_id = ${accountId} ORDER BY created_at, id`
      const decisions = yield* sql`
SELECT at, action, target_kind, alert_id, reason FROM moderation_audit WHERE account_id = ${accountId} ORDER BY at`
      const phoneChecks = yield* sql`
SELECT phone, status, created_at, expires_at FROM phone_verifications WHERE account_id = ${accountId} ORDER BY created_at`
      const phone = (account[0]?.["phone"] ?? null) as string | null
      const inbound = phone === null ? [] : yield* sql`
SELECT received_at, text, outcome, reply_text, reply_status FROM inbound_sms
WHERE sender = ${phone} AND anonymised_at IS NULL ORDER BY seq`
      const bulletins = yield* sql`
SELECT b.text, b.origin, i.created_at, i.read_at FROM referent_inbox i JOIN referent_bulletins b ON b.id = i.bulletin_id
WHERE i.account_id = ${accountId} ORDER BY i.created_at`
      const letters = yield* sql`
SELECT p.created_at, p.expires_at, p.address FROM postal_outbox p JOIN accounts a ON a.id = ${accountId}
WHERE p.recipient_name = a.first_name || ' ' || a.last_name
  AND EXISTS (SELECT 1 FROM memberships m WHERE m.account_id = a.id AND p.address->>'line1' = m.address_line1 AND p.address->>'postcode' = m.postcode)
ORDER BY p.created_at`
      const devices = yield* sql`
SELECT created_at, last_used_at FROM login_devices WHERE account_id = ${accountId} ORDER BY created_at`
      const resets = yield* sql`
SELECT channel, status, created_at, expires_at, used_at FROM password_resets WHERE account_id = ${accountId} ORDER BY created_at`
      const emailChanges = yield* sql`
SELECT new_email, status, created_at, expires_at, used_at FROM email_changes WHERE account_id = ${accountId} ORDER BY created_at`
      const verificationSms = yield* sql`
SELECT purpose, created_at FROM verification_sms WHERE account_id = ${accountId} ORDER BY created_at`
      const secondFactor = yield* sql`
SELECT f.enrolled_at, f.failures, f.last_failure_at,
  (SELECT count(*)::int FROM recovery_codes r WHERE r.account_id = f.account_id AND r.used_at IS NULL) AS recovery_codes_left
FROM second_factors f WHERE f.account_id = ${accountId}`
      const invitations = yield* sql`
SELECT created_at, expires_at, used_at FROM staff_invitations WHERE account_id = ${accountId} ORDER BY created_at`
      const proposals = yield* sql`
SELECT p.insee, p.name, p.reason, p.perimeter, p.address_line1, p.address_line2, p.postcode, p.city, p.status,
  p.refusal_reason, c.name AS quartier_ouvert, p.created_at, p.decided_at
FROM community_proposals p LEFT JOIN communities c ON c.id = p.community_id
WHERE p.requester_id = ${accountId} ORDER BY p.created_at`
      const gazettePosts = yield* sql`
SELECT p.id, p.kind, c.name AS quartier, p.title, p.body, p.details, p.status, p.state, p.outcome, p.created_at,
  p.expires_at, p.closed_at, p.withdrawn_at,
  (SELECT coalesce(array_agg(ph.upload_id ORDER BY ph.position), '{}') FROM gazette_post_photos ph
    WHERE ph.post_id = p.id) AS photos
FROM gazette_posts p LEFT JOIN communities c ON c.id = p.community_id
WHERE p.author_id = ${accountId} ORDER BY p.created_at, p.id`
      const gazetteComments = yield* sql`
SELECT post_id, parent_id, body, status, created_at, deleted_at FROM gazette_comments
WHERE author_id = ${accountId} ORDER BY created_at, id`
      const gazetteThanks = yield* sql`
SELECT post_id, created_at FROM gazette_thanks WHERE account_id = ${accountId} ORDER BY created_at, post_id`
      const gazetteAnswers = yield* sql`
SELECT post_id, answer, answered_at FROM gazette_event_answers WHERE account_id = ${accountId}
ORDER BY answered_at, post_id`
      // The annuaire: my profile as saved (its photo by upload id), and the members I blocked, named as I
      // saw them (never their account id).
      const profile = yield* sql`
SELECT listed AS dans_l_annuaire, name_style, photo_id, presentation, interests, interests_other, skills, skills_other,
  languages, visibility, updated_at FROM member_profiles WHERE account_id = ${accountId}`
      const blocks = yield* sql`
SELECT CASE WHEN a.status = 'erased' THEN 'Ancien membre'
  ELSE a.first_name || ' ' || upper(left(a.last_name, 1)) || '.' END AS membre, b.created_at AS depuis
FROM member_blocks b JOIN accounts a ON a.id = b.blocked_id
WHERE b.blocker_id = ${accountId} ORDER BY b.created_at, b.blocked_id`
      // La veille bienveillante: my own veille (schedule, channel, consent, veilleurs by display name,
      // absences, every recorded step), and the veilles I watch as veilleur (the person's name, my role).
      const veille = yield* sql`
SELECT v.days AS jours, v.local_time AS heure, v.channel AS canal, v.phone AS telephone,
  v.shared_address AS adresse_partagee, v.status AS statut, v.consent_method AS consentement,
  v.consent_at AS consentement_le, v.consent_by = v.person_id AS consentement_par_moi, v.created_at AS creee_le,
  v.stopped_at AS arretee_le,
  coalesce((SELECT json_agg(json_build_object(
      'veilleur', CASE WHEN a.status = 'erased' THEN 'Ancien membre'
        ELSE a.first_name || ' ' || upper(left(a.last_name, 1)) || '.' END,
      'statut', w.status, 'invite_le', w.invited_at, 'repondu_le', w.answered_at) ORDER BY w.invited_at, a.first_name)
    FROM veilleurs w JOIN accounts a ON a.id = w.account_id WHERE w.veille_id = v.id), '[]') AS veilleurs,
  coalesce((SELECT json_agg(json_build_object('du', b.from_day, 'au', b.to_day, 'le', b.created_at)
    ORDER BY b.from_day, b.created_at) FROM veille_absences b WHERE b.veille_id = v.id), '[]') AS absences,
  coalesce((SELECT json_agg(json_build_object('le', e.at, 'etape', e.kind,
      'par', CASE WHEN e.actor_id IS NULL THEN e.actor_label WHEN e.actor_id = v.person_id THEN 'moi'
        WHEN x.status = 'erased' THEN 'Ancien membre' ELSE x.first_name || ' ' || upper(left(x.last_name, 1)) || '.' END,
      'texte', e.text) ORDER BY e.at, e.id)
    FROM veille_events e LEFT JOIN accounts x ON x.id = e.actor_id WHERE e.veille_id = v.id), '[]') AS historique
FROM veilles v WHERE v.person_id = ${accountId}`
      const watching = yield* sql`
SELECT p.first_name || ' ' || p.last_name AS personne, w.status AS mon_role, w.invited_at AS invite_le,
  w.answered_at AS repondu_le, v.status AS statut_de_la_veille
FROM veilleurs w JOIN veilles v ON v.id = w.veille_id JOIN accounts p ON p.id = v.person_id
WHERE w.account_id = ${accountId} AND p.status <> 'erased' ORDER BY w.invited_at, v.id`
      return [
        file("compte.json", account),
        file("quartiers.json", memberships),
        file("alertes.json", alerts),
        file("reponses-aux-alertes.json", reactions),
        file("preferences.json", preferences),
        file("preferences-gazette.json", gazettePreferences),
        file("messages-recus.json", deliveries),
        file("sessions-et-connexions.json", [{ sessions, echecs_de_connexion: loginFailures,
          navigateurs_connus: devices }]),
        file("securite-du-compte.json", [{
          mots_de_passe_oublies: resets,
          changements_d_adresse_email: emailChanges,
          sms_de_verification: verificationSms,
          double_authentification: secondFactor,
          invitations: invitations
        }]),
        file("moderation.json", [{
          signalements: flags,
          recours: appeals,
          signalements_gazette: gazetteFlags,
          recours_gazette: gazetteAppeals,
          decisions_sur_mon_compte: decisions
        }]),
        file("telephone.json", [{ verifications: phoneChecks, sms_recus: inbound }]),
        file("bulletins-recus.json", bulletins),
        file("courriers.json", letters),
        file("propositions-de-quartier.json", proposals),
        file("gazette-publications.json", gazettePosts),
        file("gazette-participation.json", [{ commentaires: gazetteComments, mercis: gazetteThanks,
          reponses_aux_evenements: gazetteAnswers }]),
        file("annuaire.json", [{ profil: profile, membres_bloques: blocks }]),
        file("veille.json", [{ ma_veille: veille, je_veille_sur: watching }])
      ]
    }).pipe(mapFailures(), Effect.withSpan("PgPersonalData.collect"))

  const count = (rows: ReadonlyArray<unknown>) => rows.length

  const erase = (accountId: string, at: DateTime.Utc) =>
    Effect.gen(function*() {
      const when = DateTime.toDate(at)
      const [person] = yield* Effect.flatMap(
        sql`SELECT first_name, last_name, email, phone FROM accounts WHERE id = ${accountId} FOR UPDATE`,
        Schema.decodeUnknown(Schema.Array(PersonRow))
      )
      if (person === undefined) {
        return { cancelledDeliveries: 0, leftMemberships: 0, letterFiles: [], communitiesWithoutReferent: [] }
      }
      const letters = yield* sql<{ file_path: string }>`
DELETE FROM postal_outbox p USING memberships m
WHERE m.account_id = ${accountId} AND p.recipient_name = ${`${person.first_name} ${person.last_name}`}
  AND p.address->>'line1' = m.address_line1 AND p.address->>'postcode' = m.postcode
RETURNING p.file_path`
      const orphaned = yield* Effect.flatMap(
        sql`
SELECT m.community_id FROM memberships m
WHERE m.account_id = ${accountId} AND m.role = 'referent' AND m.status = 'verified'
  AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.community_id = m.community_id AND o.role = 'referent'
    AND o.status = 'verified' AND o.account_id <> ${accountId})`,
        Schema.decodeUnknown(Schema.Array(Schema.Struct({ community_id: CommunityId })))
      )
      yield* sql`DELETE FROM address_verifications WHERE membership_id IN (SELECT id FROM memberships WHERE account_id = ${accountId})`
      // The paper form's record (its consent among it) goes with the data it covered.
      yield* sql`DELETE FROM paper_registrations WHERE account_id = ${accountId}`
      const left = yield* sql`
UPDATE memberships SET status = CASE WHEN status = 'banned' THEN 'banned' ELSE 'left' END, home = false,
  address_line1 = ${ERASED_ADDRESS.line1}, address_line2 = NULL, postcode = ${ERASED_ADDRESS.postcode},
  city = ${ERASED_ADDRESS.city}, lon = NULL, lat = NULL
WHERE account_id = ${accountId} RETURNING 1 AS one`
      // Quartier proposals: a pending one is withdrawn; every one keeps its name and perimeter (a quartier
      // may have opened from it), not why nor where its requester lived.
      yield* sql`
UPDATE community_proposals SET status = 'withdrawn', decided_by = ${accountId}, decided_at = ${when}
WHERE requester_id = ${accountId} AND status = 'pending'`
      yield* sql`
UPDATE community_proposals SET reason = '—', address_line1 = ${ERASED_ADDRESS.line1}, address_line2 = NULL,
  postcode = ${ERASED_ADDRESS.postcode}, city = ${ERASED_ADDRESS.city}, lon = NULL, lat = NULL
WHERE requester_id = ${accountId}`
      yield* sql`DELETE FROM phone_verifications WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM account_claim_letters WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM notification_preferences WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM gazette_preferences WHERE account_id = ${accountId}`
      // Gazette participation: "merci" and answers go; comments lose their text (their replies keep their place).
      yield* sql`DELETE FROM gazette_thanks WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM gazette_event_answers WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM gazette_event_reminders WHERE account_id = ${accountId}`
      // Their Gazette posts leave with them: nobody reads a withdrawn post (its photos go with it), and
      // nothing of what they wrote stays behind.
      yield* sql`UPDATE gazette_posts SET status = 'withdrawn', withdrawn_at = coalesce(withdrawn_at, ${when})
WHERE author_id = ${accountId} AND status NOT IN ('withdrawn', 'hidden')`
      yield* sql`UPDATE gazette_posts SET title = 'Publication retirée', body = '—' WHERE author_id = ${accountId}`
      yield* sql`UPDATE gazette_comments SET body = '', deleted_at = coalesce(deleted_at, ${when})
WHERE author_id = ${accountId}`
      // The annuaire: the profile goes, and every block the member made or was the object of. Its photo is
      // then served to nobody; released (unclaimed, dated past the stale delay), its bytes go with the
      // retention job's next sweep of stale uploads.
      yield* sql`
UPDATE media_uploads SET claimed_at = NULL, created_at = least(created_at, ${when}::timestamptz - interval '2 days')
WHERE id IN (SELECT photo_id FROM member_profiles WHERE account_id = ${accountId} AND photo_id IS NOT NULL)`
      yield* sql`DELETE FROM member_profiles WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM member_blocks WHERE blocker_id = ${accountId} OR blocked_id = ${accountId}`
      // Messages (issue 16): their bodies and photos go (the others read "Message supprimé" from "Ancien
      // membre"); they leave every conversation; their reports and their choice of e-mails go.
      yield* sql`DELETE FROM conversation_attachments WHERE message_id IN (
  SELECT id FROM conversation_messages WHERE author_id = ${accountId})`
      yield* sql`UPDATE conversation_messages SET body = NULL, removed_at = ${when}
WHERE author_id = ${accountId} AND removed_at IS NULL`
      yield* sql`UPDATE conversation_members SET left_at = coalesce(left_at, ${when}), unread = 0, first_unread_at = NULL
WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM conversation_reports WHERE reporter_id = ${accountId}`
      yield* sql`DELETE FROM messaging_preferences WHERE account_id = ${accountId}`
      // The veille (issue 17): the person's veilles go with their history; as a veilleur, they are gone.
      yield* sql`DELETE FROM veilles WHERE person_id = ${accountId}`
      yield* sql`DELETE FROM veilleurs WHERE account_id = ${accountId}`
      yield* sql`UPDATE veille_events SET actor_id = NULL, actor_label = 'Compte supprimé' WHERE actor_id = ${accountId}`
      yield* sql`DELETE FROM sessions WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM alert_reactions WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM referent_inbox WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM staff_roles WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM login_devices WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM verification_sms WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM password_resets WHERE account_id = ${accountId}`
      // The links sent to an asked new address, in the development outbox, go with it.
      yield* sql`UPDATE email_outbox SET destination = '', text = '', html = ''
WHERE lower(destination) IN (SELECT lower(new_email) FROM email_changes WHERE account_id = ${accountId})`
      yield* sql`DELETE FROM email_changes WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM account_quotas WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM account_locks WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM sign_in_challenges WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM staff_invitations WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM recovery_codes WHERE account_id = ${accountId}`
      yield* sql`DELETE FROM second_factors WHERE account_id = ${accountId}`
      const cancelled = yield* sql`
UPDATE deliveries SET status = 'cancelled', lease_expires_at = NULL, last_error = 'recipient erased their account',
  updated_at = ${when}
WHERE account_id = ${accountId} AND status IN ('pending', 'sending', 'withheld') RETURNING 1 AS one`
      yield* sql`UPDATE deliveries SET destination = '' WHERE account_id = ${accountId} AND destination <> ''`
      if (person.phone !== null) {
        const phone = person.phone
        const bare = phone.replace(/^\+/, "")
        yield* sql`
UPDATE inbound_sms SET reply_status = 'cancelled' WHERE (sender = ${phone} OR from_number IN (${phone}, ${bare}))
  AND reply_status IN ('pending', 'sending')`
        yield* sql`
UPDATE inbound_sms SET from_number = '', sender = '', text = '', reply_to = NULL, reply_text = NULL, anonymised_at = ${when}
WHERE (sender = ${phone} OR from_number IN (${phone}, ${bare})) AND handling IN ('handled', 'dead')`
        yield* sql`DELETE FROM sms_reply_throttle WHERE phone = ${phone}`
        yield* sql`DELETE FROM sms_suppressions WHERE phone = ${phone}`
        yield* sql`UPDATE sms_outbox SET destination = '', text = '' WHERE destination = ${phone}`
      }
      if (person.email !== null) {
        yield* sql`UPDATE email_outbox SET destination = '', text = '', html = '' WHERE lower(destination) = lower(${person.email})`
      }
      yield* sql`
UPDATE accounts SET first_name = ${TOMBSTONE_NAMES.firstName}, last_name = ${TOMBSTONE_NAMES.lastName}, email = NULL,
  phone = NULL, phone_verified = false, password_hash = NULL, status = 'erased', erased_at = ${when},
  last_active_at = NULL, inactivity_warned_at = NULL
WHERE id = ${accountId}`
      return {
        cancelledDeliveries: count(cancelled),
        leftMemberships: count(left),
        letterFiles: letters.map((l) => l.file_path),
        communitiesWithoutReferent: orphaned.map((o) => o.community_id)
      }
    }).pipe(mapFailures(), Effect.withSpan("PgPersonalData.erase"))

  return PersonalDataRepo.of({ collect, erase })
})

export const layer = Layer.effect(PersonalDataRepo, make)
