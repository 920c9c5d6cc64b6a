// Package reporttest builds a realistic report.Data for the renderers'
// tests: names with diacritics, a formula-like job name, a period's worth of
// deterministic jobs, aggregated here independently of report.Build so the
// renderers are checked against figures they did not compute.
package reporttest

import (
	"cmp"
	"fmt"
	"math"
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
	energy := spread(kWh)
	source := labcarbon.EnergyModelled
	if pick(5) == 0 {
		source = labcarbon.EnergyMeasured
	}
	cluster := []string{"hydra", "vega"}[pick(2)]

	// The engine's further figures, made up by the same simple rules so
	// the tests can recompute any of them by hand.
	ciSource, hourly := "annual average, CZ 2025", 0.0
	if i%3 == 0 {
		ciSource, hourly = "hourly CZ (12 of 24 h), annual average, CZ 2025 otherwise", 0.5
	}
	var market labcarbon.Range
	if cluster == "hydra" { // hydra's site buys a supplier mix of 100 g/kWh
		market = energy.Scale(MarketCI / 1000)
	}
	share := math.Max(float64(cpus)/NodeCores, float64(gpus)/NodeGPUs)
	var memWaste labcarbon.Range
	if i%4 != 0 { // the jobs with a peak: it is 0.4 × the request
		needed := math.Min(memReq, math.Floor(memReq*0.4)+1) // 1 GB steps
		memWaste = spread(pue * ci * 0.3725 * (memReq - needed) * hours / 1e6)
	}
	idle := hours * float64(cpus) * (1 - eff)

	return labcarbon.Job{
		Usage: labcarbon.Usage{
			Source: labcarbon.SourceSacct, SourceFile: "sacct-2026q3.txt", SourceLine: 2 + i,
			Cluster: cluster, JobID: fmt.Sprint(100000 + i), JobIDRaw: fmt.Sprint(100000 + i),
			Name: name, User: fixtureUsers[pick(len(fixtureUsers))], Group: "lab",
			Account: fixtureGroups[pick(len(fixtureGroups))], Partition: partition, State: state,
			Submit: start.Add(-time.Minute), Start: start, End: start.Add(time.Duration(elapsed) * time.Second),
			ElapsedSec: elapsed, CPUs: cpus, CPUTimeSec: float64(elapsed) * float64(cpus) * eff,
			MemReqGB: memReq, MemPeakGB: memReq * 0.4, HasMemPeak: i%4 != 0, GPUs: gpus,
		},
		Assignment: labcarbon.Assignment{
			NodeType: partition + "-node", CISource: "annual average, CZ 2025",
			EmbodiedKgPerNodeHour: EmbodiedPerNodeHour, EmbodiedSource: EmbodiedSource,
			MarketCIgPerKWh: MarketCI, HasMarketCI: cluster == "hydra",
		},
		Result: labcarbon.Result{
			EnergySource: source, EnergyKWh: energy, CO2eKg: energy.Scale(ci / 1000),
			PUE: pue, CIgPerKWh: ci, CISource: ciSource, CIHourlyShare: hourly, CPUEfficiency: eff, Cost: kWh * 0.21,
			MarketCO2eKg: market, HasMarket: cluster == "hydra",
			EmbodiedCO2eKg: EmbodiedPerNodeHour.Scale(share * hours), NodeShare: share,
			MemWasteCO2eKg: memWaste,
			IdleCoreHours:  idle, IdleCoreCO2eKg: spread(pue * ci * 10 * idle / 1e6),
		},
	}
}

// The fixture's hardware and market factor: nodes of 64 cores and 4 GPUs
// whose manufacture costs 0.03 kgCO2e per node-hour of life (0.02–0.045),
// and hydra's site with a market-based factor of 100 g/kWh.
const (
	NodeCores      = 64
	NodeGPUs       = 4
	MarketCI       = 100.0
	EmbodiedSource = "CCF/Teads server 1,200 kg + 1 SSD 100 kg (assumed), over 4 y"
)

// EmbodiedPerNodeHour is the fixture's embodied factor.
var EmbodiedPerNodeHour = labcarbon.Range{Low: 0.02, Central: 0.03, High: 0.045}

