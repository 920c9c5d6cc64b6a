package sqlite

import (
	"database/sql"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/store"
)

// dimensionJobs are jobs that share an assignment and not an association,
// and the other way round, one with warnings and one that never started.
func dimensionJobs() []labcarbon.Job {
	start := time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC)
	a := labcarbon.Assignment{
		NodeType: "cpu", Rule: "partition cpu", CPUModel: "AMD EPYC 7763",
		CPUWattsPerCore: labcarbon.Range{Low: 3.5, Central: 4.375, High: 5},
		MemWattsPerGB:   labcarbon.Point(0.3725), Site: "dc", PUE: labcarbon.Range{Low: 1.2, Central: 1.3, High: 1.4},
		Zone: "GB", CIgPerKWh: labcarbon.Range{Low: 190, Central: 210.89, High: 230}, CISource: "Ember 2024", NodeCores: 128,
	}
	warned := a
	warned.NodeType, warned.Warnings = "generic", []string{"partition debug: no rule, generic node"}
	job := func(id, user, partition string, as labcarbon.Assignment) labcarbon.Job {
		return labcarbon.Job{
			Usage: labcarbon.Usage{
				Source: labcarbon.SourceSacct, SourceFile: "sacct.txt", SourceLine: 2, Cluster: "hydra",
				JobID: id, JobIDRaw: id, Name: "job " + id, User: user, Group: "lab", Account: "physics",
				Partition: partition, QOS: "normal", State: labcarbon.StateCompleted, ExitCode: "0:0",
				Submit: start.Add(-time.Minute), Start: start, End: start.Add(time.Hour), ElapsedSec: 3600,
				NNodes: 1, NodeList: "cpu001", CPUs: 8, CPUTimeSec: 20000, MemReqGB: 16,
			},
			Assignment: as,
			Result:     labcarbon.Result{EnergySource: labcarbon.EnergyModelled, EnergyKWh: labcarbon.Point(0.1), CO2eKg: labcarbon.Point(0.02)},
		}
	}
	jobs := []labcarbon.Job{
		job("101", "anna", "cpu", a),
		job("102", "bart", "cpu", a),
		job("103", "anna", "debug", warned),
		job("104", "anna", "cpu", a),
	}
	jobs[3].Start, jobs[3].End, jobs[3].ElapsedSec, jobs[3].State = time.Time{}, time.Time{}, 0, labcarbon.StatePending
	return jobs
}

// TestMigrationFromOldSchema writes jobs into stores with the schema of
// earlier migrations, each row laid out as those migrations had it, and
// checks that Open upgrades them: every job reads back as it was, the
// fields the old schema lacked at their zero (0, false, empty), and the
// upgraded store keeps those fields for the jobs written after.
func TestMigrationFromOldSchema(t *testing.T) {
	tests := []struct {
		name   string
		before string // the first migration the old store lacks
		insert func(t *testing.T, db *DB, j *labcarbon.Job, runID int64)
	}{
		// 0001 to 0003: a job's factors and association were columns of its own.
		{"factors in the job row (0001-0003)", "0004", insertFlatJob},
		// 0004: factors and associations in tables of their own, without
		// the fields of the emissions engine that 0005 adds.
		{"factors in dimensions (0004)", "0005", insertDimensionJob},
		// 0005 and 0006: every figure in a column of its own, which 0007
		// encodes into figures. The jobs have every field set, so that
		// each figure's move is checked.
		{"figures in columns (0005-0006)", "0007", insertDimensionJob},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			path := filepath.Join(t.TempDir(), "labcarbon.db")
			old, err := open(ctx, path, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := old.db.ExecContext(ctx, `CREATE TABLE migrations (name TEXT PRIMARY KEY, applied INTEGER NOT NULL) STRICT`); err != nil {
				t.Fatal(err)
			}
			for _, name := range migrationNames() {
				if name < tt.before {
					if err := old.migrateFile(ctx, name); err != nil {
						t.Fatalf("migration %s: %v", name, err)
					}
				}
			}
			runID, err := old.BeginRun(ctx, "ingest", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			jobs := dimensionJobs()
			engineBefore := tt.before >= "0007" // the old store holds the engine's fields
			if engineBefore {
				for i := range jobs {
					jobs[i] = withFigures(withEngineFields(jobs[i]))
				}
			}
			for i := range jobs {
				tt.insert(t, old, &jobs[i], runID)
			}
			if err := old.Close(); err != nil {
				t.Fatal(err)
			}

			db, err := Open(ctx, path)
			if err != nil {
				t.Fatalf("Open migrates: %v", err)
			}
			defer db.Close()
			got := allJobs(t, db)
			want := []labcarbon.Job{jobs[3], jobs[0], jobs[1], jobs[2]} // by job time; 104 never started
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after migration:\n got %+v\nwant %+v", got, want)
			}
			checkRows(t, db, map[string]int{"assignments": 2, "associations": 3})

			// The factors of 101 with the engine's fields are a combination
			// of their own, not the migrated row that has them zero.
			engine := withFigures(withEngineFields(jobs[0]))
			engine.JobIDRaw = "105"
			putJobs(t, db, &engine)
			got = allJobs(t, db)
			want = append(want, engine)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("with a job written after the migration:\n got %+v\nwant %+v", got, want)
			}
			assignments := 3
			if engineBefore {
				assignments = 2 // 101's, stored already
			}
			checkRows(t, db, map[string]int{"assignments": assignments, "associations": 3})
		})
	}
}

