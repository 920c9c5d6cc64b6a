package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/store"
)

// jobColumns are the columns of a job row: labcarbon.Usage, with the ids of
// its association and its labcarbon.Assignment, then labcarbon.Result, and
// the figures of both that no query reads in one column (see figureNames).
// They are in the order in which appendJobArgs writes them and jobScanner
// reads them; keep the three in step (the round trip in storetest catches
// a slip).
var jobColumns = []string{
	// labcarbon.Usage
	"source", "source_file", "source_line",
	"cluster", "job_id", "job_id_raw", "parent_id", "name",
	"association_id", "state", "exit_code",
	"submit_time", "start_time", "end_time", "elapsed_sec", "timelimit_sec",
	"nnodes", "node_list", "cpus",
	"gpus", "gpu_model",
	// labcarbon.Assignment
	"assignment_id",
	// labcarbon.Result
	"energy_source",
	"energy_kwh_low", "energy_kwh_central", "energy_kwh_high",
	"co2e_kg_low", "co2e_kg_central", "co2e_kg_high",
	"ci_source",
	"embodied_co2e_kg_low", "embodied_co2e_kg_central", "embodied_co2e_kg_high",
	"cost",
	// Both
	"figures",
}

// A dimension is a table of values that many jobs share, stored once and
// referred to from each job's row by id: what the driver spends on each
// column it binds or reads is most of what a job costs the store, so the
// fewer columns a job row has, the faster it is stored and read. A batch
// finds each value's id once and keeps it; a query loads the whole table
// once.
type dimension struct {
	table   string
	columns []string // but the id, in the order of the append and scan functions
}

var (
	// assignments holds the labcarbon.Assignment of jobs: a centre's
	// million jobs a quarter share a few dozen combinations of node type,
	// site and grid year.
	assignments = dimension{table: "assignments", columns: []string{
		"node_type", "node_type_rule", "node_cpu_model",
		"cpu_watts_per_core_low", "cpu_watts_per_core_central", "cpu_watts_per_core_high",
		"node_gpu_model",
		"gpu_watts_low", "gpu_watts_central", "gpu_watts_high",
		"mem_watts_per_gb_low", "mem_watts_per_gb_central", "mem_watts_per_gb_high",
		"site",
		"pue_low", "pue_central", "pue_high",
		"zone",
		"ci_g_per_kwh_low", "ci_g_per_kwh_central", "ci_g_per_kwh_high",
		"factor_ci_source", "node_cores", "trust_measured",
		"node_gpus", "node_mem_gb",
		"embodied_kg_per_node_hour_low", "embodied_kg_per_node_hour_central", "embodied_kg_per_node_hour_high",
		"embodied_source", "market_ci_g_per_kwh", "has_market_ci",
		"warnings",
	}}
	// associations holds who ran a job and where, what Slurm calls an
	// association (user, account, partition) with the user's unix group
	// and the job's QOS: a few per user, however many jobs they run.
	associations = dimension{table: "associations", columns: []string{
		"user_name", "group_name", "account", "partition_name", "qos",
	}}
)

// findSQL returns the id of the row with the given values; IS rather than
// = so that NULL warnings match.
func (d dimension) findSQL() string {
	var where []string
	for _, c := range d.columns {
		where = append(where, c+" IS ?")
	}
	return "SELECT id FROM " + d.table + " WHERE " + strings.Join(where, " AND ") + " LIMIT 1"
}

// insertSQL adds a row; its id is the new row's.
func (d dimension) insertSQL() string {
	return "INSERT INTO " + d.table + " (" + strings.Join(d.columns, ", ") + ")\nVALUES (" +
		strings.Repeat("?, ", len(d.columns)-1) + "?)"
}

// selectSQL reads the whole table, id first.
func (d dimension) selectSQL() string {
	return "SELECT id, " + strings.Join(d.columns, ", ") + " FROM " + d.table
}

// putRows is how many jobs one statement upserts. A statement costs the
// driver and SQLite a good part of a job's cost (its program set up, its
// cursors opened, a statement journal begun and ended, the call through
// database/sql), so a batch writes jobs by the statement-full: ingest does
// 15% more jobs per CPU-second than with one job a statement.
const putRows = 32

