package recommend

import (
	"fmt"
	"math"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

// The factors of the hand-computed cases, chosen for easy arithmetic:
// 10 W per core, 300 W per GPU, 0.5 W per GB, PUE 1.5, 200 gCO2e/kWh,
// 0.05 kgCO2e per node-hour embodied, nodes of 32 cores, 4 GPUs and
// 128 GB. Energy costs 0.3 per kWh.
const (
	wCore   = 10.0
	wGPU    = 300.0
	wGB     = 0.5
	pue     = 1.5
	ci      = 200.0
	embNode = 0.05
	price   = 0.3
)

func testAssign() labcarbon.Assignment {
	return labcarbon.Assignment{
		NodeType:              "std",
		CPUWattsPerCore:       labcarbon.Point(wCore),
		GPUWatts:              labcarbon.Point(wGPU),
		MemWattsPerGB:         labcarbon.Point(wGB),
		PUE:                   labcarbon.Point(pue),
		Zone:                  "XX",
		CIgPerKWh:             labcarbon.Point(ci),
		CISource:              "test annual",
		NodeCores:             32,
		NodeGPUs:              4,
		NodeMemGB:             128,
		EmbodiedKgPerNodeHour: labcarbon.Point(embNode),
	}
}

func testModel() compute.Model { return compute.Model{PricePerKWh: price, MemGranularityGB: 1} }

// t0 is a Monday 10:00 UTC.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// usage is an efficient job that no rule should touch: 4 h on 8 cores at
// 90 % CPU efficiency, 16 GB requested and 14 GB used, no GPUs, started
// as soon as submitted.
func usage(i int) labcarbon.Usage {
	return labcarbon.Usage{
		Cluster: "c1", JobID: fmt.Sprint(1000 + i), JobIDRaw: fmt.Sprint(1000 + i),
		Name: "work", User: "alice", Account: "genomics", Partition: "cpu",
		State:  labcarbon.StateCompleted,
		Submit: t0.Add(time.Duration(i) * time.Hour), Start: t0.Add(time.Duration(i) * time.Hour),
		End:        t0.Add(time.Duration(i)*time.Hour + 4*time.Hour),
		ElapsedSec: 4 * 3600, NNodes: 1, CPUs: 8, CPUTimeSec: 0.9 * 8 * 4 * 3600,
		MemReqGB: 16, MemPeakGB: 14, HasMemPeak: true,
	}
}

// mkJob attaches a and the model's result to u, as the pipeline does.
func mkJob(m compute.Model, u labcarbon.Usage, a labcarbon.Assignment) *labcarbon.Job {
	j := &labcarbon.Job{Usage: u, Assignment: a}
	j.Result = m.Job(&j.Usage, &j.Assignment)
	return j
}

// testThresholds are the defaults with the worth-reading minimums
// lowered to suit a handful of jobs.
func testThresholds() Thresholds {
	th := DefaultThresholds()
	th.MinJobs = 3
	th.MinSavingCO2eKg = 0.01
	th.MinSavingKWh = 0
	return th
}

func approx(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func approxRange(got, want labcarbon.Range) bool {
	return approx(got.Low, want.Low) && approx(got.Central, want.Central) && approx(got.High, want.High)
}

// one returns the only recommendation of rule at scope for subject, or
// fails the test.
func one(t *testing.T, recs []Recommendation, rule Rule, scope Scope, subject string) Recommendation {
	t.Helper()
	var found []Recommendation
	for _, r := range Filter(recs, scope, subject) {
		if r.Rule == rule {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s %s %q: %d recommendations, want 1; all: %s", rule, scope, subject, len(found), summary(recs))
	}
	return found[0]
}

func summary(recs []Recommendation) string {
	s := ""
	for _, r := range recs {
		s += fmt.Sprintf("\n  %s %s %q jobs=%d kg=%v kwh=%v", r.Rule, r.Scope, r.Subject, r.Jobs, r.SavingCO2eKg, r.SavingKWh)
	}
	return s
}
