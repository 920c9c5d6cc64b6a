package report

import (
	"math/rand/v2"
	"testing"
	"time"

	"labcarbon"
)

// TestSpreadSkipsOnlyEmptyBuckets checks that spread, which looks only at
// the buckets a job can reach, adds exactly what adding the job's overlap
// with every bucket adds, for jobs of every shape around the period.
func TestSpreadSkipsOnlyEmptyBuckets(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, label := range []string{"2026Q3", "2026-08", "2026"} {
		p, err := labcarbon.ParsePeriod(label)
		if err != nil {
			t.Fatal(err)
		}
		fast, slow := newAggregator(p, Options{}), newAggregator(p, Options{})
		length := p.To.Sub(p.From)
		for range 20000 {
			start := p.From.Add(time.Duration(r.Int64N(int64(length)*3/2)) - length/4).Truncate(time.Second)
			var d time.Duration
			switch r.IntN(4) {
			case 0: // zero length, or ending before it starts
				d = -time.Duration(r.IntN(2)) * time.Hour
			case 1: // long, across many buckets
				d = time.Duration(r.Int64N(int64(length)))
			default:
				d = time.Duration(r.Int64N(int64(72 * time.Hour)))
			}
			u := &labcarbon.Usage{Start: start, End: start.Add(d), CPUs: 1, ElapsedSec: 1, State: labcarbon.StateCompleted}
			if r.IntN(8) == 0 {
				u.End, u.State, u.ElapsedSec = time.Time{}, labcarbon.StateRunning, r.Int64N(int64(length/time.Second))
			}
			res := &labcarbon.Result{CO2eKg: labcarbon.Point(1), EnergyKWh: labcarbon.Point(2), Cost: 3}
			s, e := span(u)
			fast.spread(fast.buckets, fast.over, s, e, u, res)
			fast.spread(fast.months, fast.month, s, e, u, res)
			slow.spreadAll(slow.buckets, slow.over, s, e, u, res)
			slow.spreadAll(slow.months, slow.month, s, e, u, res)
		}
		for _, rows := range [][2][]*Row{{fast.over, slow.over}, {fast.month, slow.month}} {
			for i := range rows[0] {
				if *rows[0][i] != *rows[1][i] {
					t.Errorf("%s bucket %s: spread gives %+v, every bucket %+v", label, rows[0][i].Key, *rows[0][i], *rows[1][i])
				}
			}
		}
	}
}

// spreadAll is spread as it was written first: the job's overlap with
// every bucket, the job counted in the first it overlaps.
func (a *aggregator) spreadAll(starts []time.Time, rows []*Row, start, end time.Time, u *labcarbon.Usage, r *labcarbon.Result) {
	counted := false
	for i, b := range starts {
		bEnd := a.p.To
		if i+1 < len(starts) {
			bEnd = starts[i+1]
		}
		if b.Before(a.p.From) {
			b = a.p.From
		}
		if f := overlap(start, end, b, bEnd); f > 0 {
			rows[i].addShare(u, r, f)
			if !counted {
				rows[i].Jobs++
				counted = true
			}
		}
	}
}
