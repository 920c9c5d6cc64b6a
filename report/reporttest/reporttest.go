// Package reporttest builds a realistic report.Data for the renderers'
// tests: names with diacritics, a formula-like job name, a period's worth of
// deterministic jobs, aggregated here independently of report.Build so the
// renderers are checked against figures they did not compute.
package reporttest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"labcarbon"
	"labcarbon/report"
)

// The fixture's cast: names with diacritics a core PDF font cannot print,
// and one job name that a spreadsheet would run as a formula.
var (
	fixtureGroups     = []string{"genomics-łódź", "ml-vision", "chem-theory", "ecology", "astro"}
	fixtureUsers      = []string{"Jiří", "łukasz", "zoë", "ngọc", "alice", "bob", "chandra", "dana"}
	fixturePartitions = []string{"cpu", "gpu-a100", "bigmem", "short"}
	fixtureStates     = []labcarbon.State{
		labcarbon.StateCompleted, labcarbon.StateCompleted, labcarbon.StateCompleted,
		labcarbon.StateFailed, labcarbon.StateTimeout, labcarbon.StateCancelled, labcarbon.StateOutOfMemory,
	}
	InjectionName = `=HYPERLINK("http://example.com/x","click me")`
)

// Job is the i-th job of a period, made up deterministically from i
// so a benchmark can stream many jobs without holding them.
func Job(p labcarbon.Period, i int) labcarbon.Job {
	h := uint64(i)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	pick := func(n int) int { h ^= h >> 29; h *= 0xBF58476D1CE4E5B9; return int(h>>33) % n }

	partition := fixturePartitions[pick(len(fixturePartitions))]
	cpus, gpus := 1+pick(32), 0
	if partition == "gpu-a100" {
		gpus = 1 + pick(4)
	}
	elapsed := int64(600 + pick(48*3600))
	span := int64(p.To.Sub(p.From).Seconds()) - elapsed
	start := p.From.Add(time.Duration(pick(int(span))) * time.Second)
	eff := 0.2 + float64(pick(80))/100
	memReq := float64(4 * (1 + pick(64)))
	state := fixtureStates[pick(len(fixtureStates))]
	name := fmt.Sprintf("align-sample-%d", i)
	if i == 3 {
		name = InjectionName
	}

	hours := float64(elapsed) / 3600
	const pue, ci = 1.4, 250.0
	kWh := pue * (hours*float64(cpus)*eff*10 + hours*float64(gpus)*300 + hours*memReq*0.3725) / 1000
	energy := labcarbon.Range{Low: kWh * 0.8, Central: kWh, High: kWh * 1.3}
	source := labcarbon.EnergyModelled
	if pick(5) == 0 {
		source = labcarbon.EnergyMeasured
	}
	return labcarbon.Job{
		Usage: labcarbon.Usage{
			Source: labcarbon.SourceSacct, SourceFile: "sacct-2026q3.txt", SourceLine: 2 + i,
			Cluster: []string{"hydra", "vega"}[pick(2)], JobID: fmt.Sprint(100000 + i), JobIDRaw: fmt.Sprint(100000 + i),
			Name: name, User: fixtureUsers[pick(len(fixtureUsers))], Group: "lab",
			Account: fixtureGroups[pick(len(fixtureGroups))], Partition: partition, State: state,
			Submit: start.Add(-time.Minute), Start: start, End: start.Add(time.Duration(elapsed) * time.Second),
			ElapsedSec: elapsed, CPUs: cpus, CPUTimeSec: float64(elapsed) * float64(cpus) * eff,
			MemReqGB: memReq, MemPeakGB: memReq * 0.4, HasMemPeak: i%4 != 0, GPUs: gpus,
		},
		Assignment: labcarbon.Assignment{NodeType: partition + "-node", CISource: "annual average, CZ 2025"},
		Result: labcarbon.Result{
			EnergySource: source, EnergyKWh: energy, CO2eKg: energy.Scale(ci / 1000),
			PUE: pue, CIgPerKWh: ci, CISource: "annual average, CZ 2025", CPUEfficiency: eff, Cost: kWh * 0.21,
		},
	}
}

