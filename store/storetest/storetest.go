// Package storetest is the conformance suite for store.Store: every
// implementation runs it against a real instance of itself, so that the
// pipeline behaves the same whichever store a lab uses.
//
// Beyond what the interface's comments say, the suite pins down:
//
//   - Times come back in UTC; a zero time comes back zero.
//   - Empty Warnings come back nil.
//   - Jobs whose factors (labcarbon.Assignment) differ in any one field
//     come back each with its own, whichever batches stored them.
//   - Jobs orders jobs that never started by their submit time, among the
//     others by start time; equal times are ordered by cluster, then raw job
//     id. A job that started in the period is in it even if its end is not
//     after the period's start (a zero-length job at the boundary); a job
//     that never started belongs to the period of its submit time only,
//     even when it has an end (a pending job that was cancelled). An empty
//     period (from == to) has no jobs.
//   - BeginRun records labcarbon.Version as the run's version and "running"
//     as its status; FinishRun and BeginBatch fail for a run that does not
//     exist.
//   - A batch's uncommitted writes are invisible to Jobs.
//   - Methods given a cancelled context fail with an error wrapping
//     context.Canceled.
//   - Intensity returns hours in UTC; a failed PutIntensity reports no
//     changes.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/store"
)

// Run runs the suite, one subtest per property. open must return a new,
// empty store for each call; the suite closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"DistinctAssignments", testDistinctAssignments},
		{"SameBatchTwice", testSameBatchTwice},
		{"RunningThenCompleted", testRunningThenCompleted},
		{"NaturalKey", testNaturalKey},
		{"Rollback", testRollback},
		{"UncommittedInvisible", testUncommittedInvisible},
		{"PeriodOverlap", testPeriodOverlap},
		{"JobsStopsOnError", testJobsStopsOnError},
		{"RunHistory", testRunHistory},
		{"UnknownRun", testUnknownRun},
		{"Quarantine", testQuarantine},
		{"CancelledContext", testCancelledContext},
		{"Intensity", testIntensity},
		{"Totals", testTotals},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tt.fn(t, st)
		})
	}
}

// allFrom and allTo make a period that holds every job, even one with no
// times at all.
var allFrom, allTo = time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)

func date(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour, 0, 0, 0, time.UTC)
}

func date2025(month time.Month, day, hour int) time.Time {
	return time.Date(2025, month, day, hour, 0, 0, 0, time.UTC)
}

