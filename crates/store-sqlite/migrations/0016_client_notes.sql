-- The business's private notes about a client (allergies, a colour formula), sealed like the
-- client's name and phone; never shown to the client.
ALTER TABLE clients ADD COLUMN notes_sealed BLOB;
