package storetest

import (
	"math"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/store"
)

// testTotals checks Totals against sums worked out by hand: each job in
// proportion to its run time in the period, a running job until start +
// elapsed, a pending job in the period of its submission.
func testTotals(t *testing.T, st store.Store) {
	ctx := t.Context()
	withResult := func(j labcarbon.Job, kwh, kg, embodied, cost float64) labcarbon.Job {
		j.Result.EnergyKWh = labcarbon.Range{Low: kwh / 2, Central: kwh, High: kwh * 2}
		j.Result.CO2eKg = labcarbon.Range{Low: kg / 2, Central: kg, High: kg * 2}
		j.Result.EmbodiedCO2eKg = labcarbon.Point(embodied)
		j.Result.Cost = cost
		return j
	}
	// Wholly in August: all of it.
	a := withResult(job("hydra", "1", date(8, 1, 0), date(8, 2, 0), date(8, 2, 10)), 10, 2, 1, 3)
	// 31 July 20:00 to 1 August 04:00: half of it in August.
	b := withResult(job("hydra", "2", date(7, 31, 0), date(7, 31, 20), date(8, 1, 4)), 8, 4, 2, 1)
	// Still running, started 31 August 22:00, 4 h elapsed so far: half in
	// August.
	c := withResult(job("hydra", "3", date(8, 31, 0), date(8, 31, 22), time.Time{}), 6, 1, 0, 0)
	c.ElapsedSec = 4 * 3600
	// Pending, submitted in August: counted, nothing to add.
	d := job("hydra", "4", date(8, 15, 0), time.Time{}, time.Time{})
	// Wholly in July: not in August.
	e := withResult(job("hydra", "5", date(7, 1, 0), date(7, 2, 0), date(7, 2, 5)), 100, 100, 100, 100)
	b1 := begin(t, st, newRun(t, st))
	for _, j := range []labcarbon.Job{a, b, c, d, e} {
		mustPut(t, b1, &j)
	}
	mustCommit(t, b1, store.Input{Name: "totals"})

	got, err := st.Totals(ctx, date(8, 1, 0), date(9, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	// Energy 10 + 4 + 3 = 17 kWh; CO2e 2 + 2 + 0.5 = 4.5 kg; embodied
	// 1 + 1 = 2 kg; cost 3 + 0.5 = 3.5; 4 jobs, one still running at the
	// end of August.
	want := store.Totals{Jobs: 4, RunningAtEnd: 1, EnergyKWh: labcarbon.Range{Low: 8.5, Central: 17, High: 34},
		CO2eKg: labcarbon.Range{Low: 2.25, Central: 4.5, High: 9}, EmbodiedCO2eKg: labcarbon.Point(2), Cost: 3.5}
	if !totalsNear(got, want) {
		t.Errorf("Totals(August) = %+v\nwant %+v", got, want)
	}
	if got, err := st.Totals(ctx, date(9, 1, 0), date(8, 1, 0)); err != nil || got != (store.Totals{}) {
		t.Errorf("Totals of an empty period = %+v, %v", got, err)
	}
}

func totalsNear(a, b store.Totals) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y)) }
	rng := func(x, y labcarbon.Range) bool {
		return near(x.Low, y.Low) && near(x.Central, y.Central) && near(x.High, y.High)
	}
	return a.Jobs == b.Jobs && a.RunningAtEnd == b.RunningAtEnd && rng(a.EnergyKWh, b.EnergyKWh) && rng(a.CO2eKg, b.CO2eKg) && rng(a.EmbodiedCO2eKg, b.EmbodiedCO2eKg) && near(a.Cost, b.Cost)
}
