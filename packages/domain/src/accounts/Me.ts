import { Schema } from "effect"
import { Account } from "./Account.js"
import { Community } from "../communities/Community.js"
import { Membership } from "../membership/Membership.js"

/** One of my memberships, with the community it is in. */
export class MyMembership extends Schema.Class<MyMembership>("MyMembership")({
  membership: Membership,
  community: Community
}) {}

/** The logged-in account as its owner sees it: identity, staff roles, memberships. */
export class Me extends Schema.Class<Me>("Me")({
  account: Account,
  memberships: Schema.Array(MyMembership)
}) {}
