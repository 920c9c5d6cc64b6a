-- The fields of the emissions engine: the market-based Scope 2 figure, the
-- embodied (Scope 3) share of the nodes, how much of a job's run the hourly
-- intensity series covered, and the cost of memory and cores allocated but
-- not used. Factors go to assignments, where they are among the values
-- that tell two assignments apart (a batch looks a row up by all its
-- columns), and results to the job row, as in 0004.
--
-- The rows already stored get the values compute gave a job before it had
-- these fields: 0, false (0), '' (no market factor, no embodied factor,
-- annual intensity only). Rows of assignments stay distinct, since they
-- already differed in the columns they keep.

-- labcarbon.Assignment. A few dozen rows, so ADD COLUMN is cheap even
-- though SQLite checks every row of a STRICT table for each column added.
ALTER TABLE assignments ADD COLUMN node_gpus                         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN node_mem_gb                       REAL    NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN embodied_kg_per_node_hour_low     REAL    NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN embodied_kg_per_node_hour_central REAL    NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN embodied_kg_per_node_hour_high    REAL    NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN embodied_source                   TEXT    NOT NULL DEFAULT '';
-- has_market_ci tells a fully renewable contract (0 g/kWh) from no
-- market-based factor at all.
ALTER TABLE assignments ADD COLUMN market_ci_g_per_kwh               REAL    NOT NULL DEFAULT 0;
ALTER TABLE assignments ADD COLUMN has_market_ci                     INTEGER NOT NULL DEFAULT 0;

-- labcarbon.Result. The jobs table is built anew rather than given 16
-- columns with ADD COLUMN: on a STRICT table each ADD COLUMN reads every
-- row to check it (pragma_quick_check), which took 21 s at a million jobs,
-- where copying them once takes 9 s. The new columns have no default, like
-- the others: every write names every column.
CREATE TABLE jobs_v5 (
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
	cpu_time_sec   REAL    NOT NULL,
	mem_req_gb     REAL    NOT NULL,
	mem_peak_gb    REAL    NOT NULL,
	has_mem_peak   INTEGER NOT NULL,
	gpus           INTEGER NOT NULL,
	gpu_model      TEXT    NOT NULL,
	gpu_util       REAL    NOT NULL,
	has_gpu_util   INTEGER NOT NULL,
	energy_j       REAL    NOT NULL,

	-- labcarbon.Assignment
	assignment_id  INTEGER NOT NULL REFERENCES assignments (id),

	-- labcarbon.Result
	energy_source             TEXT    NOT NULL,
	cpu_kwh                   REAL    NOT NULL,
	gpu_kwh                   REAL    NOT NULL,
	mem_kwh                   REAL    NOT NULL,
	energy_kwh_low            REAL    NOT NULL,
	energy_kwh_central        REAL    NOT NULL,
	energy_kwh_high           REAL    NOT NULL,
	co2e_kg_low               REAL    NOT NULL,
	co2e_kg_central           REAL    NOT NULL,
	co2e_kg_high              REAL    NOT NULL,
	pue                       REAL    NOT NULL,
	ci_g_per_kwh              REAL    NOT NULL,
	ci_source                 TEXT    NOT NULL,
	ci_hourly_share           REAL    NOT NULL, -- 0..1; 0: annual intensity only
	market_co2e_kg_low        REAL    NOT NULL,
	market_co2e_kg_central    REAL    NOT NULL,
	market_co2e_kg_high       REAL    NOT NULL,
	has_market                INTEGER NOT NULL, -- the market_ columns hold a figure, maybe 0
	embodied_co2e_kg_low      REAL    NOT NULL,
	embodied_co2e_kg_central  REAL    NOT NULL,
	embodied_co2e_kg_high     REAL    NOT NULL,
	node_share                REAL    NOT NULL,
	mem_waste_co2e_kg_low     REAL    NOT NULL,
	mem_waste_co2e_kg_central REAL    NOT NULL,
	mem_waste_co2e_kg_high    REAL    NOT NULL,
	idle_core_hours           REAL    NOT NULL,
	idle_core_co2e_kg_low     REAL    NOT NULL,
	idle_core_co2e_kg_central REAL    NOT NULL,
	idle_core_co2e_kg_high    REAL    NOT NULL,
	cpu_efficiency            REAL    NOT NULL,
	mem_efficiency            REAL    NOT NULL,
	cost                      REAL    NOT NULL,

	-- The last run that wrote the row.
	run_id INTEGER NOT NULL REFERENCES runs (id),

	-- The time a job is filed under: when it started, or when it was
	-- submitted if it never did. Period queries range over it and return
	-- jobs in its order.
	job_time INTEGER GENERATED ALWAYS AS (coalesce(start_time, submit_time)) VIRTUAL,

	UNIQUE (cluster, job_id_raw, submit_time)
) STRICT;

INSERT INTO jobs_v5 (
	source, source_file, source_line,
	cluster, job_id, job_id_raw, parent_id, name,
	association_id, state, exit_code,
	submit_time, start_time, end_time, elapsed_sec, timelimit_sec,
	nnodes, node_list, cpus, cpu_time_sec,
	mem_req_gb, mem_peak_gb, has_mem_peak,
	gpus, gpu_model, gpu_util, has_gpu_util,
	energy_j,
	assignment_id,
	energy_source, cpu_kwh, gpu_kwh, mem_kwh,
	energy_kwh_low, energy_kwh_central, energy_kwh_high,
	co2e_kg_low, co2e_kg_central, co2e_kg_high,
	pue, ci_g_per_kwh, ci_source, ci_hourly_share,
	market_co2e_kg_low, market_co2e_kg_central, market_co2e_kg_high, has_market,
	embodied_co2e_kg_low, embodied_co2e_kg_central, embodied_co2e_kg_high, node_share,
	mem_waste_co2e_kg_low, mem_waste_co2e_kg_central, mem_waste_co2e_kg_high,
	idle_core_hours, idle_core_co2e_kg_low, idle_core_co2e_kg_central, idle_core_co2e_kg_high,
	cpu_efficiency, mem_efficiency, cost,
	run_id)
SELECT
	source, source_file, source_line,
	cluster, job_id, job_id_raw, parent_id, name,
	association_id, state, exit_code,
	submit_time, start_time, end_time, elapsed_sec, timelimit_sec,
	nnodes, node_list, cpus, cpu_time_sec,
	mem_req_gb, mem_peak_gb, has_mem_peak,
	gpus, gpu_model, gpu_util, has_gpu_util,
	energy_j,
	assignment_id,
	energy_source, cpu_kwh, gpu_kwh, mem_kwh,
	energy_kwh_low, energy_kwh_central, energy_kwh_high,
	co2e_kg_low, co2e_kg_central, co2e_kg_high,
	pue, ci_g_per_kwh, ci_source, 0,
	0, 0, 0, 0,
	0, 0, 0, 0,
	0, 0, 0,
	0, 0, 0, 0,
	cpu_efficiency, mem_efficiency, cost,
	run_id
FROM jobs
ORDER BY rowid;

DROP TABLE jobs;
ALTER TABLE jobs_v5 RENAME TO jobs;

-- As in 0001: the period query walks jobs_period from a lower bound that
-- jobs_end finds.
CREATE INDEX jobs_period ON jobs (job_time, cluster, job_id_raw, submit_time);
CREATE INDEX jobs_end ON jobs (end_time, start_time);
