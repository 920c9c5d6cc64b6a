package source

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

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

func TestOpenUnsupported(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"sacct-json": `{"meta": {}, "jobs": []}`,
		"jobcomp":    "JobId=1 UserId=alice(1001) GroupId=alice(1001) Name=x JobState=COMPLETED\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := Open(path, Options{})
		if !errors.Is(err, ingest.ErrUnsupported) || !strings.Contains(err.Error(), "format "+name+" not supported yet") {
			t.Errorf("Open(%s) = %v, want format %s not supported yet", name, err, name)
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
