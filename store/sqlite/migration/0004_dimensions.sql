-- Values that repeat from job to job move to tables of their own, which
-- each job's row refers to by id, so that a job is written and read with
-- 28 columns fewer: what the store costs per job is mostly a cost per
-- column.
--
-- assignments: the factors matched to a job (labcarbon.Assignment); a
-- centre's million jobs a quarter share a few dozen combinations of node
-- type, site and grid year.
-- associations: who ran a job and where, what Slurm calls an association
-- (user, account, partition) with the user's unix group and the job's QOS;
-- a few per user, however many jobs they run.
--
-- Rows are only ever added to them, never changed, so that a reader who
-- loads them after its query began finds every row the query refers to.

CREATE TABLE assignments (
	id                         INTEGER PRIMARY KEY,
	node_type                  TEXT    NOT NULL,
	node_type_rule             TEXT    NOT NULL,
	node_cpu_model             TEXT    NOT NULL,
	cpu_watts_per_core_low     REAL    NOT NULL,
	cpu_watts_per_core_central REAL    NOT NULL,
	cpu_watts_per_core_high    REAL    NOT NULL,
	node_gpu_model             TEXT    NOT NULL,
	gpu_watts_low              REAL    NOT NULL,
	gpu_watts_central          REAL    NOT NULL,
	gpu_watts_high             REAL    NOT NULL,
	mem_watts_per_gb_low       REAL    NOT NULL,
	mem_watts_per_gb_central   REAL    NOT NULL,
	mem_watts_per_gb_high      REAL    NOT NULL,
	site                       TEXT    NOT NULL,
	pue_low                    REAL    NOT NULL,
	pue_central                REAL    NOT NULL,
	pue_high                   REAL    NOT NULL,
	zone                       TEXT    NOT NULL,
	ci_g_per_kwh_low           REAL    NOT NULL,
	ci_g_per_kwh_central       REAL    NOT NULL,
	ci_g_per_kwh_high          REAL    NOT NULL,
	factor_ci_source           TEXT    NOT NULL,
	node_cores                 INTEGER NOT NULL,
	trust_measured             INTEGER NOT NULL,
	warnings                   TEXT             -- JSON array; NULL when there are none
) STRICT;

-- A batch looks an assignment up by its values the first time it meets it;
-- these columns leave at most a handful of rows to compare.
CREATE INDEX assignments_values ON assignments (node_type, site, zone, ci_g_per_kwh_central);

INSERT INTO assignments (
	node_type, node_type_rule, node_cpu_model,
	cpu_watts_per_core_low, cpu_watts_per_core_central, cpu_watts_per_core_high,
	node_gpu_model, gpu_watts_low, gpu_watts_central, gpu_watts_high,
	mem_watts_per_gb_low, mem_watts_per_gb_central, mem_watts_per_gb_high,
	site, pue_low, pue_central, pue_high,
	zone, ci_g_per_kwh_low, ci_g_per_kwh_central, ci_g_per_kwh_high,
	factor_ci_source, node_cores, trust_measured, warnings)
SELECT DISTINCT
	node_type, node_type_rule, node_cpu_model,
	cpu_watts_per_core_low, cpu_watts_per_core_central, cpu_watts_per_core_high,
	node_gpu_model, gpu_watts_low, gpu_watts_central, gpu_watts_high,
	mem_watts_per_gb_low, mem_watts_per_gb_central, mem_watts_per_gb_high,
	site, pue_low, pue_central, pue_high,
	zone, ci_g_per_kwh_low, ci_g_per_kwh_central, ci_g_per_kwh_high,
	factor_ci_source, node_cores, trust_measured, warnings
FROM jobs;

CREATE TABLE associations (
	id             INTEGER PRIMARY KEY,
	user_name      TEXT NOT NULL,
	group_name     TEXT NOT NULL,
	account        TEXT NOT NULL,
	partition_name TEXT NOT NULL,
	qos            TEXT NOT NULL,
	UNIQUE (user_name, account, partition_name, qos, group_name)
) STRICT;

INSERT INTO associations (user_name, group_name, account, partition_name, qos)
SELECT DISTINCT user_name, group_name, account, partition_name, qos FROM jobs;

-- The jobs table as 0001 and 0002 made it, with association_id and
-- assignment_id in place of their columns.
CREATE TABLE jobs_v4 (
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

-- IS rather than = so that NULL warnings match.
INSERT INTO jobs_v4
SELECT
	j.source, j.source_file, j.source_line,
	j.cluster, j.job_id, j.job_id_raw, j.parent_id, j.name,
	s.id, j.state, j.exit_code,
	j.submit_time, j.start_time, j.end_time, j.elapsed_sec, j.timelimit_sec,
	j.nnodes, j.node_list, j.cpus, j.cpu_time_sec,
	j.mem_req_gb, j.mem_peak_gb, j.has_mem_peak,
	j.gpus, j.gpu_model, j.gpu_util, j.has_gpu_util,
	j.energy_j,
	a.id,
	j.energy_source, j.cpu_kwh, j.gpu_kwh, j.mem_kwh,
	j.energy_kwh_low, j.energy_kwh_central, j.energy_kwh_high,
	j.co2e_kg_low, j.co2e_kg_central, j.co2e_kg_high,
	j.pue, j.ci_g_per_kwh, j.ci_source,
	j.cpu_efficiency, j.mem_efficiency, j.cost,
	j.run_id
FROM jobs j
JOIN associations s
	ON s.user_name = j.user_name AND s.group_name = j.group_name AND s.account = j.account
	AND s.partition_name = j.partition_name AND s.qos = j.qos
JOIN assignments a
	ON a.node_type IS j.node_type AND a.node_type_rule IS j.node_type_rule
	AND a.node_cpu_model IS j.node_cpu_model
	AND a.cpu_watts_per_core_low IS j.cpu_watts_per_core_low
	AND a.cpu_watts_per_core_central IS j.cpu_watts_per_core_central
	AND a.cpu_watts_per_core_high IS j.cpu_watts_per_core_high
	AND a.node_gpu_model IS j.node_gpu_model
	AND a.gpu_watts_low IS j.gpu_watts_low AND a.gpu_watts_central IS j.gpu_watts_central
	AND a.gpu_watts_high IS j.gpu_watts_high
	AND a.mem_watts_per_gb_low IS j.mem_watts_per_gb_low
	AND a.mem_watts_per_gb_central IS j.mem_watts_per_gb_central
	AND a.mem_watts_per_gb_high IS j.mem_watts_per_gb_high
	AND a.site IS j.site
	AND a.pue_low IS j.pue_low AND a.pue_central IS j.pue_central AND a.pue_high IS j.pue_high
	AND a.zone IS j.zone
	AND a.ci_g_per_kwh_low IS j.ci_g_per_kwh_low
	AND a.ci_g_per_kwh_central IS j.ci_g_per_kwh_central
	AND a.ci_g_per_kwh_high IS j.ci_g_per_kwh_high
	AND a.factor_ci_source IS j.factor_ci_source
	AND a.node_cores IS j.node_cores AND a.trust_measured IS j.trust_measured
	AND a.warnings IS j.warnings
ORDER BY j.rowid;

DROP TABLE jobs;
ALTER TABLE jobs_v4 RENAME TO jobs;

-- As in 0001: the period query walks jobs_period from a lower bound that
-- jobs_end finds.
CREATE INDEX jobs_period ON jobs (job_time, cluster, job_id_raw, submit_time);
CREATE INDEX jobs_end ON jobs (end_time, start_time);