// upsertJobs writes n jobs, each with the run that wrote it; on a known
// natural key it overwrites every other column, so the last write wins,
// also between rows of one statement, which SQLite applies in order.
func upsertJobs(n int) string {
	cols := slices.Concat(jobColumns, []string{"run_id"})
	var set []string
	for _, c := range cols {
		switch c {
		case "cluster", "job_id_raw", "submit_time":
		default:
			set = append(set, c+" = excluded."+c)
		}
	}
	row := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	return "INSERT INTO jobs (" + strings.Join(cols, ", ") + ")\nVALUES " +
		strings.Repeat(row+",\n", n-1) + row + "\n" +
		"ON CONFLICT (cluster, job_id_raw, submit_time) DO UPDATE SET\n" + strings.Join(set, ",\n")
}

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

// appendJobArgs appends the values of j's columns, with the ids of its
// association and assignment, its figures encoded by appendFigures, and the
// run id to args. The values are of the driver's own types (string, int64,
// float64, []byte, nil), so that database/sql binds them without
// reflection.
func appendJobArgs(args []any, j *labcarbon.Job, associationID, assignmentID int64, figures []byte, runID int64) []any {
	u, r := &j.Usage, &j.Result
	return append(args,
		string(u.Source), u.SourceFile, int64(u.SourceLine),
		u.Cluster, u.JobID, u.JobIDRaw, u.ParentID, u.Name,
		associationID, string(u.State), u.ExitCode,
		u.Submit.Unix(), unixOrNull(u.Start), unixOrNull(u.End), u.ElapsedSec, u.TimelimitSec,
		int64(u.NNodes), u.NodeList, int64(u.CPUs),
		int64(u.GPUs), u.GPUModel,

		assignmentID,

		string(r.EnergySource),
		r.EnergyKWh.Low, r.EnergyKWh.Central, r.EnergyKWh.High,
		r.CO2eKg.Low, r.CO2eKg.Central, r.CO2eKg.High,
		r.CISource,
		r.EmbodiedCO2eKg.Low, r.EmbodiedCO2eKg.Central, r.EmbodiedCO2eKg.High,
		r.Cost,

		figures,

		runID,
	)
}

// association is a row of associations.
type association struct {
	user, group, account, partition, qos string
}

func associationOf(u *labcarbon.Usage) association {
	return association{user: u.User, group: u.Group, account: u.Account, partition: u.Partition, qos: u.QOS}
}

// args appends the values of a's columns to args.
func (a *association) args(args []any) []any {
	return append(args, a.user, a.group, a.account, a.partition, a.qos)
}

// key appends an encoding of a to b that tells associations apart.
func (a *association) key(b []byte) []byte {
	for _, s := range [...]string{a.user, a.group, a.account, a.partition, a.qos} {
		b = appendKeyString(b, s)
	}
	return b
}

// appendAssignmentArgs appends the values of a's columns to args.
func appendAssignmentArgs(args []any, a *labcarbon.Assignment) ([]any, error) {
	var warnings any
	if len(a.Warnings) > 0 {
		b, err := json.Marshal(a.Warnings)
		if err != nil {
			return args, fmt.Errorf("encode warnings: %w", err)
		}
		warnings = string(b)
	}
	return append(args,
		a.NodeType, a.Rule, a.CPUModel,
		a.CPUWattsPerCore.Low, a.CPUWattsPerCore.Central, a.CPUWattsPerCore.High,
		a.GPUModel,
		a.GPUWatts.Low, a.GPUWatts.Central, a.GPUWatts.High,
		a.MemWattsPerGB.Low, a.MemWattsPerGB.Central, a.MemWattsPerGB.High,
		a.Site,
		a.PUE.Low, a.PUE.Central, a.PUE.High,
		a.Zone,
		a.CIgPerKWh.Low, a.CIgPerKWh.Central, a.CIgPerKWh.High,
		a.CISource, int64(a.NodeCores), a.TrustMeasured,
		int64(a.NodeGPUs), a.NodeMemGB,
		a.EmbodiedKgPerNodeHour.Low, a.EmbodiedKgPerNodeHour.Central, a.EmbodiedKgPerNodeHour.High,
		a.EmbodiedSource, a.MarketCIgPerKWh, a.HasMarketCI,
		warnings,
	), nil
}

