-- The citizen's phone (issue 15, docs/phone.md): the ticket QR's public token, kept only as its
-- SHA-256 (hex). NULL for tickets from kiosks that send none. Portable SQL.
ALTER TABLE tickets ADD COLUMN public_token_hash TEXT;
CREATE UNIQUE INDEX tickets_public_token ON tickets (public_token_hash);
