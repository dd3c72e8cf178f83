-- Every free text that can hold personal data is sealed by the application
-- (see zapys_store::DataCipher): notes, cancellation reasons, event and
-- outbox details, and the bot's conversation state (which holds a name
-- typed during registration). The plain columns go; their values move into
-- the sealed ones unchanged, and the store seals them in place at its next
-- start, in the same step that moves old sealed values to the row-bound
-- format (meta 'sealing_format' records that it is done).

ALTER TABLE appointments ADD COLUMN notes_sealed BLOB;
ALTER TABLE appointments ADD COLUMN cancel_reason_sealed BLOB;
UPDATE appointments SET notes_sealed = CAST(notes AS BLOB) WHERE notes <> '';
UPDATE appointments SET cancel_reason_sealed = CAST(cancel_reason AS BLOB) WHERE cancel_reason IS NOT NULL;
ALTER TABLE appointments DROP COLUMN notes;
ALTER TABLE appointments DROP COLUMN cancel_reason;

ALTER TABLE appointment_events ADD COLUMN detail_sealed BLOB;
UPDATE appointment_events SET detail_sealed = CAST(detail AS BLOB) WHERE detail IS NOT NULL;
ALTER TABLE appointment_events DROP COLUMN detail;

ALTER TABLE outbox ADD COLUMN detail_sealed BLOB;
UPDATE outbox SET detail_sealed = CAST(detail AS BLOB) WHERE detail IS NOT NULL;
ALTER TABLE outbox DROP COLUMN detail;

ALTER TABLE bot_conversations ADD COLUMN state_sealed BLOB NOT NULL DEFAULT x'';
UPDATE bot_conversations SET state_sealed = CAST(state AS BLOB);
ALTER TABLE bot_conversations DROP COLUMN state;
