package slurm

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"labcarbon"
	"labcarbon/ingest"
)

// The same jobs, written by each Slurm output labcarbon reads: as sacct -P
// text, as sacct --json in the shape of each Slurm release, and as a
// jobcomp/filetxt log (in Berlin local time, as slurmctld writes it).
const (
	equivText    = "testdata/json/sacct-P.txt"
	equivJobcomp = "testdata/jobcomp/equiv.log"
)

// jobcompLacks lists the fields a jobcomp log does not carry: it records
// what a job was allocated, never what it used.
var jobcompLacks = []string{"CPUTimeSec", "MemPeakGB", "HasMemPeak", "GPUUtil", "HasGPUUtil", "EnergyJ"}

// jobcompMissing lists the jobs a jobcomp log cannot have: slurmctld
// writes a line when a job ends, so neither the running job nor the
// pending array is in it.
var jobcompMissing = []string{"2007", "2008"}

// exitStatusLost lists, for the JSON written by Slurm before 23.11
// (openapi/dbv0.0.37, .38 and data_parser/v0.0.39), the jobs whose exit
// code the JSON cannot tell: those versions write "SUCCESS" for every
// normal exit, so only a COMPLETED job's 0:0 is known (see jsonExit.sacct).
// The jobs that ended by a signal (2006, 0:125) keep theirs.
var exitStatusLost = []string{"2002", "2005", "2007", "2008", "2013"}

// TestSameJobsEveryFormat is the contract between the readers: the same
// jobs give the same records, field by field, whatever Slurm output they
// were read from, except for the fields and jobs a format does not carry,
// listed above.
func TestSameJobsEveryFormat(t *testing.T) {
	want := recordsByID(t, readFile(t, equivText, func(f *os.File) (ingest.Reader, error) {
		return NewSacctReader(f, equivText, SacctOptions{})
	}))
	if len(want) != 11 {
		t.Fatalf("%s: %d jobs, want 11", equivText, len(want))
	}

	jsons, _ := filepath.Glob("testdata/json/slurm-*.json")
	if len(jsons) < 5 {
		t.Fatalf("%d JSON samples, want one per Slurm release from 21.08 to 24.11", len(jsons))
	}
	for _, path := range jsons {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := recordsByID(t, readFile(t, path, func(f *os.File) (ingest.Reader, error) {
				return NewJSONReader(f, path, JSONOptions{})
			}))
			oldExit := slices.ContainsFunc([]string{"21.08", "22.05", "23.02"}, func(v string) bool { return strings.Contains(path, v) })
			for id, w := range want {
				g, ok := got[id]
				if !ok {
					t.Errorf("job %s missing", id)
					continue
				}
				w := *w
				if oldExit && slices.Contains(exitStatusLost, id) {
					w.ExitCode = ""
				}
				compareUsage(t, id, g, &w, labcarbon.SourceSacctJSON, path, nil)
			}
			if len(got) != len(want) {
				t.Errorf("%d jobs, want %d", len(got), len(want))
			}
		})
	}

	t.Run("jobcomp", func(t *testing.T) {
		berlin := mustZone(t, "Europe/Berlin")
		got := recordsByID(t, readFile(t, equivJobcomp, func(f *os.File) (ingest.Reader, error) {
			return NewJobcompReader(f, equivJobcomp, JobcompOptions{Location: berlin})
		}))
		for id, w := range want {
			g, ok := got[id]
			if slices.Contains(jobcompMissing, id) {
				if ok {
					t.Errorf("job %s should not be in the log", id)
				}
				continue
			}
			if !ok {
				t.Errorf("job %s missing", id)
				continue
			}
			compareUsage(t, id, g, w, labcarbon.SourceJobcomp, equivJobcomp, jobcompLacks)
			if g.CPUTimeSec != 0 || g.HasMemPeak || g.HasGPUUtil || g.EnergyJ != 0 {
				t.Errorf("job %s: jobcomp record has usage: %+v", id, g)
			}
		}
		if len(got) != len(want)-len(jobcompMissing) {
			t.Errorf("%d jobs, want %d", len(got), len(want)-len(jobcompMissing))
		}
	})
}

// readFile reads a whole sample with the reader open makes, failing on
// any bad row: the samples are well formed.
func readFile(t *testing.T, path string, open func(*os.File) (ingest.Reader, error)) []labcarbon.Usage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := open(f)
	if err != nil {
		t.Fatal(err)
	}
	var us []labcarbon.Usage
	for r.Scan() {
		u, bad := r.Record()
		if bad != nil {
			t.Fatalf("bad row: %v", bad)
		}
		us = append(us, *u)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return us
}

// recordsByID indexes records by JobIDRaw, which must be unique.
func recordsByID(t *testing.T, us []labcarbon.Usage) map[string]*labcarbon.Usage {
	t.Helper()
	m := map[string]*labcarbon.Usage{}
	for i := range us {
		if m[us[i].JobIDRaw] != nil {
			t.Fatalf("job %s read twice", us[i].JobIDRaw)
		}
		m[us[i].JobIDRaw] = &us[i]
	}
	return m
}

// compareUsage compares every field of got with want but the source, which
// must be source and file, and the fields in skip. Floats compare to a
// nanosecond's or a byte's worth.
func compareUsage(t *testing.T, id string, got, want *labcarbon.Usage, source labcarbon.SourceKind, file string, skip []string) {
	t.Helper()
	if got.Source != source || got.SourceFile != file || got.SourceLine < 1 {
		t.Errorf("job %s: source %s %s:%d, want %s %s", id, got.Source, got.SourceFile, got.SourceLine, source, file)
	}
	g, w := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	for i := range g.NumField() {
		name := g.Type().Field(i).Name
		if strings.HasPrefix(name, "Source") || slices.Contains(skip, name) {
			continue
		}
		gf, wf := g.Field(i).Interface(), w.Field(i).Interface()
		if a, ok := gf.(float64); ok {
			if b := wf.(float64); math.Abs(a-b) > 1e-9*max(1, math.Abs(b)) {
				t.Errorf("job %s: %s = %v, want %v", id, name, a, b)
			}
			continue
		}
		if !reflect.DeepEqual(gf, wf) {
			t.Errorf("job %s: %s = %v, want %v", id, name, gf, wf)
		}
	}
}