// withEngineFields returns j with every field that migration 0005 added
// set, each to a value of its own.
func withEngineFields(j labcarbon.Job) labcarbon.Job {
	a, r := &j.Assignment, &j.Result
	a.NodeGPUs, a.NodeMemGB = 4, 512.5
	a.EmbodiedKgPerNodeHour = labcarbon.Range{Low: 0.0214, Central: 0.0285, High: 0.0371}
	a.EmbodiedSource = "vendor LCA, 5-year life"
	a.MarketCIgPerKWh, a.HasMarketCI = 27.25, true
	r.CIHourlyShare = 0.875
	r.MarketCO2eKg, r.HasMarket = labcarbon.Range{Low: 0.281, Central: 0.305, High: 0.392}, true
	r.EmbodiedCO2eKg, r.NodeShare = labcarbon.Range{Low: 0.52, Central: 0.641, High: 0.835}, 0.6875
	r.MemWasteCO2eKg = labcarbon.Range{Low: 0.0413, Central: 0.0571, High: 0.0792}
	r.IdleCoreHours = 35.75
	r.IdleCoreCO2eKg = labcarbon.Range{Low: 1.93, Central: 2.21, High: 2.74}
	return j
}

// withFigures returns j with every figure (see figureNames) set, each to a
// value of its own, and some that an encoding could get wrong: a negative
// zero, a denormal, the largest float.
func withFigures(j labcarbon.Job) labcarbon.Job {
	u, r := &j.Usage, &j.Result
	u.CPUTimeSec, u.MemReqGB, u.MemPeakGB, u.HasMemPeak = 20000.5, 16.25, 11.125, true
	u.GPUUtil, u.HasGPUUtil, u.EnergyJ = 0.4375, true, 1.5e6
	r.CPUkWh, r.GPUkWh, r.MemkWh = 0.0625, math.Copysign(0, -1), 5e-324
	r.PUE, r.CIgPerKWh = 1.3, math.MaxFloat64
	r.CPUEfficiency, r.MemEfficiency = 0.8125, -0.1
	return j
}

