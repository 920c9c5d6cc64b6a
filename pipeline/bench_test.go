package pipeline

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/config"
	"labcarbon/ingest"
	"labcarbon/internal/demo"
	"labcarbon/internal/scalebench"
	"labcarbon/store"
)

// benchJobs is the size of the benchmarks' input: large enough that a
// batch is far bigger than any cache and its commit, small enough that
// `make bench` stays within minutes. cmd/scalebench runs a million.
const benchJobs = 100_000

// benchLab generates benchJobs jobs of a big centre into a file and returns
// the lab's config and that file.
func benchLab(b *testing.B) (*config.Config, string, int64) {
	b.Helper()
	dir := b.TempDir()
	data := filepath.Join(dir, "sacct.txt")
	f, err := os.Create(data)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	st, err := demo.Generate(w, demo.Options{Seed: 1, Jobs: benchJobs, Users: scalebench.Users})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "labcarbon.yaml")
	if err := os.WriteFile(path, scalebench.Config(scalebench.Users, "labcarbon.db", data), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	return cfg, data, st.Bytes
}

// BenchmarkIngest runs the whole ingest of a file as `labcarbon ingest`
// does: parse, match, compute and store in one transaction. "new" writes
// into an empty store (every job an insert), "again" ingests the same file
// once more (every job an update), as a nightly run over an overlapping
// window does.
func BenchmarkIngest(b *testing.B) {
	cfg, data, size := benchLab(b)
	ingest := func(b *testing.B, p *Pipeline) {
		s, err := p.Ingest(context.Background(), []string{data}, "auto")
		if err != nil || s.Jobs != benchJobs {
			b.Fatalf("ingest: %v jobs, %v", s.Jobs, err)
		}
	}
	// report gives jobs per second of wall time and per CPU-second of the
	// whole process (both goroutines, the garbage collector, SQLite), which
	// other work on the machine disturbs less.
	report := func(b *testing.B, loops int, cpu time.Duration) {
		b.ReportMetric(float64(benchJobs*loops)/b.Elapsed().Seconds(), "jobs/s")
		if cpu > 0 {
			b.ReportMetric(float64(benchJobs*loops)/cpu.Seconds(), "jobs/cpu-s")
		}
	}
	b.Run("new", func(b *testing.B) {
		b.SetBytes(size)
		loops, cpu := 0, time.Duration(0)
		for b.Loop() {
			b.StopTimer()
			if err := os.Remove(cfg.Store.Path); err != nil && !os.IsNotExist(err) {
				b.Fatal(err)
			}
			p := openBench(b, cfg)
			b.StartTimer()
			cpu0 := scalebench.ProcessCPU()
			ingest(b, p)
			cpu += scalebench.ProcessCPU() - cpu0
			b.StopTimer()
			if err := p.Close(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			loops++
		}
		report(b, loops, cpu)
	})
	b.Run("again", func(b *testing.B) {
		p := openBench(b, cfg)
		defer p.Close()
		ingest(b, p)
		b.SetBytes(size)
		loops, cpu0 := 0, scalebench.ProcessCPU()
		for b.Loop() {
			ingest(b, p)
			loops++
		}
		report(b, loops, scalebench.ProcessCPU()-cpu0)
	})
}

// BenchmarkParseMatchCompute runs ingest with a store that discards what
// it is given: the stages before the store (reading and hashing the file,
// parsing, matching factors, computing), and the hand-over to the writer
// goroutine.
func BenchmarkParseMatchCompute(b *testing.B) {
	cfg, data, size := benchLab(b)
	p := openBench(b, cfg)
	defer p.Close()
	p.store = discardStore{p.store}
	b.SetBytes(size)
	loops, cpu0 := 0, scalebench.ProcessCPU()
	for b.Loop() {
		s, err := p.Ingest(context.Background(), []string{data}, "auto")
		if err != nil || s.Jobs != benchJobs {
			b.Fatalf("ingest: %v jobs, %v", s.Jobs, err)
		}
		loops++
	}
	b.ReportMetric(float64(benchJobs*loops)/b.Elapsed().Seconds(), "jobs/s")
	if cpu := scalebench.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(benchJobs*loops)/cpu.Seconds(), "jobs/cpu-s")
	}
}

// discardStore is the store of a pipeline with its batches discarding
// what they are given.
type discardStore struct{ store.Store }

func (discardStore) BeginBatch(context.Context, int64) (store.Batch, error) {
	return discardBatch{}, nil
}

type discardBatch struct{}

func (discardBatch) Put(*labcarbon.Job) error          { return nil }
func (discardBatch) Quarantine(*ingest.RowError) error { return nil }
func (discardBatch) Commit(store.Input) error          { return nil }
func (discardBatch) Rollback() error                   { return nil }

func openBench(b *testing.B, cfg *config.Config) *Pipeline {
	b.Helper()
	p, err := Open(context.Background(), cfg, Options{Now: func() time.Time { return time.Date(2026, 11, 24, 2, 30, 0, 0, time.UTC) }})
	if err != nil {
		b.Fatal(err)
	}
	return p
}