// appendAssignmentKey appends to b an encoding of every field of a that
// tells two assignments apart exactly: a map key that costs less per job
// than a query, and allocates nothing.
func appendAssignmentKey(b []byte, a *labcarbon.Assignment) []byte {
	rng := func(b []byte, r labcarbon.Range) []byte {
		return appendKeyFloat(appendKeyFloat(appendKeyFloat(b, r.Low), r.Central), r.High)
	}
	b = appendKeyString(b, a.NodeType)
	b = appendKeyString(b, a.Rule)
	b = appendKeyString(b, a.CPUModel)
	b = rng(b, a.CPUWattsPerCore)
	b = appendKeyString(b, a.GPUModel)
	b = rng(b, a.GPUWatts)
	b = rng(b, a.MemWattsPerGB)
	b = appendKeyString(b, a.Site)
	b = rng(b, a.PUE)
	b = appendKeyString(b, a.Zone)
	b = rng(b, a.CIgPerKWh)
	b = appendKeyString(b, a.CISource)
	b = binary.AppendVarint(b, int64(a.NodeCores))
	b = appendKeyBool(b, a.TrustMeasured)
	b = binary.AppendVarint(b, int64(a.NodeGPUs))
	b = appendKeyFloat(b, a.NodeMemGB)
	b = rng(b, a.EmbodiedKgPerNodeHour)
	b = appendKeyString(b, a.EmbodiedSource)
	b = appendKeyFloat(b, a.MarketCIgPerKWh)
	b = appendKeyBool(b, a.HasMarketCI)
	b = binary.AppendUvarint(b, uint64(len(a.Warnings)))
	for _, w := range a.Warnings {
		b = appendKeyString(b, w)
	}
	return b
}

// appendKeyFloat appends f's bits to a key: exact, where text could round
// two values to one, and allocation-free.
func appendKeyFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

// appendKeyBool appends v to a key as one byte.
func appendKeyBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// appendKeyString appends s to a key, prefixed by its length so that no
// two sequences of strings encode alike.
func appendKeyString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// jobScanner reads rows of jobColumns into one reused labcarbon.Job.
//
// Every column is scanned into an any, which database/sql fills by copying
// the driver's value: scanning into typed destinations (*float64, *int64)
// goes through reflection for each of them, a fifth of what reading a job
// cost. scan then takes each value apart by its type; a value of a type the
// column cannot hold is an error, as database/sql would have made it.
type jobScanner struct {
	job     labcarbon.Job
	vals    []any
	figures sql.RawBytes // the driver's copy, decoded at once
	dest    []any

	// The dimensions, loaded by load.
	associations map[int64]association
	assignments  map[int64]labcarbon.Assignment
}

func newJobScanner() *jobScanner {
	s := &jobScanner{vals: make([]any, len(jobColumns)), dest: make([]any, len(jobColumns))}
	for i := range s.vals {
		s.dest[i] = &s.vals[i]
	}
	s.dest[len(s.dest)-1] = &s.figures
	return s
}

// columns takes apart the values of a row, in the order of jobColumns. The
// first value of an unexpected type is kept in err and the rest read as
// zero, so that the caller checks once per row.
type columns struct {
	vals []any
	i    int
	err  error
}

func (c *columns) next() any {
	v := c.vals[c.i]
	c.i++
	return v
}

func (c *columns) fail(v any, want string) {
	if c.err == nil {
		c.err = fmt.Errorf("column %s: %T, want %s", jobColumns[c.i-1], v, want)
	}
}

func (c *columns) text() string {
	v := c.next()
	s, ok := v.(string)
	if !ok {
		c.fail(v, "text")
	}
	return s
}

func (c *columns) integer() int64 {
	v := c.next()
	n, ok := v.(int64)
	if !ok {
		c.fail(v, "integer")
	}
	return n
}

// real reads a REAL column; SQLite may hand an integral value over as an
// integer, which converts exactly as database/sql would convert it.
func (c *columns) real() float64 {
	switch v := c.next().(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	default:
		c.fail(v, "real")
		return 0
	}
}