// v6JobColumns and appendV6JobArgs are jobColumns and appendJobArgs as
// migrations 0005 and 0006 had them: every figure a column of its own.
// The older layouts are subsets of it (see oldColumns).
var v6JobColumns = []string{
	"source", "source_file", "source_line",
	"cluster", "job_id", "job_id_raw", "parent_id", "name",
	"association_id", "state", "exit_code",
	"submit_time", "start_time", "end_time", "elapsed_sec", "timelimit_sec",
	"nnodes", "node_list", "cpus", "cpu_time_sec",
	"mem_req_gb", "mem_peak_gb", "has_mem_peak",
	"gpus", "gpu_model", "gpu_util", "has_gpu_util",
	"energy_j",
	"assignment_id",
	"energy_source", "cpu_kwh", "gpu_kwh", "mem_kwh",
	"energy_kwh_low", "energy_kwh_central", "energy_kwh_high",
	"co2e_kg_low", "co2e_kg_central", "co2e_kg_high",
	"pue", "ci_g_per_kwh", "ci_source", "ci_hourly_share",
	"market_co2e_kg_low", "market_co2e_kg_central", "market_co2e_kg_high", "has_market",
	"embodied_co2e_kg_low", "embodied_co2e_kg_central", "embodied_co2e_kg_high", "node_share",
	"mem_waste_co2e_kg_low", "mem_waste_co2e_kg_central", "mem_waste_co2e_kg_high",
	"idle_core_hours", "idle_core_co2e_kg_low", "idle_core_co2e_kg_central", "idle_core_co2e_kg_high",
	"cpu_efficiency", "mem_efficiency", "cost",
	"run_id",
}

func appendV6JobArgs(args []any, j *labcarbon.Job, associationID, assignmentID, runID int64) []any {
	u, r := &j.Usage, &j.Result
	return append(args,
		string(u.Source), u.SourceFile, int64(u.SourceLine),
		u.Cluster, u.JobID, u.JobIDRaw, u.ParentID, u.Name,
		associationID, string(u.State), u.ExitCode,
		u.Submit.Unix(), unixOrNull(u.Start), unixOrNull(u.End), u.ElapsedSec, u.TimelimitSec,
		int64(u.NNodes), u.NodeList, int64(u.CPUs), u.CPUTimeSec,
		u.MemReqGB, u.MemPeakGB, u.HasMemPeak,
		int64(u.GPUs), u.GPUModel, u.GPUUtil, u.HasGPUUtil,
		u.EnergyJ,
		assignmentID,
		string(r.EnergySource), r.CPUkWh, r.GPUkWh, r.MemkWh,
		r.EnergyKWh.Low, r.EnergyKWh.Central, r.EnergyKWh.High,
		r.CO2eKg.Low, r.CO2eKg.Central, r.CO2eKg.High,
		r.PUE, r.CIgPerKWh, r.CISource, r.CIHourlyShare,
		r.MarketCO2eKg.Low, r.MarketCO2eKg.Central, r.MarketCO2eKg.High, r.HasMarket,
		r.EmbodiedCO2eKg.Low, r.EmbodiedCO2eKg.Central, r.EmbodiedCO2eKg.High, r.NodeShare,
		r.MemWasteCO2eKg.Low, r.MemWasteCO2eKg.Central, r.MemWasteCO2eKg.High,
		r.IdleCoreHours, r.IdleCoreCO2eKg.Low, r.IdleCoreCO2eKg.Central, r.IdleCoreCO2eKg.High,
		r.CPUEfficiency, r.MemEfficiency, r.Cost,
		runID,
	)
}

// insertFlatJob writes j as migrations 0001 to 0003 laid a job row out:
// the dimensions' columns in place of their ids.
func insertFlatJob(t *testing.T, db *DB, j *labcarbon.Job, runID int64) {
	t.Helper()
	as := associationOf(&j.Usage)
	assignArgs, err := appendAssignmentArgs(nil, &j.Assignment)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	var args []any
	for i, v := range appendV6JobArgs(nil, j, 0, 0, runID) {
		switch c := v6JobColumns[i]; c {
		case "association_id":
			cols, args = append(cols, associations.columns...), as.args(args)
		case "assignment_id":
			cols, args = append(cols, assignments.columns...), append(args, assignArgs...)
		default:
			cols, args = append(cols, c), append(args, v)
		}
	}
	cols, args = oldColumns(t, db, "jobs", cols, args)
	d := dimension{table: "jobs", columns: cols}
	if _, err := db.db.ExecContext(t.Context(), d.insertSQL(), args...); err != nil {
		t.Fatalf("insert job %s: %v", j.JobIDRaw, err)
	}
}

