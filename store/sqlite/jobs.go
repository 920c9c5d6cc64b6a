package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/store"
)

// jobColumns are the columns of a labcarbon.Job, in the order in which
// appendJobArgs writes them and jobScanner reads them; keep the three in
// step (the round trip in storetest catches a slip).
var jobColumns = []string{
	// labcarbon.Usage
	"source", "source_file", "source_line",
	"cluster", "job_id", "job_id_raw", "parent_id", "name",
	"user_name", "group_name", "account", "partition_name", "qos", "state", "exit_code",
	"submit_time", "start_time", "end_time", "elapsed_sec", "timelimit_sec",
	"nnodes", "node_list", "cpus", "cpu_time_sec",
	"mem_req_gb", "mem_peak_gb", "has_mem_peak",
	"gpus", "gpu_model", "gpu_util", "has_gpu_util",
	"energy_j",
	// labcarbon.Assignment
	"node_type", "node_type_rule", "node_cpu_model",
	"cpu_watts_per_core_low", "cpu_watts_per_core_central", "cpu_watts_per_core_high",
	"node_gpu_model",
	"gpu_watts_low", "gpu_watts_central", "gpu_watts_high",
	"mem_watts_per_gb_low", "mem_watts_per_gb_central", "mem_watts_per_gb_high",
	"site",
	"pue_low", "pue_central", "pue_high",
	"zone",
	"ci_g_per_kwh_low", "ci_g_per_kwh_central", "ci_g_per_kwh_high",
	"factor_ci_source", "node_cores", "trust_measured", "warnings",
	// labcarbon.Result
	"energy_source", "cpu_kwh", "gpu_kwh", "mem_kwh",
	"energy_kwh_low", "energy_kwh_central", "energy_kwh_high",
	"co2e_kg_low", "co2e_kg_central", "co2e_kg_high",
	"pue", "ci_g_per_kwh", "ci_source",
	"cpu_efficiency", "mem_efficiency", "cost",
}

// upsertJob writes a job and the run that wrote it; on a known natural key
// it overwrites every other column, so the last write wins.
var upsertJob = func() string {
	cols := slices.Concat(jobColumns, []string{"run_id"})
	var set []string
	for _, c := range cols {
		switch c {
		case "cluster", "job_id_raw", "submit_time":
		default:
			set = append(set, c+" = excluded."+c)
		}
	}
	return "INSERT INTO jobs (" + strings.Join(cols, ", ") + ")\nVALUES (" +
		strings.Repeat("?, ", len(cols)-1) + "?)\n" +
		"ON CONFLICT (cluster, job_id_raw, submit_time) DO UPDATE SET\n" + strings.Join(set, ",\n")
}()

// selectJobs returns the jobs of the period [:from, :to): those whose run
// overlaps it, and those that never started submitted in it.
//
// The rows come in job_time order straight from the jobs_period index, so
// nothing is sorted and rows stream as they are read. The scan of that index
// starts at the earliest start among jobs still running at :from (found
// through jobs_end), not at the beginning of history: a quarterly report
// reads the quarter, not every year before it.
//
// A job that started in the period is returned even if its recorded end is
// not after :from (a zero-length job at the boundary). A job that never
// started is filed by its submit time alone, even when it has an end (a
// pending job cancelled).
var selectJobs = `WITH running(start) AS (
	SELECT min(start_time) FROM jobs WHERE end_time > :from AND start_time < :from
	UNION ALL
	SELECT min(start_time) FROM jobs WHERE end_time IS NULL AND start_time < :from
)
SELECT ` + strings.Join(jobColumns, ", ") + `
FROM jobs
WHERE job_time >= coalesce((SELECT min(start) FROM running), :from)
	AND job_time < :to
	AND (job_time >= :from OR (start_time IS NOT NULL AND (end_time IS NULL OR end_time > :from)))
ORDER BY job_time, cluster, job_id_raw, submit_time`