// spread is a central figure with the fixture's low–high spread.
func spread(c float64) labcarbon.Range {
	return labcarbon.Range{Low: c * 0.8, Central: c, High: c * 1.3}
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
	clusters, nodes := map[string]*report.Row{}, map[string]*report.Row{}
	var marketKWh, hourlyKWh float64
	for w := p.From; w.Before(p.To); w = w.AddDate(0, 0, 7) {
		weeks[w.Format(time.DateOnly)] = &report.Row{Key: w.Format(time.DateOnly)}
	}
	for i := range n {
		j := Job(p, i)
		week := p.From.AddDate(0, 0, 7*int(j.Start.Sub(p.From).Hours()/24/7)).Format(time.DateOnly)
		for _, r := range []*report.Row{
			rowOf(groups, j.Account), rowOf(users, j.User), rowOf(parts, j.Partition),
			rowOf(states, string(j.State)), weeks[week],
			rowOf(clusters, j.Cluster), rowOf(nodes, j.Assignment.NodeType),
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
		r := &j.Result
		t.EmbodiedCO2eKg = t.EmbodiedCO2eKg.Add(r.EmbodiedCO2eKg)
		if r.HasMarket {
			t.MarketCO2eKg = t.MarketCO2eKg.Add(r.MarketCO2eKg)
			marketKWh += r.EnergyKWh.Central
		} else {
			t.MarketCO2eKg = t.MarketCO2eKg.Add(r.CO2eKg)
		}
		hourlyKWh += r.CIHourlyShare * r.EnergyKWh.Central
		t.MemWasteCO2eKg += r.MemWasteCO2eKg.Central
		t.IdleCoreHours += r.IdleCoreHours
		t.IdleCoreCO2eKg += r.IdleCoreCO2eKg.Central
	}
	if e := d.Totals.EnergyKWh.Central; e > 0 {
		d.Totals.MarketShare, d.Totals.HourlyShare = marketKWh/e, hourlyKWh/e
	}
	d.ByGroup = rows(groups, d.Totals, true)
	d.ByUser = rows(users, d.Totals, true)
	d.ByPartition = rows(parts, d.Totals, true)
	d.ByState = rows(states, d.Totals, true)
	d.ByCluster = rows(clusters, d.Totals, true)
	d.ByNodeType = rows(nodes, d.Totals, true)
	for i := range d.ByGroup {
		d.ByGroup[i].PI = groupPIs[d.ByGroup[i].Key]
	}
	for _, e := range equivalents {
		d.Equivalents = append(d.Equivalents, report.EquivalentCount{Equivalent: e, Count: d.Totals.CO2eKg.Central * 1000 / e.GramsPerUnit})
	}
	d.EmbodiedSources = []string{EmbodiedSource}
	d.OverTime = rows(weeks, d.Totals, false)
	d.Bucket = report.Week
	d.Factors = []report.Factor{
		{Name: "CPU watts per core, node type cpu-node", Value: "10.0 W (8.0–12.0)", Source: "Green Algorithms TDP table, 2024, CC BY 4.0", Jobs: n / 2},
		{Name: "GPU watts, NVIDIA A100 SXM4 40 GB", Value: "300 W (250–400)", Source: "NVIDIA A100 datasheet, 2021; idle and peak from Green Algorithms", Jobs: n / 4},
		{Name: "Memory watts per GB", Value: "0.3725 W (0.3–0.45)", Source: "Green Algorithms, 2021", Jobs: n},
		{Name: "PUE, site Praha-Dejvice", Value: "1.40 (1.30–1.60)", Source: "lab config, facilities estimate 2025", Jobs: n},
		{Name: "Grid intensity, CZ", Value: "250 g/kWh (200–300)", Source: "Ember annual average 2025, location-based", Jobs: n},
		{Name: "Embodied emissions, node type cpu-node", Value: "0.03 kgCO2e per node-hour (0.02–0.045)", Source: EmbodiedSource, Jobs: n / 2},
		{Name: "Market-based intensity, site hydra-dc", Value: "100 gCO2e/kWh", Source: "lab configuration", Jobs: n / 2},
	}
	for i := range 57 {
		d.Exclusions = append(d.Exclusions, report.Exclusion{
			File: "sacct-2026q3.txt", Line: 1000 + i, Field: "Elapsed", Reason: fmt.Sprintf("unparseable duration %q", "1-xx:00"),
		})
	}
	d.Exclusions[1].Reason = "+cmd|' /C calc'!A0 is not a duration"
	return d
}

// groupPIs are the PIs of some of the fixture's groups; the others have
// none, as a lab's config may leave them out.
var groupPIs = map[string]string{"genomics-łódź": "Jiří Novák", "ml-vision": "Zoë Dubois"}

// equivalents are a few of the catalog's equivalents, as the pipeline
// passes them, in catalog order.
var equivalents = []report.Equivalent{
	{Key: "tree_month", Name: "tree-months of CO2 uptake", GramsPerUnit: 917, Source: "Green Algorithms referenceValues"},
	{Key: "car_km", Name: "km by car (EU average)", GramsPerUnit: 175, Source: "Green Algorithms referenceValues (UK GHG conversion factors 2019)"},
	{Key: "flight_paris_london", Name: "flights Paris-London (one passenger)", GramsPerUnit: 50000, Source: "Green Algorithms referenceValues (carbonfootprint.com calculator)"},
	{Key: "flight_nyc_sf", Name: "flights New York-San Francisco (one passenger)", GramsPerUnit: 570000, Source: "Green Algorithms referenceValues (carbonfootprint.com calculator)"},
	{Key: "flight_nyc_melbourne", Name: "flights New York-Melbourne (one passenger)", GramsPerUnit: 2310000, Source: "Green Algorithms referenceValues (carbonfootprint.com calculator)"},
	{Key: "netflix_hour", Name: "hours of video streaming", GramsPerUnit: 55, Source: "Green Algorithms context v3.1 (Carbon Trust)"},
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
	r.EmbodiedCO2eKg += j.Result.EmbodiedCO2eKg.Central
	r.MemWasteCO2eKg += j.Result.MemWasteCO2eKg.Central
	r.IdleCoreCO2eKg += j.Result.IdleCoreCO2eKg.Central
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