// insertDimensionJob writes j as migrations 0004 to 0006 laid it out: its
// association and factors in their tables, each combination once.
func insertDimensionJob(t *testing.T, db *DB, j *labcarbon.Job, runID int64) {
	t.Helper()
	as := associationOf(&j.Usage)
	associationID := oldDimensionID(t, db, associations, as.args(nil))
	assignArgs, err := appendAssignmentArgs(nil, &j.Assignment)
	if err != nil {
		t.Fatal(err)
	}
	assignmentID := oldDimensionID(t, db, assignments, assignArgs)
	cols, args := oldColumns(t, db, "jobs", v6JobColumns,
		appendV6JobArgs(nil, j, associationID, assignmentID, runID))
	d := dimension{table: "jobs", columns: cols}
	if _, err := db.db.ExecContext(t.Context(), d.insertSQL(), args...); err != nil {
		t.Fatalf("insert job %s: %v", j.JobIDRaw, err)
	}
}

// oldDimensionID returns the id of the row of d with the values args in
// the old schema of db, adding the row if there is none.
func oldDimensionID(t *testing.T, db *DB, d dimension, args []any) int64 {
	t.Helper()
	d.columns, args = oldColumns(t, db, d.table, d.columns, args)
	var id int64
	err := db.db.QueryRowContext(t.Context(), d.findSQL(), args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		if res, err = db.db.ExecContext(t.Context(), d.insertSQL(), args...); err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		t.Fatalf("store %s: %v", d.table, err)
	}
	return id
}

