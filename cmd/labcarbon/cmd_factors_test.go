package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"labcarbon/factors"
	"labcarbon/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with what the commands print")

// goldenCase is one command line whose exit status and output are pinned
// in testdata/<name>.golden.
type goldenCase struct {
	name string
	args []string
}

// checkGolden runs args and compares the exit status, stdout and stderr
// with testdata/<name>.golden, after replacing tmp (a temporary directory
// the output may name) with TMP. With -update it rewrites the file instead.
func checkGolden(t *testing.T, tmp string, tc goldenCase) {
	t.Helper()
	code, out, errOut := call(t, tc.args...)
	shown := make([]string, len(tc.args))
	for i, a := range tc.args {
		shown[i] = a
		if strings.ContainsAny(a, " \"") {
			shown[i] = strconv.Quote(a)
		}
	}
	got := fmt.Sprintf("$ labcarbon %s\n-- exit %d --\n-- stdout --\n%s-- stderr --\n%s", strings.Join(shown, " "), code, out, errOut)
	if tmp != "" {
		got = strings.ReplaceAll(got, tmp, "TMP")
	}
	path := filepath.Join("testdata", tc.name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("labcarbon %s: output differs from %s (go test -update rewrites it):\n%s", strings.Join(tc.args, " "), path, lineDiff(string(want), got))
	}
}

