import { DateTime, Duration } from "effect"
import type { Account } from "../accounts/Account.js"
import type { MessageId } from "./Conversation.js"
import { InvalidMessage, InvalidParticipants } from "./MessagingErrors.js"

/** A message's text, once trimmed: at most this many characters. */
export const MESSAGE_MAX_LENGTH = 4000

/** At most this many photos on one message. */
export const MAX_PHOTOS_PER_MESSAGE = 4

/** A conversation holds at most this many people, its starter included. */
export const MAX_PARTICIPANTS = 50

/** A page of a conversation: this many messages. */
export const PAGE_SIZE = 50

/** A page of a member's list of conversations. */
export const LIST_SIZE = 30

/** A member is new for this long after their account was created: limits below, links not clickable. */
export const NEW_MEMBER_PERIOD = Duration.days(7)

/** A new member may start at most this many conversations in each NEW_CONVERSATION_WINDOW (a fixed day). */
export const NEW_MEMBER_DAILY_CONVERSATIONS = 5
export const NEW_CONVERSATION_WINDOW = Duration.days(1)

/** Anyone may send at most this many messages in each MESSAGE_RATE_WINDOW. */
export const MESSAGES_PER_WINDOW = 60
export const MESSAGE_RATE_WINDOW = Duration.minutes(10)

/** At most this many reports a member makes a day. */
export const REPORTS_PER_DAY = 20

/** A message left unread this long is told by e-mail, at most once per conversation in EMAIL_INTERVAL. */
export const EMAIL_AFTER = Duration.minutes(15)
export const EMAIL_INTERVAL = Duration.days(1)

/** A conversation without a message for this long is deleted by the retention job. */
export const INACTIVE_RETENTION = Duration.days(730)

/** The messages a moderator reads around a reported one: this many before, and as many after. */
export const REPORT_CONTEXT_EACH_SIDE = 5

/** Whether an account is still new at `now` (less than 7 days old). */
export const isNewMember = (account: Pick<Account, "createdAt">, now: DateTime.Utc): boolean =>
  DateTime.lessThan(now, DateTime.addDuration(account.createdAt, NEW_MEMBER_PERIOD))

/** A message's text as kept (trimmed), or why it is refused. A message may be photos alone. */
export const messageText = (text: string, photos: number): { readonly text: string } | InvalidMessage => {
  const trimmed = text.trim()
  if (photos > MAX_PHOTOS_PER_MESSAGE) {
    return new InvalidMessage({ reason: "too_many_photos", maxLength: MAX_PHOTOS_PER_MESSAGE })
  }
  if (trimmed.length === 0 && photos === 0) {
    return new InvalidMessage({ reason: "empty", maxLength: MESSAGE_MAX_LENGTH })
  }
  if ([...trimmed].length > MESSAGE_MAX_LENGTH) {
    return new InvalidMessage({ reason: "too_long", maxLength: MESSAGE_MAX_LENGTH })
  }
  return { text: trimmed }
}

/**
 * The others a new conversation is with: `wanted` without repeats and without the starter, or why
 * not (nobody, or more than MAX_PARTICIPANTS people with the starter).
 */
export const participantsOf = <A extends string>(
  starter: A,
  wanted: ReadonlyArray<A>
): ReadonlyArray<A> | InvalidParticipants => {
  const others = [...new Set(wanted)].filter((id) => id !== starter)
  if (others.length === 0) return new InvalidParticipants({ reason: "none", max: MAX_PARTICIPANTS })
  if (others.length + 1 > MAX_PARTICIPANTS) {
    return new InvalidParticipants({ reason: "too_many", max: MAX_PARTICIPANTS })
  }
  return others
}

/** The key of the one-to-one conversation of two members: their ids in order. */
export const directKey = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`)

/** How many messages of others follow a read mark: the unread count of one member in one conversation. */
export const unreadAfter = (
  messages: ReadonlyArray<{ readonly id: number; readonly authorId: string }>,
  readerId: string,
  lastReadId: number
): number => messages.filter((m) => m.id > lastReadId && m.authorId !== readerId).length

/** The read mark after reading up to `upTo`: it never moves back. */
export const nextReadMark = (current: number, upTo: MessageId | number): number => Math.max(current, upTo)

/** Whether the unread e-mail of a member's conversation is due: unread for 15 minutes, none sent in a day. */
export const emailDue = (
  member: { readonly firstUnreadAt: DateTime.Utc | null; readonly emailedAt: DateTime.Utc | null },
  now: DateTime.Utc
): boolean =>
  member.firstUnreadAt !== null &&
  DateTime.lessThanOrEqualTo(DateTime.addDuration(member.firstUnreadAt, EMAIL_AFTER), now) &&
  (member.emailedAt === null || DateTime.lessThanOrEqualTo(DateTime.addDuration(member.emailedAt, EMAIL_INTERVAL), now))
