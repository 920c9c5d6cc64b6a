package source

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/ingest/slurm"
)

// readAll drains r into records and bad rows.
func readAll(t *testing.T, r ingest.Reader) ([]labcarbon.Usage, []ingest.RowError) {
	t.Helper()
	var us []labcarbon.Usage
	var bad []ingest.RowError
	for r.Scan() {
		u, e := r.Record()
		if u != nil {
			us = append(us, *u)
		} else {
			bad = append(bad, *e)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return us, bad
}

func TestOpenGzipMatchesPlain(t *testing.T) {
	plain := filepath.Join("..", "slurm", "testdata", "trailing.txt")
	gz := plain + ".gz"
	opts := Options{Sacct: slurm.SacctOptions{Cluster: "c1"}}

	r1, c1, err := Open(plain, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	r2, c2, err := Open(gz, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	u1, b1 := readAll(t, r1)
	u2, b2 := readAll(t, r2)
	if len(u1) == 0 || len(b1) == 0 {
		t.Fatalf("sample should have records and bad rows: %d, %d", len(u1), len(b1))
	}
	for i := range u2 {
		u2[i].SourceFile = plain // the only difference allowed
	}
	for i := range b2 {
		b2[i].File = plain
	}
	if !reflect.DeepEqual(u1, u2) || !reflect.DeepEqual(b1, b2) {
		t.Errorf("gzip input read differently from plain")
	}
}

// TestOpenFormats opens a sample of each format with format auto and
// checks that the right reader reads it and says which it is.
func TestOpenFormats(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	testdata := filepath.Join("..", "slurm", "testdata")
	for _, tc := range []struct {
		path, format string
		jobs         int
	}{
		{filepath.Join(testdata, "trailing.txt.gz"), ingest.FormatSacct, 6},
		{filepath.Join(testdata, "json", "slurm-22.05.json"), ingest.FormatSacctJSON, 11},
		{filepath.Join(testdata, "json", "slurm-24.11.json"), ingest.FormatSacctJSON, 11},
		{filepath.Join(testdata, "jobcomp", "equiv.log"), ingest.FormatJobcomp, 9},
	} {
		// The jobcomp log is in Berlin time: Sacct's Location serves
		// every format.
		r, c, err := Open(tc.path, Options{Sacct: slurm.SacctOptions{Cluster: "c1", Location: berlin}})
		if err != nil {
			t.Fatalf("Open(%s): %v", tc.path, err)
		}
		us, _ := readAll(t, r)
		c.Close()
		if r.Format() != tc.format || len(us) != tc.jobs {
			t.Errorf("%s: format %s, %d jobs; want %s, %d", tc.path, r.Format(), len(us), tc.format, tc.jobs)
		}
		if tc.format == ingest.FormatJobcomp && !us[0].Start.Equal(time.Date(2026, 3, 2, 8, 0, 5, 0, time.UTC)) {
			t.Errorf("jobcomp start %v: the Location of Sacct was not used", us[0].Start)
		}
	}
}

// TestOpenWrongFormat checks that an input given as a format it is not
// fails with that format's error.
func TestOpenWrongFormat(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "in")
	if err := os.WriteFile(path, []byte("JobID|State|Elapsed\n1|COMPLETED|00:01:00\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for format, want := range map[string]string{
		ingest.FormatSacctJSON: "not sacct --json output",
		ingest.FormatJobcomp:   "not a jobcomp/filetxt log",
	} {
		r, _, err := Open(path, Options{Format: format})
		if err == nil || r != nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open as %s = %v, %v; want a nil reader and an error containing %q", format, r, err, want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notSacct := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notSacct, []byte("shopping list\nmilk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		opts Options
		want string
	}{
		{path: filepath.Join(dir, "missing"), want: "missing"},
		{path: notSacct, want: "not sacct"},
		{path: notSacct, opts: Options{Format: "xml"}, want: "unknown format"},
	} {
		if _, _, err := Open(tc.path, tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%s) = %v, want an error containing %q", tc.path, err, tc.want)
		}
	}
}

func TestNewReader(t *testing.T) {
	r, err := NewReader(strings.NewReader("JobID|State|Elapsed\n1|COMPLETED|00:01:00\n"), "stdin", Options{Format: "sacct"})
	if err != nil {
		t.Fatal(err)
	}
	us, bad := readAll(t, r)
	if len(us) != 1 || len(bad) != 0 || us[0].SourceFile != "stdin" {
		t.Errorf("got %+v, %+v", us, bad)
	}
}