// fullJob returns a job with every field set, each to a value no other
// field has, so that a column mixed up with another cannot go unnoticed.
// testRoundTrip checks that it really leaves nothing zero and no two
// fields alike, so a field added to the job types must be added here, and
// so to every store.
func fullJob() labcarbon.Job {
	return labcarbon.Job{
		Usage: labcarbon.Usage{
			Source:       labcarbon.SourceSacct,
			SourceFile:   "/var/log/slurm/sacct-2026-08-14.txt",
			SourceLine:   4711,
			Cluster:      "hpc-ä",
			JobID:        "123456_7",
			JobIDRaw:     "123463",
			ParentID:     "123456",
			Name:         "Jiří's relaxation — run 3",
			User:         "łukasz",
			Group:        "ústav",
			Account:      "chem-lab",
			Partition:    "gpu",
			QOS:          "normal",
			State:        labcarbon.StateCompleted,
			ExitCode:     "0:0",
			Submit:       time.Date(2026, 8, 14, 9, 59, 1, 0, time.UTC),
			Start:        time.Date(2026, 8, 14, 10, 0, 2, 0, time.UTC),
			End:          time.Date(2026, 8, 14, 12, 30, 3, 0, time.UTC),
			ElapsedSec:   9001,
			TimelimitSec: 86400,
			NNodes:       2,
			NodeList:     "gpu[01-02]",
			CPUs:         64,
			CPUTimeSec:   451234.5,
			MemReqGB:     256,
			MemPeakGB:    187.25,
			HasMemPeak:   true,
			GPUs:         8,
			GPUModel:     "a100",
			GPUUtil:      0.73,
			HasGPUUtil:   true,
			EnergyJ:      123456789.125,
		},
		Assignment: labcarbon.Assignment{
			NodeType:              "gpu-a100",
			Rule:                  "partition gpu, nodes gpu[01-16]",
			CPUModel:              "AMD EPYC 7742",
			CPUWattsPerCore:       labcarbon.Range{Low: 3.1, Central: 3.5, High: 3.9},
			GPUModel:              "NVIDIA A100 SXM4 40GB",
			GPUWatts:              labcarbon.Range{Low: 350, Central: 400, High: 450},
			MemWattsPerGB:         labcarbon.Range{Low: 0.3, Central: 0.3725, High: 0.45},
			Site:                  "Brno",
			PUE:                   labcarbon.Range{Low: 1.2, Central: 1.35, High: 1.6},
			Zone:                  "CZ",
			CIgPerKWh:             labcarbon.Range{Low: 380, Central: 415.5, High: 460},
			CISource:              "Ember 2025, CZ annual",
			NodeCores:             96,
			TrustMeasured:         true,
			NodeGPUs:              4,
			NodeMemGB:             512.5,
			EmbodiedKgPerNodeHour: labcarbon.Range{Low: 0.0214, Central: 0.0285, High: 0.0371},
			EmbodiedSource:        "Dell PowerEdge XE8545 LCA, 5-year life",
			MarketCIgPerKWh:       27.25,
			HasMarketCI:           true,
			Warnings:              []string{`no TDP for "epyc-9999": 10 W/core`, "zone from site Brno"},
		},
		Result: labcarbon.Result{
			EnergySource:   labcarbon.EnergyMeasured,
			CPUkWh:         1.5,
			GPUkWh:         7.25,
			MemkWh:         0.125,
			EnergyKWh:      labcarbon.Range{Low: 10.1, Central: 11.2, High: 14.3},
			CO2eKg:         labcarbon.Range{Low: 3.8, Central: 4.65, High: 6.58},
			PUE:            1.34,
			CIgPerKWh:      416.1,
			CISource:       "annual average 2026",
			CIHourlyShare:  0.875,
			MarketCO2eKg:   labcarbon.Range{Low: 0.281, Central: 0.305, High: 0.392},
			HasMarket:      true,
			EmbodiedCO2eKg: labcarbon.Range{Low: 0.52, Central: 0.641, High: 0.835},
			NodeShare:      0.6875,
			MemWasteCO2eKg: labcarbon.Range{Low: 0.0413, Central: 0.0571, High: 0.0792},
			IdleCoreHours:  35.75,
			IdleCoreCO2eKg: labcarbon.Range{Low: 1.93, Central: 2.21, High: 2.74},
			CPUEfficiency:  0.61,
			MemEfficiency:  0.7314453125,
			Cost:           2.87,
		},
	}
}

// job returns a minimal job for tests about keys and periods.
func job(cluster, id string, submit, start, end time.Time) labcarbon.Job {
	var j labcarbon.Job
	j.Source = labcarbon.SourceSacct
	j.Cluster, j.JobID, j.JobIDRaw = cluster, id, id
	j.Submit, j.Start, j.End = submit, start, end
	j.State = labcarbon.StateCompleted
	if start.IsZero() {
		j.State = labcarbon.StatePending
	} else if end.IsZero() {
		j.State = labcarbon.StateRunning
	}
	if !start.IsZero() && !end.IsZero() {
		j.ElapsedSec = int64(end.Sub(start) / time.Second)
	}
	return j
}

