package sqlite

import (
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/store"
	"labcarbon/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openTemp(t)
	})
}

// openTemp opens a new store in a temporary directory; the caller closes it.
func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "labcarbon.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

// TestPageSize checks that a new store gets large pages and that a store
// created with SQLite's default keeps its own, and works.
func TestPageSize(t *testing.T) {
	pageSizeOf := func(t *testing.T, db *DB) int {
		t.Helper()
		var n int
		if err := db.db.QueryRowContext(t.Context(), "PRAGMA page_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	t.Run("new", func(t *testing.T) {
		db := openTemp(t)
		defer db.Close()
		if got := pageSizeOf(t, db); got != pageSize {
			t.Errorf("page size of a new store = %d, want %d", got, pageSize)
		}
	})
	t.Run("existing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "labcarbon.db")
		old, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.ExecContext(t.Context(), "PRAGMA page_size = 4096; CREATE TABLE t (x)"); err != nil {
			t.Fatal(err)
		}
		if err := old.Close(); err != nil {
			t.Fatal(err)
		}
		db, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got := pageSizeOf(t, db); got != 4096 {
			t.Errorf("page size of an existing store = %d, want it kept at 4096", got)
		}
		if _, err := db.BeginRun(t.Context(), "test", time.Now()); err != nil {
			t.Errorf("BeginRun on the existing store: %v", err)
		}
	})
}

func TestMigrationsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labcarbon.db")
	var runID int64
	for i := range 3 {
		db, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		var n int
		if err := db.db.QueryRowContext(t.Context(), `SELECT count(*) FROM migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := len(migrationNames()); n != want {
			t.Errorf("Open #%d: %d migrations recorded, want %d", i+1, n, want)
		}
		if i == 0 {
			if runID, err = db.BeginRun(t.Context(), "ingest", time.Now()); err != nil {
				t.Fatal(err)
			}
		} else if runs, err := db.Runs(t.Context(), 0); err != nil || len(runs) != 1 || runs[0].ID != runID {
			t.Errorf("Open #%d: runs %+v, %v; want run %d kept", i+1, runs, err, runID)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labcarbon.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginRun(t.Context(), "run", time.Now()); err != nil {
		t.Fatal(err)
	}

	second, err := Open(t.Context(), path)
	if err == nil {
		second.Close()
		t.Fatal("second Open of a locked store succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second Open: %v, want ErrLocked", err)
	}
	if pid := strconv.Itoa(os.Getpid()); !strings.Contains(err.Error(), "pid "+pid) {
		t.Errorf("second Open: %q does not name the holder, pid %s", err, pid)
	}

	// Readers need no lock.
	ro, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatalf("OpenReadOnly while locked: %v", err)
	}
	if runs, err := ro.Runs(t.Context(), 0); err != nil || len(runs) != 1 {
		t.Errorf("read-only Runs: %+v, %v; want the writer's run", runs, err)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenReadOnly(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	if _, err := OpenReadOnly(t.Context(), missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly of a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", missing)
	}

	path := filepath.Join(dir, "labcarbon.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.BeginRun(t.Context(), "run", time.Now()); !errors.Is(err, errReadOnly) {
		t.Errorf("BeginRun on a read-only store: %v, want errReadOnly", err)
	}
	if _, err := ro.BeginBatch(t.Context(), 1); !errors.Is(err, errReadOnly) {
		t.Errorf("BeginBatch on a read-only store: %v, want errReadOnly", err)
	}
}

func TestOpenReadOnlyOldSchema(t *testing.T) {
	// A store written before any migration this program knows: the reader
	// must not guess at its tables.
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if ro, err := OpenReadOnly(t.Context(), path); err == nil || !strings.Contains(err.Error(), "older") {
		if err == nil {
			ro.Close()
		}
		t.Errorf("OpenReadOnly of an old store: %v, want an error saying it is older", err)
	}
}

func TestOpenNotSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, []byte("%PDF-1.7\nthis is no database, but it is long enough to have a header\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Twice: a failed Open must release the lock.
	for range 2 {
		db, err := Open(t.Context(), path)
		if err == nil {
			db.Close()
			t.Fatal("Open of a PDF succeeded")
		}
		if !strings.Contains(err.Error(), "not a SQLite database") || !strings.Contains(err.Error(), path) {
			t.Errorf("Open of a PDF: %q, want it to say that %s is not a SQLite database", err, path)
		}
	}
	if _, err := OpenReadOnly(t.Context(), path); err == nil || !strings.Contains(err.Error(), "not a SQLite database") {
		t.Errorf("OpenReadOnly of a PDF: %v, want it to say it is not a SQLite database", err)
	}
}

// TestJobsQueryPlan pins what makes a period query cheap on a store holding
// years: rows come in index order (no sort of the whole period) and the
// index is searched, not scanned from its beginning.
func TestJobsQueryPlan(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	from, to := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	rows, err := db.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+selectJobs,
		sql.Named("from", from.Unix()), sql.Named("to", to.Unix()))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	for _, want := range []string{
		"SEARCH jobs USING INDEX jobs_period (job_time>? AND job_time<?)",
		"SEARCH jobs USING COVERING INDEX jobs_end (end_time>?)",
		"SEARCH jobs USING COVERING INDEX jobs_end (end_time=? AND start_time<?)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("query plan lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "TEMP B-TREE") {
		t.Errorf("query plan sorts:\n%s", text)
	}
}

// benchJob is a typical job: a few strings, no warnings, and the figures
// of the emissions engine (market-based, embodied, waste) that compute
// sets for every job, so that the benchmarks pay for them: a number costs
// more to bind, store and read than a zero.
func benchJob() labcarbon.Job {
	start := time.Date(2026, 8, 14, 10, 0, 0, 0, time.UTC)
	return labcarbon.Job{
		Usage: labcarbon.Usage{
			Source: labcarbon.SourceSacct, SourceFile: "/var/log/slurm/sacct-2026-08-14.txt", SourceLine: 1,
			Cluster: "hpc", JobID: "1", JobIDRaw: "1", Name: "relax", User: "alice", Group: "chem",
			Account: "chem-lab", Partition: "cpu", QOS: "normal", State: labcarbon.StateCompleted, ExitCode: "0:0",
			Submit: start.Add(-time.Minute), Start: start, End: start.Add(time.Hour), ElapsedSec: 3600,
			TimelimitSec: 86400, NNodes: 1, NodeList: "cpu17", CPUs: 32, CPUTimeSec: 100000,
			MemReqGB: 64, MemPeakGB: 40, HasMemPeak: true,
		},
		Assignment: labcarbon.Assignment{
			NodeType: "cpu-epyc", Rule: "partition cpu", CPUModel: "AMD EPYC 7742",
			CPUWattsPerCore: labcarbon.Range{Low: 3, Central: 3.5, High: 4},
			MemWattsPerGB:   labcarbon.Range{Low: 0.3, Central: 0.3725, High: 0.45},
			Site:            "main", PUE: labcarbon.Range{Low: 1.2, Central: 1.4, High: 1.6}, Zone: "GB",
			CIgPerKWh: labcarbon.Range{Low: 150, Central: 200, High: 250}, CISource: "annual 2026",
			NodeMemGB:             512,
			EmbodiedKgPerNodeHour: labcarbon.Range{Low: 0.02, Central: 0.03, High: 0.04}, EmbodiedSource: "Boavizta R6525",
			MarketCIgPerKWh: 50, HasMarketCI: true,
		},
		Result: labcarbon.Result{
			EnergySource: labcarbon.EnergyModelled, CPUkWh: 0.1, MemkWh: 0.02,
			EnergyKWh: labcarbon.Range{Low: 0.14, Central: 0.17, High: 0.2},
			CO2eKg:    labcarbon.Range{Low: 0.02, Central: 0.034, High: 0.05},
			PUE:       1.4, CIgPerKWh: 200, CISource: "annual 2026", CPUEfficiency: 0.87, MemEfficiency: 0.62, Cost: 0.03,
			CIHourlyShare: 1,
			MarketCO2eKg:  labcarbon.Range{Low: 0.007, Central: 0.0085, High: 0.01}, HasMarket: true,
			EmbodiedCO2eKg: labcarbon.Range{Low: 0.005, Central: 0.0075, High: 0.01}, NodeShare: 0.25,
			MemWasteCO2eKg: labcarbon.Range{Low: 0.001, Central: 0.0015, High: 0.002},
			IdleCoreHours:  4.2, IdleCoreCO2eKg: labcarbon.Range{Low: 0.002, Central: 0.003, High: 0.004},
		},
	}
}

// BenchmarkPut measures upserts as ingest makes them, one transaction per
// 100,000 jobs: new keys (insert) and keys already stored (update, as when
// a file is ingested again).
func BenchmarkPut(b *testing.B) {
	const perBatch = 100_000
	ids := make([]string, perBatch)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	putN := func(b *testing.B, db *DB, runID int64, n int, offset time.Duration) {
		j := benchJob()
		start := j.Start
		batch, err := db.BeginBatch(b.Context(), runID)
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			if i > 0 && i%perBatch == 0 {
				if err := batch.Commit(store.Input{Name: "bench"}); err != nil {
					b.Fatal(err)
				}
				if batch, err = db.BeginBatch(b.Context(), runID); err != nil {
					b.Fatal(err)
				}
				j.Cluster = "hpc" + strconv.Itoa(i/perBatch)
			}
			j.JobIDRaw = ids[i%perBatch]
			j.Start = start.Add(time.Duration(i)*time.Second + offset)
			if err := batch.Put(&j); err != nil {
				b.Fatal(err)
			}
		}
		if err := batch.Commit(store.Input{Name: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("insert", func(b *testing.B) {
		db := openTemp(b)
		defer db.Close()
		runID, err := db.BeginRun(b.Context(), "bench", time.Now())
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		putN(b, db, runID, b.N, 0)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	})
	b.Run("update", func(b *testing.B) {
		db := openTemp(b)
		defer db.Close()
		runID, err := db.BeginRun(b.Context(), "bench", time.Now())
		if err != nil {
			b.Fatal(err)
		}
		putN(b, db, runID, b.N, 0)
		b.ResetTimer()
		putN(b, db, runID, b.N, time.Second)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	})
}

// BenchmarkJobs measures the period query streaming a month of jobs.
func BenchmarkJobs(b *testing.B) {
	const n = 100_000
	db := openTemp(b)
	defer db.Close()
	runID, err := db.BeginRun(b.Context(), "bench", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	batch, err := db.BeginBatch(b.Context(), runID)
	if err != nil {
		b.Fatal(err)
	}
	j := benchJob()
	from := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		j.JobIDRaw = strconv.Itoa(i)
		j.Start = from.Add(time.Duration(i) * 20 * time.Second) // n jobs over 23 days
		j.End = j.Start.Add(time.Hour)
		if err := batch.Put(&j); err != nil {
			b.Fatal(err)
		}
	}
	if err := batch.Commit(store.Input{Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		got := 0
		err := db.Jobs(b.Context(), from, from.AddDate(0, 1, 0), func(*labcarbon.Job) error {
			got++
			return nil
		})
		if err != nil || got != n {
			b.Fatalf("Jobs: %d jobs, %v; want %d", got, err, n)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "jobs/s")
}

func TestNotFinalStates(t *testing.T) {
	for _, s := range notFinalStates {
		if s.Final() {
			t.Errorf("%s is final, but Totals counts it as running", s)
		}
	}
	for _, s := range []labcarbon.State{labcarbon.StateCompleted, labcarbon.StateFailed, labcarbon.StateTimeout,
		labcarbon.StateOutOfMemory, labcarbon.StateNodeFail, labcarbon.StateCancelled, labcarbon.StatePreempted,
		labcarbon.StateBootFail, labcarbon.StateDeadline, labcarbon.StateRequeued} {
		if slices.Contains(notFinalStates, s) {
			t.Errorf("%s is final, but Totals counts it as running", s)
		}
	}
}