// appendJobArgs appends the values of j's columns and the run id to args.
// The values are of the driver's own types (string, int64, float64, bool,
// nil), so that database/sql binds them without reflection.
func appendJobArgs(args []any, j *labcarbon.Job, runID int64) ([]any, error) {
	u, a, r := &j.Usage, &j.Assignment, &j.Result
	var warnings any
	if len(a.Warnings) > 0 {
		b, err := json.Marshal(a.Warnings)
		if err != nil {
			return args, fmt.Errorf("encode warnings: %w", err)
		}
		warnings = string(b)
	}
	return append(args,
		string(u.Source), u.SourceFile, int64(u.SourceLine),
		u.Cluster, u.JobID, u.JobIDRaw, u.ParentID, u.Name,
		u.User, u.Group, u.Account, u.Partition, u.QOS, string(u.State), u.ExitCode,
		u.Submit.Unix(), unixOrNull(u.Start), unixOrNull(u.End), u.ElapsedSec, u.TimelimitSec,
		int64(u.NNodes), u.NodeList, int64(u.CPUs), u.CPUTimeSec,
		u.MemReqGB, u.MemPeakGB, u.HasMemPeak,
		int64(u.GPUs), u.GPUModel, u.GPUUtil, u.HasGPUUtil,
		u.EnergyJ,

		a.NodeType, a.Rule, a.CPUModel,
		a.CPUWattsPerCore.Low, a.CPUWattsPerCore.Central, a.CPUWattsPerCore.High,
		a.GPUModel,
		a.GPUWatts.Low, a.GPUWatts.Central, a.GPUWatts.High,
		a.MemWattsPerGB.Low, a.MemWattsPerGB.Central, a.MemWattsPerGB.High,
		a.Site,
		a.PUE.Low, a.PUE.Central, a.PUE.High,
		a.Zone,
		a.CIgPerKWh.Low, a.CIgPerKWh.Central, a.CIgPerKWh.High,
		a.CISource, a.NodeCores, a.TrustMeasured, warnings,

		string(r.EnergySource), r.CPUkWh, r.GPUkWh, r.MemkWh,
		r.EnergyKWh.Low, r.EnergyKWh.Central, r.EnergyKWh.High,
		r.CO2eKg.Low, r.CO2eKg.Central, r.CO2eKg.High,
		r.PUE, r.CIgPerKWh, r.CISource,
		r.CPUEfficiency, r.MemEfficiency, r.Cost,

		runID,
	), nil
}

// jobScanner reads rows of jobColumns into one reused labcarbon.Job.
// Columns whose Go type database/sql cannot fill directly, or only by way
// of strconv, go through the fields below and are copied by finish.
type jobScanner struct {
	job                      labcarbon.Job
	sourceLine               int64
	submit                   int64
	start, end               sql.NullInt64
	nnodes, cpus, gpus       int64
	warnings                 sql.NullString
	source, state, energySrc string
	dest                     []any
}

func newJobScanner() *jobScanner {
	s := &jobScanner{}
	u, a, r := &s.job.Usage, &s.job.Assignment, &s.job.Result
	s.dest = []any{
		&s.source, &u.SourceFile, &s.sourceLine,
		&u.Cluster, &u.JobID, &u.JobIDRaw, &u.ParentID, &u.Name,
		&u.User, &u.Group, &u.Account, &u.Partition, &u.QOS, &s.state, &u.ExitCode,
		&s.submit, &s.start, &s.end, &u.ElapsedSec, &u.TimelimitSec,
		&s.nnodes, &u.NodeList, &s.cpus, &u.CPUTimeSec,
		&u.MemReqGB, &u.MemPeakGB, &u.HasMemPeak,
		&s.gpus, &u.GPUModel, &u.GPUUtil, &u.HasGPUUtil,
		&u.EnergyJ,

		&a.NodeType, &a.Rule, &a.CPUModel,
		&a.CPUWattsPerCore.Low, &a.CPUWattsPerCore.Central, &a.CPUWattsPerCore.High,
		&a.GPUModel,
		&a.GPUWatts.Low, &a.GPUWatts.Central, &a.GPUWatts.High,
		&a.MemWattsPerGB.Low, &a.MemWattsPerGB.Central, &a.MemWattsPerGB.High,
		&a.Site,
		&a.PUE.Low, &a.PUE.Central, &a.PUE.High,
		&a.Zone,
		&a.CIgPerKWh.Low, &a.CIgPerKWh.Central, &a.CIgPerKWh.High,
		&a.CISource, &a.NodeCores, &a.TrustMeasured, &s.warnings,

		&s.energySrc, &r.CPUkWh, &r.GPUkWh, &r.MemkWh,
		&r.EnergyKWh.Low, &r.EnergyKWh.Central, &r.EnergyKWh.High,
		&r.CO2eKg.Low, &r.CO2eKg.Central, &r.CO2eKg.High,
		&r.PUE, &r.CIgPerKWh, &r.CISource,
		&r.CPUEfficiency, &r.MemEfficiency, &r.Cost,
	}
	return s
}