func testRoundTrip(t *testing.T, st store.Store) {
	full := fullJob()
	if zero := zeroFields(reflect.ValueOf(full), "Job"); len(zero) > 0 {
		t.Fatalf("fullJob leaves %s zero; set them so the round trip covers them", strings.Join(zero, ", "))
	}
	if same := sameFields(reflect.ValueOf(full), "Job", map[string]string{}); len(same) > 0 {
		t.Fatalf("fullJob gives fields the same value, so a mix-up between them would pass: %s", strings.Join(same, ", "))
	}

	// No times at all, no warnings, nothing but names.
	sparse := labcarbon.Job{Usage: labcarbon.Usage{
		Cluster: "hpc-ä", JobIDRaw: "9", Name: "Jiří", User: "łukasz", State: labcarbon.StatePending,
	}}

	// Times in another zone come back as the same instants in UTC.
	prague := time.FixedZone("CEST", 2*60*60)
	zoned := fullJob()
	zoned.JobIDRaw = "123464"
	zoned.Submit, zoned.Start, zoned.End = zoned.Submit.In(prague), zoned.Start.In(prague), zoned.End.In(prague)
	zoned.Assignment.Warnings = nil
	wantZoned := zoned
	wantZoned.Submit, wantZoned.Start, wantZoned.End = zoned.Submit.UTC(), zoned.Start.UTC(), zoned.End.UTC()

	putAll(t, st, newRun(t, st), "round-trip", &full, &sparse, &zoned)
	got := collect(t, st, allFrom, allTo)
	want := []labcarbon.Job{sparse, full, wantZoned} // sparse never started; submitted in year 1
	if len(got) != len(want) {
		t.Fatalf("got %d jobs, want %d: %v", len(got), len(want), keys(got))
	}
	for i := range want {
		if d := diff(reflect.ValueOf(want[i]), reflect.ValueOf(got[i]), "Job"); len(d) > 0 {
			t.Errorf("job %s/%s does not round-trip:\n\t%s", want[i].Cluster, want[i].JobIDRaw, strings.Join(d, "\n\t"))
		}
	}
}

// testDistinctAssignments stores jobs whose factors differ from a first
// job's in one field each, and checks that each comes back with its own: a
// store that shares factors between jobs (sqlite keeps each combination
// once) must tell them apart by every field. They are stored twice: all in
// one batch, then again, as jobs of another cluster, each in a batch of
// its own, which must match them with the combinations stored before.
func testDistinctAssignments(t *testing.T, st store.Store) {
	base := fullJob()
	jobs := []labcarbon.Job{base}
	for _, v := range assignmentVariants(base.Assignment) {
		j := fullJob()
		j.JobIDRaw, j.Name, j.Assignment = strconv.Itoa(100000+len(jobs)), v.name, v.a
		jobs = append(jobs, j)
	}
	id := newRun(t, st)
	ptrs := make([]*labcarbon.Job, len(jobs))
	for i := range jobs {
		ptrs[i] = &jobs[i]
	}
	putAll(t, st, id, "one batch", ptrs...)
	again := slices.Clone(jobs)
	for i := range again {
		again[i].Cluster = "again"
		putAll(t, st, id, again[i].Name, &again[i])
	}

	want := map[string]*labcarbon.Job{}
	for _, js := range [][]labcarbon.Job{jobs, again} {
		for i := range js {
			want[js[i].Cluster+"/"+js[i].JobIDRaw] = &js[i]
		}
	}
	got := collect(t, st, allFrom, allTo)
	if len(got) != len(want) {
		t.Fatalf("got %d jobs, want %d: %v", len(got), len(want), keys(got))
	}
	for _, g := range got {
		w, ok := want[g.Cluster+"/"+g.JobIDRaw]
		if !ok {
			t.Errorf("job %s/%s was never stored", g.Cluster, g.JobIDRaw)
			continue
		}
		if d := diff(reflect.ValueOf(w.Assignment), reflect.ValueOf(g.Assignment), "Assignment"); len(d) > 0 {
			t.Errorf("job %s/%s, factors with %s changed, comes back with others:\n\t%s", w.Cluster, w.JobIDRaw, w.Name, strings.Join(d, "\n\t"))
		}
	}
}

