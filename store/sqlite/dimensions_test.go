package sqlite

import (
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

// TestMigrationToDimensions writes jobs into a store with the schema of
// migrations 0001 to 0003, where a job's factors and association were
// columns of its own, and checks that opening it moves them to their tables
// with every job as it was.
func TestMigrationToDimensions(t *testing.T) {
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
		if name < "0004" {
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
	for i := range jobs {
		cols, args := oldJobRow(t, &jobs[i], runID)
		q := "INSERT INTO jobs (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Repeat("?, ", len(cols)-1) + "?)"
		if _, err := old.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
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
	for table, n := range map[string]int{"assignments": 2, "associations": 3} {
		var got int
		if err := db.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
	}
}

// oldJobRow returns the columns and values of j as migrations 0001 and 0002
// laid a job row out: the dimensions' columns in place of their ids.
func oldJobRow(t *testing.T, j *labcarbon.Job, runID int64) ([]string, []any) {
	t.Helper()
	as := associationOf(&j.Usage)
	assignArgs, err := appendAssignmentArgs(nil, &j.Assignment)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	var args []any
	names := slices.Concat(jobColumns, []string{"run_id"})
	for i, v := range appendJobArgs(nil, j, 0, 0, runID) {
		switch c := names[i]; c {
		case "association_id":
			cols, args = append(cols, associations.columns...), as.args(args)
		case "assignment_id":
			cols, args = append(cols, assignments.columns...), append(args, assignArgs...)
		default:
			cols, args = append(cols, c), append(args, v)
		}
	}
	return cols, args
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
		j.JobIDRaw, j.CPUTimeSec = strconv.Itoa(i), 100
		if i == 3 {
			j.CPUTimeSec = math.NaN() // stored as NULL: a NOT NULL column
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