// flag reads a boolean stored as 0 or 1, the only integers database/sql
// accepts for a bool.
func (c *columns) flag() bool {
	v := c.next()
	switch v {
	case int64(0):
		return false
	case int64(1):
		return true
	}
	c.fail(v, "0 or 1")
	return false
}

// time reads a NOT NULL time column.
func (c *columns) time() time.Time {
	return timeOf(c.integer())
}

// nullTime reads a time column that unixOrNull wrote.
func (c *columns) nullTime() time.Time {
	if c.vals[c.i] == nil {
		c.i++
		return time.Time{}
	}
	return c.time()
}

// load reads the dimension tables whole. Called once the query's first row
// is read, it sees every row that the query's snapshot refers to, or more:
// rows are only ever added to dimensions.
func (s *jobScanner) load(ctx context.Context, db *sql.DB) error {
	s.associations = make(map[int64]association)
	err := scanAll(ctx, db, associations, func(rows *sql.Rows) error {
		var (
			id int64
			a  association
		)
		if err := rows.Scan(&id, &a.user, &a.group, &a.account, &a.partition, &a.qos); err != nil {
			return err
		}
		s.associations[id] = a
		return nil
	})
	if err != nil {
		return err
	}
	s.assignments = make(map[int64]labcarbon.Assignment)
	return scanAll(ctx, db, assignments, func(rows *sql.Rows) error {
		var (
			id          int64
			a           labcarbon.Assignment
			cores, gpus int64
			warnings    sql.NullString
		)
		err := rows.Scan(&id,
			&a.NodeType, &a.Rule, &a.CPUModel,
			&a.CPUWattsPerCore.Low, &a.CPUWattsPerCore.Central, &a.CPUWattsPerCore.High,
			&a.GPUModel,
			&a.GPUWatts.Low, &a.GPUWatts.Central, &a.GPUWatts.High,
			&a.MemWattsPerGB.Low, &a.MemWattsPerGB.Central, &a.MemWattsPerGB.High,
			&a.Site,
			&a.PUE.Low, &a.PUE.Central, &a.PUE.High,
			&a.Zone,
			&a.CIgPerKWh.Low, &a.CIgPerKWh.Central, &a.CIgPerKWh.High,
			&a.CISource, &cores, &a.TrustMeasured,
			&gpus, &a.NodeMemGB,
			&a.EmbodiedKgPerNodeHour.Low, &a.EmbodiedKgPerNodeHour.Central, &a.EmbodiedKgPerNodeHour.High,
			&a.EmbodiedSource, &a.MarketCIgPerKWh, &a.HasMarketCI,
			&warnings,
		)
		if err != nil {
			return err
		}
		a.NodeCores, a.NodeGPUs = int(cores), int(gpus)
		if warnings.Valid {
			if err := json.Unmarshal([]byte(warnings.String), &a.Warnings); err != nil {
				return fmt.Errorf("decode warnings of assignment %d: %w", id, err)
			}
		}
		s.assignments[id] = a
		return nil
	})
}

