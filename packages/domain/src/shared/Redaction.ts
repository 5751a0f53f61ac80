/**
 * Phone numbers kept out of logs, error texts and traces: a provider's error may echo the number it
 * refused, a database error the row it rejected. Every number-like run is shown as its last two
 * digits only ("+33 6 •• •• •• 12" becomes "•• •• •• •• 12"), as members see their own number.
 */

/**
 * E.164 (+33612345678), the same with spaces or dots (+33 6 12 34 56 78), and French national
 * numbers (06 12 34 56 78, 0612345678). Dates, ids and counts do not match: no leading "+" or "0[1-9]"
 * followed by exactly four pairs.
 */
const PHONE_LIKE = /\+\d{1,3}(?:[ .-]?\d){6,14}(?!\d)|(?<![\d-])0[1-9](?:[ .]?\d{2}){4}(?!\d)/g

/** The last two digits of a phone number, the rest hidden. */
export const maskedPhone = (phone: string): string => {
  const digits = phone.replace(/[^0-9]/g, "")
  return digits.length < 2 ? "••" : `•• •• •• •• ${digits.slice(-2)}`
}

/** `text` with every phone number in it masked to its last two digits. */
export const maskPhoneNumbers = (text: string): string => text.replace(PHONE_LIKE, maskedPhone)
