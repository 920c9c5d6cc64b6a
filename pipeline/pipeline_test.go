package pipeline

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/config"
	"labcarbon/ingest/intensity"
	"labcarbon/internal/demo"
	"labcarbon/report"
	"labcarbon/store"
	"labcarbon/store/sqlite"
)

var q3 = labcarbon.Period{Label: "2026Q3", From: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)}

// lab writes the demo config and n demo jobs into a fresh directory.
func lab(t *testing.T, n int) (*config.Config, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "data", "sacct.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(f, demo.Options{Seed: 7, Jobs: n}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	path := filepath.Join(dir, "labcarbon.yaml")
	if err := os.WriteFile(path, config.Example, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, dir
}

// ingestLab ingests the data lab generated into p.
func ingestLab(t *testing.T, p *Pipeline, dir string) {
	t.Helper()
	if _, err := p.Ingest(context.Background(), []string{filepath.Join(dir, "data", "sacct.txt")}, "auto"); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, cfg *config.Config) *Pipeline {
	t.Helper()
	p, err := Open(context.Background(), cfg, Options{Now: func() time.Time { return time.Date(2026, 11, 24, 2, 30, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func total(t *testing.T, p *Pipeline) float64 {
	t.Helper()
	d, err := p.BuildReport(context.Background(), q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	return d.Totals.CO2eKg.Central
}

func TestIngestIsIdempotent(t *testing.T) {
	cfg, dir := lab(t, 300)
	p := open(t, cfg)
	file := filepath.Join(dir, "data", "sacct.txt")
	s1, err := p.Ingest(context.Background(), []string{file}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	first := total(t, p)
	if s1.Jobs != 300 || first <= 0 {
		t.Fatalf("first ingest: %d jobs, %g kg", s1.Jobs, first)
	}
	if _, err := p.Ingest(context.Background(), []string{file, file}, "sacct"); err != nil {
		t.Fatal(err)
	}
	if again := total(t, p); again != first {
		t.Errorf("total after ingesting the same file twice more = %g kg, want %g", again, first)
	}
	runs, err := p.Runs(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := cfg.Catalog()
	content, _ := os.ReadFile(file)
	want := fmt.Sprintf("%x", sha256.Sum256(content))
	if len(runs) != 2 || runs[0].Status != "ok" || len(runs[0].Inputs) != 2 || runs[0].Inputs[0].SHA256 != want || runs[0].Inputs[0].Format != "sacct" ||
		runs[0].Factors != cat.Version() || runs[0].Factors == "" {
		t.Errorf("run history = %+v", runs)
	}
}

func TestRejectedInputChangesNothing(t *testing.T) {
	cfg, dir := lab(t, 50)
	p := open(t, cfg)
	good := filepath.Join(dir, "data", "sacct.txt")
	if _, err := p.Ingest(context.Background(), []string{good}, "auto"); err != nil {
		t.Fatal(err)
	}
	before := total(t, p)
	notSacct := filepath.Join(dir, "data", "notes.txt")
	os.WriteFile(notSacct, []byte("Dear admin,\nplease find the logs attached.\n"), 0o644)
	_, err := p.Ingest(context.Background(), []string{notSacct}, "auto")
	if err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("ingesting prose: err = %v, want an error naming the file", err)
	}
	if after := total(t, p); after != before {
		t.Errorf("a rejected input changed the total from %g to %g", before, after)
	}
	runs, _ := p.Runs(context.Background(), 1)
	if runs[0].Status != "failed" || !strings.Contains(runs[0].Message, "notes.txt") {
		t.Errorf("the failed run is recorded as %+v", runs[0])
	}
}

func TestBadRowsAreQuarantinedAndReported(t *testing.T) {
	cfg, dir := lab(t, 40)
	data, err := os.ReadFile(filepath.Join(dir, "data", "sacct.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	// Corrupt the elapsed time of the first job line.
	fields := strings.Split(lines[1], "|")
	fields[15] = "yesterday"
	lines[1] = strings.Join(fields, "|")
	bad := filepath.Join(dir, "data", "bad.txt")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)

	p := open(t, cfg)
	s, err := p.Ingest(context.Background(), []string{bad}, "auto")
	if !errors.Is(err, ErrPartial) {
		t.Fatalf("err = %v, want ErrPartial", err)
	}
	// The job line and its two steps are quarantined: none of the job is
	// lost, and none of it is counted.
	if s.Quarantined != 3 || s.Jobs != 39 {
		t.Errorf("%d jobs stored and %d rows quarantined, want 39 and 3", s.Jobs, s.Quarantined)
	}
	// The summary counts them by the field at fault: the job line for its
	// elapsed time, its two steps for belonging to a quarantined job.
	if len(s.Quarantine) != 2 || s.Quarantine[0].Rows+s.Quarantine[1].Rows != 3 {
		t.Errorf("quarantine by field = %+v, want two fields covering 3 rows", s.Quarantine)
	}
	for _, q := range s.Quarantine {
		if q.Field == "ElapsedRaw" && (q.Rows != 1 || q.Example.Line != 2) {
			t.Errorf("ElapsedRaw: %+v, want 1 row, line 2", q)
		}
	}
	d, err := p.BuildReport(context.Background(), q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Exclusions) != 3 || d.Exclusions[0].Line != 2 || d.Exclusions[0].Field != "ElapsedRaw" || !strings.HasSuffix(d.Exclusions[0].File, "bad.txt") {
		t.Errorf("exclusions = %+v, want line 2 of bad.txt", d.Exclusions)
	}
}

func TestRunWritesReportsAndHoldsTheLock(t *testing.T) {
	cfg, dir := lab(t, 100)
	p := open(t, cfg)
	if _, err := Open(context.Background(), cfg, Options{}); !errors.Is(err, sqlite.ErrLocked) {
		t.Errorf("a second writer opened the store: %v", err)
	}
	s, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"labcarbon-2026Q3.pdf", "labcarbon-2026Q3.xlsx", "labcarbon-2026Q3-jobs.csv"}
	if len(s.Reports) != len(want) {
		t.Fatalf("reports = %v", s.Reports)
	}
	for i, w := range want {
		if s.Reports[i] != filepath.Join(dir, "reports", w) {
			t.Errorf("report %d = %s, want %s", i, s.Reports[i], w)
		}
		if st, err := os.Stat(s.Reports[i]); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", w, err)
		}
	}
	if len(s.Periods) != 1 || s.Periods[0].Totals.Jobs != 100 {
		t.Errorf("period totals = %+v", s.Periods)
	}
}

func TestNoheaderFilesUseTheConfiguredColumns(t *testing.T) {
	cfg, dir := lab(t, 60)
	data, err := os.ReadFile(filepath.Join(dir, "data", "sacct.txt"))
	if err != nil {
		t.Fatal(err)
	}
	header, body, _ := strings.Cut(string(data), "\n")
	// As `sacct --noheader --delimiter=';;'` would have written it.
	noheader := filepath.Join(dir, "data", "noheader.txt")
	os.WriteFile(noheader, []byte(strings.ReplaceAll(body, "|", ";;")), 0o644)

	p := open(t, cfg)
	if _, err := p.Ingest(context.Background(), []string{noheader}, "sacct"); err == nil {
		t.Error("a --noheader file was read without its column list")
	}
	cfg.Ingest.SacctColumns = strings.Split(header, "|")
	cfg.Ingest.SacctDelimiter = ";;"
	s, err := p.Ingest(context.Background(), []string{noheader}, "sacct")
	if err != nil {
		t.Fatal(err)
	}
	if s.Jobs != 60 || s.Quarantined != 0 {
		t.Errorf("%d jobs, %d quarantined; want 60 and 0", s.Jobs, s.Quarantined)
	}
	ref := open(t, func() *config.Config { c, _ := lab(t, 60); return c }())
	if _, err := ref.Ingest(context.Background(), []string{filepath.Join(dir, "data", "sacct.txt")}, "sacct"); err != nil {
		t.Fatal(err)
	}
	if got, withHeader := total(t, p), total(t, ref); got != withHeader || got <= 0 {
		t.Errorf("total from the --noheader file = %g, from the file with a header %g", got, withHeader)
	}
}

func TestUserLabels(t *testing.T) {
	cfg, _ := lab(t, 1)
	p := open(t, cfg)
	if got := p.userLabel("jnovak"); got != "Jiří Novák (jnovak)" {
		t.Errorf("label = %q", got)
	}
	if got := p.userLabel("stranger"); got != "stranger" {
		t.Errorf("unknown login label = %q", got)
	}
	if got := p.piOf("genomics"); got != "Jiří Novák (jnovak)" {
		t.Errorf("PI of genomics = %q", got)
	}
	if got := p.groupOf(&labcarbon.Usage{User: "stranger", Account: "genomics"}); got != "genomics" {
		t.Errorf("group of an account = %q", got)
	}
	p.Close()

	// Pseudonyms are keyed with a secret made on first use and kept: the
	// same login gets the same pseudonym in every run, and a lab with
	// another key gets other pseudonyms.
	cfg.Privacy.PseudonymiseUsers = true
	pseudonyms := func(cfg *config.Config) (string, string) {
		p := open(t, cfg)
		defer p.Close()
		return p.userLabel("jnovak"), p.piOf("genomics")
	}
	a, pi := pseudonyms(cfg)
	if b, _ := pseudonyms(cfg); a != b || !strings.HasPrefix(a, "user-") || len(a) != len("user-")+8 || strings.Contains(a, "jnovak") || pi != a {
		t.Errorf("pseudonym = %q, then %q; PI %q", a, b, pi)
	}
	key, err := os.ReadFile(cfg.Store.Path + ".key")
	if st, serr := os.Stat(cfg.Store.Path + ".key"); err != nil || serr != nil || st.Mode().Perm() != 0o600 || len(strings.TrimSpace(string(key))) != 64 {
		t.Errorf("pseudonym key: %v %v %q", err, serr, key)
	}
	other, _ := lab(t, 1)
	other.Privacy.PseudonymiseUsers = true
	if c, _ := pseudonyms(other); c == a {
		t.Errorf("two labs with their own keys both call jnovak %q", a)
	}
	if safeName("../../etc/passwd") != "______etc_passwd" {
		t.Errorf("safeName kept a path: %q", safeName("../../etc/passwd"))
	}
}

func TestConfiguredTemplatesAndPrivacy(t *testing.T) {
	cfg, dir := lab(t, 30)
	tdir := filepath.Join(dir, "texts")
	os.MkdirAll(tdir, 0o755)
	os.WriteFile(filepath.Join(tdir, "summary.tmpl"), []byte(`{{define "summary"}}{{.Lab}} ran {{.Totals.Jobs}} jobs.{{end}}`), 0o644)
	cfg.Reports.Templates = tdir
	cfg.Privacy.HideJobNames = true
	p := open(t, cfg)
	ingestLab(t, p, dir)
	d, err := p.BuildReport(context.Background(), q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := cfg.Lab.Name + " ran 30 jobs."; len(d.Summary) != 1 || d.Summary[0] != want {
		t.Errorf("summary = %q, want the lab's own template: %q", d.Summary, want)
	}
	named := 0
	d.Jobs(func(j *labcarbon.Job) error {
		if j.Name != "" {
			named++
		}
		return nil
	})
	if named > 0 {
		t.Errorf("%d jobs keep their names with privacy.hide_job_names", named)
	}
	var pis []string
	for _, g := range d.ByGroup {
		pis = append(pis, g.Key+": "+g.PI)
	}
	if !slices.Contains(pis, "genomics: Jiří Novák (jnovak)") {
		t.Errorf("groups and PIs = %v", pis)
	}
	p.Close()

	os.Remove(filepath.Join(tdir, "summary.tmpl"))
	if _, err := Open(context.Background(), cfg, Options{}); !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), "reports.templates") {
		t.Errorf("a template directory without templates: %v, want config.ErrInvalid naming reports.templates", err)
	}
}

func TestHourlyIntensityIsUsedWhereStored(t *testing.T) {
	cfg, dir := lab(t, 200)
	ctx := context.Background()
	// A flat 100 g/kWh for GB over every hour the demo's jobs can run in,
	// but one in which a job ran: jobs running then take the annual figure
	// for it. Jobs ingested before the series came are computed again when
	// ingested again.
	p := open(t, cfg)
	file := filepath.Join(dir, "data", "sacct.txt")
	if _, err := p.Ingest(ctx, []string{file}, "auto"); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var gap time.Time
	p.store.Jobs(ctx, from, to, func(j *labcarbon.Job) error {
		if gap.IsZero() && j.ElapsedSec > 7200 {
			gap = j.Start.Truncate(time.Hour).Add(time.Hour)
		}
		return nil
	})
	id, err := p.store.BeginRun(ctx, "test", from)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.store.PutIntensity(ctx, id, func(yield func(store.IntensityPoint, error) bool) {
		for h := from; h.Before(to); h = h.Add(time.Hour) {
			if !h.Equal(gap) && !yield(store.IntensityPoint{Zone: "GB", Hour: h, GPerKWh: 100, Source: "test"}, nil) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()

	p = open(t, cfg) // loads the series
	if _, err := p.Ingest(ctx, []string{file}, "auto"); err != nil {
		t.Fatal(err)
	}
	hourly, partial := 0, 0
	err = p.store.Jobs(ctx, from, to, func(j *labcarbon.Job) error {
		r := &j.Result
		if !j.Ran() {
			return nil
		}
		run := [2]time.Time{j.Start, j.Start.Add(time.Duration(j.ElapsedSec) * time.Second)}
		switch {
		case run[0].Before(gap.Add(time.Hour)) && run[1].After(gap):
			partial++
			if r.CIHourlyShare >= 1 || r.CIgPerKWh <= 100 {
				t.Errorf("job %s ran in the missing hour: share %g, CI %g", j.JobID, r.CIHourlyShare, r.CIgPerKWh)
			}
		default:
			hourly++
			if r.CIHourlyShare != 1 || math.Abs(r.CIgPerKWh-100) > 1e-9 || math.Abs(r.CO2eKg.Central-r.EnergyKWh.Central*0.1) > 1e-9 {
				t.Errorf("job %s: CI %g (share %g), %g kg for %g kWh; want 100 g/kWh from the series",
					j.JobID, r.CIgPerKWh, r.CIHourlyShare, r.CO2eKg.Central, r.EnergyKWh.Central)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if hourly == 0 || partial == 0 {
		t.Errorf("%d jobs computed from the hourly series, %d across its gap; want some of each", hourly, partial)
	}
	t.Logf("%d jobs fully on the series, %d across its gap", hourly, partial)
}

func TestRestateUsesTheFactorsOfToday(t *testing.T) {
	cfg, dir := lab(t, 150)
	ctx := context.Background()
	p := open(t, cfg)
	ingestLab(t, p, dir)
	before, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's jobs run from late June to early October: a flat series
	// of 100 g/kWh over all of it.
	id, _ := p.store.BeginRun(ctx, "test", q3.From)
	if _, err := p.store.PutIntensity(ctx, id, func(yield func(store.IntensityPoint, error) bool) {
		for h := q3.From.AddDate(0, -2, 0); h.Before(q3.To.AddDate(0, 2, 0)); h = h.Add(time.Hour) {
			if !yield(store.IntensityPoint{Zone: "GB", Hour: h, GPerKWh: 100, Source: "test"}, nil) {
				return
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	p.Close()

	p = open(t, cfg)
	s, err := p.Restate(ctx, q3)
	if err != nil {
		t.Fatal(err)
	}
	after, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Jobs != before.Totals.Jobs || after.Totals.Jobs != before.Totals.Jobs {
		t.Errorf("restated %d jobs; the period had %d before and %d after", s.Jobs, before.Totals.Jobs, after.Totals.Jobs)
	}
	// Energy does not depend on the grid; CO2e is now 100 g for each kWh.
	if !near(after.Totals.EnergyKWh.Central, before.Totals.EnergyKWh.Central) ||
		!near(after.Totals.CO2eKg.Central, after.Totals.EnergyKWh.Central*0.1) || near(before.Totals.CO2eKg.Central, after.Totals.CO2eKg.Central) {
		t.Errorf("energy %g → %g kWh, CO2e %g → %g kg; want the energy kept and 0.1 kg per kWh after",
			before.Totals.EnergyKWh.Central, after.Totals.EnergyKWh.Central, before.Totals.CO2eKg.Central, after.Totals.CO2eKg.Central)
	}
	if !near(after.Totals.HourlyShare, 1) {
		t.Errorf("hourly share after restating = %g, want 1", after.Totals.HourlyShare)
	}
	if _, err := p.Restate(ctx, q3); err != nil {
		t.Fatal(err)
	}
	again, _ := p.BuildReport(ctx, q3, 0)
	if again.Totals.CO2eKg != after.Totals.CO2eKg || again.Totals.Jobs != after.Totals.Jobs {
		t.Errorf("restating twice changed the totals: %+v then %+v", after.Totals.CO2eKg, again.Totals.CO2eKg)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestImportIntensityQuarantinesBadRows(t *testing.T) {
	cfg, dir := lab(t, 1)
	ctx := context.Background()
	csv := filepath.Join(dir, "gb.csv")
	os.WriteFile(csv, []byte("timestamp,gco2_per_kwh\n2026-07-01 00:00:00,120\n2026-07-01 01:00:00,-5\n2026-07-01 02:00:00,130\n"), 0o644)
	p := open(t, cfg)
	imp, err := p.ImportIntensity(ctx, csv, intensity.Options{Zone: "GB"})
	if !errors.Is(err, ErrPartial) {
		t.Fatalf("err = %v, want ErrPartial", err)
	}
	if imp.Changes.Added != 2 || imp.BadRows != 1 || len(imp.Bad) != 1 || imp.Bad[0].Line != 3 {
		t.Errorf("import: %+v", imp)
	}
	d, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Exclusions) != 1 || d.Exclusions[0].File != csv || d.Exclusions[0].Line != 3 {
		t.Errorf("exclusions = %+v, want line 3 of %s", d.Exclusions, csv)
	}
	runs, _ := p.Runs(ctx, 1)
	if len(runs) != 1 || runs[0].Status != "partial" || len(runs[0].Inputs) != 1 || len(runs[0].Inputs[0].SHA256) != 64 || runs[0].Inputs[0].Bad != 1 {
		t.Errorf("run = %+v", runs)
	}
	// Importing the same file again stores nothing new and quarantines the
	// bad row again under the new run only.
	if _, err := p.ImportIntensity(ctx, csv, intensity.Options{Zone: "GB"}); !errors.Is(err, ErrPartial) {
		t.Fatal(err)
	}
	if d, _ := p.BuildReport(ctx, q3, 0); len(d.Exclusions) != 1 {
		t.Errorf("after importing twice, exclusions = %+v, want the one row", d.Exclusions)
	}
}

func TestRunImportsTheSitesHourlySeries(t *testing.T) {
	cfg, dir := lab(t, 100)
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("timestamp,gco2_per_kwh\n")
	for h := q3.From.AddDate(0, -2, 0); h.Before(q3.To.AddDate(0, 2, 0)); h = h.Add(time.Hour) {
		b.WriteString(h.Format(time.DateTime) + ",100\n")
	}
	b.WriteString("not a time,100\n")
	series := filepath.Join(dir, "gb-hourly.csv")
	os.WriteFile(series, []byte(b.String()), 0o644)
	cfg.Sites[0].HourlyIntensity = []string{filepath.Join(dir, "gb-*.csv")}
	p := open(t, cfg)

	s, err := p.Run(ctx)
	if !errors.Is(err, ErrPartial) || s.Quarantined != 1 || len(s.Inputs) != 2 || s.Inputs[0].Name != series {
		t.Fatalf("run: %v; inputs %+v", err, s.Inputs)
	}
	tt := s.Periods[0].Totals
	if !near(tt.HourlyShare, 1) || !near(tt.CO2eKg.Central, tt.EnergyKWh.Central*0.1) {
		t.Errorf("hourly share %g, %g kg for %g kWh: want every job at 100 g/kWh", tt.HourlyShare, tt.CO2eKg.Central, tt.EnergyKWh.Central)
	}
	// The same file at the next run changes nothing.
	s2, _ := p.Run(ctx)
	if s2.Periods[0].Totals.CO2eKg != tt.CO2eKg {
		t.Errorf("second run: %+v, first %+v", s2.Periods[0].Totals.CO2eKg, tt.CO2eKg)
	}
}

func TestReportRecommendsAndCompares(t *testing.T) {
	cfg, dir := lab(t, 3000)
	ctx := context.Background()
	p := open(t, cfg)
	ingestLab(t, p, dir)
	d, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Recommendations) == 0 {
		t.Fatal("no recommendation for 3,000 demo jobs")
	}
	scopes := map[recommend.Scope]int{}
	var labSaving float64
	for _, r := range d.Recommendations {
		scopes[r.Scope]++
		if r.Title == "" || r.Text == "" || strings.Contains(r.Text, "<no value>") || strings.Contains(r.Title, string(r.Rule)) {
			t.Errorf("%s %s %s: title %q, text %q", r.Rule, r.Scope, r.Subject, r.Title, r.Text)
		}
		if r.Scope == recommend.ScopeLab {
			labSaving += r.SavingCO2eKg.Central
			if r.Who != "the lab" {
				t.Errorf("lab recommendation for %q", r.Who)
			}
		}
		if r.Scope == recommend.ScopeUser && r.Who != p.userLabel(r.Subject) {
			t.Errorf("user recommendation for %q, want %q", r.Who, p.userLabel(r.Subject))
		}
	}
	if scopes[recommend.ScopeLab] == 0 || scopes[recommend.ScopeGroup] == 0 || scopes[recommend.ScopeUser] == 0 {
		t.Errorf("recommendations by scope: %v, want some of each", scopes)
	}
	if total := d.Totals.CO2eKg.Central + d.Totals.EmbodiedCO2eKg.Central; labSaving > total {
		t.Errorf("the lab's recommendations save %g kg of %g", labSaving, total)
	}
	t.Logf("%d recommendations %v; first: %s — %s", len(d.Recommendations), scopes, d.Recommendations[0].Title, d.Recommendations[0].Text)
	// The store's sums count as the report counts.
	st, err := p.store.Totals(ctx, q3.From, q3.To)
	if err != nil || st.Jobs != d.Totals.Jobs || !near(st.CO2eKg.Central, d.Totals.CO2eKg.Central) || !near(st.CO2eKg.High, d.Totals.CO2eKg.High) ||
		!near(st.EnergyKWh.Low, d.Totals.EnergyKWh.Low) || !near(st.EmbodiedCO2eKg.Central, d.Totals.EmbodiedCO2eKg.Central) || !near(st.Cost, d.Totals.Cost) {
		t.Errorf("store totals %+v, %v; report totals %+v", st, err, d.Totals)
	}
	// The demo has only the third quarter: the comparisons are there, empty.
	if d.Previous == nil || d.Previous.Period.Label != "2026Q2" || d.YearEarlier == nil || d.YearEarlier.Period.Label != "2025Q3" ||
		d.YearToDate == nil || d.YearToDate.Totals.Jobs != d.Totals.Jobs {
		t.Errorf("comparisons: previous %+v, a year earlier %+v, year to date %+v", d.Previous, d.YearEarlier, d.YearToDate)
	}
}

func TestStatementsHoldOnlyTheirOwnResearcher(t *testing.T) {
	cfg, dir := lab(t, 2000)
	ctx := context.Background()
	p := open(t, cfg)
	ingestLab(t, p, dir)
	files, err := p.WriteStatements(ctx, q3, filepath.Join(dir, "reports"), 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || len(files) != 2*len(d.ByUser) {
		t.Fatalf("%d statement files for %d researchers, want a PDF and a text each", len(files), len(d.ByUser))
	}
	for _, f := range files {
		var text string
		if strings.HasSuffix(f, ".pdf") {
			// The PDF's text, where poppler's pdftotext is installed (CI
			// installs it).
			out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
			if err != nil {
				if _, lookErr := exec.LookPath("pdftotext"); lookErr != nil {
					continue
				}
				t.Fatalf("pdftotext %s: %v", f, err)
			}
			text = string(out)
		} else {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
		}
		login := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "statement-2026Q3-"), ".txt"), ".pdf")
		own := cfg.Users[login].Name
		if own == "" || !strings.Contains(text, own) || strings.HasSuffix(f, ".txt") && !strings.Contains(text, "Dear "+own+",") {
			t.Errorf("%s is not addressed to %q:\n%s", f, own, text)
		}
		for other, u := range cfg.Users {
			if other != login && (strings.Contains(text, u.Name) || strings.Contains(text, " "+other+" ")) {
				t.Errorf("%s names %s (%s)", f, u.Name, other)
			}
		}
	}
}

func TestDisclosureOfOneGroup(t *testing.T) {
	cfg, dir := lab(t, 1500)
	ctx := context.Background()
	p := open(t, cfg)
	ingestLab(t, p, dir)
	d, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	var row report.Row
	for _, r := range d.ByGroup {
		if r.Key == "genomics" {
			row = r
		}
	}
	dc, err := p.BuildDisclosure(ctx, q3, "genomics")
	if err != nil {
		t.Fatal(err)
	}
	// The group's own figures are its row of the lab report; the SCI per
	// job is its operational and embodied grams over its jobs.
	tt := dc.Data.Totals
	if tt.Jobs != row.Jobs || !near(tt.CO2eKg.Central, row.CO2eKg.Central) || !near(tt.EmbodiedCO2eKg.Central, row.EmbodiedCO2eKg) ||
		!near(dc.SCI, (row.CO2eKg.Central+row.EmbodiedCO2eKg)*1000/float64(row.Jobs)) || dc.SCIUnit != "job" || dc.PI != "Jiří Novák (jnovak)" {
		t.Errorf("disclosure %+v (SCI %g per %s); lab report row %+v", tt, dc.SCI, dc.SCIUnit, row)
	}
	path, err := p.WriteDisclosure(ctx, q3, "genomics", filepath.Join(dir, "reports"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	for _, want := range []string{
		"# Computing emissions of genomics (PI Jiří Novák (jnovak)), 2026Q3",
		"ran " + report.Number(float64(row.Jobs), 0) + " jobs",
		"emitted " + report.Mass(row.CO2eKg.Central) + " CO2e",
		"| Grid carbon intensity, GB |",
		"Green Algorithms method",
		// The text refers to the embodied factors for the hardware's life.
		"over the life each embodied factor below gives",
		"| Embodied emissions, ",
		", over 4 y",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q:\n%s", path, want, b)
		}
	}
	if _, err := p.BuildDisclosure(ctx, q3, "nobody"); err == nil {
		t.Error("a disclosure for a group without jobs")
	}
}

func TestReportSaysWhatBecameOfLastPeriodsRecommendations(t *testing.T) {
	cfg, dir := lab(t, 2000)
	ctx := context.Background()
	p := open(t, cfg)
	ingestLab(t, p, dir)
	// The same work a quarter earlier: the same recommendations then, and
	// none taken up since.
	var jobs []labcarbon.Job
	p.store.Jobs(ctx, q3.From, q3.To, func(j *labcarbon.Job) error {
		jobs = append(jobs, *j)
		return nil
	})
	id, _ := p.store.BeginRun(ctx, "test", q3.From)
	b, err := p.store.BeginBatch(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		shift := func(t time.Time) time.Time {
			if t.IsZero() {
				return t
			}
			return t.AddDate(0, 0, -92) // 2026-07-01 → 2026-03-31: all of Q3 into Q2 but a day
		}
		j.Submit, j.Start, j.End = shift(j.Submit), shift(j.Start), shift(j.End)
		if err := b.Put(&j); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(store.Input{Name: "shifted"}); err != nil {
		t.Fatal(err)
	}
	d, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Previous == nil || d.Previous.Totals.Jobs == 0 || len(d.Uptake) == 0 || len(d.PreviousRecommendations) != len(d.Uptake) {
		t.Fatalf("previous %+v; %d uptake rows, %d worded", d.Previous, len(d.Uptake), len(d.PreviousRecommendations))
	}
	// The year to date, put together from this quarter and the store's sum
	// of the months before, equals the store's sum of the whole span.
	whole, err := p.store.Totals(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), q3.To)
	if err != nil {
		t.Fatal(err)
	}
	if y := d.YearToDate.Totals; y.Jobs != whole.Jobs || !near(y.CO2eKg.Central, whole.CO2eKg.Central) || !near(y.EnergyKWh.High, whole.EnergyKWh.High) ||
		!near(y.EmbodiedCO2eKg.Low, whole.EmbodiedCO2eKg.Low) || !near(y.Cost, whole.Cost) {
		t.Errorf("year to date %+v, the store's sum %+v", y, whole)
	}
	still := 0
	for i, u := range d.Uptake {
		if d.PreviousRecommendations[i].ID != u.Previous.ID || d.PreviousRecommendations[i].Title == "" || u.Previous.Scope == recommend.ScopeUser {
			t.Errorf("uptake %d: %+v worded as %+v", i, u.Previous.ID, d.PreviousRecommendations[i].ID)
		}
		if u.Present {
			still++
		}
	}
	if still == 0 {
		t.Errorf("none of last quarter's %d recommendations is made again for the same work", len(d.Uptake))
	}
}

func TestReportListsItsInputs(t *testing.T) {
	cfg, dir := lab(t, 50)
	ctx := context.Background()
	p := open(t, cfg)
	file := filepath.Join(dir, "data", "sacct.txt")
	for range 2 {
		if _, err := p.Ingest(ctx, []string{file}, "auto"); err != nil {
			t.Fatal(err)
		}
	}
	d, err := p.BuildReport(ctx, q3, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Read twice: listed once, as last read.
	if len(d.Inputs) != 1 || d.Inputs[0].Name != file || d.Inputs[0].RunID != 2 || len(d.Inputs[0].SHA256) != 64 || d.Inputs[0].Jobs != 50 {
		t.Errorf("inputs = %+v", d.Inputs)
	}
	if cat, _ := cfg.Catalog(); d.Catalog != cat.Version() {
		t.Errorf("catalog %q, want %q", d.Catalog, cat.Version())
	}
}

func TestStatementFileNamesAreSafe(t *testing.T) {
	cfg, dir := lab(t, 20)
	ctx := context.Background()
	p := open(t, cfg)
	ingestLab(t, p, dir)
	// A hostile login from a crafted accounting file.
	var j labcarbon.Job
	p.store.Jobs(ctx, q3.From, q3.To, func(x *labcarbon.Job) error {
		if j.User == "" && x.Ran() {
			j = *x
		}
		return nil
	})
	j.User, j.JobIDRaw = "../../etc/cron.d/x", "999999"
	id, _ := p.store.BeginRun(ctx, "test", q3.From)
	b, _ := p.store.BeginBatch(ctx, id)
	if err := b.Put(&j); err != nil {
		t.Fatal(err)
	}
	b.Commit(store.Input{Name: "hostile"})
	out := filepath.Join(dir, "reports")
	files, err := p.WriteStatements(ctx, q3, out, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if rel, err := filepath.Rel(filepath.Join(out, "statements-2026Q3"), f); err != nil || strings.Contains(rel, "..") || strings.ContainsRune(rel, filepath.Separator) {
			t.Errorf("statement written at %s, outside its directory", f)
		}
	}
}

// passCounter counts the passes over each period's jobs, which a report
// makes on several goroutines.
type passCounter struct {
	store.Store
	mu     sync.Mutex
	passes map[time.Time]int
}

func (s *passCounter) Jobs(ctx context.Context, from, to time.Time, fn func(*labcarbon.Job) error) error {
	s.mu.Lock()
	s.passes[from]++
	s.mu.Unlock()
	return s.Store.Jobs(ctx, from, to, fn)
}

// TestReportsReadJobsOnce checks that the PDF and the workbook, which lists
// every job, are written from one pass over the period's jobs, and that a
// format asked for twice is written once.
func TestReportsReadJobsOnce(t *testing.T) {
	cfg, dir := lab(t, 30)
	p := open(t, cfg)
	defer p.Close()
	ingestLab(t, p, dir)
	counter := &passCounter{Store: p.store, passes: map[time.Time]int{}}
	p.store = counter
	files, d, err := p.WriteReports(context.Background(), q3, []string{"pdf", "xlsx", "xlsx"}, t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || counter.passes[q3.From] != 1 {
		t.Errorf("wrote %q in %d passes over the period's jobs, want a PDF and a workbook from one", files, counter.passes[q3.From])
	}
	f, err := excelize.OpenFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Jobs")
	if err != nil || len(rows) != d.Totals.Jobs+1 || d.Totals.Jobs != 30 {
		t.Errorf("Jobs sheet: %d rows, %v; want a header and the %d jobs counted", len(rows), err, d.Totals.Jobs)
	}
}

// TestJobListsKeepPseudonyms checks that a lab that pseudonymises its
// users finds no login in the lists of every job, the workbook's Jobs
// sheet and the CSV export, and the pseudonyms of the By user sheet there.
func TestJobListsKeepPseudonyms(t *testing.T) {
	cfg, dir := lab(t, 30)
	cfg.Privacy.PseudonymiseUsers = true
	p := open(t, cfg)
	defer p.Close()
	ingestLab(t, p, dir)
	files, d, err := p.WriteReports(context.Background(), q3, []string{"xlsx", "csv"}, t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var logins []string
	d.Jobs(func(j *labcarbon.Job) error {
		if !slices.Contains(logins, j.User) {
			logins = append(logins, j.User)
		}
		return nil
	})
	f, err := excelize.OpenFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Jobs")
	if err != nil || len(rows) != 31 {
		t.Fatalf("Jobs sheet: %d rows, %v", len(rows), err)
	}
	csv, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, login := range logins {
		if strings.Contains(string(csv), ","+login+",") {
			t.Errorf("the CSV export names login %s", login)
		}
	}
	var pseudonyms []string
	for _, login := range logins {
		pseudonyms = append(pseudonyms, p.userLabel(login))
	}
	for _, row := range rows[1:] {
		if user := row[3]; !slices.Contains(pseudonyms, user) {
			t.Errorf("Jobs sheet prints user %q, want one of the pseudonyms %q", user, pseudonyms)
		}
	}
}
