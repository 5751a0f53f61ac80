import { Schema } from "effect"

/**
 * Staff accounts (moderator, admin, mairie agent, municipal police) are not erased by their holder:
 * they act for a service and their actions are audited. An administrator removes the staff role
 * first; the person may then erase their account.
 */
export class StaffAccountErasureRefused
  extends Schema.TaggedError<StaffAccountErasureRefused>()("StaffAccountErasureRefused", {})
{}
