package compute

import (
	"testing"
	"time"

	"labcarbon"
	"labcarbon/factors"
)

// The hourly series of the golden jobs, zone GB (gCO2e/kWh):
//
//	2024-03-09 23:00  300
//	2024-03-10 00:00  100
//	2024-03-10 01:00  120
//	2024-03-10 02:00  170
//	2024-03-10 03:00  (missing)
//	2024-03-10 04:00   50
//
// against an annual GB figure of 100–200–250, whose relative spread
// (×0.5, ×1.25) the hourly figure inherits.
var goldenHour = time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)

func goldenSeries(t testing.TB) *HourlyTable {
	t.Helper()
	s := NewHourlyTable()
	for _, p := range []struct {
		h int
		v float64
	}{{-1, 300}, {0, 100}, {1, 120}, {2, 170}, {4, 50}} {
		if err := s.Add("GB", goldenHour.Add(time.Duration(p.h)*time.Hour), p.v); err != nil {
			t.Fatal(err)
		}
	}
	// Another zone's hours must not leak into GB's.
	if err := s.Add("FR", goldenHour.Add(3*time.Hour), 1); err != nil {
		t.Fatal(err)
	}
	return s
}

const annualGB = "annual 2024 GB (test)"

// goldenAssignment: 10 W per core, 300 W per GPU, 0.5 W per GB, PUE 1.5,
// grid 200 gCO2e/kWh (range 100–250) in GB, nothing known of the node.
func goldenAssignment() labcarbon.Assignment {
	return labcarbon.Assignment{
		CPUWattsPerCore: labcarbon.Point(10),
		GPUWatts:        labcarbon.Point(300),
		MemWattsPerGB:   labcarbon.Point(0.5),
		PUE:             labcarbon.Point(1.5),
		Zone:            "GB",
		CIgPerKWh:       labcarbon.Range{Low: 100, Central: 200, High: 250},
		CISource:        annualGB,
	}
}

// want lists every figure a golden job checks; a figure left out must be
// zero.
type want struct {
	source    labcarbon.EnergySource
	kWh       labcarbon.Range
	kg        labcarbon.Range
	ci        float64
	ciSource  string
	hourly    float64 // CIHourlyShare
	market    labcarbon.Range
	hasMarket bool
	embodied  labcarbon.Range
	nodeShare float64
	memWaste  labcarbon.Range
	idleH     float64
	idleKg    labcarbon.Range
}

// ci200 is the annual GB range applied to an energy range: bound by bound.
func ci200(kWh labcarbon.Range) labcarbon.Range {
	return labcarbon.Range{Low: kWh.Low * 100 / 1000, Central: kWh.Central * 200 / 1000, High: kWh.High * 250 / 1000}
}

