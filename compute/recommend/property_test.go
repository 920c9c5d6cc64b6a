package recommend

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

func randRange(rng *rand.Rand, lo, hi float64) labcarbon.Range {
	c := lo + rng.Float64()*(hi-lo)
	return labcarbon.Range{Low: c * rng.Float64(), Central: c, High: c * (1 + rng.Float64())}
}

func randAssign(rng *rand.Rand) labcarbon.Assignment {
	a := labcarbon.Assignment{
		CPUWattsPerCore:       randRange(rng, 1, 20),
		GPUWatts:              randRange(rng, 50, 700),
		MemWattsPerGB:         randRange(rng, 0.05, 0.5),
		PUE:                   randRange(rng, 1, 2),
		Zone:                  []string{"XX", "YY", ""}[rng.IntN(3)],
		CIgPerKWh:             randRange(rng, 0, 900),
		CISource:              "annual",
		EmbodiedKgPerNodeHour: randRange(rng, 0, 0.3),
		TrustMeasured:         rng.IntN(3) == 0,
	}
	if rng.IntN(3) > 0 {
		a.NodeCores, a.NodeGPUs, a.NodeMemGB = rng.IntN(129), rng.IntN(9), float64(rng.IntN(1025))
	}
	if rng.IntN(10) == 0 {
		a.CISource = "site x fixed 300 gCO2e/kWh (lab config)"
	}
	return a
}

// randPeriod draws a week of jobs of 8 researchers in 3 groups, with
// every rule's situations and some hostile values, computed by the model.
func randPeriod(rng *rand.Rand, m compute.Model, pool []labcarbon.Assignment, nJobs int) []*labcarbon.Job {
	states := []labcarbon.State{labcarbon.StateCompleted, labcarbon.StateCompleted, labcarbon.StateCompleted,
		labcarbon.StateFailed, labcarbon.StateOutOfMemory, labcarbon.StateTimeout, labcarbon.StateCancelled, labcarbon.StateNodeFail}
	jobs := make([]*labcarbon.Job, 0, nJobs)
	for i := range nJobs {
		u := labcarbon.Usage{
			Cluster: "c1", JobID: fmt.Sprint(i), JobIDRaw: fmt.Sprint(i),
			Name: fmt.Sprint("step", rng.IntN(5)), User: fmt.Sprint("u", rng.IntN(8)),
			Account: fmt.Sprint("g", rng.IntN(3)), Partition: []string{"a", "b"}[rng.IntN(2)],
			State:  states[rng.IntN(len(states))],
			Submit: t0.Add(time.Duration(rng.Int64N(6*24*3600)) * time.Second),
			NNodes: rng.IntN(3), CPUs: rng.IntN(65),
			MemReqGB: rng.Float64() * 512,
			GPUs:     rng.IntN(5) * rng.IntN(2),
		}
		u.Start = u.Submit.Add(time.Duration(rng.Int64N(5*3600)) * time.Second)
		u.ElapsedSec = rng.Int64N(30 * 3600)
		switch rng.IntN(30) {
		case 0:
			u.ElapsedSec = 0
		case 1:
			u.ElapsedSec = math.MaxInt64 / 2 // hostile
		}
		u.End = u.Start.Add(time.Duration(min(u.ElapsedSec, 1<<40)) * time.Second)
		if rng.IntN(4) > 0 {
			u.CPUTimeSec = rng.Float64() * 1.1 * float64(u.ElapsedSec) * float64(u.CPUs)
		}
		if rng.IntN(4) > 0 {
			u.HasMemPeak, u.MemPeakGB = true, rng.Float64()*1.2*u.MemReqGB
		}
		if u.GPUs > 0 && rng.IntN(3) > 0 {
			u.HasGPUUtil = true
			u.GPUUtil = []float64{0, rng.Float64() * 0.3, rng.Float64()}[rng.IntN(3)]
		}
		if rng.IntN(3) == 0 {
			u.JobID, u.ParentID = fmt.Sprintf("%d_%d", 9000+rng.IntN(4), i), fmt.Sprint(9000+rng.IntN(4))
		}
		if rng.IntN(4) == 0 {
			u.EnergyJ = rng.Float64() * 1e8
		}
		switch rng.IntN(40) { // values no sane input has
		case 0:
			u.MemPeakGB = math.NaN()
		case 1:
			u.MemReqGB = math.Inf(1)
		case 2:
			u.GPUUtil = math.NaN()
		case 3:
			u.CPUTimeSec = -5
		case 4:
			u.CPUs = -3
		}
		jobs = append(jobs, mkJob(m, u, pool[rng.IntN(len(pool))]))
	}
	return jobs
}