// scanAll calls fn for every row of dimension d.
func scanAll(ctx context.Context, db *sql.DB, d dimension, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, d.selectSQL())
	if err != nil {
		return fmt.Errorf("read %s: %w", d.table, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("read %s: %w", d.table, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", d.table, err)
	}
	return nil
}

// scan reads the current row of rows into s.job.
func (s *jobScanner) scan(rows *sql.Rows) error {
	if err := rows.Scan(s.dest...); err != nil {
		return err
	}
	c := columns{vals: s.vals}
	u, r := &s.job.Usage, &s.job.Result
	u.Source, u.SourceFile, u.SourceLine = labcarbon.SourceKind(c.text()), c.text(), int(c.integer())
	u.Cluster, u.JobID, u.JobIDRaw, u.ParentID, u.Name = c.text(), c.text(), c.text(), c.text(), c.text()
	associationID, state, exitCode := c.integer(), c.text(), c.text()
	u.State, u.ExitCode = labcarbon.State(state), exitCode
	u.Submit, u.Start, u.End, u.ElapsedSec, u.TimelimitSec = c.time(), c.nullTime(), c.nullTime(), c.integer(), c.integer()
	u.NNodes, u.NodeList, u.CPUs = int(c.integer()), c.text(), int(c.integer())
	u.GPUs, u.GPUModel = int(c.integer()), c.text()

	assignmentID := c.integer()

	r.EnergySource = labcarbon.EnergySource(c.text())
	r.EnergyKWh = labcarbon.Range{Low: c.real(), Central: c.real(), High: c.real()}
	r.CO2eKg = labcarbon.Range{Low: c.real(), Central: c.real(), High: c.real()}
	r.CISource = c.text()
	r.EmbodiedCO2eKg = labcarbon.Range{Low: c.real(), Central: c.real(), High: c.real()}
	r.Cost = c.real()
	if c.err != nil {
		return c.err
	}
	var f figures
	if err := decodeFigures(s.figures, &f); err != nil {
		return fmt.Errorf("job %s/%s: %w", u.Cluster, u.JobIDRaw, err)
	}
	f.set(&s.job)

	as, ok := s.associations[associationID]
	if !ok {
		return fmt.Errorf("job %s/%s: no association %d", u.Cluster, u.JobIDRaw, associationID)
	}
	u.User, u.Group, u.Account, u.Partition, u.QOS = as.user, as.group, as.account, as.partition, as.qos
	if s.job.Assignment, ok = s.assignments[assignmentID]; !ok {
		return fmt.Errorf("job %s/%s: no assignment %d", u.Cluster, u.JobIDRaw, assignmentID)
	}
	return nil
}

// Jobs calls fn for every job whose run overlaps [from, to), and every job
// that never started submitted in it, ordered by start time (submit time
// for those that never started), then cluster and raw job id. Rows are
// read one at a time into a single Job that fn must not keep (jobs with the
// same factors share their Assignment's Warnings). An error from fn stops
// the walk and is returned as it is. An empty period has no jobs.
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
		if s.assignments == nil {
			// On the pool's next connection, while rows holds its own.
			if err := s.load(ctx, db.db); err != nil {
				return err
			}
		}
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
	ctx          context.Context // from BeginBatch, since Batch's methods take none
	execCtx      context.Context // ctx without its cancellation, see Put
	tx           *sql.Tx
	runID        int64
	inputID      int64
	upsertRows   *sql.Stmt // putRows jobs
	upsert       *sql.Stmt // one job, for the last ones of a batch
	quarantine   *sql.Stmt
	associations *dimensionIDs
	assignments  *dimensionIDs
	key          []byte // reused by every Put
	// figures holds the encoded figures of the jobs in args, which refer
	// to it: one buffer per statement rather than one per job.
	figures []byte
	// args holds the values of the jobs put and not yet written, at most
	// putRows of them; first and last name them in errors.
	args        []any
	pending     int
	first, last jobName
	// failed is the error of a write that lost jobs already put: the batch
	// can then only be rolled back.
	failed error
	done   bool
}

// jobName names a job in errors: its cluster and raw id.
type jobName struct{ cluster, id string }

// dimensionIDs are the ids of a dimension's rows that a batch has met, by
// key, with the statements that find and add rows. They live and die with
// the batch's transaction, so an id never outlives a rollback that undid
// its row.
type dimensionIDs struct {
	table     string
	find, add *sql.Stmt
	ids       map[string]int64
}

func prepareDimension(ctx context.Context, tx *sql.Tx, d dimension) (*dimensionIDs, error) {
	find, err := tx.PrepareContext(ctx, d.findSQL())
	if err != nil {
		return nil, fmt.Errorf("prepare %s lookup: %w", d.table, err)
	}
	add, err := tx.PrepareContext(ctx, d.insertSQL())
	if err != nil {
		return nil, fmt.Errorf("prepare %s insert: %w", d.table, err)
	}
	return &dimensionIDs{table: d.table, find: find, add: add, ids: make(map[string]int64)}, nil
}

