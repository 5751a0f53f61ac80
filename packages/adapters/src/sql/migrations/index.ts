import type { SqlClient } from "@effect/sql"
import type { Effect } from "effect"
import m0001 from "./0001_foundation"
import m0002 from "./0002_outbox"
import m0003 from "./0003_sessions"
import m0004 from "./0004_delivery_worker"
import m0006 from "./0006_inbound_sms"
import m0007 from "./0007_mairie"
import m0008 from "./0008_followups"
import m0009 from "./0009_bulletin_deliveries"
import m0010 from "./0010_alert_reactions"
import m0011 from "./0011_moderation"
import m0012 from "./0012_inbound_inbox"
import m0013 from "./0013_limits"
import m0014 from "./0014_rate_counters"
import m0016 from "./0016_staff_sign_in"
import m0017 from "./0017_account_lifecycle"
import m0018 from "./0018_personal_data"
import m0019 from "./0019_withheld"
import m0020 from "./0020_alert_moderation"
import m0021 from "./0021_vigilant_communes"
import m0022 from "./0022_quartiers"
import m0023 from "./0023_membership_moves"
import m0024 from "./0024_community_proposals"
import m0025 from "./0025_paper_registrations"
import m0026 from "./0026_claim_letters"
import m0027 from "./0027_provider_pace"
import m0028 from "./0028_national_indexes"
import m0029 from "./0029_media_uploads"
import m0030 from "./0030_gazette"
import m0031 from "./0031_gazette_preferences"
import m0032 from "./0032_gazette_social"
import m0033 from "./0033_gazette_digest"
import m0034 from "./0034_gazette_moderation"
import m0035 from "./0035_member_blocks"
import m0036 from "./0036_member_profiles"
import m0037 from "./0037_messaging"
import m0038 from "./0038_veille"
import m0039 from "./0039_voice_calls"

/** Every migration, keyed `NNNN_name`, in the form `Migrator.fromRecord` expects. */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "0001_foundation": m0001,
  "0002_outbox": m0002,
  "0003_sessions": m0003,
  "0004_delivery_worker": m0004,
  "0006_inbound_sms": m0006,
  "0007_mairie": m0007,
  "0008_followups": m0008,
  "0009_bulletin_deliveries": m0009,
  "0010_alert_reactions": m0010,
  "0011_moderation": m0011,
  "0012_inbound_inbox": m0012,
  "0013_limits": m0013,
  "0014_rate_counters": m0014,
  "0016_staff_sign_in": m0016,
  "0017_account_lifecycle": m0017,
  "0018_personal_data": m0018,
  "0019_withheld": m0019,
  "0020_alert_moderation": m0020,
  "0021_vigilant_communes": m0021,
  "0022_quartiers": m0022,
  "0023_membership_moves": m0023,
  "0024_community_proposals": m0024,
  "0025_paper_registrations": m0025,
  "0026_claim_letters": m0026,
  "0027_provider_pace": m0027,
  "0028_national_indexes": m0028,
  "0029_media_uploads": m0029,
  "0030_gazette": m0030,
  "0031_gazette_preferences": m0031,
  "0032_gazette_social": m0032,
  "0033_gazette_digest": m0033,
  "0034_gazette_moderation": m0034,
  "0035_member_blocks": m0035,
  "0036_member_profiles": m0036,
  "0037_messaging": m0037,
  "0038_veille": m0038,
  "0039_voice_calls": m0039
}
