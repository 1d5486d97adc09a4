-- One open payment per dossier (issue 20.6): a newer QR supersedes the older one; a late
-- confirmation of a superseded QR (or of any payment once the dossier is paid) is kept as an
-- overpayment with a note for an officer, never applied to the dossier.
UPDATE payments SET status = 'superseded'
  WHERE status = 'pending'
    AND EXISTS (SELECT 1 FROM payments newer WHERE newer.dossier_code = payments.dossier_code AND newer.status = 'pending'
                AND (newer.created_at > payments.created_at OR (newer.created_at = payments.created_at AND newer.id > payments.id)));
CREATE UNIQUE INDEX payments_one_open ON payments (dossier_code) WHERE status = 'pending';
ALTER TABLE payments ADD COLUMN review_note TEXT;
