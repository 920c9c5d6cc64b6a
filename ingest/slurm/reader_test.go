package slurm

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/ingest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the reader's output")

// goldenCase is one sample file and the options it is read with.
type goldenCase struct {
	file string
	opts SacctOptions
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s: %v", name, err)
	}
	return loc
}

// goldenCases lists the sample files; each has a .golden file holding what
// the reader returns for it.
func goldenCases(t testing.TB) []goldenCase {
	return []goldenCase{
		// The header labcarbon demo writes: jobs with steps, arrays, het,
		// requeue duplicates, pending, RUNNING, OUT_OF_MEMORY, typed GPUs,
		// and rows with every kind of impossible value.
		{file: "demo.txt"},
		// Slurm 20.11 style: no JobIDRaw, AllocCPUS, Elapsed only,
		// per-CPU and per-node ReqMem, UNLIMITED and Partition_Limit.
		{file: "old_reqmem.txt", opts: SacctOptions{Cluster: "ub"}},
		// --parsable --delimiter=☃ (trailing delimiter), gpuutil in
		// TRESUsageInAve, a | inside JobName that is harmless here.
		{file: "snowman.txt"},
		// reportseff style: --parsable --noheader --delimiter=^|^ with the
		// columns given, a newline inside Comment.
		{file: "caret.txt", opts: SacctOptions{
			Delimiter: "^|^",
			Columns:   []string{"JobID", "JobIDRaw", "State", "Start", "End", "Elapsed", "TotalCPU", "AllocCPUS", "ReqMem", "NNodes", "MaxRSS", "Timelimit", "Comment", "JobName"},
			Cluster:   "della",
		}},
		// jobstats style: -P -X --noheader with SLURM_TIME_FORMAT=%s and
		// JobName last, where a | in it is repaired.
		{file: "jobstats.txt", opts: SacctOptions{
			Columns: []string{"jobidraw", "start", "end", "cluster", "alloctres", "user", "account", "state", "nnodes", "ncpus", "reqmem", "qos", "partition", "timelimitraw", "jobname"},
		}},
		// -p with JobName last: the trailing delimiter and a | in the name.
		{file: "trailing.txt", opts: SacctOptions{Cluster: "c1"}},
		// Local time across the start of summer time in Berlin.
		{file: "berlin.txt", opts: SacctOptions{Location: mustZone(t, "Europe/Berlin"), Cluster: "c1"}},
		// A file that begins inside a job: the job is rebuilt from steps.
		{file: "cut.txt", opts: SacctOptions{Cluster: "c1"}},
		// A file that begins inside a job whose steps say too little.
		{file: "cut_bad.txt", opts: SacctOptions{Cluster: "c1"}},
		// Two sacct runs appended to one file.
		{file: "concat.txt", opts: SacctOptions{Cluster: "c1"}},
	}
}

// goldenItem is one result of the reader as the golden files store it.
type goldenItem struct {
	Usage *labcarbon.Usage `json:",omitempty"`
	Bad   *ingest.RowError `json:",omitempty"`
}

type goldenFile struct {
	Items []goldenItem
	Stats SacctStats
}

// readAll reads a whole input the way the pipeline does.
func readAll(t testing.TB, name string, data []byte, opts SacctOptions) goldenFile {
	t.Helper()
	r, err := NewSacctReader(bytes.NewReader(data), name, opts)
	if err != nil {
		t.Fatalf("NewSacctReader: %v", err)
	}
	var g goldenFile
	for r.Scan() {
		u, bad := r.Record()
		if (u == nil) == (bad == nil) {
			t.Fatalf("Record returned %v, %v: want exactly one", u, bad)
		}
		if u != nil {
			c := *u
			g.Items = append(g.Items, goldenItem{Usage: &c})
		} else {
			g.Items = append(g.Items, goldenItem{Bad: bad})
		}
	}
	if err := r.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	g.Stats = r.Stats()
	return g
}

func TestSacctReaderGolden(t *testing.T) {
	for _, tc := range goldenCases(t) {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(readAll(t, tc.file, data, tc.opts), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(path, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				gotPath := golden + ".got"
				os.WriteFile(gotPath, got, 0o644)
				t.Errorf("output differs from %s; see %s (go test -update accepts it)", golden, gotPath)
			}
		})
	}
}