func randHourly(rng *rand.Rand) *compute.HourlyTable {
	t := compute.NewHourlyTable()
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for h := range 9 * 24 {
		if rng.IntN(10) == 0 {
			continue // a gap
		}
		if err := t.Add("XX", day.Add(time.Duration(h)*time.Hour), rng.Float64()*600); err != nil {
			panic(err)
		}
	}
	return t
}

// Savings are never negative or NaN, never above the emissions of the
// jobs they come from, and the lab's never above the period's; the roll-
// ups add up; the result does not depend on the order jobs come in.
func TestSavingsProperties(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			m := compute.Model{PricePerKWh: rng.Float64(), MemGranularityGB: float64(rng.IntN(5)), Hourly: randHourly(rng)}
			pool := []labcarbon.Assignment{randAssign(rng), randAssign(rng), randAssign(rng), randAssign(rng)}
			resolve := func(u *labcarbon.Usage) labcarbon.Assignment {
				if u.Partition == "b" {
					return pool[1]
				}
				return pool[0]
			}
			th := DefaultThresholds()
			th.MinJobs, th.MinSavingCO2eKg, th.MinSavingKWh, th.FailMinRuns = 1, 0, 0, 2
			th.ShiftWindowDays = []int{1, 7, 3}[rng.IntN(3)]
			opts := Options{Alternatives: map[string]string{"c1/a": "b"}, LabTop: 20}
			jobs := randPeriod(rng, m, pool, 600)

			e := New(m, resolve, th, opts)
			for _, j := range jobs {
				e.Add(j)
			}
			recs := e.Recommendations()
			if len(recs) == 0 {
				t.Fatal("no recommendations at all: the generator is too tame")
			}
			tot := e.Totals()
			var lab amount
			users := make(map[Rule]float64)
			seenRules := make(map[Rule]bool)
			for _, r := range recs {
				seenRules[r.Rule] = true
				checkRec(t, r)
				switch r.Scope {
				case ScopeLab:
					lab.co2 = lab.co2.Add(r.SavingCO2eKg)
					lab.kwh = lab.kwh.Add(r.SavingKWh)
					lab.cost += r.SavingCost
				case ScopeUser:
					users[r.Rule] += r.SavingCO2eKg.Central
				}
			}
			if !within(lab.co2, tot.CO2eKg) || !within(lab.kwh, tot.KWh) || lab.cost > tot.Cost*(1+1e-9) {
				t.Errorf("lab savings %v kg %v kWh %g above the period's %v kg %v kWh %g", lab.co2, lab.kwh, lab.cost, tot.CO2eKg, tot.KWh, tot.Cost)
			}
			for _, r := range Filter(recs, ScopeLab, "") {
				if !approx(users[r.Rule], r.SavingCO2eKg.Central) {
					t.Errorf("%s: researchers' savings add to %g, the lab's is %g", r.Rule, users[r.Rule], r.SavingCO2eKg.Central)
				}
			}
			if seed == 0 {
				t.Logf("rules seen: %v", seenRules)
			}

			// Any order of the same jobs gives the same recommendations.
			rng.Shuffle(len(jobs), func(i, k int) { jobs[i], jobs[k] = jobs[k], jobs[i] })
			e2 := New(m, resolve, th, opts)
			for _, j := range jobs {
				e2.Add(j)
			}
			recs2 := e2.Recommendations()
			if len(recs2) != len(recs) {
				t.Fatalf("%d recommendations, then %d in another order", len(recs), len(recs2))
			}
			byID := make(map[string]Recommendation)
			for _, r := range recs2 {
				byID[r.ID] = r
			}
			for _, r := range recs {
				o, ok := byID[r.ID]
				if !ok || o.Jobs != r.Jobs || math.Abs(o.SavingCO2eKg.Central-r.SavingCO2eKg.Central) > 1e-9*math.Max(1, r.SavingCO2eKg.Central) {
					t.Errorf("%s %s %s: %+v, in another order %+v", r.Rule, r.Scope, r.Subject, r.SavingCO2eKg, o.SavingCO2eKg)
				}
			}
		})
	}
}

// The rules all fire somewhere in the random periods, so the property
// test covers them.
func TestSavingsPropertiesCoverRules(t *testing.T) {
	seen := make(map[Rule]bool)
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 42))
		m := compute.Model{PricePerKWh: rng.Float64(), MemGranularityGB: float64(rng.IntN(5)), Hourly: randHourly(rng)}
		pool := []labcarbon.Assignment{randAssign(rng), randAssign(rng), randAssign(rng), randAssign(rng)}
		resolve := func(u *labcarbon.Usage) labcarbon.Assignment { return pool[len(u.Partition)%2] }
		th := DefaultThresholds()
		th.MinJobs, th.MinSavingCO2eKg, th.MinSavingKWh, th.FailMinRuns = 1, 0, 0, 2
		e := New(m, resolve, th, Options{Alternatives: map[string]string{"c1/a": "b"}})
		for _, j := range randPeriod(rng, m, pool, 600) {
			e.Add(j)
		}
		for _, r := range e.Recommendations() {
			seen[r.Rule] = true
		}
	}
	for _, r := range []Rule{RuleMemory, RuleCPU, RuleGPUIdle, RuleGPUUnderuse, RuleFailing, RuleTimeShift, RulePartition} {
		if !seen[r] {
			t.Errorf("%s never fired", r)
		}
	}
}

