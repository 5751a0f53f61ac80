/** Said after every urgent alert read by voice call: Vigie never replaces the emergency services. */
export const VOICE_EMERGENCY_REMINDER = "En cas d’urgence, appelez le 17, le 18 ou le 15."

/**
 * What a voice call reads of a message, from its SMS text (the one text every kind of message has):
 * links are left out (nobody can follow a link read aloud), the "Vigie" prefix becomes "Message de
 * Vigie", blanks are collapsed, and the emergency numbers are reminded at the end. Never empty.
 */
export const voiceScript = (smsText: string): string => {
  const spoken = smsText
    .replace(/https?:\/\/\S*/gi, "")
    .replace(/^\s*Vigie\b\s*:?\s*/i, "Message de Vigie. ")
    .replace(/\s+/g, " ")
    .trim()
  const body = spoken === "" || spoken === "Message de Vigie." ? "Message de Vigie." : spoken
  return `${body}${/[.!?…]$/.test(body) ? "" : "."} ${VOICE_EMERGENCY_REMINDER}`
}
