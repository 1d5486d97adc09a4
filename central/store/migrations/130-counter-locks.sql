-- One row per counter, written first by every "call next" at that counter: on PostgreSQL the row
-- lock makes two presses at the same counter take turns (two at once had both called a ticket,
-- leaving the counter with two current tickets whose next "served" update could deadlock);
-- SQLite runs one write transaction at a time anyway. Different counters never wait on each other.
CREATE TABLE counter_locks (
  office_id  TEXT NOT NULL,
  counter_id TEXT NOT NULL,
  n          BIGINT NOT NULL,
  PRIMARY KEY (office_id, counter_id)
);
