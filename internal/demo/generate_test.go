package demo

import (
	"bytes"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"labcarbon"
)

// generate runs Generate into memory and fails the test on error.
func generate(t testing.TB, opts Options) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := Generate(&buf, opts)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opts, err)
	}
	return buf.Bytes(), st
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := Options{Seed: 42, Jobs: 1500}
	a, _ := generate(t, opts)
	b, _ := generate(t, opts)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different output")
	}
	opts.Seed = 43
	c, _ := generate(t, opts)
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same output")
	}
}

// TestDemoQuarter checks the default demo data set: its structure line by
// line, and that it has every case the pipeline must meet.
func TestDemoQuarter(t *testing.T) {
	out, st := generate(t, Options{Seed: 1})
	sum, err := checkSacct(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}

	if st.Jobs != DefaultJobs || sum.jobs != DefaultJobs {
		t.Errorf("jobs: stats %d, read back %d, want %d", st.Jobs, sum.jobs, DefaultJobs)
	}
	if st.Lines != sum.lines || st.Steps != sum.steps || st.Bytes != int64(len(out)) {
		t.Errorf("stats %+v, read back %d lines %d steps %d bytes", st, sum.lines, sum.steps, len(out))
	}
	for state, n := range st.ByState {
		if sum.states[string(state)] != n {
			t.Errorf("%s: stats %d, read back %d", state, n, sum.states[string(state)])
		}
	}
	for _, state := range []labcarbon.State{
		labcarbon.StateCompleted, labcarbon.StateFailed, labcarbon.StateTimeout,
		labcarbon.StateOutOfMemory, labcarbon.StateCancelled, labcarbon.StateRunning,
		labcarbon.StateNodeFail,
	} {
		if st.ByState[state] == 0 {
			t.Errorf("no %s job", state)
		}
	}
	if share := float64(st.ByState[labcarbon.StateCompleted]) / float64(st.Jobs); share < 0.7 || share > 0.92 {
		t.Errorf("COMPLETED share %.2f, want most jobs but not nearly all", share)
	}
	checks := []struct {
		what string
		n    int
	}{
		{"jobs cancelled while pending", sum.cancelledPending},
		{"jobs cancelled after they started", sum.cancelledRunning},
		{"array jobs", len(sum.arrays)},
		{"array tasks that keep the array's id", sum.masterTasks},
		{"jobs with typed GPUs", sum.typedGPU},
		{"steps with GPU utilisation", sum.gpuUtil},
		{"jobs with measured energy", sum.measured},
		{"multi-node jobs", sum.multiNode},
		{"jobs without a batch step", sum.noBatch},
		{"srun steps", sum.srunSteps},
		{"job names with non-ASCII letters", sum.nonASCIINames},
		{"job names with spaces", sum.spacedNames},
		{"OUT_OF_MEMORY jobs that reached their request", sum.oomNearRequest},
		{"FAILED jobs with exit code 1:0", sum.exitCodes["1:0"]},
		{"OUT_OF_MEMORY exit codes 0:125", sum.exitCodes["0:125"]},
	}
	for _, c := range checks {
		if c.n == 0 {
			t.Errorf("no %s", c.what)
		}
	}
	if len(sum.arrays) != st.Arrays || sum.masterTasks != st.Arrays {
		t.Errorf("arrays: stats %d, read back %d with %d master tasks", st.Arrays, len(sum.arrays), sum.masterTasks)
	}
	if len(sum.users) < 35 {
		t.Errorf("%d users submitted jobs, want nearly all 40", len(sum.users))
	}
	for _, p := range []string{"cpu", "gpu", "highmem"} {
		if !sum.partitions[p] {
			t.Errorf("no job on partition %s", p)
		}
	}
}

// TestProfilesShow checks that the roster's habits come through in the
// data, since the demo's recommendations depend on finding them.
func TestProfilesShow(t *testing.T) {
	out, _ := generate(t, Options{Seed: 7})
	type usage struct{ cpu, alloc float64 }
	by := map[string]*usage{}
	for _, line := range strings.Split(string(out), "\n")[1:] {
		f := strings.Split(line, "|")
		if len(f) < 30 || strings.Contains(f[0], ".") || f[13] == "Unknown" || f[12] == "None" {
			continue
		}
		cpu, err := sacctDuration(f[24])
		if err != nil {
			t.Fatal(err)
		}
		elapsed, err1 := strconv.ParseFloat(f[15], 64)
		ncpus, err2 := strconv.ParseFloat(f[18], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("ElapsedRaw %q, NCPUS %q", f[15], f[18])
		}
		u := by[f[2]]
		if u == nil {
			u = &usage{}
			by[f[2]] = u
		}
		u.cpu += float64(cpu) / 1e6
		u.alloc += elapsed * ncpus
	}
	eff := func(login string) float64 { return by[login].cpu / by[login].alloc }
	if e := eff("fmuller"); e < 0.03 || e > 0.2 {
		t.Errorf("fmuller (asks for many cores) CPU efficiency %.2f, want 5-15%%", e)
	}
	if e := eff("ijohansson"); e < 0.6 {
		t.Errorf("ijohansson (efficient) CPU efficiency %.2f", e)
	}
}