// scan reads the current row of rows into s.job.
func (s *jobScanner) scan(rows *sql.Rows) error {
	if err := rows.Scan(s.dest...); err != nil {
		return err
	}
	u, a := &s.job.Usage, &s.job.Assignment
	u.Source = labcarbon.SourceKind(s.source)
	u.SourceLine = int(s.sourceLine)
	u.State = labcarbon.State(s.state)
	u.Submit, u.Start, u.End = timeOf(s.submit), nullTimeOf(s.start), nullTimeOf(s.end)
	u.NNodes, u.CPUs, u.GPUs = int(s.nnodes), int(s.cpus), int(s.gpus)
	s.job.Result.EnergySource = labcarbon.EnergySource(s.energySrc)
	a.Warnings = nil
	if s.warnings.Valid {
		if err := json.Unmarshal([]byte(s.warnings.String), &a.Warnings); err != nil {
			return fmt.Errorf("decode warnings of job %s/%s: %w", u.Cluster, u.JobIDRaw, err)
		}
	}
	return nil
}

// Jobs calls fn for every job whose run overlaps [from, to), and every job
// that never started submitted in it, ordered by start time (submit time
// for those that never started), then cluster and raw job id. Rows are
// read one at a time into a single Job that fn must not keep. An error from
// fn stops the walk and is returned as it is. An empty period has no jobs.
func (db *DB) Jobs(ctx context.Context, from, to time.Time, fn func(*labcarbon.Job) error) error {
	if !from.Before(to) {
		// The overlap test alone would return the jobs running at from.
		return nil
	}
	rows, err := db.db.QueryContext(ctx, selectJobs, sql.Named("from", from.Unix()), sql.Named("to", to.Unix()))
	if err != nil {
		return fmt.Errorf("query jobs %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	defer rows.Close()
	s := newJobScanner()
	for rows.Next() {
		if err := s.scan(rows); err != nil {
			return fmt.Errorf("read job: %w", err)
		}
		if err := fn(&s.job); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query jobs %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return nil
}

// errBatchDone is returned by a batch used after Commit or Rollback.
var errBatchDone = errors.New("batch already committed or rolled back")

// BeginBatch starts a transaction for one input of run runID. It takes the
// database's write lock at once (BEGIN IMMEDIATE) and holds it until Commit
// or Rollback. The Batch uses ctx for all its work and is for one goroutine.
func (db *DB) BeginBatch(ctx context.Context, runID int64) (store.Batch, error) {
	if err := db.writable(); err != nil {
		return nil, fmt.Errorf("begin batch for run %d: %w", runID, err)
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin batch for run %d: %w", runID, err)
	}
	b, err := prepareBatch(ctx, tx, runID)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("begin batch for run %d: %w", runID, err), tx.Rollback())
	}
	return b, nil
}

// batch is a store.Batch: one transaction with its statements prepared
// once. The input's run_inputs row is inserted when the batch begins, so
// that quarantined rows can refer to it, and filled in by Commit.
type batch struct {
	ctx        context.Context // from BeginBatch, since Batch's methods take none
	execCtx    context.Context // ctx without its cancellation, see Put
	tx         *sql.Tx
	runID      int64
	inputID    int64
	upsert     *sql.Stmt
	quarantine *sql.Stmt
	args       []any // reused by every Put
	done       bool
}

func prepareBatch(ctx context.Context, tx *sql.Tx, runID int64) (*batch, error) {
	// Checked here so that a wrong id is reported as such, not as a foreign
	// key failure.
	var known bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)`, runID).Scan(&known); err != nil {
		return nil, err
	}
	if !known {
		return nil, fmt.Errorf("no run %d", runID)
	}
	res, err := tx.ExecContext(ctx,
		`INSERT INTO run_inputs (run_id, name, sha256, format, jobs, bad) VALUES (?, ?, ?, ?, ?, ?)`,
		runID, "", "", "", 0, 0)
	if err != nil {
		return nil, fmt.Errorf("record input: %w", err)
	}
	inputID, err := res.LastInsertId()
	if err != nil {
		return nil, fmt.Errorf("record input: %w", err)
	}
	upsert, err := tx.PrepareContext(ctx, upsertJob)
	if err != nil {
		return nil, fmt.Errorf("prepare upsert: %w", err)
	}
	quarantine, err := tx.PrepareContext(ctx,
		`INSERT INTO quarantine (input_id, file, line, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare quarantine: %w", err)
	}
	return &batch{
		ctx:        ctx,
		execCtx:    context.WithoutCancel(ctx),
		tx:         tx,
		runID:      runID,
		inputID:    inputID,
		upsert:     upsert,
		quarantine: quarantine,
		args:       make([]any, 0, len(jobColumns)+1),
	}, nil
}

