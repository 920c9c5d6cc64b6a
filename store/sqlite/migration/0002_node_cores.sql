-- The cores of one node of the job's node type, so compute can tell whether
-- a job held its nodes whole (and its measured energy is its own).
ALTER TABLE jobs ADD COLUMN node_cores INTEGER NOT NULL DEFAULT 0;
