package compute

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"labcarbon"
)

// randRange returns an ordered non-negative range around a central value
// drawn from [lo, hi).
func randRange(rng *rand.Rand, lo, hi float64) labcarbon.Range {
	c := lo + rng.Float64()*(hi-lo)
	return labcarbon.Range{Low: c * rng.Float64(), Central: c, High: c * (1 + rng.Float64())}
}

func randAssignment(rng *rand.Rand) labcarbon.Assignment {
	a := labcarbon.Assignment{
		CPUWattsPerCore:       randRange(rng, 1, 20),
		GPUWatts:              randRange(rng, 50, 700),
		MemWattsPerGB:         randRange(rng, 0.05, 0.5),
		PUE:                   randRange(rng, 1, 2),
		Zone:                  "GB",
		CIgPerKWh:             randRange(rng, 0, 900),
		CISource:              "annual",
		EmbodiedKgPerNodeHour: randRange(rng, 0, 0.3),
		TrustMeasured:         rng.IntN(2) == 0,
	}
	if a.PUE.Low < 1 {
		a.PUE.Low = 1
	}
	if rng.IntN(2) == 0 {
		a.NodeCores, a.NodeGPUs, a.NodeMemGB = rng.IntN(129), rng.IntN(9), float64(rng.IntN(2049))
	}
	if rng.IntN(2) == 0 {
		a.HasMarketCI, a.MarketCIgPerKWh = true, rng.Float64()*500
	}
	if rng.IntN(10) == 0 {
		a.CISource = "site x fixed 300 gCO2e/kWh (lab config)"
	}
	return a
}

func randUsage(rng *rand.Rand) labcarbon.Usage {
	u := labcarbon.Usage{
		ElapsedSec: rng.Int64N(10 * 86400),
		NNodes:     rng.IntN(17),
		CPUs:       rng.IntN(257),
		MemReqGB:   rng.Float64() * 2048,
		GPUs:       rng.IntN(9),
	}
	switch rng.IntN(20) {
	case 0:
		u.ElapsedSec = 0
	case 1:
		u.ElapsedSec = math.MaxInt64 - rng.Int64N(1000) // hostile
	}
	if rng.IntN(4) != 0 {
		u.Start = goldenHour.Add(time.Duration(rng.Int64N(4*86400)-2*86400) * time.Second)
	}
	if rng.IntN(3) != 0 {
		u.CPUTimeSec = rng.Float64() * 1.2 * float64(min(u.ElapsedSec, 1<<40)) * float64(u.CPUs)
	}
	if rng.IntN(2) == 0 {
		u.HasMemPeak, u.MemPeakGB = true, rng.Float64()*2500
	}
	if rng.IntN(2) == 0 {
		u.HasGPUUtil, u.GPUUtil = true, rng.Float64()
	}
	if rng.IntN(3) == 0 {
		u.EnergyJ = rng.Float64() * 1e9
	}
	return u
}