// assignmentVariants returns copies of a, each with one field changed (each
// bound of a Range on its own), named after the field.
func assignmentVariants(a labcarbon.Assignment) []struct {
	name string
	a    labcarbon.Assignment
} {
	var out []struct {
		name string
		a    labcarbon.Assignment
	}
	add := func(name string, change func(v reflect.Value)) {
		c := a
		c.Warnings = slices.Clone(a.Warnings)
		change(reflect.ValueOf(&c).Elem())
		out = append(out, struct {
			name string
			a    labcarbon.Assignment
		}{name, c})
	}
	typ := reflect.TypeOf(a)
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Type == reflect.TypeFor[labcarbon.Range]() {
			for k := range f.Type.NumField() {
				add(f.Name+"."+f.Type.Field(k).Name, func(v reflect.Value) {
					b := v.Field(i).Field(k)
					b.SetFloat(b.Float() + 1)
				})
			}
			continue
		}
		add(f.Name, func(v reflect.Value) { changeField(v.Field(i)) })
	}
	return out
}

// changeField gives v another value of its kind, never its zero.
func changeField(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice: // []string
		v.Set(reflect.Append(v, reflect.ValueOf("another warning")))
	default:
		panic(fmt.Sprintf("storetest: a field of kind %s; teach changeField to change it", v.Kind()))
	}
}

func testSameBatchTwice(t *testing.T, st store.Store) {
	jobs := []labcarbon.Job{
		job("c1", "1", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10)),
		job("c1", "2", date(3, 1, 8), date(3, 1, 11), date(3, 1, 12)),
		job("c2", "1", date(3, 2, 8), time.Time{}, time.Time{}),
	}
	put := func() {
		id := newRun(t, st)
		b := begin(t, st, id)
		for i := range jobs {
			mustPut(t, b, &jobs[i])
		}
		mustCommit(t, b, store.Input{Name: "sacct.txt", Jobs: len(jobs)})
	}
	put()
	first := collect(t, st, allFrom, allTo)
	put()
	second := collect(t, st, allFrom, allTo)
	if len(first) != len(jobs) {
		t.Fatalf("after one ingest: %d jobs, want %d: %v", len(first), len(jobs), keys(first))
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("ingesting the same batch again changed the jobs:\nfirst  %v\nsecond %v", keys(first), keys(second))
	}
}

func testRunningThenCompleted(t *testing.T, st store.Store) {
	running := job("c1", "77", date(3, 1, 8), date(3, 1, 9), time.Time{})
	running.ElapsedSec = 3600
	running.Result.EnergyKWh = labcarbon.Point(1)
	putAll(t, st, newRun(t, st), "night-1", &running)

	done := running
	done.State, done.End, done.ElapsedSec = labcarbon.StateCompleted, date(3, 1, 12), 3*3600
	done.Result.EnergyKWh = labcarbon.Point(3)
	putAll(t, st, newRun(t, st), "night-2", &done)

	got := collect(t, st, allFrom, allTo)
	if len(got) != 1 {
		t.Fatalf("got %d jobs, want 1: %v", len(got), keys(got))
	}
	if d := diff(reflect.ValueOf(done), reflect.ValueOf(got[0]), "Job"); len(d) > 0 {
		t.Errorf("the completed job did not replace the running one:\n\t%s", strings.Join(d, "\n\t"))
	}

	// Within one batch too, the last write wins.
	first := job("c1", "78", date(3, 2, 8), date(3, 2, 9), date(3, 2, 10))
	last := first
	last.Name = "last"
	putAll(t, st, newRun(t, st), "twice", &first, &last)
	got = collect(t, st, date(3, 2, 0), date(3, 3, 0))
	if len(got) != 1 || got[0].Name != "last" {
		t.Errorf("after two writes of one key in a batch: got %v, want one job named %q", keys(got), "last")
	}
}

func testNaturalKey(t *testing.T, st store.Store) {
	// Job ids repeat across clusters and after MaxJobId wraps; only the
	// whole key (cluster, raw id, submit) names a job.
	jobs := []labcarbon.Job{
		job("c1", "5", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10)),
		job("c2", "5", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10)),
		job("c1", "5", date(3, 1, 7), date(3, 1, 9), date(3, 1, 10)),
	}
	putAll(t, st, newRun(t, st), "keys", &jobs[0], &jobs[1], &jobs[2])
	if got := collect(t, st, allFrom, allTo); len(got) != len(jobs) {
		t.Errorf("got %d jobs, want %d distinct keys: %v", len(got), len(jobs), keys(got))
	}
}

