-- The 27 numbers of a job that no query reads (its CPU time, memory and
-- GPU use, the parts of its energy, and the figures of the emissions
-- engine but the embodied range) move into one BLOB column, figures: the
-- store spends most of a job's cost per column bound or read, and 0005
-- made a job's row a third wider, a million jobs took 25 s to ingest
-- instead of 20. The encoding is exact and described in figures.go;
-- labcarbon_figures, a function the program registers with SQLite, makes
-- it from the old columns.
--
-- What SQL sums or filters on (times, elapsed, state, the energy, CO2e,
-- embodied and cost ranges) stays in columns, as do strings and counts.
-- As in 0005 the table is built anew, which also drops the old columns:
-- about 13 s at a million jobs, once.

CREATE TABLE jobs_v7 (
	-- labcarbon.Usage
	source         TEXT    NOT NULL,
	source_file    TEXT    NOT NULL,
	source_line    INTEGER NOT NULL,
	cluster        TEXT    NOT NULL,
	job_id         TEXT    NOT NULL,
	job_id_raw     TEXT    NOT NULL,
	parent_id      TEXT    NOT NULL,
	name           TEXT    NOT NULL,
	association_id INTEGER NOT NULL REFERENCES associations (id),
	state          TEXT    NOT NULL,
	exit_code      TEXT    NOT NULL,
	-- Part of the natural key, so never NULL: NULLs are all distinct in a
	-- UNIQUE constraint and would defeat the upsert. An unknown submit time
	-- is the zero time.Time's unix time, -62135596800 (0001-01-01).
	submit_time    INTEGER NOT NULL,
	start_time     INTEGER,          -- NULL: the job never started
	end_time       INTEGER,          -- NULL: still running, or never ran
	elapsed_sec    INTEGER NOT NULL,
	timelimit_sec  INTEGER NOT NULL,
	nnodes         INTEGER NOT NULL,
	node_list      TEXT    NOT NULL,
	cpus           INTEGER NOT NULL,
	gpus           INTEGER NOT NULL,
	gpu_model      TEXT    NOT NULL,

	-- labcarbon.Assignment
	assignment_id  INTEGER NOT NULL REFERENCES assignments (id),

	-- labcarbon.Result
	energy_source            TEXT NOT NULL,
	energy_kwh_low           REAL NOT NULL,
	energy_kwh_central       REAL NOT NULL,
	energy_kwh_high          REAL NOT NULL,
	co2e_kg_low              REAL NOT NULL,
	co2e_kg_central          REAL NOT NULL,
	co2e_kg_high             REAL NOT NULL,
	ci_source                TEXT NOT NULL,
	embodied_co2e_kg_low     REAL NOT NULL,
	embodied_co2e_kg_central REAL NOT NULL,
	embodied_co2e_kg_high    REAL NOT NULL,
	cost                     REAL NOT NULL,

	-- The other numbers of labcarbon.Usage and labcarbon.Result, encoded
	-- (figures.go): cpu_time_sec, mem_req_gb, mem_peak_gb, has_mem_peak,
	-- gpu_util, has_gpu_util, energy_j, cpu_kwh, gpu_kwh, mem_kwh, pue,
	-- ci_g_per_kwh, ci_hourly_share, market_co2e_kg_*, has_market,
	-- node_share, mem_waste_co2e_kg_*, idle_core_hours, idle_core_co2e_kg_*,
	-- cpu_efficiency, mem_efficiency.
	figures BLOB NOT NULL,

	-- The last run that wrote the row.
	run_id INTEGER NOT NULL REFERENCES runs (id),

	-- The time a job is filed under: when it started, or when it was
	-- submitted if it never did. Period queries range over it and return
	-- jobs in its order.
	job_time INTEGER GENERATED ALWAYS AS (coalesce(start_time, submit_time)) VIRTUAL,

	UNIQUE (cluster, job_id_raw, submit_time)
) STRICT;

INSERT INTO jobs_v7 (
	source, source_file, source_line,
	cluster, job_id, job_id_raw, parent_id, name,
	association_id, state, exit_code,
	submit_time, start_time, end_time, elapsed_sec, timelimit_sec,
	nnodes, node_list, cpus,
	gpus, gpu_model,
	assignment_id,
	energy_source,
	energy_kwh_low, energy_kwh_central, energy_kwh_high,
	co2e_kg_low, co2e_kg_central, co2e_kg_high,
	ci_source,
	embodied_co2e_kg_low, embodied_co2e_kg_central, embodied_co2e_kg_high,
	cost,
	figures,
	run_id)
SELECT
	source, source_file, source_line,
	cluster, job_id, job_id_raw, parent_id, name,
	association_id, state, exit_code,
	submit_time, start_time, end_time, elapsed_sec, timelimit_sec,
	nnodes, node_list, cpus,
	gpus, gpu_model,
	assignment_id,
	energy_source,
	energy_kwh_low, energy_kwh_central, energy_kwh_high,
	co2e_kg_low, co2e_kg_central, co2e_kg_high,
	ci_source,
	embodied_co2e_kg_low, embodied_co2e_kg_central, embodied_co2e_kg_high,
	cost,
	-- In the order of figureNames.
	labcarbon_figures(
		cpu_time_sec, mem_req_gb, mem_peak_gb, has_mem_peak,
		gpu_util, has_gpu_util, energy_j,
		cpu_kwh, gpu_kwh, mem_kwh, pue, ci_g_per_kwh, ci_hourly_share,
		market_co2e_kg_low, market_co2e_kg_central, market_co2e_kg_high, has_market,
		node_share,
		mem_waste_co2e_kg_low, mem_waste_co2e_kg_central, mem_waste_co2e_kg_high,
		idle_core_hours, idle_core_co2e_kg_low, idle_core_co2e_kg_central, idle_core_co2e_kg_high,
		cpu_efficiency, mem_efficiency),
	run_id
FROM jobs
ORDER BY rowid;

DROP TABLE jobs;
ALTER TABLE jobs_v7 RENAME TO jobs;

-- As in 0005.
CREATE INDEX jobs_period ON jobs (job_time, cluster, job_id_raw, submit_time);
CREATE INDEX jobs_end ON jobs (end_time, start_time);