// Every want is worked out by hand in the case's comment; ci200 only
// applies the grid range to the energy, bound by bound.
func TestGoldenJobs(t *testing.T) {
	p := labcarbon.Point
	series := goldenSeries(t)
	type tc struct {
		name  string
		u     labcarbon.Usage
		a     func(*labcarbon.Assignment)
		model Model // Hourly is always the golden series
		want  want
	}
	tests := []tc{
		{
			// cpu 6 core-h × 10 W = 60 Wh; mem 2 h × 8 GB × 0.5 W = 8 Wh;
			// 68 Wh × 1.5 = 0.102 kWh; × 100/200/250 g = 10.2/20.4/25.5 g.
			// Idle: 2 h × 4 CPUs − 6 h = 2 core-h; 2 × 10 W × 1.5 × CI
			// = 30 Wh × 100/200/250 g = 3/6/7.5 g. Nothing known of the
			// node: it held 1 node, with no embodied figure.
			name: "CPU-only, idle cores",
			u:    labcarbon.Usage{ElapsedSec: 2 * 3600, CPUs: 4, CPUTimeSec: 6 * 3600, MemReqGB: 8},
			want: want{kWh: p(0.102), kg: labcarbon.Range{Low: 0.0102, Central: 0.0204, High: 0.0255}, ci: 200, ciSource: annualGB,
				nodeShare: 1, idleH: 2, idleKg: labcarbon.Range{Low: 0.003, Central: 0.006, High: 0.0075}},
		},
		{
			// No TotalCPU: 3 h × 2 CPUs = 6 core-h × 10 W = 60 Wh × 1.5
			// = 0.09 kWh; × 100/200/250 = 9/18/22.5 g. Idle cores are
			// unknown, so 0.
			name: "CPU-only, no CPU time recorded",
			u:    labcarbon.Usage{ElapsedSec: 3 * 3600, CPUs: 2},
			want: want{kWh: p(0.09), kg: labcarbon.Range{Low: 0.009, Central: 0.018, High: 0.0225}, ci: 200, ciSource: annualGB, nodeShare: 1},
		},
		{
			// cpu 8 core-h × 10 = 80 Wh; gpu 1 h × 2 × 300 W × 0.5 = 300 Wh;
			// mem 1 h × 64 GB × 0.5 = 32 Wh; 412 Wh × 1.5 = 0.618 kWh;
			// × 100/200/250 = 61.8/123.6/154.5 g. Share max(8/32, 2/4,
			// 64/512) = 0.5 node; embodied 0.1 kg/h × 0.5 × 1 h = 0.05 kg.
			name: "GPU job, embodied by GPU share",
			u: labcarbon.Usage{ElapsedSec: 3600, CPUs: 8, CPUTimeSec: 8 * 3600, GPUs: 2, GPUUtil: 0.5, HasGPUUtil: true,
				MemReqGB: 64, NNodes: 1},
			a: func(a *labcarbon.Assignment) {
				a.NodeCores, a.NodeGPUs, a.NodeMemGB, a.EmbodiedKgPerNodeHour = 32, 4, 512, p(0.1)
			},
			want: want{kWh: p(0.618), kg: labcarbon.Range{Low: 0.0618, Central: 0.1236, High: 0.1545}, ci: 200, ciSource: annualGB,
				nodeShare: 0.5, embodied: p(0.05)},
		},
		{
			// Trusted reading 36 MJ = 10 kWh × 1.5 = 15 kWh; × 100/200/250
			// = 1.5/3/3.75 kg. Memory waste from the model: needed
			// ⌊40.2 / 1⌋ + 1 = 41 GB of 100; 59 GB × 2 h × 0.5 W × 1.5
			// = 88.5 Wh × 100/200/250 = 8.85/17.7/22.125 g. Idle 2 h × 32
			// − 32 = 32 core-h × 10 W × 1.5 = 480 Wh → 48/96/120 g. Share
			// 32/16 = 2 nodes (its 2): embodied 0.05 × 2 × 2 h = 0.2 kg.
			name: "measured energy, multi-node, memory waste and idle cores",
			u: labcarbon.Usage{ElapsedSec: 2 * 3600, NNodes: 2, CPUs: 32, CPUTimeSec: 32 * 3600, EnergyJ: 36e6,
				MemReqGB: 100, MemPeakGB: 40.2, HasMemPeak: true},
			a: func(a *labcarbon.Assignment) {
				a.TrustMeasured, a.NodeCores, a.EmbodiedKgPerNodeHour = true, 16, p(0.05)
			},
			want: want{source: labcarbon.EnergyMeasured, kWh: p(15), kg: labcarbon.Range{Low: 1.5, Central: 3, High: 3.75},
				ci: 200, ciSource: annualGB, nodeShare: 2, embodied: p(0.2),
				memWaste: labcarbon.Range{Low: 0.00885, Central: 0.0177, High: 0.022125},
				idleH:    32, idleKg: labcarbon.Range{Low: 0.048, Central: 0.096, High: 0.12}},
		},
		{
			// 00:00–03:00, 1 core busy: 30 Wh × 1.5 = 0.045 kWh. CI = (100
			// + 120 + 170) / 3 = 130; low 130 × 0.5 = 65, high 130 × 1.25
			// = 162.5; CO2e 0.045 × 65/130/162.5 = 2.925/5.85/7.3125 g.
			name: "hourly CI, full coverage",
			u:    labcarbon.Usage{Start: goldenHour, ElapsedSec: 3 * 3600, CPUs: 1, CPUTimeSec: 3 * 3600},
			want: want{kWh: p(0.045), kg: labcarbon.Range{Low: 0.002925, Central: 0.00585, High: 0.0073125},
				ci: 130, ciSource: "hourly GB (3 of 3 h)", hourly: 1, nodeShare: 1},
		},
		{
			// 02:00–05:00: 170, missing → annual 200, 50: CI = 420 / 3 =
			// 140 (70–175); covered 2 of 3 h. 0.045 kWh × 70/140/175
			// = 3.15/6.3/7.875 g.
			name: "hourly CI, partial coverage with a missing hour",
			u:    labcarbon.Usage{Start: goldenHour.Add(2 * time.Hour), ElapsedSec: 3 * 3600, CPUs: 1, CPUTimeSec: 3 * 3600},
			want: want{kWh: p(0.045), kg: labcarbon.Range{Low: 0.00315, Central: 0.0063, High: 0.007875},
				ci: 140, ciSource: "hourly GB (2 of 3 h), " + annualGB + " otherwise", hourly: 2.0 / 3, nodeShare: 1},
		},
		{
			// 23:30–01:30: 1800 s × 300 + 3600 s × 100 + 1800 s × 120
			// = 1 116 000 / 7200 s = 155 (77.5–193.75). 1 core × 2 h
			// = 20 Wh × 1.5 = 0.03 kWh; × 77.5/155/193.75
			// = 2.325/4.65/5.8125 g. It touched 3 hours, all covered.
			name: "hourly CI, crossing midnight mid-hour",
			u:    labcarbon.Usage{Start: goldenHour.Add(-30 * time.Minute), ElapsedSec: 2 * 3600, CPUs: 1, CPUTimeSec: 2 * 3600},
			want: want{kWh: p(0.03), kg: labcarbon.Range{Low: 0.002325, Central: 0.00465, High: 0.0058125},
				ci: 155, ciSource: "hourly GB (3 of 3 h)", hourly: 1, nodeShare: 1},
		},
		{
			// 03:00–04:00 is the missing hour: no hour covered, the annual
			// figure as without a series: 1 h × 10 W × 1.5 = 0.015 kWh
			// × 100/200/250 = 1.5/3/3.75 g.
			name: "hourly CI, no hour covered",
			u:    labcarbon.Usage{Start: goldenHour.Add(3 * time.Hour), ElapsedSec: 3600, CPUs: 1, CPUTimeSec: 3600},
			want: want{kWh: p(0.015), kg: labcarbon.Range{Low: 0.0015, Central: 0.003, High: 0.00375}, ci: 200, ciSource: annualGB, nodeShare: 1},
		},
		{
			// The site fixes 200 g in the lab config: the series does not
			// apply. 0.045 kWh × 200 = 9 g.
			name: "hourly CI, site intensity fixed by config",
			u:    labcarbon.Usage{Start: goldenHour, ElapsedSec: 3 * 3600, CPUs: 1, CPUTimeSec: 3 * 3600},
			a: func(a *labcarbon.Assignment) {
				a.CIgPerKWh, a.CISource = p(200), "site hydra-dc fixed 200 gCO2e/kWh (lab config)"
			},
			want: want{kWh: p(0.045), kg: p(0.009), ci: 200, ciSource: "site hydra-dc fixed 200 gCO2e/kWh (lab config)", nodeShare: 1},
		},
		{
			// 4 h × 4 CPUs at 100 % = 16 core-h × 10 W = 160 Wh; mem 4 h ×
			// 32 GB × 0.5 = 64 Wh; 224 Wh × 1.5 = 0.336 kWh; × 100/200/250
			// = 33.6/67.2/84 g. Failure changes nothing here: the report
			// counts it as waste. Peak 31.5 GB, granularity 4: needed
			// (7 + 1) × 4 = 32 = requested, no waste.
			name:  "failed job",
			u:     labcarbon.Usage{State: labcarbon.StateFailed, ElapsedSec: 4 * 3600, CPUs: 4, CPUTimeSec: 16 * 3600, MemReqGB: 32, MemPeakGB: 31.5, HasMemPeak: true},
			model: Model{MemGranularityGB: 4},
			want:  want{kWh: p(0.336), kg: labcarbon.Range{Low: 0.0336, Central: 0.0672, High: 0.084}, ci: 200, ciSource: annualGB, nodeShare: 1},
		},
		{
			// Never started: nothing at all, not even a market figure.
			name: "cancelled before it started",
			u:    labcarbon.Usage{State: labcarbon.StateCancelled, CPUs: 64, MemReqGB: 256, GPUs: 4, NNodes: 1},
			a: func(a *labcarbon.Assignment) {
				a.HasMarketCI, a.MarketCIgPerKWh, a.EmbodiedKgPerNodeHour, a.NodeCores = true, 50, p(1), 64
			},
			want: want{ci: 200, ciSource: annualGB},
		},
		{
			// Array task 123_4: 30 min, 1 CPU, 15 min of CPU: 0.25 core-h
			// × 10 W = 2.5 Wh × 1.5 = 3.75 Wh; × 100/200/250 = 0.375/0.75/
			// 0.9375 g. Idle 0.5 − 0.25 = 0.25 core-h × 10 × 1.5 = 3.75 Wh
			// → the same grams.
			name: "array task",
			u:    labcarbon.Usage{JobID: "123_4", ParentID: "123", ElapsedSec: 1800, CPUs: 1, CPUTimeSec: 900},
			want: want{kWh: p(0.00375), kg: labcarbon.Range{Low: 0.000375, Central: 0.00075, High: 0.0009375}, ci: 200, ciSource: annualGB,
				nodeShare: 1, idleH: 0.25, idleKg: labcarbon.Range{Low: 0.000375, Central: 0.00075, High: 0.0009375}},
		},
		{
			// 4 nodes × 64 cores, 10 h at 100 %: 2560 core-h × 10 W = 25.6
			// kWh; mem 10 h × 1024 GB × 0.5 = 5.12 kWh; 30.72 × 1.5 = 46.08
			// kWh; × 100/200/250 = 4.608/9.216/11.52 kg. Share max(256/64,
			// 1024/256) = 4; embodied {0.02, 0.04, 0.1} × 4 × 10 h
			// = {0.8, 1.6, 4} kg.
			name: "multi-node",
			u:    labcarbon.Usage{ElapsedSec: 10 * 3600, NNodes: 4, CPUs: 256, CPUTimeSec: 2560 * 3600, MemReqGB: 1024},
			a: func(a *labcarbon.Assignment) {
				a.NodeCores, a.NodeMemGB = 64, 256
				a.EmbodiedKgPerNodeHour = labcarbon.Range{Low: 0.02, Central: 0.04, High: 0.1}
			},
			want: want{kWh: p(46.08), kg: labcarbon.Range{Low: 4.608, Central: 9.216, High: 11.52}, ci: 200, ciSource: annualGB,
				nodeShare: 4, embodied: labcarbon.Range{Low: 0.8, Central: 1.6, High: 4}},
		},
		{
			// 16 CPUs on a node type of 4 cores, 1 node (inconsistent
			// records happen): share 4 capped at 1. 1 h × 16 core-h × 10
			// W = 160 Wh × 1.5 = 0.24 kWh; × 100/200/250 = 24/48/60 g;
			// embodied 0.1 × 1 × 1 h.
			name: "node share capped at the node count",
			u:    labcarbon.Usage{ElapsedSec: 3600, NNodes: 1, CPUs: 16},
			a: func(a *labcarbon.Assignment) {
				a.NodeCores, a.EmbodiedKgPerNodeHour = 4, p(0.1)
			},
			want: want{kWh: p(0.24), kg: labcarbon.Range{Low: 0.024, Central: 0.048, High: 0.06}, ci: 200, ciSource: annualGB,
				nodeShare: 1, embodied: p(0.1)},
		},
		{
			// Nothing known of the node, 3 nodes: taken whole. 1 h, 3 CPUs
			// at 100 %: 30 Wh × 1.5 = 0.045 kWh → 4.5/9/11.25 g; embodied
			// 0.01 × 3 × 1 h = 0.03 kg.
			name: "embodied, node size unknown",
			u:    labcarbon.Usage{ElapsedSec: 3600, NNodes: 3, CPUs: 3},
			a:    func(a *labcarbon.Assignment) { a.EmbodiedKgPerNodeHour = p(0.01) },
			want: want{kWh: p(0.045), kg: labcarbon.Range{Low: 0.0045, Central: 0.009, High: 0.01125}, ci: 200, ciSource: annualGB,
				nodeShare: 3, embodied: p(0.03)},
		},
		{
			// PUE 1.2–1.5–1.8; 1 h, 10 CPUs at 100 %: 100 Wh → 0.12/0.15/
			// 0.18 kWh; × 100/200/250 = 12/30/45 g; market 50 g: 6/7.5/9 g.
			name: "market-based",
			u:    labcarbon.Usage{ElapsedSec: 3600, CPUs: 10, CPUTimeSec: 10 * 3600},
			a: func(a *labcarbon.Assignment) {
				a.PUE = labcarbon.Range{Low: 1.2, Central: 1.5, High: 1.8}
				a.HasMarketCI, a.MarketCIgPerKWh = true, 50
			},
			want: want{kWh: labcarbon.Range{Low: 0.12, Central: 0.15, High: 0.18}, kg: labcarbon.Range{Low: 0.012, Central: 0.03, High: 0.045},
				ci: 200, ciSource: annualGB, hasMarket: true, market: labcarbon.Range{Low: 0.006, Central: 0.0075, High: 0.009}, nodeShare: 1},
		},
		{
			// A fully renewable contract: market-based 0, and set.
			name: "market-based, renewable contract",
			u:    labcarbon.Usage{ElapsedSec: 3600, CPUs: 10, CPUTimeSec: 10 * 3600},
			a:    func(a *labcarbon.Assignment) { a.HasMarketCI = true },
			want: want{kWh: p(0.15), kg: labcarbon.Range{Low: 0.015, Central: 0.03, High: 0.0375}, ci: 200, ciSource: annualGB,
				hasMarket: true, nodeShare: 1},
		},
		{
			// Green Algorithms' worked example (research notes §1.6): E
			// 0.420096 kWh, C 84.0192 g; needed (⌊12/4⌋ + 1) × 4 = 16 GB;
			// waste (32 − 16) × 4 h × 0.3725 × 1.2 × 200 / 1e6 = 5.7216 g.
			// Idle 4 × 16 − 48 = 16 core-h × 6.3 × 1.2 × 200 = 24.192 g.
			name: "memory waste, GA worked example",
			u:    labcarbon.Usage{ElapsedSec: 4 * 3600, CPUs: 16, CPUTimeSec: 48 * 3600, MemReqGB: 32, MemPeakGB: 12, HasMemPeak: true},
			a: func(a *labcarbon.Assignment) {
				*a = assignment(6.3, 0, 1.2, 200)
				a.CISource = "given"
			},
			model: Model{MemGranularityGB: 4},
			want: want{kWh: p(0.420096), kg: p(0.0840192), ci: 200, ciSource: "given", nodeShare: 1,
				memWaste: p(0.0057216), idleH: 16, idleKg: p(0.024192)},
		},
		{
			// Peak exactly 16 GB, granularity 4: still rounds up, needed
			// 20 GB of 32; waste 12 GB × 1 h × 0.5 W × 1.5 = 9 Wh × 100/200/
			// 250 = 0.9/1.8/2.25 g. E: 10 Wh cpu + 32 × 0.5 = 16 Wh mem
			// = 26 Wh × 1.5 = 0.039 kWh → 3.9/7.8/9.75 g.
			name:  "memory waste, peak on a granularity step",
			u:     labcarbon.Usage{ElapsedSec: 3600, CPUs: 1, CPUTimeSec: 3600, MemReqGB: 32, MemPeakGB: 16, HasMemPeak: true},
			model: Model{MemGranularityGB: 4},
			want: want{kWh: p(0.039), kg: labcarbon.Range{Low: 0.0039, Central: 0.0078, High: 0.00975}, ci: 200, ciSource: annualGB,
				nodeShare: 1, memWaste: labcarbon.Range{Low: 0.0009, Central: 0.0018, High: 0.00225}},
		},
		{
			// Peak above the request (Slurm's RSS can exceed it): no waste.
			// Default granularity 1 GB. E as above: 0.039 kWh.
			name: "memory waste, peak above request",
			u:    labcarbon.Usage{ElapsedSec: 3600, CPUs: 1, CPUTimeSec: 3600, MemReqGB: 32, MemPeakGB: 40, HasMemPeak: true},
			want: want{kWh: p(0.039), kg: labcarbon.Range{Low: 0.0039, Central: 0.0078, High: 0.00975}, ci: 200, ciSource: annualGB, nodeShare: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := goldenAssignment()
			if tt.a != nil {
				tt.a(&a)
			}
			m := tt.model
			m.Hourly = series
			checkResult(t, m.Job(&tt.u, &a), tt.want)
		})
	}
	if len(tests) < 15 {
		t.Errorf("%d golden jobs, want at least 15", len(tests))
	}
}