// oldColumns keeps the columns, and their values, that table has in the
// old schema of db. The values left out must be zero: the old schema
// could not hold anything else, and the upgrade gives them their zero.
func oldColumns(t *testing.T, db *DB, table string, cols []string, args []any) ([]string, []any) {
	t.Helper()
	rows, err := db.db.QueryContext(t.Context(), `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	has := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		has[name] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var keptCols []string
	var keptArgs []any
	for i, c := range cols {
		if has[c] {
			keptCols, keptArgs = append(keptCols, c), append(keptArgs, args[i])
		} else if v := reflect.ValueOf(args[i]); v.IsValid() && !v.IsZero() {
			t.Fatalf("%s.%s: the old schema has no column for %v", table, c, args[i])
		}
	}
	return keptCols, keptArgs
}

// checkRows checks how many rows each table has.
func checkRows(t *testing.T, db *DB, want map[string]int) {
	t.Helper()
	for table, n := range want {
		var got int
		if err := db.db.QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
	}
}

// putJobs stores jobs in one batch of a new run.
func putJobs(t *testing.T, db *DB, jobs ...*labcarbon.Job) {
	t.Helper()
	runID, err := db.BeginRun(t.Context(), "ingest", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.BeginBatch(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if err := b.Put(j); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(store.Input{Name: "after migration", Jobs: len(jobs)}); err != nil {
		t.Fatal(err)
	}
}

func allJobs(t *testing.T, db *DB) []labcarbon.Job {
	t.Helper()
	var jobs []labcarbon.Job
	err := db.Jobs(t.Context(), time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), func(j *labcarbon.Job) error {
		c := *j
		c.Assignment.Warnings = slices.Clone(j.Assignment.Warnings)
		jobs = append(jobs, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestAssignmentKey checks that assignments that differ in any one field,
// or split the same text differently between fields, have different keys.
func TestAssignmentKey(t *testing.T) {
	base := dimensionJobs()[2].Assignment
	key := string(appendAssignmentKey(nil, &base))
	seen := map[string]string{key: "base"}
	check := func(name string, a labcarbon.Assignment) {
		t.Helper()
		k := string(appendAssignmentKey(nil, &a))
		if other, ok := seen[k]; ok {
			t.Errorf("%s has the key of %s", name, other)
		}
		seen[k] = name
	}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		f := typ.Field(i)
		a := base
		a.Warnings = slices.Clone(base.Warnings)
		v := reflect.ValueOf(&a).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int:
			v.SetInt(v.Int() + 1)
		case reflect.Float64:
			v.SetFloat(v.Float() + 1)
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Slice:
			v.Set(reflect.Append(v, reflect.ValueOf("another warning")))
		case reflect.Struct: // a labcarbon.Range: each bound on its own
			for k := range v.NumField() {
				b := base
				reflect.ValueOf(&b).Elem().Field(i).Field(k).SetFloat(v.Field(k).Float() + 1)
				check(f.Name+"."+typ.Field(i).Type.Field(k).Name, b)
			}
			continue
		default:
			t.Fatalf("field %s of kind %s: teach this test to change it", f.Name, v.Kind())
		}
		check(f.Name, a)
	}
	split := base
	split.NodeType, split.Rule = base.NodeType+base.Rule[:1], base.Rule[1:]
	check("a text moved between fields", split)
}

// TestPutManyRows puts more jobs than a statement holds, with keys written
// twice within one statement and across statements, and checks that each
// key is stored once, as last written.
func TestPutManyRows(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	runID, err := db.BeginRun(t.Context(), "ingest", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.BeginBatch(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	j := dimensionJobs()[0]
	start := j.Start
	const n = 3*putRows + 5
	want := map[string]string{}
	for i := range n {
		// Every third job repeats the key before it, so that some pairs
		// share a statement and others straddle two.
		id := i - (i%3)/2
		j.JobIDRaw, j.Name = strconv.Itoa(id), "write "+strconv.Itoa(i)
		j.Start = start.Add(time.Duration(id) * time.Minute)
		j.User = "user" + strconv.Itoa(id%7)
		want[j.JobIDRaw] = j.Name
		if err := b.Put(&j); err != nil {
			t.Fatalf("Put %d: %v", i, err)
		}
	}
	if err := b.Commit(store.Input{Name: "many"}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, j := range allJobs(t, db) {
		if _, dup := got[j.JobIDRaw]; dup {
			t.Errorf("job %s stored twice", j.JobIDRaw)
		}
		got[j.JobIDRaw] = j.Name
		if id, _ := strconv.Atoi(j.JobIDRaw); j.User != "user"+strconv.Itoa(id%7) {
			t.Errorf("job %s has user %s", j.JobIDRaw, j.User)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored %v\nwant %v", got, want)
	}
}

// TestFailedWriteFailsBatch puts a job SQLite cannot store among others
// written in the same statement: the batch must fail as a whole, never
// commit the jobs that were written with it.
func TestFailedWriteFailsBatch(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	runID, err := db.BeginRun(t.Context(), "ingest", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.BeginBatch(t.Context(), runID)
	if err != nil {
		t.Fatal(err)
	}
	j := dimensionJobs()[0]
	var putErr error
	for i := 0; i < putRows && putErr == nil; i++ {
		j.JobIDRaw, j.Result.EnergyKWh.Central = strconv.Itoa(i), 0.1
		if i == 3 {
			j.Result.EnergyKWh.Central = math.NaN() // stored as NULL: a NOT NULL column
		}
		putErr = b.Put(&j)
	}
	if putErr == nil || !strings.Contains(putErr.Error(), "hydra/0 to hydra/"+strconv.Itoa(putRows-1)) {
		t.Fatalf("Put of the statement's last job: %v, want the statement's failure naming its jobs", putErr)
	}
	j.JobIDRaw = "later"
	if err := b.Put(&j); err == nil {
		t.Error("Put after a failed write succeeded")
	}
	if err := b.Commit(store.Input{Name: "bad"}); err == nil {
		t.Error("Commit after a failed write succeeded")
	}
	if got := allJobs(t, db); len(got) != 0 {
		t.Errorf("the failed batch stored %d jobs", len(got))
	}
}
