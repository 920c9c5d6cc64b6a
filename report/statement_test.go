package report

import (
	"context"
	"testing"

	"labcarbon"
)

func TestStatements(t *testing.T) {
	src := &memSource{jobs: []labcarbon.Job{
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-07-02 10:00:00", 10, 10, 2),
		job("ana", "genomics", "gpu", labcarbon.StateFailed, "2026-07-20 00:00:00", 4, 40, 8),
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-08-03 00:00:00", 1, 1, 0.5),
		job("cai", "climate", "cpu", labcarbon.StateCompleted, "2026-08-01 00:00:00", 2, 1, 0.2),
		// In the second quarter: ana's trend.
		job("ana", "genomics", "cpu", labcarbon.StateCompleted, "2026-05-01 00:00:00", 3, 20, 4),
	}}
	src.jobs[1].Name = "assembly"
	q3, _ := labcarbon.ParsePeriod("2026Q3")
	sts, err := Statements(context.Background(), src, q3,
		Options{Lab: "Lab", Equivalents: []Equivalent{{Key: "car_km", Name: "km", GramsPerUnit: 175}},
			PIOf: func(g string) string { return "PI of " + g }},
		StatementOptions{TopJobs: 2, Trend: []labcarbon.Period{q3.Previous()}, Name: func(l string) string { return "Dr " + l }})
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 2 || sts[0].User != "ana" || sts[1].User != "cai" {
		t.Fatalf("statements for %d users", len(sts))
	}
	ana := sts[0]
	// ana: 2 + 8 + 0.5 = 10.5 kg of the lab's 10.7 kg; 51 kWh; 3 jobs.
	if !near(ana.Totals.CO2eKg.Central, 10.5) || !near(ana.Totals.EnergyKWh.Central, 51) || ana.Totals.Jobs != 3 ||
		!near(ana.LabShare, 10.5/10.7) || !near(ana.Totals.WastedCO2eKg, 8) {
		t.Errorf("ana: %+v, share %g", ana.Totals, ana.LabShare)
	}
	if ana.Name != "Dr ana" || ana.Group != "genomics" || ana.PI != "PI of genomics" {
		t.Errorf("ana is %q of %q (PI %q)", ana.Name, ana.Group, ana.PI)
	}
	// The two largest of ana's jobs, largest first: 8 kg, then 2 kg.
	if len(ana.TopJobs) != 2 || ana.TopJobs[0].Name != "assembly" || !near(ana.TopJobs[1].Result.CO2eKg.Central, 2) {
		t.Errorf("top jobs %+v", ana.TopJobs)
	}
	for _, j := range ana.TopJobs {
		if j.User != "ana" {
			t.Errorf("ana's statement lists %s's job", j.User)
		}
	}
	// 10.5 kg = 10,500 g = 60 km at 175 g/km.
	if len(ana.Equivalents) != 1 || !near(ana.Equivalents[0].Count, 60) {
		t.Errorf("equivalents %+v", ana.Equivalents)
	}
	if len(ana.Trend) != 2 || ana.Trend[0].Period.Label != "2026Q2" || !near(ana.Trend[0].Totals.CO2eKg.Central, 4) ||
		ana.Trend[1].Period.Label != "2026Q3" || !near(ana.Trend[1].Totals.CO2eKg.Central, 10.5) {
		t.Errorf("trend %+v", ana.Trend)
	}
	if cai := sts[1]; len(cai.Trend) != 2 || cai.Trend[0].Totals.Jobs != 0 || len(cai.ByPartition) != 1 {
		t.Errorf("cai: trend %+v, partitions %+v", cai.Trend, cai.ByPartition)
	}
	hidden, _ := Statements(context.Background(), src, q3, Options{HideJobNames: true}, StatementOptions{})
	for _, j := range hidden[0].TopJobs {
		if j.Name != "" {
			t.Errorf("job name %q kept with names hidden", j.Name)
		}
	}
}