// randSeries covers a random subset of the hours around goldenHour.
func randSeries(t testing.TB, rng *rand.Rand) *HourlyTable {
	s := NewHourlyTable()
	for h := -72; h < 72*4; h++ {
		if rng.IntN(4) == 0 {
			continue // a gap
		}
		if err := s.Add("GB", goldenHour.Add(time.Duration(h)*time.Hour), rng.Float64()*800); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func checkRange(t *testing.T, name string, r labcarbon.Range) {
	t.Helper()
	for _, v := range []float64{r.Low, r.Central, r.High} {
		if !(v >= 0) || math.IsInf(v, 0) {
			t.Fatalf("%s = %+v: negative, NaN or infinite", name, r)
		}
	}
	if r.Low > r.Central*(1+1e-12) || r.Central > r.High*(1+1e-12) {
		t.Fatalf("%s = %+v: bounds out of order", name, r)
	}
}

func ranges(r labcarbon.Result) map[string]labcarbon.Range {
	return map[string]labcarbon.Range{
		"EnergyKWh": r.EnergyKWh, "CO2eKg": r.CO2eKg, "MarketCO2eKg": r.MarketCO2eKg,
		"EmbodiedCO2eKg": r.EmbodiedCO2eKg, "MemWasteCO2eKg": r.MemWasteCO2eKg, "IdleCoreCO2eKg": r.IdleCoreCO2eKg,
	}
}

// TestPropertiesRandom: on random records, factors and series, every
// energy and CO2e figure is finite, non-negative and ordered, the scalars
// are in range, and doubling PUE doubles energy and every operational CO2e
// (location, market, memory waste, idle cores) but not embodied.
func TestPropertiesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 3))
	series := randSeries(t, rng)
	var hourly, measured, waste, idle int
	for i := range 3000 {
		u, a := randUsage(rng), randAssignment(rng)
		m := Model{MemGranularityGB: []float64{0, 1, 4, 0.5, -2}[rng.IntN(5)], Hourly: series}
		r := m.Job(&u, &a)
		for name, rg := range ranges(r) {
			checkRange(t, name, rg)
		}
		for name, v := range map[string]float64{"CIgPerKWh": r.CIgPerKWh, "NodeShare": r.NodeShare, "IdleCoreHours": r.IdleCoreHours} {
			if !(v >= 0) || math.IsInf(v, 0) {
				t.Fatalf("job %d: %s = %g", i, name, v)
			}
		}
		if !(r.CIHourlyShare >= 0 && r.CIHourlyShare <= 1) {
			t.Fatalf("job %d: CIHourlyShare = %g", i, r.CIHourlyShare)
		}
		if u.ElapsedSec > 0 && r.NodeShare > float64(max(u.NNodes, 1)) {
			t.Fatalf("job %d: NodeShare %g above %d nodes", i, r.NodeShare, max(u.NNodes, 1))
		}
		if r.CIHourlyShare > 0 && (FixedCI(&a) || !strings.HasPrefix(r.CISource, "hourly GB (")) {
			t.Fatalf("job %d: hourly share %g with source %q", i, r.CIHourlyShare, r.CISource)
		}

		if r.CIHourlyShare > 0 {
			hourly++
		}
		if r.EnergySource == labcarbon.EnergyMeasured {
			measured++
		}
		if r.MemWasteCO2eKg.Central > 0 {
			waste++
		}
		if r.IdleCoreHours > 0 {
			idle++
		}

		a2 := a
		a2.PUE = a.PUE.Scale(2)
		r2 := m.Job(&u, &a2)
		for name, want := range ranges(r) {
			got := ranges(r2)[name]
			if name == "EmbodiedCO2eKg" {
				if !nearRange(got, want) {
					t.Fatalf("job %d: doubling PUE changed embodied %+v → %+v", i, want, got)
				}
				continue
			}
			if !nearRange(got, want.Scale(2)) {
				t.Fatalf("job %d: doubling PUE: %s %+v → %+v", i, name, want, got)
			}
		}
	}
	// The draws must reach every branch, or the test proves little.
	if hourly < 100 || measured < 100 || waste < 100 || idle < 100 {
		t.Errorf("branches reached: hourly %d, measured %d, memory waste %d, idle %d of 3000", hourly, measured, waste, idle)
	}
}

