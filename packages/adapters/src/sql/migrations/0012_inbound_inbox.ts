import { SqlClient } from "@effect/sql"
import { ReceiptStatus, statusesMovedBy } from "@vigie/domain/delivery/DeliveryReceipts"
import { Effect } from "effect"

/**
 * The inbound SMS inbox (issue 5, item 7): the webhook records a message and answers Plivo at once; a
 * worker handles it afterwards. `inbound_sms` gains the handling state of each message:
 * - `handling`: pending (recorded, or waiting for a retry) → handling (leased by one worker;
 *   `handle_next_attempt_at` is then the lease's end) → handled (outcome and reply committed with
 *   it), or dead (out of attempts, `handle_error` says why). Rows of before this migration were
 *   handled when written.
 * - `sender`: the number the message came from, normalized (E.164 when it is one), so that messages
 *   of one sender are handled one at a time and in order of `seq` (arrival order).
 * `inbound_sms_inbox` finds each sender's oldest unhandled message.
 *
 * And delivery receipts that arrive before the delivery knows its provider id (issue 5, item 4):
 * `delivery_receipts_kept` holds them; a trigger applies them, in arrival order and by the domain's
 * rule (`statusesMovedBy`, written into the trigger here), when `markSent` gives a delivery that
 * provider id, in `markSent`'s own statement, and deletes them.
 */
/** `receiptApplies` for the kept receipt `r` and the delivery `NEW`, as one SQL condition. */
const moves = ReceiptStatus.literals
  .map((incoming) =>
    `(r.status = '${incoming}' AND NEW.status IN (${statusesMovedBy(incoming).map((s) => `'${s}'`).join(", ")}))`
  )
  .join(" OR ")

const statements: ReadonlyArray<string> = [
  `ALTER TABLE inbound_sms ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`,
  `ALTER TABLE inbound_sms ADD COLUMN sender text`,
  `UPDATE inbound_sms SET sender = from_number`,
  `ALTER TABLE inbound_sms ALTER COLUMN sender SET NOT NULL`,
  `ALTER TABLE inbound_sms ADD COLUMN handling text NOT NULL DEFAULT 'handled'
    CHECK (handling IN ('pending', 'handling', 'handled', 'dead'))`,
  `ALTER TABLE inbound_sms ALTER COLUMN handling SET DEFAULT 'pending'`,
  `ALTER TABLE inbound_sms ADD COLUMN handle_attempts integer NOT NULL DEFAULT 0 CHECK (handle_attempts >= 0)`,
  `ALTER TABLE inbound_sms ADD COLUMN handle_next_attempt_at timestamptz`,
  `ALTER TABLE inbound_sms ADD COLUMN handle_error text`,
  `ALTER TABLE inbound_sms ADD CONSTRAINT inbound_sms_handling_due
    CHECK (handling NOT IN ('pending', 'handling') OR handle_next_attempt_at IS NOT NULL)`,
  `CREATE INDEX inbound_sms_inbox ON inbound_sms (sender, seq) WHERE handling IN ('pending', 'handling')`,
  `CREATE TABLE delivery_receipts_kept (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id text NOT NULL CHECK (char_length(provider_id) BETWEEN 1 AND 100),
    status text NOT NULL CHECK (status IN (${ReceiptStatus.literals.map((s) => `'${s}'`).join(", ")})),
    last_error text,
    received_at timestamptz NOT NULL
  )`,
  `CREATE INDEX delivery_receipts_kept_provider ON delivery_receipts_kept (provider_id)`,
  `CREATE INDEX delivery_receipts_kept_received ON delivery_receipts_kept (received_at)`,
  `CREATE FUNCTION deliveries_apply_kept_receipts() RETURNS trigger LANGUAGE plpgsql AS $fn$
  DECLARE
    r record;
  BEGIN
    IF EXISTS (SELECT 1 FROM delivery_receipts_kept WHERE provider_id = NEW.provider_id) THEN
      FOR r IN SELECT status, last_error FROM delivery_receipts_kept WHERE provider_id = NEW.provider_id ORDER BY id LOOP
        IF ${moves} THEN
          NEW.status := r.status;
          NEW.last_error := COALESCE(r.last_error, NEW.last_error);
          NEW.lease_expires_at := NULL;
        END IF;
      END LOOP;
      DELETE FROM delivery_receipts_kept WHERE provider_id = NEW.provider_id;
    END IF;
    RETURN NEW;
  END
  $fn$`,
  `CREATE TRIGGER deliveries_apply_kept_receipts BEFORE UPDATE OF provider_id ON deliveries
    FOR EACH ROW WHEN (NEW.provider_id IS NOT NULL AND NEW.provider_id IS DISTINCT FROM OLD.provider_id)
    EXECUTE FUNCTION deliveries_apply_kept_receipts()`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
