-- The first schema: the run history, what each run read and rejected, and
-- the jobs themselves. Times are unix seconds, UTC. Tables are STRICT so that
-- a value bound with the wrong type is an error, not a silent conversion.

CREATE TABLE runs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: reports cite it
	started     INTEGER NOT NULL,
	finished    INTEGER,                           -- NULL while running or after a crash
	command     TEXT    NOT NULL,
	version     TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	jobs        INTEGER NOT NULL DEFAULT 0,
	quarantined INTEGER NOT NULL DEFAULT 0,
	message     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX runs_started ON runs (started);

CREATE TABLE run_inputs (
	id     INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES runs (id),
	name   TEXT    NOT NULL,
	sha256 TEXT    NOT NULL,
	format TEXT    NOT NULL,
	jobs   INTEGER NOT NULL,
	bad    INTEGER NOT NULL
) STRICT;

CREATE INDEX run_inputs_run ON run_inputs (run_id);
-- Finds the latest ingest of each input, whose quarantined rows are current.
CREATE INDEX run_inputs_name ON run_inputs (name, id);

-- Rows an input's batch could not ingest. They belong to the input rather
-- than the run, so that ingesting a fixed file again supersedes them.
CREATE TABLE quarantine (
	id       INTEGER PRIMARY KEY,
	input_id INTEGER NOT NULL REFERENCES run_inputs (id),
	file     TEXT    NOT NULL,
	line     INTEGER NOT NULL,
	field    TEXT    NOT NULL,
	reason   TEXT    NOT NULL,
	raw      TEXT    NOT NULL
) STRICT;

CREATE INDEX quarantine_input ON quarantine (input_id);

-- One row per job: labcarbon.Usage, then labcarbon.Assignment, then
-- labcarbon.Result. A range is three columns (_low, _central, _high).
CREATE TABLE jobs (
	-- labcarbon.Usage
	source         TEXT    NOT NULL,
	source_file    TEXT    NOT NULL,
	source_line    INTEGER NOT NULL,
	cluster        TEXT    NOT NULL,
	job_id         TEXT    NOT NULL,
	job_id_raw     TEXT    NOT NULL,
	parent_id      TEXT    NOT NULL,
	name           TEXT    NOT NULL,
	user_name      TEXT    NOT NULL,
	group_name     TEXT    NOT NULL,
	account        TEXT    NOT NULL,
	partition_name TEXT    NOT NULL,
	qos            TEXT    NOT NULL,
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
	node_type                  TEXT NOT NULL,
	node_type_rule             TEXT NOT NULL,
	node_cpu_model             TEXT NOT NULL,
	cpu_watts_per_core_low     REAL NOT NULL,
	cpu_watts_per_core_central REAL NOT NULL,
	cpu_watts_per_core_high    REAL NOT NULL,
	node_gpu_model             TEXT NOT NULL,
	gpu_watts_low              REAL NOT NULL,
	gpu_watts_central          REAL NOT NULL,
	gpu_watts_high             REAL NOT NULL,
	mem_watts_per_gb_low       REAL NOT NULL,
	mem_watts_per_gb_central   REAL NOT NULL,
	mem_watts_per_gb_high      REAL NOT NULL,
	site                       TEXT NOT NULL,
	pue_low                    REAL NOT NULL,
	pue_central                REAL NOT NULL,
	pue_high                   REAL NOT NULL,
	zone                       TEXT NOT NULL,
	ci_g_per_kwh_low           REAL NOT NULL,
	ci_g_per_kwh_central       REAL NOT NULL,
	ci_g_per_kwh_high          REAL NOT NULL,
	factor_ci_source           TEXT NOT NULL,
	trust_measured             INTEGER NOT NULL,
	warnings                   TEXT,          -- JSON array; NULL when there are none

	-- labcarbon.Result
	energy_source      TEXT NOT NULL,
	cpu_kwh            REAL NOT NULL,
	gpu_kwh            REAL NOT NULL,
	mem_kwh            REAL NOT NULL,
	energy_kwh_low     REAL NOT NULL,
	energy_kwh_central REAL NOT NULL,
	energy_kwh_high    REAL NOT NULL,
	co2e_kg_low        REAL NOT NULL,
	co2e_kg_central    REAL NOT NULL,
	co2e_kg_high       REAL NOT NULL,
	pue                REAL NOT NULL,
	ci_g_per_kwh       REAL NOT NULL,
	ci_source          TEXT NOT NULL,
	cpu_efficiency     REAL NOT NULL,
	mem_efficiency     REAL NOT NULL,
	cost               REAL NOT NULL,

	-- The last run that wrote the row.
	run_id INTEGER NOT NULL REFERENCES runs (id),

	-- The time a job is filed under: when it started, or when it was
	-- submitted if it never did. Period queries range over it and return
	-- jobs in its order.
	job_time INTEGER GENERATED ALWAYS AS (coalesce(start_time, submit_time)) VIRTUAL,

	UNIQUE (cluster, job_id_raw, submit_time)
) STRICT;

-- The period query walks jobs_period from a lower bound up to the end of
-- the period, in the order it returns rows, so it never sorts. The lower
-- bound is the earliest start among jobs still running at the beginning of
-- the period, which jobs_end finds without reading the table.
CREATE INDEX jobs_period ON jobs (job_time, cluster, job_id_raw, submit_time);
CREATE INDEX jobs_end ON jobs (end_time, start_time);