// Data is a quarter's report of n jobs, aggregated the way the report
// package does it, so every table and total agrees with the jobs.
func Data(n int) *report.Data {
	p, err := labcarbon.ParsePeriod("2026Q3")
	if err != nil {
		panic(err)
	}
	d := &report.Data{
		Lab: "Dvořák Lab · Molecular Ecology", Period: p,
		Generated: time.Date(2026, 10, 1, 6, 30, 0, 0, time.UTC),
		RunID:     42, Version: "1.2.3", Currency: "EUR",
		Summary: []string{
			"In the third quarter of 2026 the lab's computing emitted an estimated amount of CO₂e shown above, most of it on the GPU partition.",
			"Jobs that failed, timed out or were cancelled after they started wasted a share of it; checkpointing and testing pipelines on small inputs first would cut it.",
			"Zoë, Łukasz and Ngọc ran the largest GPU workloads. Right-sizing memory requests is the cheapest saving available.",
		},
		Jobs: func(fn func(*labcarbon.Job) error) error {
			for i := range n {
				j := Job(p, i)
				if err := fn(&j); err != nil {
					return err
				}
			}
			return nil
		},
	}
	groups, users, parts, states, weeks := map[string]*report.Row{}, map[string]*report.Row{}, map[string]*report.Row{}, map[string]*report.Row{}, map[string]*report.Row{}
	for w := p.From; w.Before(p.To); w = w.AddDate(0, 0, 7) {
		weeks[w.Format(time.DateOnly)] = &report.Row{Key: w.Format(time.DateOnly)}
	}
	for i := range n {
		j := Job(p, i)
		week := p.From.AddDate(0, 0, 7*int(j.Start.Sub(p.From).Hours()/24/7)).Format(time.DateOnly)
		for _, r := range []*report.Row{
			rowOf(groups, j.Account), rowOf(users, j.User), rowOf(parts, j.Partition),
			rowOf(states, string(j.State)), weeks[week],
		} {
			add(r, &j)
		}
		t := &d.Totals
		t.Jobs++
		t.CPUHours += float64(j.ElapsedSec) * float64(j.CPUs) / 3600
		t.GPUHours += float64(j.ElapsedSec) * float64(j.GPUs) / 3600
		t.EnergyKWh = t.EnergyKWh.Add(j.Result.EnergyKWh)
		t.CO2eKg = t.CO2eKg.Add(j.Result.CO2eKg)
		t.Cost += j.Result.Cost
		if j.State.Wasted() {
			t.WastedCO2eKg += j.Result.CO2eKg.Central
		}
		if j.Result.EnergySource == labcarbon.EnergyMeasured {
			t.MeasuredJobs++
		}
	}
	d.ByGroup = rows(groups, d.Totals, true)
	d.ByUser = rows(users, d.Totals, true)
	d.ByPartition = rows(parts, d.Totals, true)
	d.ByState = rows(states, d.Totals, true)
	d.OverTime = rows(weeks, d.Totals, false)
	d.Bucket = report.Week
	d.Factors = []report.Factor{
		{Name: "CPU watts per core, node type cpu-node", Value: "10.0 W (8.0–12.0)", Source: "Green Algorithms TDP table, 2024, CC BY 4.0", Jobs: n / 2},
		{Name: "GPU watts, NVIDIA A100 SXM4 40 GB", Value: "300 W (250–400)", Source: "NVIDIA A100 datasheet, 2021; idle and peak from Green Algorithms", Jobs: n / 4},
		{Name: "Memory watts per GB", Value: "0.3725 W (0.3–0.45)", Source: "Green Algorithms, 2021", Jobs: n},
		{Name: "PUE, site Praha-Dejvice", Value: "1.40 (1.30–1.60)", Source: "lab config, facilities estimate 2025", Jobs: n},
		{Name: "Grid intensity, CZ", Value: "250 g/kWh (200–300)", Source: "Ember annual average 2025, location-based", Jobs: n},
	}
	for i := range 57 {
		d.Exclusions = append(d.Exclusions, report.Exclusion{
			File: "sacct-2026q3.txt", Line: 1000 + i, Field: "Elapsed", Reason: fmt.Sprintf("unparseable duration %q", "1-xx:00"),
		})
	}
	d.Exclusions[1].Reason = "+cmd|' /C calc'!A0 is not a duration"
	return d
}

// rowOf returns the row for key, making it on first use.
func rowOf(m map[string]*report.Row, key string) *report.Row {
	if m[key] == nil {
		m[key] = &report.Row{Key: key}
	}
	return m[key]
}

// add counts j into r.
func add(r *report.Row, j *labcarbon.Job) {
	r.Jobs++
	r.CPUHours += float64(j.ElapsedSec) * float64(j.CPUs) / 3600
	r.GPUHours += float64(j.ElapsedSec) * float64(j.GPUs) / 3600
	r.EnergyKWh += j.Result.EnergyKWh.Central
	r.CO2eKg = r.CO2eKg.Add(j.Result.CO2eKg)
	r.Cost += j.Result.Cost
	if j.State.Wasted() {
		r.WastedCO2eKg += j.Result.CO2eKg.Central
	}
}

// rows lists m's rows with their shares, by CO2e or by key.
func rows(m map[string]*report.Row, t report.Totals, byCO2e bool) []report.Row {
	out := make([]report.Row, 0, len(m))
	for _, r := range m {
		r.Share = r.CO2eKg.Central / t.CO2eKg.Central
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b report.Row) int {
		if byCO2e {
			if c := cmp.Compare(b.CO2eKg.Central, a.CO2eKg.Central); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}