func testRollback(t *testing.T, st store.Store) {
	id := newRun(t, st)
	kept := job("c1", "1", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10))
	bad := ingest.RowError{File: "a.txt", Line: 3, Field: "Elapsed", Reason: "not a duration", Raw: "1|x"}
	b := begin(t, st, id)
	mustPut(t, b, &kept)
	mustQuarantine(t, b, &bad)
	mustCommit(t, b, store.Input{Name: "a.txt", SHA256: "aa", Format: "sacct", Jobs: 1, Bad: 1})
	if err := b.Rollback(); err != nil {
		t.Errorf("Rollback after Commit: %v, want a no-op", err)
	}

	// A second batch that overwrites the job, adds another, quarantines
	// rows and then is abandoned.
	b = begin(t, st, id)
	changed := kept
	changed.Name = "changed"
	added := job("c1", "2", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10))
	mustPut(t, b, &changed)
	mustPut(t, b, &added)
	mustQuarantine(t, b, &ingest.RowError{File: "a.txt", Line: 9, Reason: "too few fields", Raw: "2"})
	if err := b.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}

	got := collect(t, st, allFrom, allTo)
	if len(got) != 1 || got[0].Name != kept.Name {
		t.Errorf("after Rollback: jobs %v (first named %q), want only the committed one", keys(got), firstName(got))
	}
	q, err := st.Quarantined(t.Context())
	if err != nil {
		t.Fatalf("Quarantined: %v", err)
	}
	if !slices.Equal(q, []ingest.RowError{bad}) {
		t.Errorf("after Rollback: quarantined %v, want only %v", q, bad)
	}
	runs, err := st.Runs(t.Context(), 1)
	if err != nil {
		t.Fatalf("Runs: %v", err)
	}
	if len(runs) != 1 || len(runs[0].Inputs) != 1 {
		t.Fatalf("after Rollback: runs %+v, want one run with one input", runs)
	}
}

func testUncommittedInvisible(t *testing.T, st store.Store) {
	b := begin(t, st, newRun(t, st))
	j := job("c1", "1", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10))
	mustPut(t, b, &j)
	if got := collect(t, st, allFrom, allTo); len(got) != 0 {
		t.Errorf("before Commit, Jobs sees %v", keys(got))
	}
	mustCommit(t, b, store.Input{Name: "a.txt", Jobs: 1})
	if got := collect(t, st, allFrom, allTo); len(got) != 1 {
		t.Errorf("after Commit, Jobs sees %v, want one job", keys(got))
	}
}

