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

func (a amount) scale(f float64) amount {
	return amount{kwh: a.kwh.Scale(f), co2: a.co2.Scale(f), cost: a.cost * f, op: a.op * f, emb: a.emb * f}
}

// positive reports whether the amount saves anything.
func (a amount) positive() bool { return a.co2.Central > 0 || a.kwh.Central > 0 }

var unbounded = labcarbon.Range{Low: math.Inf(1), Central: math.Inf(1), High: math.Inf(1)}

// whole is everything a job emitted, as its stored result says: what a
// run that is not made again saves, and the cap on any saving on it.
// Each part is floored at 0 before they are added, so the parts always
// add up to the whole.
func whole(r *labcarbon.Result) amount {
	op := clampRange(r.CO2eKg, unbounded)
	emb := clampRange(r.EmbodiedCO2eKg, unbounded)
	return amount{
		kwh:  clampRange(r.EnergyKWh, unbounded),
		co2:  clampRange(op.Add(emb), unbounded),
		cost: clampRange(labcarbon.Point(r.Cost), unbounded).Central,
		op:   op.Central,
		emb:  emb.Central,
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
