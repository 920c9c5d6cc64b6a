package recommend

import (
	"math"

	"labcarbon"
)

// amount is a saving, or the emissions it is part of. co2 is operational
// plus embodied; op and emb split its central value.
type amount struct {
	kwh, co2 labcarbon.Range
	cost     float64
	op, emb  float64
}

func (a *amount) add(b amount) {
	a.kwh = a.kwh.Add(b.kwh)
	a.co2 = a.co2.Add(b.co2)
	a.cost += b.cost
	a.op += b.op
	a.emb += b.emb
}

// sub returns a − b floored at 0 bound by bound: used where b is a part
// of a, so only rounding can make it negative.
func (a amount) sub(b amount) amount {
	return amount{
		kwh:  shrink(a.kwh, b.kwh),
		co2:  shrink(a.co2, b.co2),
		cost: max(0, fin(a.cost-b.cost)),
		op:   fin(a.op - b.op),
		emb:  fin(a.emb - b.emb),
	}
}

func (a amount) scale(f float64) amount {
	return amount{kwh: a.kwh.Scale(f), co2: a.co2.Scale(f), cost: a.cost * f, op: a.op * f, emb: a.emb * f}
}

// positive reports whether the amount saves anything.
func (a amount) positive() bool { return a.co2.Central > 0 || a.kwh.Central > 0 }

var unbounded = labcarbon.Range{Low: math.Inf(1), Central: math.Inf(1), High: math.Inf(1)}

// whole is everything a job emitted, as its stored result says: what a
// run that is not made again saves, and the cap on any saving on it.
func whole(r *labcarbon.Result) amount {
	return amount{
		kwh:  clampRange(r.EnergyKWh, unbounded),
		co2:  clampRange(r.CO2eKg.Add(r.EmbodiedCO2eKg), unbounded),
		cost: max(0, fin(r.Cost)),
		op:   max(0, fin(r.CO2eKg.Central)),
		emb:  max(0, fin(r.EmbodiedCO2eKg.Central)),
	}
}

// saving is what changing a job saves: its result re-run as it was
// (base) minus its result as changed (after), never below 0 and never
// above what the job emitted as stored (cap). Subtracting from base
// rather than from the stored result makes the saving the effect of the
// change alone, not of any difference between the stored result and
// today's model; they agree when the pipeline computed the stored one.
//
// Each bound is the bound-wise difference, then the range is widened to
// hold all three (a change of factors, as a move makes, can turn the
// bounds' differences around), then capped bound by bound.
func saving(base, after *labcarbon.Result, cap amount) amount {
	op := diff(base.CO2eKg, after.CO2eKg)
	emb := diff(base.EmbodiedCO2eKg, after.EmbodiedCO2eKg)
	s := amount{
		kwh:  clampRange(widen(diff(base.EnergyKWh, after.EnergyKWh)), cap.kwh),
		co2:  clampRange(widen(op.Add(emb)), cap.co2),
		cost: min(max(0, fin(base.Cost-after.Cost)), cap.cost),
	}
	// Split the (possibly capped) central saving as the model split it.
	if net := op.Central + emb.Central; net > 0 && s.co2.Central > 0 {
		f := s.co2.Central / net
		s.op, s.emb = fin(op.Central*f), fin(emb.Central*f)
	}
	return s
}

func diff(a, b labcarbon.Range) labcarbon.Range {
	return labcarbon.Range{Low: fin(a.Low - b.Low), Central: fin(a.Central - b.Central), High: fin(a.High - b.High)}
}

// widen makes r an ordered range around its central value.
func widen(r labcarbon.Range) labcarbon.Range {
	return labcarbon.Range{Low: min(r.Low, r.Central, r.High), Central: r.Central, High: max(r.Low, r.Central, r.High)}
}

// clampRange limits each bound of r to [0, the same bound of hi]; a
// bound that is not a finite number counts as 0.
func clampRange(r, hi labcarbon.Range) labcarbon.Range {
	c := func(x, h float64) float64 {
		if !(x > 0) || math.IsInf(x, 1) || !(h > 0) {
			return 0
		}
		return min(x, h)
	}
	return labcarbon.Range{Low: c(r.Low, hi.Low), Central: c(r.Central, hi.Central), High: c(r.High, hi.High)}
}

// overlapFactor is the factor that brings the sum of several rules'
// savings on one job down to the saving of making all their changes
// together (comb), field by field and bound by bound: rules that touch
// the same energy must not claim it twice. It is 1 when the sum is
// within the combined saving.
func overlapFactor(sum, comb amount) float64 {
	f := 1.0
	lim := func(s, c float64) {
		if s > 0 {
			f = min(f, max(0, c)/s)
		}
	}
	lim(sum.kwh.Low, comb.kwh.Low)
	lim(sum.kwh.Central, comb.kwh.Central)
	lim(sum.kwh.High, comb.kwh.High)
	lim(sum.co2.Low, comb.co2.Low)
	lim(sum.co2.Central, comb.co2.Central)
	lim(sum.co2.High, comb.co2.High)
	lim(sum.cost, comb.cost)
	return fin(f)
}