func testPeriodOverlap(t *testing.T, st store.Store) {
	jobs := []labcarbon.Job{
		job("c1", "before", date2025(12, 1, 8), date2025(12, 1, 9), date2025(12, 1, 10)),
		// Still running, as far as the store knows, since long before.
		job("c1", "forgotten", date2025(10, 1, 8), date2025(10, 1, 9), time.Time{}),
		job("c1", "january", date(1, 10, 9), date(1, 10, 10), date(1, 10, 12)),
		job("c1", "running", date(1, 20, 7), date(1, 20, 8), time.Time{}),
		// Cancelled while pending: it has an end but never ran.
		job("c1", "cancelled", date(1, 25, 0), time.Time{}, date(2, 2, 0)),
		job("c1", "ends-at-boundary", date(1, 31, 19), date(1, 31, 20), date(2, 1, 0)),
		job("c1", "spans", date(1, 31, 21), date(1, 31, 22), date(2, 1, 2)),
		job("c1", "starts-at-boundary", date(1, 31, 23), date(2, 1, 0), date(2, 1, 1)),
		job("c1", "zero-length", date(1, 31, 23), date(2, 1, 0), date(2, 1, 0)),
		job("c2", "same-start", date(2, 3, 9), date(2, 3, 10), date(2, 3, 11)),
		job("c1", "same-start", date(2, 3, 9), date(2, 3, 10), date(2, 3, 11)),
		job("c1", "pending", date(2, 10, 0), time.Time{}, time.Time{}),
		job("c1", "march", date(3, 1, 0), date(3, 1, 1), date(3, 1, 2)),
	}
	ptrs := make([]*labcarbon.Job, len(jobs))
	for i := range jobs {
		ptrs[i] = &jobs[i]
	}
	putAll(t, st, newRun(t, st), "periods", ptrs...)

	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"January", date(1, 1, 0), date(2, 1, 0), []string{
			"c1/forgotten", "c1/january", "c1/running", "c1/cancelled", "c1/ends-at-boundary", "c1/spans",
		}},
		{"February", date(2, 1, 0), date(3, 1, 0), []string{
			"c1/forgotten", "c1/running", "c1/spans", "c1/starts-at-boundary", "c1/zero-length",
			"c1/same-start", "c2/same-start", "c1/pending",
		}},
		{"one hour", date(2, 1, 1), date(2, 1, 2), []string{"c1/forgotten", "c1/running", "c1/spans"}},
		{"empty", date(2, 1, 1), date(2, 1, 1), nil},
	}
	for _, tt := range tests {
		if got := keys(collect(t, st, tt.from, tt.to)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got jobs\n\t%v\nwant\n\t%v", tt.name, got, tt.want)
		}
	}
}

