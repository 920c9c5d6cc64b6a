-- The factor catalog version each run computed with (the embedded catalog,
-- or it with the lab's overrides), so a report can name the factors behind
-- the data and a change of factors shows in the history.
ALTER TABLE runs ADD COLUMN factors TEXT NOT NULL DEFAULT '';