func TestGenerateOptions(t *testing.T) {
	from := time.Date(2026, 8, 10, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 7)
	out, st := generate(t, Options{Seed: 3, Jobs: 700, From: from, To: to})
	if st.Jobs != 700 {
		t.Errorf("%d jobs, want 700", st.Jobs)
	}
	sum, err := checkSacct(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if sum.jobs != 700 {
		t.Errorf("read back %d jobs", sum.jobs)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n")[1:] {
		f := strings.Split(line, "|")
		submit, _, _ := sacctTime(f[11])
		if submit.Before(from) || !submit.Before(to) {
			t.Fatalf("submit %s outside %s..%s", f[11], from, to)
		}
		if end, ok, _ := sacctTime(f[13]); ok && end.After(to) {
			t.Fatalf("end %s after the period", f[13])
		}
	}

	for _, bad := range []Options{
		{Jobs: -1},
		{Users: -5},
		{From: to, To: from},
		{From: from, To: from},
	} {
		if _, err := Generate(io.Discard, bad); err == nil {
			t.Errorf("Generate(%+v): no error", bad)
		}
	}
}

// failingWriter fails after a few bytes, like a full disk.
type failingWriter struct{ left int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		return w.left, io.ErrShortWrite
	}
	w.left -= len(p)
	return len(p), nil
}

func TestGenerateReportsWriteErrors(t *testing.T) {
	_, err := Generate(&failingWriter{left: 1000}, Options{Jobs: 5000})
	if err == nil || !strings.Contains(err.Error(), "short write") {
		t.Fatalf("err = %v, want the writer's error", err)
	}
}

func TestBigCentre(t *testing.T) {
	const users = 2000
	out, st := generate(t, Options{Seed: 11, Jobs: 20000, Users: users})
	sum, err := checkSacct(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if sum.jobs != st.Jobs || st.Jobs != 20000 {
		t.Errorf("jobs: stats %d, read back %d", st.Jobs, sum.jobs)
	}
	if len(sum.users) < 1500 {
		t.Errorf("%d distinct users, want most of %d", len(sum.users), users)
	}
	for _, p := range Partitions(users) {
		if !sum.partitions[p.Name] {
			t.Errorf("no job on partition %s", p.Name)
		}
	}
	for u := range sum.users {
		for _, c := range u {
			if c > 127 {
				t.Fatalf("login %q is not ASCII", u)
			}
		}
	}
}

// TestMemoryIsFlat checks that Generate streams: the live heap while
// writing 20 times as many jobs stays the same.
func TestMemoryIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap over 100k jobs")
	}
	small := peakLiveHeap(t, 5_000)
	large := peakLiveHeap(t, 100_000)
	t.Logf("peak live heap: %d KiB at 5k jobs, %d KiB at 100k jobs", small>>10, large>>10)
	if large > small+256<<10 {
		t.Errorf("live heap grew from %d to %d bytes with 20 times the jobs", small, large)
	}
}

// heapProbe is a writer that measures the live heap now and then, after a
// collection, while Generate writes to it.
type heapProbe struct {
	written, next int64
	peak          uint64
}

func (p *heapProbe) Write(b []byte) (int, error) {
	p.written += int64(len(b))
	if p.written >= p.next {
		p.next = p.written + 4<<20
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.peak = max(p.peak, ms.HeapAlloc)
	}
	return len(b), nil
}

func peakLiveHeap(t *testing.T, jobs int) uint64 {
	t.Helper()
	p := &heapProbe{}
	if _, err := Generate(p, Options{Seed: 5, Jobs: jobs}); err != nil {
		t.Fatal(err)
	}
	return p.peak
}

func BenchmarkGenerate(b *testing.B) {
	const jobs = 100_000
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(io.Discard, Options{Seed: 1, Jobs: jobs}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(jobs)*float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}