// TestSplitKeepsHourlyTotal: with energy spread evenly over the run,
// cutting a job in two at any second leaves its hourly-integrated CO2e
// unchanged.
func TestSplitKeepsHourlyTotal(t *testing.T) {
	series := goldenSeries(t)
	m := Model{Hourly: series}
	a := goldenAssignment()
	oneCore := func(start time.Time, secs int64) labcarbon.Usage {
		return labcarbon.Usage{Start: start, ElapsedSec: secs, CPUs: 1, CPUTimeSec: float64(secs)}
	}

	// By hand: 00:00–04:00, 1 core: 40 Wh × 1.5 = 0.06 kWh at (100 + 120
	// + 170 + 200 (missing hour)) / 4 = 147.5 → 8.85 g. The halves: 00–02
	// 0.03 kWh × 110 = 3.3 g; 02–04 0.03 kWh × (170 + 200) / 2 = 185
	// → 5.55 g; 3.3 + 5.55 = 8.85 g.
	whole := oneCore(goldenHour, 4*3600)
	first, second := oneCore(goldenHour, 2*3600), oneCore(goldenHour.Add(2*time.Hour), 2*3600)
	rw, r1, r2 := m.Job(&whole, &a), m.Job(&first, &a), m.Job(&second, &a)
	if !near(rw.CO2eKg.Central, 0.00885) || !near(r1.CO2eKg.Central, 0.0033) || !near(r2.CO2eKg.Central, 0.00555) {
		t.Errorf("CO2e whole %g, halves %g + %g; want 8.85, 3.3 + 5.55 g", rw.CO2eKg.Central, r1.CO2eKg.Central, r2.CO2eKg.Central)
	}

	rng := rand.New(rand.NewPCG(7, 11))
	rs := randSeries(t, rng)
	m = Model{Hourly: rs}
	for i := range 2000 {
		start := goldenHour.Add(time.Duration(rng.Int64N(3*86400)-86400) * time.Second)
		elapsed := 2 + rng.Int64N(2*86400)
		cut := 1 + rng.Int64N(elapsed-1)
		// Energy even over the run: every component proportional to time.
		mk := func(s time.Time, secs int64) labcarbon.Usage {
			return labcarbon.Usage{Start: s, ElapsedSec: secs, CPUs: 8, CPUTimeSec: 0.6 * 8 * float64(secs), GPUs: 1, MemReqGB: 40}
		}
		w, p1, p2 := mk(start, elapsed), mk(start, cut), mk(start.Add(time.Duration(cut)*time.Second), elapsed-cut)
		rw, r1, r2 := m.Job(&w, &a), m.Job(&p1, &a), m.Job(&p2, &a)
		if sum := r1.CO2eKg.Add(r2.CO2eKg); !nearRange(sum, rw.CO2eKg) {
			t.Fatalf("case %d: start %s, %d s cut at %d: halves %+v, whole %+v", i, start, elapsed, cut, sum, rw.CO2eKg)
		}
	}
}

// TestHourlyWalkIsBounded: a run longer than the walk counts the rest at
// the annual figure, and an absurd one returns at once.
func TestHourlyWalkIsBounded(t *testing.T) {
	s := NewHourlyTable()
	for h := range 400 * 24 {
		if err := s.Add("GB", goldenHour.Add(time.Duration(h)*time.Hour), 100); err != nil {
			t.Fatal(err)
		}
	}
	a := goldenAssignment()
	// 400 days, the series at 100 throughout but only 366 days are
	// walked: (366 × 100 + 34 × 200) / 400 = 108.5.
	u := labcarbon.Usage{Start: goldenHour, ElapsedSec: 400 * 86400, CPUs: 1}
	r := Model{Hourly: s}.Job(&u, &a)
	if !near(r.CIgPerKWh, 108.5) || !near(r.CIHourlyShare, 366.0/400) ||
		r.CISource != "hourly GB (8784 of 9600 h), "+annualGB+" otherwise" {
		t.Errorf("400 days: CI %g, share %g, %q", r.CIgPerKWh, r.CIHourlyShare, r.CISource)
	}

	u.ElapsedSec = math.MaxInt64
	begin := time.Now()
	r = Model{Hourly: s}.Job(&u, &a)
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("hostile elapsed took %s", d)
	}
	if !(r.CIgPerKWh > 199 && r.CIgPerKWh <= 200) || r.CIHourlyShare <= 0 || math.IsNaN(r.CO2eKg.Central) {
		t.Errorf("hostile elapsed: CI %g, share %g, CO2e %+v", r.CIgPerKWh, r.CIHourlyShare, r.CO2eKg)
	}
}

func BenchmarkJobHourly(b *testing.B) {
	s := goldenSeries(b)
	u := labcarbon.Usage{Start: goldenHour.Add(-30 * time.Minute), ElapsedSec: 5 * 3600, CPUs: 12, CPUTimeSec: 30000, MemReqGB: 48,
		MemPeakGB: 20, HasMemPeak: true, GPUs: 1}
	a := goldenAssignment()
	m := Model{PricePerKWh: 0.3, Hourly: s}
	var sink float64
	for b.Loop() {
		sink += m.Job(&u, &a).CO2eKg.Central
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	_ = sink
}