// lookup returns the id of the row that holds args, adding the row if the
// store has none, and keeps it under key.
func (d *dimensionIDs) lookup(ctx context.Context, key []byte, args []any) (int64, error) {
	var id int64
	err := d.find.QueryRowContext(ctx, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		if res, err = d.add.ExecContext(ctx, args...); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, fmt.Errorf("store %s: %w", d.table, err)
	}
	d.ids[string(key)] = id
	return id, nil
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
	upsertRows, err := tx.PrepareContext(ctx, upsertJobs(putRows))
	if err != nil {
		return nil, fmt.Errorf("prepare upsert: %w", err)
	}
	upsert, err := tx.PrepareContext(ctx, upsertJobs(1))
	if err != nil {
		return nil, fmt.Errorf("prepare upsert: %w", err)
	}
	quarantine, err := tx.PrepareContext(ctx,
		`INSERT INTO quarantine (input_id, file, line, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("prepare quarantine: %w", err)
	}
	assoc, err := prepareDimension(ctx, tx, associations)
	if err != nil {
		return nil, err
	}
	assign, err := prepareDimension(ctx, tx, assignments)
	if err != nil {
		return nil, err
	}
	return &batch{
		ctx:          ctx,
		execCtx:      context.WithoutCancel(ctx),
		tx:           tx,
		runID:        runID,
		inputID:      inputID,
		upsertRows:   upsertRows,
		upsert:       upsert,
		quarantine:   quarantine,
		associations: assoc,
		assignments:  assign,
		args:         make([]any, 0, putRows*(len(jobColumns)+1)),
		figures:      make([]byte, 0, putRows*maxFiguresLen),
	}, nil
}

// Put upserts job on its natural key; the last write of a key wins. The
// job is written with the next ones, putRows at a time, or by Commit: a
// failure to write it may be reported by a later Put, naming the jobs
// written together, and fails the batch all the same.
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
	if b.failed != nil {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, b.failed)
	}
	associationID, assignmentID, err := b.dimensionIDs(job)
	if err != nil {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, err)
	}
	f := figuresOf(job)
	n := len(b.figures)
	if b.figures, err = appendFigures(b.figures, &f); err != nil {
		return fmt.Errorf("upsert job %s/%s: %w", job.Cluster, job.JobIDRaw, err)
	}
	b.args = appendJobArgs(b.args, job, associationID, assignmentID, b.figures[n:], b.runID)
	b.last = jobName{job.Cluster, job.JobIDRaw}
	if b.pending == 0 {
		b.first = b.last
	}
	b.pending++
	if b.pending == putRows {
		return b.flush()
	}
	return nil
}

// flush writes the jobs put and not yet written.
func (b *batch) flush() error {
	var err error
	if b.pending == putRows {
		_, err = b.upsertRows.ExecContext(b.execCtx, b.args...)
	} else {
		w := len(jobColumns) + 1
		for i := 0; i < b.pending && err == nil; i++ {
			_, err = b.upsert.ExecContext(b.execCtx, b.args[i*w:(i+1)*w]...)
		}
	}
	if err != nil {
		b.failed = fmt.Errorf("upsert jobs %s/%s to %s/%s: %w", b.first.cluster, b.first.id, b.last.cluster, b.last.id, err)
		return b.failed
	}
	clear(b.args) // let go of the values' strings
	b.args, b.figures, b.pending = b.args[:0], b.figures[:0], 0
	return nil
}

// dimensionIDs returns the ids of job's association and assignment. Most
// jobs find them in the batch's maps; the first of each kind looks its row
// up, or adds it.
func (b *batch) dimensionIDs(job *labcarbon.Job) (associationID, assignmentID int64, err error) {
	as := associationOf(&job.Usage)
	b.key = as.key(b.key[:0])
	associationID, ok := b.associations.ids[string(b.key)]
	if !ok {
		if associationID, err = b.associations.lookup(b.execCtx, b.key, as.args(nil)); err != nil {
			return 0, 0, err
		}
	}
	b.key = appendAssignmentKey(b.key[:0], &job.Assignment)
	assignmentID, ok = b.assignments.ids[string(b.key)]
	if !ok {
		args, err := appendAssignmentArgs(nil, &job.Assignment)
		if err != nil {
			return 0, 0, err
		}
		if assignmentID, err = b.assignments.lookup(b.execCtx, b.key, args); err != nil {
			return 0, 0, err
		}
	}
	return associationID, assignmentID, nil
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
	if b.failed != nil {
		return errors.Join(fmt.Errorf("commit input %s of run %d: %w", in.Name, b.runID, b.failed), b.rollback())
	}
	if err := b.flush(); err != nil {
		return errors.Join(fmt.Errorf("commit input %s of run %d: %w", in.Name, b.runID, err), b.rollback())
	}
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

// selectTotals sums the jobs of a period as report.Build counts them: a job
// that ran, by the fraction of its run time in [from, to) (its run ends at
// its end time once final, else at start + elapsed); one that never ran,
// wholly in the period of its submission, with nothing to add but itself.
var selectTotals = `WITH running(start) AS (
	SELECT min(start_time) FROM jobs WHERE end_time > :from AND start_time < :from
	UNION ALL
	SELECT min(start_time) FROM jobs WHERE end_time IS NULL AND start_time < :from
),
period AS (
	SELECT start_time, elapsed_sec, submit_time,
		CASE WHEN end_time IS NOT NULL AND state NOT IN (` + sqlStates(notFinalStates) + `)
			THEN end_time ELSE start_time + elapsed_sec END AS run_end,
		energy_kwh_low, energy_kwh_central, energy_kwh_high,
		co2e_kg_low, co2e_kg_central, co2e_kg_high,
		embodied_co2e_kg_low, embodied_co2e_kg_central, embodied_co2e_kg_high, cost
	FROM jobs
	WHERE job_time >= coalesce((SELECT min(start) FROM running), :from)
		AND job_time < :to
		AND (job_time >= :from OR (start_time IS NOT NULL AND (end_time IS NULL OR end_time > :from)))
),
share AS (
	SELECT *, CASE
		WHEN start_time IS NULL OR elapsed_sec <= 0 THEN
			CASE WHEN submit_time >= :from AND submit_time < :to THEN 0.0 ELSE NULL END
		WHEN run_end <= start_time THEN
			CASE WHEN start_time >= :from AND start_time < :to THEN 1.0 ELSE NULL END
		ELSE nullif(max(0.0, (min(run_end, :to) - max(start_time, :from)) * 1.0 / (run_end - start_time)), 0.0)
	END AS f
	FROM period
)
SELECT count(f), count(CASE WHEN f > 0 AND run_end > :to THEN 1 END),
	coalesce(sum(f * energy_kwh_low), 0), coalesce(sum(f * energy_kwh_central), 0), coalesce(sum(f * energy_kwh_high), 0),
	coalesce(sum(f * co2e_kg_low), 0), coalesce(sum(f * co2e_kg_central), 0), coalesce(sum(f * co2e_kg_high), 0),
	coalesce(sum(f * embodied_co2e_kg_low), 0), coalesce(sum(f * embodied_co2e_kg_central), 0), coalesce(sum(f * embodied_co2e_kg_high), 0),
	coalesce(sum(f * cost), 0)
FROM share`

// notFinalStates are the states labcarbon.State.Final says a job has not
// ended in (TestNotFinalStates keeps the two in step).
var notFinalStates = []labcarbon.State{labcarbon.StatePending, labcarbon.StateRunning, "SUSPENDED", "RESIZING", "COMPLETING", "CONFIGURING"}

// sqlStates quotes states for an IN list.
func sqlStates(states []labcarbon.State) string {
	q := make([]string, len(states))
	for i, s := range states {
		q[i] = "'" + string(s) + "'"
	}
	return strings.Join(q, ", ")
}

// Totals sums the jobs of [from, to); see store.Store.
func (db *DB) Totals(ctx context.Context, from, to time.Time) (store.Totals, error) {
	var t store.Totals
	if !from.Before(to) {
		return t, nil
	}
	err := db.db.QueryRowContext(ctx, selectTotals, sql.Named("from", from.Unix()), sql.Named("to", to.Unix())).Scan(
		&t.Jobs, &t.RunningAtEnd, &t.EnergyKWh.Low, &t.EnergyKWh.Central, &t.EnergyKWh.High,
		&t.CO2eKg.Low, &t.CO2eKg.Central, &t.CO2eKg.High,
		&t.EmbodiedCO2eKg.Low, &t.EmbodiedCO2eKg.Central, &t.EmbodiedCO2eKg.High, &t.Cost)
	if err != nil {
		return t, fmt.Errorf("sum jobs %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return t, nil
}
