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