// TestGoldenYearBoundary resolves a job that ran over new year through the
// real catalog: GB 2023 is 228.25 (point), GB 2024 210.89 (106.68–210.89)
// in factors/data/grid.csv. (The catalog has no 2025 figures yet; the
// factors tests cover 2024–2025 with a catalog that has one.)
func TestGoldenYearBoundary(t *testing.T) {
	cat, err := factors.Load()
	if err != nil {
		t.Fatal(err)
	}
	lab := labcarbon.Lab{
		Name:      "boundary",
		Sites:     []labcarbon.Site{{Name: "dc", Zone: "GB", PUE: 1.5}},
		NodeTypes: []labcarbon.NodeType{{Name: "n", CPUWattsPerCore: 10}},
		Clusters:  []labcarbon.Cluster{{Name: "c", Site: "dc", DefaultNodeType: "n"}},
	}
	res, err := factors.NewResolver(cat, lab)
	if err != nil {
		t.Fatal(err)
	}
	// 2023-12-31 22:00 to 2024-01-01 02:00: 2 h in each year.
	u := labcarbon.Usage{Cluster: "c", Start: time.Date(2023, 12, 31, 22, 0, 0, 0, time.UTC), ElapsedSec: 4 * 3600,
		CPUs: 1, CPUTimeSec: 4 * 3600}
	a := res.Resolve(&u)
	r := Model{}.Job(&u, &a)
	// CI: (228.25 + 210.89) / 2 = 219.57 central and high; low (228.25
	// + 106.68) / 2 = 167.465. E: 4 core-h × 10 W × 1.5 = 0.06 kWh;
	// CO2e 0.06 × 167.465 = 10.0479 g, × 219.57 = 13.1742 g.
	// Embodied: a node type with no sockets or memory: base 1000 (968–
	// 3000) + 1 SSD 100 kg = 1100 (1068–3100) kg over 4 (6–3) years of
	// 8766 h, the node held whole for 4 h: 4400 / 35064, 4272 / 52596,
	// 12400 / 26298 kg.
	checkResult(t, r, want{
		kWh:       labcarbon.Point(0.06),
		kg:        labcarbon.Range{Low: 0.0100479, Central: 0.0131742, High: 0.0131742},
		ci:        219.57,
		ciSource:  "run-time-weighted mean: 50% annual 2023 GB (Ember via OWID, CC BY 4.0) + 50% annual 2024 GB (Ember via OWID, CC BY 4.0)",
		nodeShare: 1,
		embodied:  labcarbon.Range{Low: 4272.0 / 52596, Central: 4400.0 / 35064, High: 12400.0 / 26298},
		idleH:     0,
	})
}

