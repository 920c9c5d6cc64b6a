package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// call runs the command line in-process and returns its exit status and
// output streams.
func call(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, cmd := range []string{"", "demo", "run", "ingest", "report", "export", "restate", "runs", "schedule", "factors", "factors list", "factors show", "factors check", "factors import", "estimate", "version"} {
		args := strings.Fields(cmd + " --help")
		code, out, _ := call(t, args...)
		if code != exitOK || !strings.Contains(out, "Usage:") {
			t.Errorf("labcarbon %s --help: status %d, output:\n%s", cmd, code, out)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := call(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "labcarbon ") {
		t.Errorf("version: status %d, %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("lab:\n  name: x\n  colour: blue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Valid YAML, but a CPU model the catalog does not have.
	unknownCPU := filepath.Join(dir, "unknown-cpu.yaml")
	if err := os.WriteFile(unknownCPU, []byte(`lab: {name: x}
store: {path: x.db}
sites: [{name: s, zone: GB}]
clusters: [{name: c, site: s, default_node_type: n}]
node_types: [{name: n, cpu_model: "Intel Pentium Pro 200"}]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		code    int
		message string
	}{
		{[]string{"run"}, exitUsage, "--config is required"},
		{[]string{"run", "--config", bad}, exitUsage, "field colour not found"},
		{[]string{"run", "--bogus"}, exitUsage, "unknown flag: --bogus"},
		{[]string{"run", "--config", unknownCPU}, exitUsage, "Pentium Pro"},
		{[]string{"report", "--config", bad}, exitUsage, "--period is required"},
		{[]string{"restate", "--config", bad}, exitUsage, "--period is required"},
		{[]string{"report", "--config", bad, "--period", "2026Q9"}, exitUsage, "2026Q9"},
		{[]string{"report", "--config", bad, "--period", "2026Q3", "--format", "pdf,docx"}, exitUsage, "unknown format \"docx\""},
		{[]string{"export", "--config", bad, "--period", "2026Q3", "--by", "planet"}, exitUsage, "unknown breakdown"},
		{[]string{"export", "--config", bad, "--period", "2026Q3", "--format", "xml"}, exitUsage, "unknown export format"},
		{[]string{"demo", "--jobs", "0"}, exitUsage, "--jobs 0"},
		{[]string{"ingest", "--config", bad}, exitUsage, "at least one file"},
		{[]string{"ingest", "--config", bad, "--live", "--since", "last week"}, exitUsage, "--since \"last week\""},
		{[]string{"ingest", "--config", bad, "--live", "sacct.txt"}, exitUsage, "--live reads no files"},
		{[]string{"ingest", "--config", bad, "--since", "2026-11-01", "sacct.txt"}, exitUsage, "go with --live"},
		{[]string{"run", "--config", filepath.Join(dir, "missing.yaml")}, exitFailure, "missing.yaml"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"version", "extra"}, exitUsage, "takes no arguments"},
	}
	for _, tt := range tests {
		code, out, errOut := call(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.message) {
			t.Errorf("labcarbon %s: status %d (want %d), stderr %q (want it to mention %q)", strings.Join(tt.args, " "), code, tt.code, errOut, tt.message)
		}
		if !strings.HasPrefix(errOut, "labcarbon: ") {
			t.Errorf("labcarbon %s: stderr should start with a one-line reason, got %q", strings.Join(tt.args, " "), errOut)
		}
		if out != "" {
			t.Errorf("labcarbon %s: wrote %q to stdout on failure", strings.Join(tt.args, " "), out)
		}
	}
}

func TestIngestNoheaderWithColumns(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := call(t, "demo", "--jobs", "50", "--seed", "3", "--out", dir); code != exitOK {
		t.Fatalf("demo: status %d: %s", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, "data", "sacct-2026Q3.txt"))
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(data), "\n")
	lines := strings.Split(body, "\n")
	lines[0] = strings.Replace(lines[0], "|", "|not-a-number-of-|", 1) // one field too many
	noheader := filepath.Join(dir, "noheader.txt")
	if err := os.WriteFile(noheader, []byte(strings.ReplaceAll(strings.Join(lines, "\n"), "|", "^")), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "labcarbon.yaml")
	columns := strings.ReplaceAll(header, "|", ",")

	code, out, errOut := call(t, "ingest", "--config", cfg, "--columns", columns, "--delimiter", "^", noheader)
	if code != exitPartial {
		t.Fatalf("ingest --columns: status %d, want %d\n%s%s", code, exitPartial, out, errOut)
	}
	if !strings.Contains(out, "rows quarantined") || !strings.Contains(out, "  1 row(s) quarantined (whole row), first "+noheader+":1: 31 fields, the header has 30") {
		t.Errorf("summary does not count the quarantined row by field:\n%s", out)
	}
	code, _, errOut = call(t, "ingest", "--config", cfg, "--columns", "JobID,Elapsed", noheader)
	if code != exitUsage || !strings.Contains(errOut, "--columns: no State column") {
		t.Errorf("ingest with too few --columns: status %d, %q", code, errOut)
	}
}