func testJobsStopsOnError(t *testing.T, st store.Store) {
	a := job("c1", "1", date(3, 1, 8), date(3, 1, 9), date(3, 1, 10))
	b := job("c1", "2", date(3, 1, 8), date(3, 1, 11), date(3, 1, 12))
	putAll(t, st, newRun(t, st), "a.txt", &a, &b)
	stop := errors.New("enough")
	calls := 0
	err := st.Jobs(t.Context(), allFrom, allTo, func(*labcarbon.Job) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Jobs with fn failing: err %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func testRunHistory(t *testing.T, st store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 8, 14, 2, 0, 0, 0, time.UTC)
	inputs := []store.Input{
		{Name: "/data/sacct-13.txt", SHA256: strings.Repeat("ab", 32), Format: "sacct", Jobs: 120, Bad: 2},
		{Name: "/data/sacct-14.json", SHA256: strings.Repeat("cd", 32), Format: "sacct-json", Jobs: 80},
		{Name: "sacct 2026-08-14T00:00Z..2026-08-15T00:00Z", SHA256: strings.Repeat("ef", 32), Format: "sacct", Jobs: 5},
	}

	want := []store.Run{
		{Started: t0, Finished: t0.Add(time.Minute), Command: "ingest", Status: "partial",
			Inputs: inputs[:1], Jobs: 120, Quarantined: 2, Message: "120 jobs stored, 2 rows quarantined", Factors: "2026.3-a1b2c3"},
		{Started: t0.Add(time.Hour), Finished: t0.Add(time.Hour + time.Minute), Command: "run", Status: "ok",
			Inputs: inputs[1:], Jobs: 85, Message: "85 jobs stored", Factors: "2026.3-a1b2c3+lab.0123456789ab"},
		{Started: t0.Add(2 * time.Hour), Command: "demo", Status: "running"},
	}
	for i := range want {
		r := &want[i]
		id, err := st.BeginRun(ctx, r.Command, r.Started)
		if err != nil {
			t.Fatalf("BeginRun: %v", err)
		}
		if i > 0 && id <= want[i-1].ID {
			t.Errorf("run ids do not increase: %d after %d", id, want[i-1].ID)
		}
		r.ID, r.Version = id, labcarbon.Version
		for _, in := range r.Inputs {
			mustCommit(t, begin(t, st, id), in)
		}
		if r.Status != "running" {
			if err := st.FinishRun(ctx, *r); err != nil {
				t.Fatalf("FinishRun: %v", err)
			}
		}
	}
	slices.Reverse(want)

	for _, limit := range []int{10, 2} {
		got, err := st.Runs(ctx, limit)
		if err != nil {
			t.Fatalf("Runs(%d): %v", limit, err)
		}
		w := want[:min(limit, len(want))]
		if len(got) != len(w) {
			t.Errorf("Runs(%d): got %d runs, want %d", limit, len(got), len(w))
			continue
		}
		for i := range w {
			if d := diff(reflect.ValueOf(w[i]), reflect.ValueOf(got[i]), "Run"); len(d) > 0 {
				t.Errorf("Runs(%d)[%d]:\n\t%s", limit, i, strings.Join(d, "\n\t"))
			}
		}
	}
}

func testUnknownRun(t *testing.T, st store.Store) {
	id := newRun(t, st)
	if err := st.FinishRun(t.Context(), store.Run{ID: id + 100, Status: "ok"}); err == nil {
		t.Errorf("FinishRun of a run that does not exist: no error")
	}
	if b, err := st.BeginBatch(t.Context(), id+100); err == nil {
		b.Rollback()
		t.Errorf("BeginBatch for a run that does not exist: no error")
	}
}

func testQuarantine(t *testing.T, st store.Store) {
	ctx := t.Context()
	a7 := ingest.RowError{File: "a.txt", Line: 7, Field: "Elapsed", Reason: `"1-2:3" is not a duration`, Raw: "123|Jiří|1-2:3"}
	a3 := ingest.RowError{File: "a.txt", Line: 3, Reason: "too few fields", Raw: strings.Repeat("x|", 200)}
	b1 := ingest.RowError{File: "b.txt", Line: 1, Field: "State", Reason: "unknown state", Raw: "ŁUKASZ"}

	id := newRun(t, st)
	b := begin(t, st, id)
	mustQuarantine(t, b, &a7)
	mustQuarantine(t, b, &a3)
	mustCommit(t, b, store.Input{Name: "a.txt", Bad: 2})
	b = begin(t, st, id)
	mustQuarantine(t, b, &b1)
	mustCommit(t, b, store.Input{Name: "b.txt", Bad: 1})

	check := func(when string, want ...ingest.RowError) {
		t.Helper()
		got, err := st.Quarantined(ctx)
		if err != nil {
			t.Fatalf("Quarantined: %v", err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: quarantined\n\t%v\nwant\n\t%v", when, got, want)
		}
	}
	check("after the first ingest", a3, a7, b1)

	// a.txt fixed and ingested again by a later run: its rows are cleared.
	b = begin(t, st, newRun(t, st))
	mustCommit(t, b, store.Input{Name: "a.txt", Jobs: 9})
	check("after a.txt was ingested again", b1)
}

func testCancelledContext(t *testing.T, st store.Store) {
	id := newRun(t, st)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", what, err)
		}
	}
	_, err := st.BeginRun(ctx, "run", time.Now())
	check("BeginRun", err)
	check("FinishRun", st.FinishRun(ctx, store.Run{ID: id, Status: "ok"}))
	b, err := st.BeginBatch(ctx, id)
	if err == nil {
		b.Rollback()
	}
	check("BeginBatch", err)
	check("Jobs", st.Jobs(ctx, allFrom, allTo, func(*labcarbon.Job) error { return nil }))
	_, err = st.Quarantined(ctx)
	check("Quarantined", err)
	_, err = st.Runs(ctx, 1)
	check("Runs", err)
}

func newRun(t *testing.T, st store.Store) int64 {
	t.Helper()
	id, err := st.BeginRun(t.Context(), "ingest", time.Now())
	if err != nil {
		t.Fatalf("BeginRun: %v", err)
	}
	return id
}

func begin(t *testing.T, st store.Store, runID int64) store.Batch {
	t.Helper()
	b, err := st.BeginBatch(t.Context(), runID)
	if err != nil {
		t.Fatalf("BeginBatch: %v", err)
	}
	return b
}

