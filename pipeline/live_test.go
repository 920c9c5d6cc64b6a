package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labcarbon/ingest/slurm"
)

// fakeSacct writes a sacct that answers --helpformat with the recommended
// fields, logs its arguments, and prints the lab's demo data.
func fakeSacct(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "sacct")
	script := "#!/bin/sh\n" +
		"if [ \"$1\" = --helpformat ]; then echo '" + strings.Join(slurm.RecommendedFields, " ") + "'; exit 0; fi\n" +
		"printf '%s\\n' \"$*\" >>\"" + filepath.Join(dir, "calls.txt") + "\"\n" +
		"cat \"" + filepath.Join(dir, "data", "sacct.txt") + "\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestIngestLiveWindows(t *testing.T) {
	cfg, dir := lab(t, 120)
	cfg.Ingest.Sacct = fakeSacct(t, dir)
	p := open(t, cfg) // its clock says 2026-11-24 02:30 UTC
	ctx := context.Background()

	s, err := p.IngestLive(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Jobs != 120 || len(s.Inputs) != 1 || s.Inputs[0].Format != "sacct" {
		t.Errorf("first live ingest: %+v", s)
	}
	first := total(t, p)
	// The second run starts a day before the first one started and changes
	// no total, although sacct prints the same jobs again.
	if _, err := p.IngestLive(ctx, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if again := total(t, p); again != first {
		t.Errorf("total after a second live ingest = %g, want %g", again, first)
	}
	calls, err := os.ReadFile(filepath.Join(dir, "calls.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
	if len(lines) != 2 {
		t.Fatalf("sacct ran %d times, want 2:\n%s", len(lines), calls)
	}
	for i, want := range []string{"--starttime 2026-11-23T02:30:00 --endtime 2026-11-24T02:30:00", "--starttime 2026-11-23T02:30:00 --endtime 2026-11-24T02:30:00"} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("sacct call %d = %q, want the window %q", i+1, lines[i], want)
		}
	}
	if _, err := p.IngestLive(ctx, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("a window that ends before it starts was accepted")
	}
}

func TestRunWithLiveIngest(t *testing.T) {
	cfg, dir := lab(t, 80)
	cfg.Ingest.Sacct = fakeSacct(t, dir)
	cfg.Ingest.Live = true
	cfg.Ingest.SacctFiles = nil
	p := open(t, cfg) // its clock says 2026-11-24 02:30 UTC
	ctx := context.Background()

	s, err := p.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Jobs != 80 || len(s.Inputs) != 1 || !strings.HasPrefix(s.Inputs[0].Name, "sacct 2026-11-23T02:30:00Z..") {
		t.Errorf("run with ingest.live: %d jobs, inputs %+v", s.Jobs, s.Inputs)
	}
	if len(s.Periods) != 1 || s.Periods[0].Totals.Jobs != 80 || len(s.Reports) == 0 {
		t.Errorf("run with ingest.live reported %+v, files %v", s.Periods, s.Reports)
	}
	// An ingest --live after it resumes from the run, a day before it.
	if _, err := p.IngestLive(ctx, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	runs, err := p.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[1].Command != "run --live" || runs[0].Command != "ingest --live" {
		t.Errorf("run history: %+v", runs)
	}
	calls, _ := os.ReadFile(filepath.Join(dir, "calls.txt"))
	if n := strings.Count(string(calls), "--starttime 2026-11-23T02:30:00 --endtime 2026-11-24T02:30:00"); n != 2 {
		t.Errorf("sacct calls:\n%s\nwant both with the window of the day before", calls)
	}
}
