package report

import (
	"context"
	"math"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/ingest"
)

// memSource serves jobs from a slice, filtering by overlap as a store does.
type memSource struct {
	jobs []labcarbon.Job
	bad  []ingest.RowError
}

func (m *memSource) Jobs(_ context.Context, from, to time.Time, fn func(*labcarbon.Job) error) error {
	for i := range m.jobs {
		j := &m.jobs[i]
		s, e := span(&j.Usage)
		if (j.Ran() && s.Before(to) && e.After(from)) || (!j.Ran() && !j.Submit.Before(from) && j.Submit.Before(to)) {
			if err := fn(j); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *memSource) Quarantined(context.Context) ([]ingest.RowError, error) { return m.bad, nil }

func at(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

func job(user, account, partition string, state labcarbon.State, start string, hours float64, kwh, kg float64) labcarbon.Job {
	st := at(start)
	sec := int64(hours * 3600)
	return labcarbon.Job{
		Usage: labcarbon.Usage{
			Cluster: "hydra", JobIDRaw: user + start, User: user, Account: account, Partition: partition, State: state,
			Submit: st.Add(-time.Hour), Start: st, End: st.Add(time.Duration(sec) * time.Second), ElapsedSec: sec, CPUs: 4,
		},
		Result: labcarbon.Result{
			EnergySource: labcarbon.EnergyModelled,
			EnergyKWh:    labcarbon.Range{Low: kwh * 0.5, Central: kwh, High: kwh * 2},
			CO2eKg:       labcarbon.Range{Low: kg * 0.5, Central: kg, High: kg * 2},
			Cost:         kwh * 0.3,
		},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestBuildTotalsAndSplit(t *testing.T) {
	src := &memSource{jobs: []labcarbon.Job{
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-07-02 10:00:00", 10, 10, 2),
		job("ben", "genomics", "gpu", labcarbon.StateFailed, "2026-07-20 00:00:00", 4, 40, 8),
		job("cai", "climate", "cpu", labcarbon.StateCompleted, "2026-08-01 00:00:00", 2, 1, 0.2),
		// Runs 6 h in June and 18 h in July: a quarter of it counts in Q3.
		job("cai", "climate", "cpu", labcarbon.StateCompleted, "2026-06-30 18:00:00", 24, 100, 20),
		// Ends before the period: not counted.
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-06-01 00:00:00", 1, 5, 1),
	}}
	// A job cancelled while pending, submitted in the period.
	pending := job("dee", "ml", "gpu", labcarbon.StateCancelled, "2026-07-03 00:00:00", 0, 0, 0)
	pending.Start, pending.End = time.Time{}, time.Time{}
	src.jobs = append(src.jobs, pending)
	src.bad = []ingest.RowError{{File: "sacct.txt", Line: 7, Field: "Elapsed", Reason: "not a duration"}}

	p, _ := labcarbon.ParsePeriod("2026Q3")
	d, err := Build(context.Background(), src, p, Options{Lab: "Lab", Now: at("2026-11-24 00:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	// CO2e: 2 + 8 + 0.2 + 20 × 18/24 = 25.2 kg; energy 10 + 40 + 1 + 75 = 126.
	if !near(d.Totals.CO2eKg.Central, 25.2) || !near(d.Totals.EnergyKWh.Central, 126) {
		t.Errorf("totals CO2e %g kg, energy %g kWh; want 25.2, 126", d.Totals.CO2eKg.Central, d.Totals.EnergyKWh.Central)
	}
	if !near(d.Totals.CO2eKg.Low, 12.6) || !near(d.Totals.CO2eKg.High, 50.4) {
		t.Errorf("CO2e range %+v, want 12.6–50.4", d.Totals.CO2eKg)
	}
	if d.Totals.Jobs != 5 {
		t.Errorf("jobs = %d, want 5 (4 that ran in the period and 1 cancelled while pending)", d.Totals.Jobs)
	}
	// CPU-hours: 4 CPUs × (10 + 4 + 2 + 18) h = 136.
	if !near(d.Totals.CPUHours, 136) {
		t.Errorf("CPU-hours = %g, want 136", d.Totals.CPUHours)
	}
	if !near(d.Totals.WastedCO2eKg, 8) {
		t.Errorf("wasted = %g kg, want 8 (the failed job)", d.Totals.WastedCO2eKg)
	}
	if len(d.ByGroup) != 3 || d.ByGroup[0].Key != "climate" || !near(d.ByGroup[0].CO2eKg.Central, 15.2) {
		t.Errorf("by group = %+v, want climate first with 15.2 kg", d.ByGroup)
	}
	var sumGroups, sumOver float64
	for _, r := range d.ByGroup {
		sumGroups += r.CO2eKg.Central
	}
	for _, r := range d.OverTime {
		sumOver += r.CO2eKg.Central
	}
	if !near(sumGroups, 25.2) || !near(sumOver, 25.2) {
		t.Errorf("groups add to %g, time buckets to %g; want both 25.2", sumGroups, sumOver)
	}
	if len(d.OverTime) != 13 || d.OverTime[0].Key != "2026-07-01" {
		t.Errorf("quarter has %d weekly buckets starting %s, want 13 starting 2026-07-01", len(d.OverTime), d.OverTime[0].Key)
	}
	if len(d.ByMonth) != 3 || !near(d.ByMonth[0].CO2eKg.Central+d.ByMonth[1].CO2eKg.Central+d.ByMonth[2].CO2eKg.Central, 25.2) {
		t.Errorf("by month = %+v, want 3 months adding to 25.2 kg", d.ByMonth)
	}
	// Each job that ran counts once, in the first bucket it ran in: the 4
	// that ran in the period (the pending one has no run time to place).
	var weekJobs, monthJobs int
	for _, r := range d.OverTime {
		weekJobs += r.Jobs
	}
	for _, r := range d.ByMonth {
		monthJobs += r.Jobs
	}
	if weekJobs != 4 || monthJobs != 4 || d.ByMonth[0].Jobs != 3 {
		t.Errorf("jobs by week add to %d, by month to %d (July %d); want 4, 4 and 3", weekJobs, monthJobs, d.ByMonth[0].Jobs)
	}
	if len(d.Exclusions) != 1 || d.Exclusions[0].Line != 7 {
		t.Errorf("exclusions = %+v", d.Exclusions)
	}
}

func TestAdjacentPeriodsAddUp(t *testing.T) {
	src := &memSource{jobs: []labcarbon.Job{
		job("a", "g", "cpu", labcarbon.StateCompleted, "2026-07-31 20:00:00", 10, 10, 3),
		job("b", "g", "cpu", labcarbon.StateCompleted, "2026-08-31 23:00:00", 50, 7, 1.5),
		job("c", "g", "cpu", labcarbon.StateCompleted, "2026-07-15 00:00:00", 1, 1, 0.25),
	}}
	total := 0.0
	for _, m := range []string{"2026-07", "2026-08", "2026-09"} {
		p, _ := labcarbon.ParsePeriod(m)
		d, err := Build(context.Background(), src, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		total += d.Totals.CO2eKg.Central
	}
	q, _ := labcarbon.ParsePeriod("2026Q3")
	d, _ := Build(context.Background(), src, q, Options{})
	if !near(total, d.Totals.CO2eKg.Central) || !near(total, 4.75) {
		t.Errorf("months add to %g, quarter %g; want both 4.75", total, d.Totals.CO2eKg.Central)
	}
}

func TestBuckets(t *testing.T) {
	for in, want := range map[string]int{"2026-08-14": 1, "2026-02": 28, "2026Q1": 13, "2026": 12} {
		p, _ := labcarbon.ParsePeriod(in)
		if got, _ := Buckets(p); len(got) != want {
			t.Errorf("Buckets(%s) = %d, want %d", in, len(got), want)
		}
	}
}

func TestBuildEngineFigures(t *testing.T) {
	a := job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-07-02 10:00:00", 10, 10, 2)
	a.Result.HasMarket, a.Result.MarketCO2eKg = true, labcarbon.Point(0.5)
	a.Result.CIHourlyShare = 1
	a.Result.EmbodiedCO2eKg = labcarbon.Range{Low: 0.1, Central: 0.3, High: 0.9}
	a.Result.MemWasteCO2eKg = labcarbon.Point(0.05)
	a.Result.IdleCoreHours, a.Result.IdleCoreCO2eKg = 12, labcarbon.Point(0.4)
	a.Assignment.NodeType = "cpu-std"
	// Runs 6 h in June and 18 h in July: three quarters of it count in Q3.
	b := job("cai", "climate", "gpu", labcarbon.StateCompleted, "2026-06-30 18:00:00", 24, 40, 8)
	b.Result.CIHourlyShare = 0.5
	b.Result.EmbodiedCO2eKg = labcarbon.Point(2)
	b.Result.MemWasteCO2eKg = labcarbon.Point(0.4)
	b.Result.IdleCoreHours, b.Result.IdleCoreCO2eKg = 8, labcarbon.Point(0.2)
	b.Assignment.NodeType = "gpu-a100"
	b.Cluster = "orion"
	src := &memSource{jobs: []labcarbon.Job{a, b}}

	p, _ := labcarbon.ParsePeriod("2026Q3")
	d, err := Build(context.Background(), src, p, Options{Equivalents: []Equivalent{
		{Key: "tree_month", Name: "tree-months", GramsPerUnit: 917},
		{Key: "car_km", Name: "km by car", GramsPerUnit: 175},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tt := d.Totals
	// Energy 10 + 40 × 3/4 = 40 kWh; CO2e 2 + 8 × 3/4 = 8 kg.
	// Market-based: ana's 0.5 kg, cai's location-based 6 kg = 6.5 kg, over
	// 10 of 40 kWh covered by a market factor.
	if !near(tt.MarketCO2eKg.Central, 6.5) || !near(tt.MarketShare, 0.25) {
		t.Errorf("market-based %g kg covering %g, want 6.5 kg covering 0.25", tt.MarketCO2eKg.Central, tt.MarketShare)
	}
	// Hourly: 10 × 1 + 30 × 0.5 = 25 of 40 kWh.
	if !near(tt.HourlyShare, 25.0/40) {
		t.Errorf("hourly share %g, want %g", tt.HourlyShare, 25.0/40)
	}
	// Embodied 0.3 + 2 × 3/4 = 1.8 kg central, 0.1 + 1.5 = 1.6 low, 0.9 + 1.5 = 2.4 high.
	if !near(tt.EmbodiedCO2eKg.Central, 1.8) || !near(tt.EmbodiedCO2eKg.Low, 1.6) || !near(tt.EmbodiedCO2eKg.High, 2.4) {
		t.Errorf("embodied %+v, want 1.6/1.8/2.4", tt.EmbodiedCO2eKg)
	}
	// Memory waste 0.05 + 0.3 = 0.35 kg; idle 12 + 6 = 18 core-h, 0.4 + 0.15 = 0.55 kg.
	if !near(tt.MemWasteCO2eKg, 0.35) || !near(tt.IdleCoreHours, 18) || !near(tt.IdleCoreCO2eKg, 0.55) {
		t.Errorf("memory waste %g kg, idle %g core-h %g kg; want 0.35, 18, 0.55", tt.MemWasteCO2eKg, tt.IdleCoreHours, tt.IdleCoreCO2eKg)
	}
	if len(d.ByCluster) != 2 || d.ByCluster[0].Key != "orion" || !near(d.ByCluster[0].CO2eKg.Central, 6) || !near(d.ByCluster[0].EmbodiedCO2eKg, 1.5) {
		t.Errorf("by cluster = %+v, want orion first with 6 kg and 1.5 kg embodied", d.ByCluster)
	}
	if len(d.ByNodeType) != 2 || d.ByNodeType[1].Key != "cpu-std" || !near(d.ByNodeType[1].MemWasteCO2eKg, 0.05) {
		t.Errorf("by node type = %+v, want cpu-std second with 0.05 kg memory waste", d.ByNodeType)
	}
	// 8 kg = 8000 g: 8000/917 tree-months, 8000/175 km.
	if len(d.Equivalents) != 2 || !near(d.Equivalents[0].Count, 8000.0/917) || !near(d.Equivalents[1].Count, 8000.0/175) {
		t.Errorf("equivalents = %+v", d.Equivalents)
	}
}

func TestBuildNamesTheCatalog(t *testing.T) {
	p, _ := labcarbon.ParsePeriod("2026Q3")
	d, err := Build(context.Background(), &memSource{}, p, Options{Catalog: "8c02d3f0af45+lab.0123456789ab", CatalogOverrides: []string{"cpus.csv: AMD EPYC 7763 (replaced)"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Catalog != "8c02d3f0af45+lab.0123456789ab" || len(d.CatalogOverrides) != 1 {
		t.Errorf("catalog %q, overrides %q", d.Catalog, d.CatalogOverrides)
	}
}

func TestBuildDistributionsSeriesAndGridAverage(t *testing.T) {
	mk := func(user, account string, start string, hours float64, cpus int, eff, kwh, kg, annualCI float64) labcarbon.Job {
		j := job(user, account, "cpu", labcarbon.StateCompleted, start, hours, kwh, kg)
		j.CPUs = cpus
		j.Result.CPUEfficiency = eff
		j.Assignment.CIgPerKWh = labcarbon.Point(annualCI)
		return j
	}
	var jobs []labcarbon.Job
	groups := []string{"g1", "g2", "g3", "g4", "g5", "g6", "g7"}
	for i, g := range groups {
		// Group gN emits N kg: g7 the most, g1 and g2 fold into "other".
		jobs = append(jobs, mk("u"+g, g, "2026-07-02 10:00:00", 2, 1<<i, 0.05+0.1*float64(i), 10, float64(i+1), 200))
	}
	failed := mk("ux", "g1", "2026-07-03 10:00:00", 1, 4, 0, 5, 0.5, 300)
	failed.State = labcarbon.StateFailed
	jobs = append(jobs, failed)
	p, _ := labcarbon.ParsePeriod("2026Q3")
	d, err := Build(context.Background(), &memSource{jobs: jobs}, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Efficiencies 0.05, 0.15, … 0.65 land in the first seven tenths; the
	// failed job's 0 is "not recorded".
	for i, b := range d.CPUEfficiency {
		want := 0
		if i < 7 || i == len(EfficiencyBins)-1 {
			want = 1
		}
		if b.Jobs != want || b.Label != EfficiencyBins[i].Label {
			t.Errorf("efficiency bin %s: %d jobs, want %d", b.Label, b.Jobs, want)
		}
	}
	// Cores 1, 2, 4, 8, 16, 32, 64 and the failed job's 4:
	// 1 core | 2–4: 2, 4, 4 | 5–16: 8, 16 | 17–64: 32, 64.
	wantSizes := []int{1, 3, 2, 2, 0, 0, 0}
	for i, b := range d.JobSizes {
		if b.Jobs != wantSizes[i] {
			t.Errorf("size bin %s: %d jobs, want %d", b.Label, b.Jobs, wantSizes[i])
		}
	}
	if !near(d.JobSizes[1].CO2eKg, 2+3+0.5) {
		t.Errorf("2–4 cores emitted %g kg, want 5.5", d.JobSizes[1].CO2eKg)
	}
	// At the annual averages: 7 × 10 kWh × 200 g + 5 kWh × 300 g = 15.5 kg.
	if !near(d.Totals.GridCO2eKg, 15.5) {
		t.Errorf("grid-average CO2e %g kg, want 15.5", d.Totals.GridCO2eKg)
	}
	// Stacked series: g7 … g3, then other = g1 (1 + 0.5) + g2 (2).
	if len(d.OverTimeByGroup) != 6 || d.OverTimeByGroup[0].Key != "g7" || d.OverTimeByGroup[5].Key != "other" {
		t.Fatalf("series %+v", d.OverTimeByGroup)
	}
	var other, all float64
	for k := range d.OverTime {
		other += d.OverTimeByGroup[5].CO2eKg[k]
		for _, s := range d.OverTimeByGroup {
			all += s.CO2eKg[k]
		}
	}
	if !near(other, 3.5) || !near(all, d.Totals.CO2eKg.Central) {
		t.Errorf("other %g kg, all series %g kg; want 3.5 and the total %g", other, all, d.Totals.CO2eKg.Central)
	}
	// g1: 2 jobs, 1 completed; SCI per successful job (1.5 kg) = 1,500 g.
	// No GPU-hours: per GPU-hour it is not defined.
	for _, r := range d.ByGroup {
		if r.Key != "g1" {
			continue
		}
		perSuccess, ok1 := r.SCI("successful job")
		perJob, ok2 := r.SCI("job")
		_, ok3 := r.SCI("GPU-hour")
		if r.Completed != 1 || !ok1 || !ok2 || ok3 || !near(perSuccess, 1500) || !near(perJob, 750) {
			t.Errorf("g1: %d completed, SCI %g (%v) per successful job, %g (%v) per job, defined per GPU-hour %v", r.Completed, perSuccess, ok1, perJob, ok2, ok3)
		}
	}
}

// everySource returns all its jobs for any period, as a store may return
// more than a period counts (a job of no length at its start).
type everySource struct{ memSource }

func (s *everySource) Jobs(_ context.Context, _, _ time.Time, fn func(*labcarbon.Job) error) error {
	for i := range s.jobs {
		if err := fn(&s.jobs[i]); err != nil {
			return err
		}
	}
	return nil
}

// TestJobsAreTheCountedOnes checks that Data.Jobs lists what Visit sees,
// the jobs the figures count, not all the source returned for the period.
func TestJobsAreTheCountedOnes(t *testing.T) {
	pendingBefore := job("dee", "ml", "gpu", labcarbon.StateCancelled, "2026-06-03 00:00:00", 0, 0, 0)
	pendingBefore.Start, pendingBefore.End = time.Time{}, time.Time{}
	src := &everySource{memSource{jobs: []labcarbon.Job{
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-07-02 10:00:00", 10, 10, 2),
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-06-01 00:00:00", 1, 5, 1), // ended before
		pendingBefore,
	}}}
	p, _ := labcarbon.ParsePeriod("2026Q3")
	var visited, listed []string
	d, err := Build(context.Background(), src, p, Options{Visit: func(j *labcarbon.Job) { visited = append(visited, j.JobIDRaw) }})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Jobs(func(j *labcarbon.Job) error { listed = append(listed, j.JobIDRaw); return nil }); err != nil {
		t.Fatal(err)
	}
	want := src.jobs[0].JobIDRaw
	if len(visited) != 1 || visited[0] != want || len(listed) != 1 || listed[0] != want || d.Totals.Jobs != 1 {
		t.Errorf("visited %q, listed %q, counted %d; want only %q", visited, listed, d.Totals.Jobs, want)
	}
}

// TestRunningAtEnd checks the count of jobs a period shares with the next:
// those counted that ran on past its end.
func TestRunningAtEnd(t *testing.T) {
	src := &memSource{jobs: []labcarbon.Job{
		job("cai", "climate", "cpu", labcarbon.StateCompleted, "2026-06-30 18:00:00", 24, 100, 20), // into July
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-06-30 18:00:00", 6, 1, 1),    // ends at midnight
		job("ben", "genomics", "cpu", labcarbon.StateCompleted, "2026-05-01 00:00:00", 1, 1, 1),
	}}
	for _, c := range []struct {
		period      string
		jobs, carry int
	}{{"2026Q2", 3, 1}, {"2026Q3", 1, 0}} {
		p, _ := labcarbon.ParsePeriod(c.period)
		d, err := Build(context.Background(), src, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Totals.Jobs != c.jobs || d.Totals.RunningAtEnd != c.carry {
			t.Errorf("%s: %d jobs, %d running at the end; want %d and %d", c.period, d.Totals.Jobs, d.Totals.RunningAtEnd, c.jobs, c.carry)
		}
	}
}