func mustPut(t *testing.T, b store.Batch, j *labcarbon.Job) {
	t.Helper()
	if err := b.Put(j); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func mustQuarantine(t *testing.T, b store.Batch, row *ingest.RowError) {
	t.Helper()
	if err := b.Quarantine(row); err != nil {
		t.Fatalf("Quarantine: %v", err)
	}
}

func mustCommit(t *testing.T, b store.Batch, in store.Input) {
	t.Helper()
	if err := b.Commit(in); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

// putAll stores jobs as one committed input of run runID.
func putAll(t *testing.T, st store.Store, runID int64, input string, jobs ...*labcarbon.Job) {
	t.Helper()
	b := begin(t, st, runID)
	for _, j := range jobs {
		mustPut(t, b, j)
	}
	mustCommit(t, b, store.Input{Name: input, Jobs: len(jobs)})
}

// collect returns copies of the jobs st returns for [from, to).
func collect(t *testing.T, st store.Store, from, to time.Time) []labcarbon.Job {
	t.Helper()
	var jobs []labcarbon.Job
	err := st.Jobs(t.Context(), from, to, func(j *labcarbon.Job) error {
		c := *j
		c.Assignment.Warnings = slices.Clone(j.Assignment.Warnings)
		jobs = append(jobs, c)
		return nil
	})
	if err != nil {
		t.Fatalf("Jobs: %v", err)
	}
	return jobs
}

// keys names jobs as cluster/raw id, for messages and order checks.
func keys(jobs []labcarbon.Job) []string {
	var k []string
	for _, j := range jobs {
		k = append(k, j.Cluster+"/"+j.JobIDRaw)
	}
	return k
}

func firstName(jobs []labcarbon.Job) string {
	if len(jobs) == 0 {
		return ""
	}
	return jobs[0].Name
}

var timeType = reflect.TypeFor[time.Time]()

// zeroFields returns the paths of the fields of v left at their zero value.
func zeroFields(v reflect.Value, path string) []string {
	if v.Kind() == reflect.Struct && v.Type() != timeType {
		var zero []string
		for i := range v.NumField() {
			zero = append(zero, zeroFields(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
		return zero
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

// sameFields returns the paths of the fields of v whose value another field
// has already, recorded in seen by value. Numbers of any type compare as
// float64, since a store could swap an int column with a float one. Bools
// and slices are left out: two bools cannot all differ.
func sameFields(v reflect.Value, path string, seen map[string]string) []string {
	var key string
	switch {
	case v.Type() == timeType:
		key = "time " + v.Interface().(time.Time).UTC().String()
	case v.Kind() == reflect.Struct:
		var same []string
		for i := range v.NumField() {
			same = append(same, sameFields(v.Field(i), path+"."+v.Type().Field(i).Name, seen)...)
		}
		return same
	case v.CanInt():
		key = "number " + strconv.FormatFloat(float64(v.Int()), 'g', -1, 64)
	case v.CanFloat():
		key = "number " + strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case v.Kind() == reflect.String:
		key = "string " + v.String()
	default:
		return nil
	}
	if other, ok := seen[key]; ok {
		return []string{path + " = " + other}
	}
	seen[key] = path
	return nil
}

// diff returns the fields in which got differs from want, one line each.
// Times must be the same instant in the same location.
func diff(want, got reflect.Value, path string) []string {
	switch {
	case want.Type() == timeType:
		w, g := want.Interface().(time.Time), got.Interface().(time.Time)
		if !w.Equal(g) || w.Location() != g.Location() {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, g, w)}
		}
	case want.Kind() == reflect.Struct:
		var d []string
		for i := range want.NumField() {
			d = append(d, diff(want.Field(i), got.Field(i), path+"."+want.Type().Field(i).Name)...)
		}
		return d
	case !reflect.DeepEqual(want.Interface(), got.Interface()):
		return []string{fmt.Sprintf("%s: got %#v, want %#v", path, got.Interface(), want.Interface())}
	}
	return nil
}
