-- Hourly grid carbon intensity, imported from Electricity Maps exports or a
-- plain timestamp,gco2_per_kwh file by `labcarbon factors import`. One row
-- per zone and hour, so importing a series again, or an overlapping one,
-- replaces hours instead of adding them.
CREATE TABLE intensity (
	zone      TEXT    NOT NULL,                    -- factor catalog zone id (GB, US-CAL-CISO)
	hour      INTEGER NOT NULL,                    -- unix seconds of the hour's beginning, UTC
	g_per_kwh REAL    NOT NULL,                    -- gCO2e/kWh
	source    TEXT    NOT NULL,                    -- format, basis and file it came from
	run_id    INTEGER NOT NULL REFERENCES runs (id), -- the run that last changed the hour
	imported  INTEGER NOT NULL,                    -- unix seconds, when that run wrote it
	PRIMARY KEY (zone, hour)
) STRICT, WITHOUT ROWID;