func checkRec(t *testing.T, r Recommendation) {
	t.Helper()
	for _, v := range []float64{r.SavingKWh.Low, r.SavingKWh.Central, r.SavingKWh.High,
		r.SavingCO2eKg.Low, r.SavingCO2eKg.Central, r.SavingCO2eKg.High, r.SavingCost,
		r.OperationalCO2eKg, r.EmbodiedCO2eKg, r.CO2eKg.Low, r.CO2eKg.Central, r.CO2eKg.High} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%s %s %s: not a number in %+v", r.Rule, r.Scope, r.Subject, r)
		}
	}
	s := r.SavingCO2eKg
	if s.Low < 0 || s.Central < 0 || s.High < 0 || r.SavingKWh.Low < 0 || r.SavingCost < 0 {
		t.Errorf("%s %s %s: negative saving %v %v %g", r.Rule, r.Scope, r.Subject, s, r.SavingKWh, r.SavingCost)
	}
	if !(s.Low <= s.Central+1e-12 && s.Central <= s.High+1e-12) {
		t.Errorf("%s %s %s: unordered %v", r.Rule, r.Scope, r.Subject, s)
	}
	if !within(s, r.CO2eKg) {
		t.Errorf("%s %s %s: saving %v above its jobs' %v", r.Rule, r.Scope, r.Subject, s, r.CO2eKg)
	}
	if !approx(r.OperationalCO2eKg+r.EmbodiedCO2eKg, s.Central) {
		t.Errorf("%s %s %s: split %g + %g ≠ %g", r.Rule, r.Scope, r.Subject, r.OperationalCO2eKg, r.EmbodiedCO2eKg, s.Central)
	}
	if r.Jobs <= 0 || len(r.Examples) == 0 || len(r.Examples) > 3 {
		t.Errorf("%s %s %s: %d jobs, %d examples", r.Rule, r.Scope, r.Subject, r.Jobs, len(r.Examples))
	}
	if !slices.IsSortedFunc(r.Examples, func(a, b Example) int { return exampleBefore(&a, &b) }) {
		t.Errorf("%s %s %s: examples out of order", r.Rule, r.Scope, r.Subject)
	}
}

// within reports a ≤ b bound by bound, up to rounding.
func within(a, b labcarbon.Range) bool {
	le := func(x, y float64) bool { return x <= y+1e-9*math.Max(1e-9, math.Abs(y)) }
	return le(a.Low, b.Low) && le(a.Central, b.Central) && le(a.High, b.High)
}

// Odd thresholds and a half-hour time zone neither panic nor break the
// properties.
func TestOddThresholds(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	m := compute.Model{PricePerKWh: 0.2, MemGranularityGB: math.NaN(), Hourly: randHourly(rng)}
	pool := []labcarbon.Assignment{randAssign(rng), randAssign(rng)}
	jobs := randPeriod(rng, m, pool, 400)
	for _, th := range []Thresholds{
		{MemEfficiencyBelow: math.NaN(), CPUEfficiencyBelow: math.Inf(1), GPUUtilBelow: -1, GPUIdleAtMost: 2,
			MemHeadroom: -5, CPUHeadroom: math.NaN(), FailMinRuns: -1, ShiftWindowDays: 1 << 30, FlexibleWaitSec: math.MaxInt64},
		{MemEfficiencyBelow: 1, CPUEfficiencyBelow: 1, GPUUtilBelow: 1, MinJobs: -3, MinSavingCO2eKg: math.NaN(),
			MinRuntimeSec: -1, ShiftWindowDays: 7, FlexibleWaitSec: -1, FailStates: []labcarbon.State{labcarbon.StateCancelled}},
	} {
		e := New(m, func(u *labcarbon.Usage) labcarbon.Assignment { return pool[1] }, th,
			Options{Alternatives: map[string]string{"c1/a": "c2/x"}, Location: time.FixedZone("IST", 5*3600+1800), LabTop: 20})
		for _, j := range jobs {
			e.Add(j)
		}
		var lab labcarbon.Range
		for _, r := range e.Recommendations() {
			checkRec(t, r)
			if r.Scope == ScopeLab {
				lab = lab.Add(r.SavingCO2eKg)
			}
		}
		if !within(lab, e.Totals().CO2eKg) {
			t.Errorf("lab %v above the period's %v", lab, e.Totals().CO2eKg)
		}
	}
}
