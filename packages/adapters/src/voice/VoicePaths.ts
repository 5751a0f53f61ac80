import { siteUrl } from "@vigie/domain/channels/Links"

/**
 * Where the provider reaches us about a voice call, each URL carrying our `reference` in its query
 * (`?reference=…`): the answer URL (the XML to play, GET or POST), the keypad callback (the keys
 * pressed) and the hangup callback. Served by the app (PlivoVoiceWebhook), signed by Plivo (V3).
 */
export const VOICE_ANSWER_PATH = "/webhooks/plivo/voice/answer"
export const VOICE_DIGITS_PATH = "/webhooks/plivo/voice/digits"
export const VOICE_HANGUP_PATH = "/webhooks/plivo/voice/hangup"

/** PUBLIC_URL (no trailing slash) + path + `?reference=…`: the URL Plivo calls, and signs. */
export const voiceUrl = (publicUrl: URL | string, path: string, reference: string): string =>
  siteUrl(publicUrl, `${path}?reference=${encodeURIComponent(reference)}`)
