package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon/report"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestDemoEndToEnd runs the demo twice as `make run` does and checks what a
// reader would: the same totals both times, every report written, and the
// PDF, the workbook and the per-job export telling the same story.
func TestDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	var totals []string
	for i := 0; i < 2; i++ {
		code, out, errOut := call(t, "demo", "--out", dir, "--reports", reports, "--log-level", "error")
		if code != exitOK {
			t.Fatalf("demo run %d: status %d\n%s%s", i+1, code, out, errOut)
		}
		line := regexp.MustCompile(`(?m)^2026Q3: .*$`).FindString(out)
		if line == "" {
			t.Fatalf("demo run %d printed no totals:\n%s", i+1, out)
		}
		totals = append(totals, line)
	}
	if totals[0] != totals[1] {
		t.Errorf("totals changed on the second run (double counting?):\n%s\n%s", totals[0], totals[1])
	}

	jobs := readJobsCSV(t, filepath.Join(reports, "labcarbon-2026Q3-jobs.csv"))
	if len(jobs) != 6000 {
		t.Errorf("jobs CSV has %d jobs, want the demo's 6000", len(jobs))
	}
	// The period total, computed here from the per-job results: each job
	// counts for the share of its run time inside 2026Q3.
	from := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 3, 0)
	var total float64
	for _, j := range jobs {
		total += j.co2eKg * inPeriod(j, from, to)
	}

	wb, err := excelize.OpenFile(filepath.Join(reports, "labcarbon-2026Q3.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := summaryFigure(t, wb, "CO2e"); !near(got, total) {
		t.Errorf("workbook total %.6f kg, per-job results add up to %.6f kg", got, total)
	}
	if got := strings.Join(wb.GetSheetList(), ","); !strings.HasPrefix(got, "Summary,") || !strings.Contains(got, ",Jobs,") {
		t.Errorf("workbook sheets = %s", got)
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed (Debian: poppler-utils): PDF text not checked")
		return
	}
	text, err := exec.Command("pdftotext", filepath.Join(reports, "labcarbon-2026Q3.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Institute for Computational Biology (demo)", report.Mass(total), "Çağla Yılmaz", "Søren Østergaard"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}

// TestDemoJobsByHand recomputes two demo jobs from their sacct lines with
// the Green Algorithms formula, by hand, and checks the exported results.
func TestDemoJobsByHand(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := call(t, "demo", "--out", dir, "--log-level", "error"); code != exitOK {
		t.Fatalf("demo: status %d\n%s%s", code, out, errOut)
	}
	jobs := map[string]demoJob{}
	for _, j := range readJobsCSV(t, filepath.Join(dir, "reports", "labcarbon-2026Q3-jobs.csv")) {
		jobs[j.id] = j
	}
	const (
		pue  = 1.3    // site cambridge-dc
		ci   = 210.89 // g/kWh, GB 2024 (Ember via OWID), the latest year for a 2026 job
		memW = 0.3725 // W per GB, Green Algorithms
	)
	tests := []struct {
		id   string
		kwh  float64
		note string
	}{
		{
			// 1200834|kobrien|neuroimaging|cpu|TIMEOUT|... Elapsed 04:00:00 (14400 s),
			// NCPUS 8, ReqMem 192G, TotalCPU 15:27:14 (55634 s), node type
			// cpu-std: AMD EPYC 7763, 280 W / 64 cores = 4.375 W per core.
			id:  "1200834",
			kwh: pue * (55634.0/3600*4.375 + 14400.0/3600*192*memW) / 1000,
		},
		{
			// 1200835|nokafor|structbio|gpu|OUT_OF_MEMORY|... Elapsed 25946 s,
			// NCPUS 8, ReqMem 16G, TotalCPU 1-02:07:08 (94028 s), one A100
			// (gres/gpu:a100=1); node type gpu-a100: AMD EPYC 7413, 180 W /
			// 24 cores = 7.5 W per core, NVIDIA A100 SXM4 80GB at 400 W.
			// Step .0 ran 25936 s at gres/gpuutil=46 and .batch at 0, so the
			// GPU was busy 0.46 × 25936 / 25946 of the job's time.
			id: "1200835",
			kwh: pue * (94028.0/3600*7.5 +
				25946.0/3600*1*400*(0.46*25936/25946) +
				25946.0/3600*16*memW) / 1000,
		},
	}
	for _, tt := range tests {
		j, ok := jobs[tt.id]
		if !ok {
			t.Errorf("job %s is not in the demo export", tt.id)
			continue
		}
		if !near(j.energyKWh, tt.kwh) {
			t.Errorf("job %s: energy %.9f kWh, by hand %.9f", tt.id, j.energyKWh, tt.kwh)
		}
		if !near(j.co2eKg, tt.kwh*ci/1000) {
			t.Errorf("job %s: CO2e %.9f kg, by hand %.9f", tt.id, j.co2eKg, tt.kwh*ci/1000)
		}
	}
}

type demoJob struct {
	id         string
	start, end time.Time
	elapsed    float64
	energyKWh  float64
	co2eKg     float64
}

func readJobsCSV(t *testing.T, path string) []demoJob {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	var out []demoJob
	for _, r := range recs[1:] {
		num := func(name string) float64 {
			v, err := strconv.ParseFloat(r[col[name]], 64)
			if err != nil {
				t.Fatalf("%s: %s = %q: %v", path, name, r[col[name]], err)
			}
			return v
		}
		tm := func(name string) time.Time {
			if r[col[name]] == "" {
				return time.Time{}
			}
			v, err := time.Parse(time.RFC3339, r[col[name]])
			if err != nil {
				t.Fatalf("%s: %s: %v", path, name, err)
			}
			return v
		}
		out = append(out, demoJob{
			id: r[col["job_id"]], start: tm("start"), end: tm("end"), elapsed: num("elapsed_s"),
			energyKWh: num("energy_kwh"), co2eKg: num("co2e_kg"),
		})
	}
	return out
}

// inPeriod is the share of a job's run time inside [from, to); a job still
// running has run for its elapsed time so far.
func inPeriod(j demoJob, from, to time.Time) float64 {
	if j.elapsed == 0 {
		return 1 // never ran: counted by submit time, and it has no CO2e anyway
	}
	start := j.start
	end := start.Add(time.Duration(j.elapsed) * time.Second)
	s, e := math.Max(float64(start.Unix()), float64(from.Unix())), math.Min(float64(end.Unix()), float64(to.Unix()))
	if e <= s {
		return 0
	}
	return (e - s) / j.elapsed
}

// summaryFigure reads the central value of the Summary sheet's headline row
// whose label starts with label.
func summaryFigure(t *testing.T, wb *excelize.File, label string) float64 {
	t.Helper()
	rows, err := wb.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 1 && strings.HasPrefix(r[0], label) {
			v, err := strconv.ParseFloat(r[1], 64)
			if err != nil {
				t.Fatalf("Summary %q: %q is not a number", r[0], r[1])
			}
			return v
		}
	}
	t.Fatalf("Summary sheet has no row %q", label)
	return 0
}

// TestDemoDataFile checks that demo --out FILE writes the generated sacct
// data alone (gzip-compressed for .gz), prints what it wrote, and runs no
// pipeline.
func TestDemoDataFile(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "sub", "sacct.txt")
	code, out, errOut := call(t, "demo", "--jobs", "300", "--users", "250", "--seed", "4", "--out", plain)
	if code != exitOK {
		t.Fatalf("demo --out %s: status %d\n%s%s", plain, code, out, errOut)
	}
	if !strings.HasPrefix(out, plain+": 300 jobs (") || !strings.Contains(out, "step lines") {
		t.Errorf("demo printed %q", out)
	}
	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "JobID|JobIDRaw|") || !strings.Contains(string(data), "|icelake|") {
		t.Errorf("%s does not hold a big centre's sacct -P data", plain)
	}
	if entries, _ := os.ReadDir(filepath.Dir(plain)); len(entries) != 1 {
		t.Errorf("demo wrote %d files, want the data alone", len(entries))
	}

	gz := filepath.Join(dir, "sacct.txt.gz")
	if code, out, errOut := call(t, "demo", "--jobs", "300", "--users", "250", "--seed", "4", "--out", gz); code != exitOK {
		t.Fatalf("demo --out %s: status %d\n%s%s", gz, code, out, errOut)
	}
	f, err := os.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if unzipped, err := io.ReadAll(zr); err != nil || !bytes.Equal(unzipped, data) {
		t.Errorf("%s does not decompress to the same data as %s: %v", gz, plain, err)
	}

	// An existing file is data whatever its name; it is replaced.
	other := filepath.Join(dir, "accounting.log")
	if err := os.WriteFile(other, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := call(t, "demo", "--jobs", "20", "--out", other); code != exitOK {
		t.Fatalf("demo --out %s: status %d: %s", other, code, errOut)
	}
	if b, _ := os.ReadFile(other); !strings.HasPrefix(string(b), "JobID|") {
		t.Errorf("%s was not replaced by the data", other)
	}

	// Another quarter, for a store with history: every job submitted in it.
	q2 := filepath.Join(dir, "sacct-2026Q2.txt")
	if code, _, errOut := call(t, "demo", "--jobs", "50", "--period", "2026Q2", "--out", q2); code != exitOK {
		t.Fatalf("demo --period 2026Q2: status %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(q2)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for _, line := range lines[1:] {
		f := strings.Split(line, "|")
		if submit := f[11]; submit < "2026-04-01" || submit >= "2026-07-01" {
			t.Fatalf("demo --period 2026Q2 wrote a job submitted %s: %s", submit, line)
		}
	}

	for _, args := range [][]string{
		{"demo", "--users", "-1", "--out", plain},
		{"demo", "--out", plain, "--reports", dir},
		{"demo", "--period", "2026Q2", "--out", filepath.Join(dir, "lab")},
		{"demo", "--period", "last spring", "--out", plain},
	} {
		if code, _, _ := call(t, args...); code != exitUsage {
			t.Errorf("labcarbon %s: status %d, want %d", strings.Join(args, " "), code, exitUsage)
		}
	}
}
