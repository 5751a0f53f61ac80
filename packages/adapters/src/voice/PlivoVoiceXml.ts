import plivo from "plivo"

/** French text-to-speech, as Plivo's Speak element takes it. */
const voice = { language: "fr-FR", voice: "WOMAN" } as const

/** Seconds Plivo waits for a key once the text is read. */
export const KEYPAD_TIMEOUT_SECONDS = 10

/** Spoken when no key was pressed in time. */
export const NO_KEY_TEXT = "Nous n’avons pas reçu de réponse. Au revoir."

interface PlivoResponse {
  addSpeak: (text: string, attributes: Record<string, unknown>) => unknown
  addGetDigits: (
    attributes: Record<string, unknown>
  ) => { addSpeak: (text: string, a: Record<string, unknown>) => unknown }
  toXML: () => string
}

const response = (): PlivoResponse => new (plivo as unknown as { Response: new() => PlivoResponse }).Response()

/**
 * The answer XML of a call, written by the SDK's builder (`plivo.Response`, which escapes the text):
 * with `digits`, the text read inside a GetDigits (one key among `digits`, sent to `digitsUrl` by
 * POST; the text is read twice before giving up), then a goodbye when nothing was pressed; without,
 * the text alone, read twice.
 */
export const answerXml = (text: string, digits: string | undefined, digitsUrl: string): string => {
  const r = response()
  if (digits === undefined || digits === "") {
    r.addSpeak(text, { ...voice, loop: 2 })
    return r.toXML()
  }
  const getDigits = r.addGetDigits({
    action: digitsUrl,
    method: "POST",
    numDigits: 1,
    validDigits: digits,
    timeout: KEYPAD_TIMEOUT_SECONDS,
    retries: 2
  })
  getDigits.addSpeak(text, voice)
  r.addSpeak(NO_KEY_TEXT, voice)
  return r.toXML()
}

/** A short XML that says `text` in French, then the call ends. */
export const speakXml = (text: string): string => {
  const r = response()
  r.addSpeak(text, voice)
  return r.toXML()
}