func checkResult(t *testing.T, r labcarbon.Result, w want) {
	t.Helper()
	if w.source == "" {
		w.source = labcarbon.EnergyModelled
	}
	if r.EnergySource != w.source {
		t.Errorf("energy source = %s, want %s", r.EnergySource, w.source)
	}
	for _, c := range []struct {
		name      string
		got, want labcarbon.Range
	}{
		{"energy kWh", r.EnergyKWh, w.kWh},
		{"CO2e kg", r.CO2eKg, w.kg},
		{"market CO2e kg", r.MarketCO2eKg, w.market},
		{"embodied kg", r.EmbodiedCO2eKg, w.embodied},
		{"memory waste kg", r.MemWasteCO2eKg, w.memWaste},
		{"idle-core kg", r.IdleCoreCO2eKg, w.idleKg},
	} {
		if !nearRange(c.got, c.want) {
			t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"CI g/kWh", r.CIgPerKWh, w.ci},
		{"hourly share", r.CIHourlyShare, w.hourly},
		{"node share", r.NodeShare, w.nodeShare},
		{"idle core-h", r.IdleCoreHours, w.idleH},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %.12g, want %.12g", c.name, c.got, c.want)
		}
	}
	if r.CISource != w.ciSource {
		t.Errorf("CI source = %q, want %q", r.CISource, w.ciSource)
	}
	if r.HasMarket != w.hasMarket {
		t.Errorf("HasMarket = %v, want %v", r.HasMarket, w.hasMarket)
	}
}

func nearRange(a, b labcarbon.Range) bool {
	return near(a.Low, b.Low) && near(a.Central, b.Central) && near(a.High, b.High)
}