// lineDiff shows the first lines in which want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n\twant %q\n\tgot  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// fixClock makes "this year" 2026 for the test.
func fixClock(t *testing.T) {
	t.Helper()
	saved := timeNow
	timeNow = func() time.Time { return time.Date(2026, 8, 14, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { timeNow = saved })
}

func TestFactorsGolden(t *testing.T) {
	fixClock(t)
	for _, tc := range []goldenCase{
		{"factors-list-pue", []string{"factors", "list", "pue"}},
		{"factors-list-memory-csv", []string{"factors", "list", "memory", "--format", "csv"}},
		{"factors-list-equivalents", []string{"factors", "list", "equivalents"}},
		{"factors-list-embodied-2021", []string{"factors", "list", "embodied", "--year", "2021"}},
		{"factors-list-grid-uk-2024", []string{"factors", "list", "grid", "--zone", "uk", "--year", "2024"}},
		{"factors-list-grid-none", []string{"factors", "list", "grid", "--zone", "GB", "--year", "2026"}},
		{"factors-show-cpu-alias", []string{"factors", "show", "amd", "7552"}},
		{"factors-show-gpu-a100", []string{"factors", "show", "a100"}},
		{"factors-show-zone-uk", []string{"factors", "show", "UK"}},
		{"factors-show-cloud-region", []string{"factors", "show", "aws:eu-central-2", "--year", "2019"}},
		{"factors-show-unknown", []string{"factors", "show", "epyc", "99"}},
		{"factors-check-example", []string{"factors", "check", "--config", "../../config/example.yaml"}},
		{"factors-check-fallback", []string{"factors", "check", "--config", "testdata/check/fallback.yaml", "--year", "2024"}},
		{"factors-check-invalid", []string{"factors", "check", "--config", "testdata/check/invalid.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, "", tc) })
	}
}

func TestFactorsListCPUs(t *testing.T) {
	cat, err := factors.Load()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := call(t, "factors", "list", "cpus")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != exitOK || len(lines) != len(cat.CPUs())+1 || !strings.HasPrefix(lines[0], "MODEL ") {
		t.Fatalf("factors list cpus: status %d, %d lines for %d CPUs, header %q", code, len(lines), len(cat.CPUs()), lines[0])
	}
	// EPYC 7763: 280 W ÷ 64 cores = 4.375 W per core, unrounded.
	if !containsLine(out, "AMD EPYC 7763", "280", "4.375") {
		t.Errorf("no EPYC 7763 row with 280 W and 4.375 W per core in:\n%s", out)
	}
	code, out, _ = call(t, "factors", "list", "gpus", "--format", "csv")
	if code != exitOK || !strings.HasPrefix(out, "model,vendor,family,architecture,form_factor,memory_gb,tdp_w,") ||
		!strings.Contains(out, "\nNVIDIA A100 SXM4 80GB,NVIDIA,A100,Ampere,SXM4,80,400,") {
		t.Errorf("factors list gpus --format csv: status %d, output starts\n%.300s", code, out)
	}
}

// containsLine reports whether some line of text holds every field.
func containsLine(text string, fields ...string) bool {
	for _, l := range strings.Split(text, "\n") {
		ok := true
		for _, f := range fields {
			ok = ok && strings.Contains(l, f)
		}
		if ok {
			return true
		}
	}
	return false
}

func TestFactorsUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		message string
	}{
		{[]string{"factors", "frob"}, `unknown command "frob"`},
		{[]string{"factors", "list"}, "needs one table"},
		{[]string{"factors", "list", "planets"}, `unknown table "planets"`},
		{[]string{"factors", "list", "pue", "--zone", "GB"}, "--zone applies to the grid table only"},
		{[]string{"factors", "list", "grid", "--zone", "Atlantis"}, "unknown grid zone"},
		{[]string{"factors", "list", "grid", "--format", "xml"}, `--format "xml"`},
		{[]string{"factors", "show"}, "needs a name"},
		{[]string{"factors", "show", "GB", "--year", "1800"}, "--year 1800"},
		{[]string{"factors", "check"}, "--config is required"},
		{[]string{"factors", "check", "--config", "testdata/check/fallback.yaml", "extra"}, "takes no arguments"},
		{[]string{"factors", "import", "--config", "testdata/check/fallback.yaml"}, "needs one CSV file"},
		{[]string{"factors", "import", "--config", "testdata/check/fallback.yaml", "--basis", "market", "x.csv"}, `unknown basis "market"`},
		{[]string{"factors", "import", "--config", "testdata/check/fallback.yaml", "--zone", "Atlantis", "x.csv"}, `zone "Atlantis" is not in the factor catalog`},
		{[]string{"factors", "import", "x.csv"}, "--config is required"},
	}
	for _, tt := range tests {
		code, out, errOut := call(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.message) || out != "" {
			t.Errorf("labcarbon %s: status %d, stdout %q, stderr %q; want status 2, nothing on stdout, and %q",
				strings.Join(tt.args, " "), code, out, errOut, tt.message)
		}
	}
	// A command refused for its arguments leaves nothing behind, not even
	// an empty store beside the config.
	if _, err := os.Stat("testdata/check/labcarbon.db"); err == nil {
		os.Remove("testdata/check/labcarbon.db")
		os.Remove("testdata/check/labcarbon.db.lock")
		t.Error("a refused command created a store in testdata/check")
	}
}

func TestFactorsHelp(t *testing.T) {
	for _, cmd := range []string{"factors", "factors list", "factors show", "factors check", "factors import", "estimate"} {
		code, out, _ := call(t, strings.Fields(cmd+" --help")...)
		if code != exitOK || !strings.Contains(out, "Usage:") {
			t.Errorf("labcarbon %s --help: status %d, output:\n%s", cmd, code, out)
		}
	}
}

// importConfig writes a lab config whose store is in a new temporary
// directory, and returns the config's path and the store's.
func importConfig(t *testing.T) (dir, cfg, db string) {
	t.Helper()
	dir = t.TempDir()
	cfg = filepath.Join(dir, "lab.yaml")
	text := `lab:
  name: Import lab
store:
  path: data/lab.db
sites:
  - name: main
    zone: GB
    pue: 1.2
clusters:
  - name: c
    site: main
    default_node_type: std
node_types:
  - name: std
    cpu_model: "AMD EPYC 7763"
`
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, cfg, filepath.Join(dir, "data", "lab.db")
}

// storedIntensity returns what the store at db holds for zone, as
// "hour value" lines.
func storedIntensity(t *testing.T, db, zone string) []string {
	t.Helper()
	st, err := sqlite.OpenReadOnly(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ps, err := st.Intensity(context.Background(), zone, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %g %s", p.Hour.Format(time.RFC3339), p.GPerKWh, p.Source))
	}
	return out
}

func TestFactorsImport(t *testing.T) {
	t.Run("both Electricity Maps layouts and the plain form", func(t *testing.T) {
		dir, cfg, db := importConfig(t)
		for _, tc := range []goldenCase{
			// Portal layout: a row without life-cycle value, one not on the
			// hour, two gaps, an estimated hour. Exit 3.
			{"factors-import-portal", []string{"factors", "import", "--config", cfg, "testdata/intensity/portal.csv"}},
			// Newer layout, clean. Exit 0.
			{"factors-import-app", []string{"factors", "import", "--config", cfg, "testdata/intensity/app.csv"}},
			// The same again changes nothing.
			{"factors-import-app-again", []string{"factors", "import", "--config", cfg, "testdata/intensity/app.csv"}},
			// Plain: offsets, a duplicate hour, a gap; the zone from --zone.
			{"factors-import-plain", []string{"factors", "import", "--config", cfg, "--zone", "fra", "testdata/intensity/plain.csv"}},
		} {
			checkGolden(t, dir, tc)
		}
		want := map[string][]string{
			"ES": {
				"2025-03-30T00:00:00Z 140.5 Electricity Maps hourly, life-cycle, portal.csv",
				"2025-03-30T01:00:00Z 141.5 Electricity Maps hourly, life-cycle, portal.csv",
				"2025-03-30T03:00:00Z 143.5 Electricity Maps hourly, life-cycle, portal.csv",
				"2025-03-30T06:00:00Z 146.5 Electricity Maps hourly, life-cycle, portal.csv",
			},
			"GB": {
				"2025-01-01T00:00:00Z 80.5 Electricity Maps hourly, life-cycle, app.csv",
				"2025-01-01T01:00:00Z 81.5 Electricity Maps hourly, life-cycle, app.csv",
				"2025-01-01T02:00:00Z 82.5 Electricity Maps hourly, life-cycle, app.csv",
				"2025-01-01T03:00:00Z 83.5 Electricity Maps hourly, life-cycle, app.csv",
			},
			"FR": {
				"2025-07-01T00:00:00Z 300 hourly CSV plain.csv",
				"2025-07-01T01:00:00Z 301 hourly CSV plain.csv",
				"2025-07-01T02:00:00Z 302 hourly CSV plain.csv",
				"2025-07-01T05:00:00Z 305 hourly CSV plain.csv",
			},
		}
		for zone, w := range want {
			if got := storedIntensity(t, db, zone); strings.Join(got, "\n") != strings.Join(w, "\n") {
				t.Errorf("stored %s:\n\t%s\nwant\n\t%s", zone, strings.Join(got, "\n\t"), strings.Join(w, "\n\t"))
			}
		}
		code, out, _ := call(t, "runs", "--config", cfg)
		if code != exitOK || strings.Count(out, "factors import") != 4 || !containsLine(out, "partial", "4 hours of grid intensity from portal.csv", "2 rows quarantined") {
			t.Errorf("runs: status %d, want the four imports recorded:\n%s", code, out)
		}
	})

	t.Run("direct basis", func(t *testing.T) {
		_, cfg, db := importConfig(t)
		if code, out, errOut := call(t, "factors", "import", "--config", cfg, "--basis", "direct", "testdata/intensity/app.csv"); code != exitOK {
			t.Fatalf("status %d\n%s%s", code, out, errOut)
		}
		got := storedIntensity(t, db, "GB")
		if len(got) != 4 || got[0] != "2025-01-01T00:00:00Z 50.25 Electricity Maps hourly, direct, app.csv" {
			t.Errorf("stored GB: %q, want the direct column", got)
		}
		// Re-reading the same file on the other basis changes every hour.
		_, out, _ := call(t, "factors", "import", "--config", cfg, "testdata/intensity/app.csv")
		if !strings.Contains(out, "(0 new, 4 changed, 0 unchanged)") {
			t.Errorf("life-cycle after direct: %s", out)
		}
	})

	t.Run("another zone than --zone", func(t *testing.T) {
		_, cfg, db := importConfig(t)
		code, _, errOut := call(t, "factors", "import", "--config", cfg, "--zone", "GB", "testdata/intensity/portal.csv")
		if code != exitFailure || !strings.Contains(errOut, "zone ES, but the series is imported for GB") ||
			!strings.Contains(errOut, "no hour could be imported (6 bad rows)") {
			t.Errorf("status %d, stderr:\n%s", code, errOut)
		}
		if got := storedIntensity(t, db, "ES"); len(got) != 0 {
			t.Errorf("stored %q for a file none of whose rows was right", got)
		}
	})

	t.Run("not a series changes nothing", func(t *testing.T) {
		_, cfg, db := importConfig(t)
		for _, file := range []string{"testdata/check/fallback.yaml", "../../ingest/slurm/testdata/demo.txt"} {
			code, out, errOut := call(t, "factors", "import", "--config", cfg, "--zone", "GB", file)
			if code != exitFailure || out != "" || !strings.Contains(errOut, "not a carbon-intensity series") {
				t.Errorf("import %s: status %d, stdout %q, stderr %q", file, code, out, errOut)
			}
		}
		if code, out, _ := call(t, "runs", "--config", cfg); code != exitOK || strings.Count(out, "\n") != 1 {
			t.Errorf("files that are not series left runs behind:\n%s", out)
		}
		if got := storedIntensity(t, db, "GB"); len(got) != 0 {
			t.Errorf("files that are not series stored %q", got)
		}
	})

	t.Run("no zone", func(t *testing.T) {
		_, cfg, _ := importConfig(t)
		code, _, errOut := call(t, "factors", "import", "--config", cfg, "testdata/intensity/plain.csv")
		if code != exitUsage || !strings.Contains(errOut, "no zone column") || !strings.Contains(errOut, "give --zone") {
			t.Errorf("status %d, stderr %q", code, errOut)
		}
	})

	t.Run("header only", func(t *testing.T) {
		dir, cfg, _ := importConfig(t)
		empty := filepath.Join(dir, "empty.csv")
		if err := os.WriteFile(empty, []byte("timestamp,gco2_per_kwh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := call(t, "factors", "import", "--config", cfg, "--zone", "GB", empty)
		if code != exitFailure || !strings.Contains(errOut, "no hours") {
			t.Errorf("status %d, stderr %q", code, errOut)
		}
	})

	t.Run("the store is locked", func(t *testing.T) {
		_, cfg, db := importConfig(t)
		if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
			t.Fatal(err)
		}
		st, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		code, _, errOut := call(t, "factors", "import", "--config", cfg, "testdata/intensity/app.csv")
		if code != exitFailure || !strings.Contains(errOut, "another labcarbon run holds the store") {
			t.Errorf("status %d, stderr %q", code, errOut)
		}
	})
}
