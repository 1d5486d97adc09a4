-- Appointments (issue 15, docs/phone.md): a checked-in booking's ticket carries its slot
-- (`HH:MM`), printed as "LỊCH HẸN 09:30".
ALTER TABLE tickets ADD COLUMN appointment_slot TEXT;
