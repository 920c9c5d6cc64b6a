package recommend

import (
	"fmt"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

// ruleCase is one generated period: the jobs, the engine's settings and
// what one rule must (or must not) recommend to alice, with the saving
// computed by hand in the case's comment.
type ruleCase struct {
	name  string
	jobs  func(m compute.Model) []*labcarbon.Job
	model func() compute.Model // nil: testModel
	th    func(*Thresholds)    // nil: testThresholds
	opts  Options
	rule  Rule
	// fire: the rule recommends to alice exactly this; else it must make
	// no recommendation at any scope.
	fire                   bool
	jobsN                  int
	kwh, kg, cost, op, emb float64
	figures                map[string]float64
	check                  func(t *testing.T, r Recommendation)
	resolve                func(*labcarbon.Usage) labcarbon.Assignment
}

// n makes k jobs from usage(i) changed by f, with testAssign's factors.
func n(k int, f func(i int, u *labcarbon.Usage)) func(m compute.Model) []*labcarbon.Job {
	return func(m compute.Model) []*labcarbon.Job {
		var out []*labcarbon.Job
		for i := range k {
			u := usage(i)
			f(i, &u)
			out = append(out, mkJob(m, u, testAssign()))
		}
		return out
	}
}

func overRequest(_ int, u *labcarbon.Usage) { u.MemReqGB, u.MemPeakGB = 64, 10 }

func idleCores(_ int, u *labcarbon.Usage) {
	u.CPUs, u.CPUTimeSec = 32, 4*4*3600 // 4 busy cores of 32: efficiency 0.125
}

func idleGPU(_ int, u *labcarbon.Usage) {
	u.ElapsedSec, u.CPUTimeSec, u.MemReqGB, u.MemPeakGB = 2*3600, 8*2*3600, 32, 30
	u.GPUs, u.GPUUtil, u.HasGPUUtil = 2, 0, true
}

func underusedGPU(_ int, u *labcarbon.Usage) {
	idleGPU(0, u)
	u.GPUs, u.GPUUtil = 4, 0.1
}

// failing makes bob's pipeline "align" fail: run i of 4 is submitted on
// day i and runs hours[i] hours on 4 busy cores with 8 GB.
func failing(state labcarbon.State, runs int) func(m compute.Model) []*labcarbon.Job {
	hours := []int64{4, 1, 2, 3, 5, 6}
	return func(m compute.Model) []*labcarbon.Job {
		var out []*labcarbon.Job
		for i := range runs {
			u := usage(i)
			u.User, u.Name, u.State = "alice", "align", state
			u.Submit = t0.AddDate(0, 0, i)
			u.Start = u.Submit.Add(time.Minute)
			u.ElapsedSec = hours[i] * 3600
			u.CPUs, u.CPUTimeSec, u.MemReqGB, u.MemPeakGB = 4, float64(4*hours[i]*3600), 8, 7.5
			out = append(out, mkJob(m, u, testAssign()))
		}
		// Added latest first: the earliest must be found whatever the order.
		for i, k := 0, len(out)-1; i < k; i, k = i+1, k-1 {
			out[i], out[k] = out[k], out[i]
		}
		return out
	}
}

// shiftable makes array tasks of 2 h on 4 busy cores with 8 GB, started
// at 14:00 on t0's day.
func shiftable(array bool) func(m compute.Model) []*labcarbon.Job {
	return n(5, func(i int, u *labcarbon.Usage) {
		u.Submit = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
		u.Start, u.End = u.Submit, u.Submit.Add(2*time.Hour)
		u.ElapsedSec, u.CPUs, u.CPUTimeSec, u.MemReqGB, u.MemPeakGB = 2*3600, 4, 4*2*3600, 8, 7.5
		if array {
			u.JobID, u.ParentID = fmt.Sprintf("500_%d", i), "500"
		}
	})
}

// hourlyModel has a series for zone XX on t0's day: 300 gCO2e/kWh but
// 100 at 02:00 and 03:00.
func hourlyModel() compute.Model {
	t := compute.NewHourlyTable()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for h := range 24 {
		v := 300.0
		if h == 2 || h == 3 {
			v = 100
		}
		if err := t.Add("XX", day.Add(time.Duration(h)*time.Hour), v); err != nil {
			panic(err)
		}
	}
	m := testModel()
	m.Hourly = t
	return m
}

// partitionResolve gives partition "new" cores of newWatts W and every
// other partition testAssign's.
func partitionResolve(newWatts float64) func(*labcarbon.Usage) labcarbon.Assignment {
	return func(u *labcarbon.Usage) labcarbon.Assignment {
		a := testAssign()
		if u.Partition == "new" {
			a.NodeType, a.CPUWattsPerCore = "new", labcarbon.Point(newWatts)
		}
		return a
	}
}

func onOld(_ int, u *labcarbon.Usage) {
	u.Partition, u.ElapsedSec, u.CPUs, u.CPUTimeSec, u.MemReqGB, u.MemPeakGB = "old", 2*3600, 4, 4*2*3600, 8, 7.5
}

func TestRules(t *testing.T) {
	cases := []ruleCase{
		{
			// Per job: the suggested request is (⌊10 × 1.2 ÷ 1⌋ + 1) × 1 =
			// 13 GB instead of 64: 51 GB × 4 h × 0.5 W = 0.102 kWh × PUE 1.5
			// = 0.153 kWh, × 200 g = 0.0306 kg operational. The node share
			// falls from max(8/32, 64/128) = 0.5 to max(8/32, 13/128) =
			// 0.25: 0.25 × 4 h × 0.05 = 0.05 kg embodied. Five jobs: 0.765
			// kWh, 0.153 + 0.25 = 0.403 kg, 0.765 × 0.3 = 0.2295.
			name: "memory over-request fires", jobs: n(5, overRequest), rule: RuleMemory, fire: true,
			jobsN: 5, kwh: 0.765, kg: 0.403, cost: 0.2295, op: 0.153, emb: 0.25,
			figures: map[string]float64{"max_request_gb": 64, "max_peak_gb": 10, "suggested_mem_gb": 13,
				"median_mem_efficiency": 0.155, // 10/64 = 0.156 falls in the 15 % bin
				"requested_gb_hours":    5 * 64 * 4, "suggested_gb_hours": 5 * 13 * 4},
			check: func(t *testing.T, r Recommendation) {
				if len(r.Examples) != 3 || r.Examples[0].After.MemReqGB != 13 || r.Examples[0].Before.MemReqGB != 64 {
					t.Errorf("examples %+v", r.Examples)
				}
			},
		},
		{
			// 51.2 of 64 GB used: efficiency 0.8 ≥ 0.7.
			name: "memory well used", rule: RuleMemory,
			jobs: n(5, func(_ int, u *labcarbon.Usage) { u.MemReqGB, u.MemPeakGB = 64, 51.2 }),
		},
		{
			name: "memory too few jobs", rule: RuleMemory, jobs: n(2, overRequest),
		},
		{
			// 0.403 kg and 0.765 kWh are below either minimum.
			name: "memory saving too small", rule: RuleMemory, jobs: n(5, overRequest),
			th: func(th *Thresholds) { th.MinSavingCO2eKg, th.MinSavingKWh = 1, 5 },
		},
		{
			// Per job: ⌈16 core-h ÷ 4 h × 1.2⌉ = ⌈4.8⌉ = 5 cores instead of
			// 32. CPU time is unchanged, so operational energy is too; the
			// node share falls from max(32/32, 16/128) = 1 to max(5/32,
			// 16/128) = 0.15625: 0.84375 × 4 h × 0.05 = 0.16875 kg embodied.
			// Five jobs: 0.84375 kg. Idle: 4 h × 32 − 16 = 112 core-h a
			// job; freed (32 − 5) × 4 h = 108.
			name: "idle cores fire", rule: RuleCPU, fire: true,
			jobs:  n(5, func(i int, u *labcarbon.Usage) { idleCores(i, u); u.MemReqGB, u.MemPeakGB = 16, 14 }),
			jobsN: 5, kg: 0.84375, emb: 0.84375,
			figures: map[string]float64{"max_cpus": 32, "suggested_cpus": 5, "idle_core_hours": 560,
				"freed_core_hours": 540, "median_cpu_efficiency": 0.125},
		},
		{
			// Measured energy on a whole node: 1 kWh × PUE 1.5 = 1.5 kWh,
			// 0.3 kg. On 5 cores it is modelled: (16 core-h × 10 W + 16 GB
			// × 4 h × 0.5 W) ÷ 1000 = 0.192 kWh × 1.5 = 0.288 kWh, 0.0576
			// kg. Per job 1.212 kWh and 0.2424 kg operational, plus 0.16875
			// kg embodied as above; cost 1.212 × 0.3 = 0.3636. Three jobs.
			name: "idle cores on measured whole nodes", rule: RuleCPU, fire: true,
			jobs: func(m compute.Model) []*labcarbon.Job {
				var out []*labcarbon.Job
				for i := range 3 {
					u := usage(i)
					idleCores(i, &u)
					u.EnergyJ = 3.6e6
					a := testAssign()
					a.TrustMeasured = true
					out = append(out, mkJob(m, u, a))
				}
				return out
			},
			jobsN: 3, kwh: 3 * 1.212, kg: 3 * (0.2424 + 0.16875), cost: 3 * 0.3636, op: 3 * 0.2424, emb: 3 * 0.16875,
		},
		{
			// Efficiency 0.6 ≥ 0.5.
			name: "cores busy enough", rule: RuleCPU,
			jobs: n(5, func(_ int, u *labcarbon.Usage) { u.CPUs, u.CPUTimeSec = 32, 0.6*32*4*3600 }),
		},
		{
			name: "idle cores too few jobs", rule: RuleCPU, jobs: n(2, idleCores),
		},
		{
			name: "idle cores saving too small", rule: RuleCPU, jobs: n(5, idleCores),
			th: func(th *Thresholds) { th.MinSavingCO2eKg = 1 },
		},
		{
			// The GPUs' energy is 2 h × 2 × 300 W × 0 % = 0 (the model
			// charges measured utilisation), so the saving is embodied: node
			// share max(8/32, 2/4, 32/128) = 0.5 → max(8/32, 32/128) = 0.25,
			// 0.25 × 2 h × 0.05 = 0.025 kg a job, 0.125 for five. Freed
			// 2 GPUs × 2 h × 5 = 20 GPU-hours.
			name: "unused GPUs fire", rule: RuleGPUIdle, fire: true, jobs: n(5, idleGPU),
			jobsN: 5, kg: 0.125, emb: 0.125,
			figures: map[string]float64{"max_gpus": 2, "freed_gpu_hours": 20},
		},
		{
			// 10 % on 4 GPUs is 0.4 GPU of work: ⌈0.4 × 1.2⌉ = 1 GPU at
			// 40 %, the same GPU energy (2 h × 4 × 300 × 0.1 = 2 h × 1 × 300
			// × 0.4). Node share max(8/32, 4/4, 32/128) = 1 → 0.25: 0.75 ×
			// 2 h × 0.05 = 0.075 kg a job, 0.375 for five; freed 3 × 2 × 5
			// = 30 GPU-hours.
			name: "under-used GPUs fire", rule: RuleGPUUnderuse, fire: true, jobs: n(5, underusedGPU),
			jobsN: 5, kg: 0.375, emb: 0.375,
			figures: map[string]float64{"max_gpus": 4, "suggested_gpus": 1, "freed_gpu_hours": 30, "median_gpu_util": 0.105},
		},
		{
			// 30 % ≥ 25 %.
			name: "GPUs used enough", rule: RuleGPUUnderuse,
			jobs: n(5, func(i int, u *labcarbon.Usage) { underusedGPU(i, u); u.GPUUtil = 0.3 }),
		},
		{
			// Utilisation unknown: the model assumes 100 %, no GPU rule.
			name: "GPU utilisation unknown", rule: RuleGPUIdle,
			jobs: n(5, func(i int, u *labcarbon.Usage) { idleGPU(i, u); u.HasGPUUtil = false }),
		},
		{
			name: "unused GPUs saving too small", rule: RuleGPUIdle, jobs: n(5, idleGPU),
			th: func(th *Thresholds) { th.MinSavingCO2eKg = 0.2 },
		},
		{
			// Per hour a run uses (4 core-h × 10 W + 8 GB × 0.5 W) ÷ 1000
			// = 0.044 kWh × 1.5 = 0.066 kWh, 0.0132 kg, and embodied
			// max(4/32, 8/128) = 0.125 node × 0.05 = 0.00625 kg. The runs
			// last 4 (the first, not counted), 1, 2 and 3 h: 6 h counted =
			// 0.396 kWh, 0.0792 + 0.0375 = 0.1167 kg, cost 0.1188.
			name: "failing pipeline fires", rule: RuleFailing, fire: true,
			jobs:  failing(labcarbon.StateFailed, 4),
			jobsN: 3, kwh: 0.396, kg: 0.1167, cost: 0.1188, op: 0.0792, emb: 0.0375,
			figures: map[string]float64{"runs": 4, "failed": 4, "out_of_memory": 0, "timeout": 0, "pipelines": 1,
				"wasted_co2e_kg": 10 * (0.0132 + 0.00625)},
			check: func(t *testing.T, r Recommendation) {
				for _, x := range r.Examples {
					if x.ElapsedSec == 4*3600 {
						t.Errorf("the first failure is among the examples: %+v", x)
					}
				}
				if len(r.Pipelines) != 1 || r.Pipelines[0].Name != "align" || r.Pipelines[0].Runs != 4 {
					t.Errorf("pipelines %+v", r.Pipelines)
				}
			},
		},
		{
			// Out of memory: same arithmetic over 4 runs, counted as such.
			name: "out-of-memory pipeline fires", rule: RuleFailing, fire: true,
			jobs:  failing(labcarbon.StateOutOfMemory, 4),
			jobsN: 3, kwh: 0.396, kg: 0.1167, cost: 0.1188, op: 0.0792, emb: 0.0375,
			figures: map[string]float64{"out_of_memory": 4, "failed": 0},
		},
		{
			name: "two failures are not a pipeline", rule: RuleFailing, jobs: failing(labcarbon.StateTimeout, 2),
			th: func(th *Thresholds) { th.MinJobs = 1 },
		},
		{
			// Cancelled is a decision, not a failure.
			name: "cancelled runs", rule: RuleFailing, jobs: failing(labcarbon.StateCancelled, 4),
			th: func(th *Thresholds) { th.MinJobs = 1 },
		},
		{
			// Per job 2 h × 0.066 kWh = 0.132 kWh, at 300 g = 0.0396 kg; at
			// 02:00–04:00, 100 g: 0.0132 kg. Saving 0.0264 kg a job, 0.132
			// for five, no energy.
			name: "time shift fires", rule: RuleTimeShift, fire: true,
			jobs: shiftable(true), model: hourlyModel,
			jobsN: 5, kg: 0.132, op: 0.132,
			figures: map[string]float64{"mean_ci_before": 300, "mean_ci_after": 100, "window_days": 1},
			check: func(t *testing.T, r Recommendation) {
				if want := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC); !r.Examples[0].After.Start.Equal(want) {
					t.Errorf("shifted to %v, want %v", r.Examples[0].After.Start, want)
				}
			},
		},
		{
			name: "time shift: not flexible", rule: RuleTimeShift, jobs: shiftable(false), model: hourlyModel,
		},
		{
			name: "time shift: no hourly series", rule: RuleTimeShift, jobs: shiftable(true),
		},
		{
			// A job that waited 3 h in the queue is flexible too.
			name: "time shift: long wait", rule: RuleTimeShift, fire: true, model: hourlyModel,
			jobs: n(5, func(i int, u *labcarbon.Usage) {
				u.Start = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
				u.Submit, u.End = u.Start.Add(-3*time.Hour), u.Start.Add(2*time.Hour)
				u.ElapsedSec, u.CPUs, u.CPUTimeSec, u.MemReqGB, u.MemPeakGB = 2*3600, 4, 4*2*3600, 8, 7.5
			}),
			jobsN: 5, kg: 0.132, op: 0.132,
		},
		{
			// Per job (8 core-h × 10 W + 8 GB × 2 h × 0.5 W) ÷ 1000 = 0.088
			// kWh × 1.5 = 0.132 kWh on "old"; with 5 W cores 0.048 × 1.5 =
			// 0.072 kWh. 0.06 kWh, 0.012 kg, 0.018 a job; five: 0.3 kWh,
			// 0.06 kg, 0.09.
			name: "better partition fires", rule: RulePartition, fire: true,
			jobs: n(5, onOld), opts: Options{Alternatives: map[string]string{"c1/old": "new"}},
			resolve: partitionResolve(5),
			jobsN:   5, kwh: 0.3, kg: 0.06, cost: 0.09, op: 0.06,
			check: func(t *testing.T, r Recommendation) {
				if len(r.Changes) != 1 || r.Changes[0] != (Change{From: "c1/old", To: "c1/new", Jobs: 5, SavingCO2eKg: r.SavingCO2eKg.Central}) {
					t.Errorf("changes %+v", r.Changes)
				}
			},
		},
		{
			name: "alternative is worse", rule: RulePartition, jobs: n(5, onOld),
			opts: Options{Alternatives: map[string]string{"c1/old": "new"}}, resolve: partitionResolve(20),
		},
		{
			name: "no alternative for the partition", rule: RulePartition, jobs: n(5, onOld),
			opts: Options{Alternatives: map[string]string{"c1/cpu": "new"}}, resolve: partitionResolve(5),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := testModel()
			if tc.model != nil {
				m = tc.model()
			}
			th := testThresholds()
			if tc.th != nil {
				tc.th(&th)
			}
			e := New(m, tc.resolve, th, tc.opts)
			for _, j := range tc.jobs(m) {
				e.Add(j)
			}
			recs := e.Recommendations()
			if !tc.fire {
				for _, r := range recs {
					if r.Rule == tc.rule {
						t.Fatalf("%s fired: %s", tc.rule, summary(recs))
					}
				}
				return
			}
			r := one(t, recs, tc.rule, ScopeUser, "alice")
			if r.Jobs != tc.jobsN {
				t.Errorf("jobs %d, want %d", r.Jobs, tc.jobsN)
			}
			if !approxRange(r.SavingKWh, labcarbon.Point(tc.kwh)) || !approxRange(r.SavingCO2eKg, labcarbon.Point(tc.kg)) ||
				!approx(r.SavingCost, tc.cost) || !approx(r.OperationalCO2eKg, tc.op) || !approx(r.EmbodiedCO2eKg, tc.emb) {
				t.Errorf("saving kWh %v kg %v cost %g op %g emb %g; want %g %g %g %g %g",
					r.SavingKWh, r.SavingCO2eKg, r.SavingCost, r.OperationalCO2eKg, r.EmbodiedCO2eKg,
					tc.kwh, tc.kg, tc.cost, tc.op, tc.emb)
			}
			for k, want := range tc.figures {
				if got, ok := r.Figures[k]; !ok || !approx(got, want) {
					t.Errorf("figure %s = %g (set %v), want %g", k, got, ok, want)
				}
			}
			if r.SavingCO2eKg.Central > r.CO2eKg.Central {
				t.Errorf("saving %g above the jobs' %g", r.SavingCO2eKg.Central, r.CO2eKg.Central)
			}
			// One researcher in one group: the group and the lab get the same.
			for _, s := range []struct {
				scope   Scope
				subject string
			}{{ScopeGroup, "genomics"}, {ScopeLab, ""}} {
				g := one(t, recs, tc.rule, s.scope, s.subject)
				if g.Jobs != r.Jobs || !approxRange(g.SavingCO2eKg, r.SavingCO2eKg) || g.ID == r.ID {
					t.Errorf("%s: %+v, user %+v", s.scope, g, r)
				}
				if len(g.Contributors) != 1 || g.Contributors[0].Subject != "alice" {
					t.Errorf("%s contributors %+v", s.scope, g.Contributors)
				}
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

// With no headroom the memory rule suggests Green Algorithms' needed
// memory, and its operational saving is the model's memory waste, bound
// by bound, uncertain factors included.
func TestMemoryAgreesWithMemWaste(t *testing.T) {
	m := testModel()
	m.MemGranularityGB = 4
	a := testAssign()
	a.NodeMemGB = 0 // embodied then does not depend on memory
	a.MemWattsPerGB = labcarbon.Range{Low: 0.08, Central: 0.3725, High: 0.5}
	a.PUE = labcarbon.Range{Low: 1.1, Central: 1.2, High: 1.6}
	a.CIgPerKWh = labcarbon.Range{Low: 150, Central: 200, High: 260}
	u := usage(0)
	u.MemReqGB, u.MemPeakGB = 32, 12 // needed (⌊12/4⌋ + 1) × 4 = 16 GB, as in §1.6
	j := mkJob(m, u, a)
	th := testThresholds()
	th.MinJobs, th.MinSavingCO2eKg, th.MemHeadroom = 1, 0, 0
	e := New(m, nil, th, Options{})
	e.Add(j)
	r := one(t, e.Recommendations(), RuleMemory, ScopeUser, "alice")
	if !approxRange(r.SavingCO2eKg, j.Result.MemWasteCO2eKg) || r.Examples[0].After.MemReqGB != 16 {
		t.Errorf("saving %v, memory waste %v; suggested %g GB", r.SavingCO2eKg, j.Result.MemWasteCO2eKg, r.Examples[0].After.MemReqGB)
	}
	if r.EmbodiedCO2eKg != 0 || !approx(r.OperationalCO2eKg, j.Result.MemWasteCO2eKg.Central) {
		t.Errorf("split %g + %g", r.OperationalCO2eKg, r.EmbodiedCO2eKg)
	}
}

// Rules that touch the same energy share it: a job both over-requesting
// memory and shiftable saves, across the two, what making both changes
// saves, not the sum of each alone.
func TestOverlappingRulesDoNotClaimTwice(t *testing.T) {
	m := hourlyModel()
	th := testThresholds()
	th.MinJobs, th.MinSavingCO2eKg = 1, 0
	u := usage(0)
	u.Submit = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
	u.Start, u.End, u.ElapsedSec = u.Submit, u.Submit.Add(2*time.Hour), 2*3600
	u.JobID, u.ParentID = "500_1", "500"
	u.CPUTimeSec = 0.9 * 8 * 2 * 3600
	u.MemReqGB, u.MemPeakGB = 64, 10
	j := mkJob(m, u, testAssign())
	e := New(m, nil, th, Options{})
	e.Add(j)
	recs := e.Recommendations()
	mem := one(t, recs, RuleMemory, ScopeUser, "alice")
	shift := one(t, recs, RuleTimeShift, ScopeUser, "alice")

	// Both changes at once, by the model.
	both := j.Usage
	both.MemReqGB = mem.Examples[0].After.MemReqGB
	both.Start = shift.Examples[0].After.Start
	after := m.Job(&both, &j.Assignment)
	want := j.Result.CO2eKg.Central + j.Result.EmbodiedCO2eKg.Central - after.CO2eKg.Central - after.EmbodiedCO2eKg.Central
	got := mem.SavingCO2eKg.Central + shift.SavingCO2eKg.Central
	if !approx(got, want) {
		t.Errorf("memory %g + shift %g = %g, both changes save %g", mem.SavingCO2eKg.Central, shift.SavingCO2eKg.Central, got, want)
	}
	// Alone, each would have saved more: the shift saves on 64 GB, the
	// memory at 300 g.
	alone := j.Usage
	alone.Start = both.Start
	a2 := m.Job(&alone, &j.Assignment)
	if s := j.Result.CO2eKg.Central - a2.CO2eKg.Central; !(s > shift.SavingCO2eKg.Central) {
		t.Errorf("shift alone %g not above its share %g: nothing was scaled", s, shift.SavingCO2eKg.Central)
	}
}

// Researchers see only their own; groups only their members'.
func TestScopes(t *testing.T) {
	m := testModel()
	var jobs []*labcarbon.Job
	for i := range 15 {
		u := usage(i)
		overRequest(i, &u)
		u.User, u.Account = []string{"alice", "bob", "carol"}[i%3], []string{"genomics", "genomics", "ml"}[i%3]
		jobs = append(jobs, mkJob(m, u, testAssign()))
	}
	e := New(m, nil, testThresholds(), Options{})
	for _, j := range jobs {
		e.Add(j)
	}
	recs := e.Recommendations()
	// Each researcher: 5 jobs, 0.403 kg (see TestRules).
	for _, who := range []string{"alice", "bob", "carol"} {
		r := one(t, recs, RuleMemory, ScopeUser, who)
		if !approx(r.SavingCO2eKg.Central, 0.403) {
			t.Errorf("%s: %g", who, r.SavingCO2eKg.Central)
		}
		for _, x := range r.Examples {
			if x.User != who {
				t.Errorf("%s's recommendation shows %s's job", who, x.User)
			}
		}
	}
	g := one(t, recs, RuleMemory, ScopeGroup, "genomics")
	if g.Jobs != 10 || !approx(g.SavingCO2eKg.Central, 0.806) || len(g.Contributors) != 2 {
		t.Errorf("genomics: %+v", g)
	}
	l := one(t, recs, RuleMemory, ScopeLab, "")
	if l.Jobs != 15 || !approx(l.SavingCO2eKg.Central, 1.209) || len(l.Contributors) != 3 {
		t.Errorf("lab: %+v", l)
	}
	if recs[0].Scope != ScopeLab {
		t.Errorf("not ranked by saving: %s", summary(recs))
	}
}