// Put upserts job on its natural key; the last write of a key wins.
func (b *batch) Put(job *labcarbon.Job) error {
	if b.done {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, errBatchDone)
	}
	// The driver starts a goroutine per statement to watch a cancellable
	// context, which costs more than the upsert itself; checking ctx here
	// instead stops a cancelled batch just as well, one job later at most.
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, err)
	}
	args, err := appendJobArgs(b.args[:0], job, b.runID)
	if err != nil {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, err)
	}
	b.args = args
	if _, err := b.upsert.ExecContext(b.execCtx, args...); err != nil {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, err)
	}
	return nil
}

// Quarantine records row as rejected by this batch's run.
func (b *batch) Quarantine(row *ingest.RowError) error {
	if b.done {
		return fmt.Errorf("quarantine %s:%d: %w", row.File, row.Line, errBatchDone)
	}
	_, err := b.quarantine.ExecContext(b.ctx, b.inputID, row.File, int64(row.Line), row.Field, row.Reason, row.Raw)
	if err != nil {
		return fmt.Errorf("quarantine %s:%d: %w", row.File, row.Line, err)
	}
	return nil
}

// Commit records in with the run and commits the batch. If either fails,
// the batch is rolled back.
func (b *batch) Commit(in store.Input) error {
	if b.done {
		return fmt.Errorf("commit input %s: %w", in.Name, errBatchDone)
	}
	b.done = true
	_, err := b.tx.ExecContext(b.ctx,
		`UPDATE run_inputs SET name = ?, sha256 = ?, format = ?, jobs = ?, bad = ? WHERE id = ?`,
		in.Name, in.SHA256, in.Format, int64(in.Jobs), int64(in.Bad), b.inputID)
	if err != nil {
		return errors.Join(fmt.Errorf("record input %s of run %d: %w", in.Name, b.runID, err), b.rollback())
	}
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("commit input %s of run %d: %w", in.Name, b.runID, err)
	}
	return nil
}

// Rollback abandons the batch; it is a no-op once the batch is done.
func (b *batch) Rollback() error {
	if b.done {
		return nil
	}
	b.done = true
	return b.rollback()
}

// rollback rolls the transaction back. database/sql has already done so if
// the batch's context was cancelled, which is not an error here.
func (b *batch) rollback() error {
	if err := b.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("roll back batch of run %d: %w", b.runID, err)
	}
	return nil
}
