package recommend

import (
	"cmp"
	"math"
	"slices"

	"labcarbon"
)

// acc accumulates one candidate recommendation: sums, maxima and the few
// largest examples, so that its size does not depend on the jobs added.
// The fields a rule does not use stay zero.
type acc struct {
	jobs     int
	save     amount
	co2      labcarbon.Range // emissions of the jobs concerned
	hist     hist            // efficiency or utilisation of those jobs
	examples []Example

	// memory
	reqGBh, sugGBh              float64
	maxReq, maxPeak, maxPeakSug float64
	// CPU and GPU: idle core-hours and their cost, core- or GPU-hours
	// freed, the largest allocation and the largest suggested.
	idleCoreH, idleCoreKg, freedH float64
	maxUnits, maxNeeded           int
	// time shift: energy-weighted intensity before and after
	ciKWh, ciBefore, ciAfter float64
	// moves
	changes map[[2]string]*Change
	// failing pipelines
	failed, oom, timeout, runs int
	wasted                     float64
	pipelines                  []Pipeline
}

func (c *acc) addExample(n int, x Example) { c.examples = keepTop(c.examples, n, x) }

func (c *acc) addChange(from, to string, kg float64) {
	if c.changes == nil {
		c.changes = make(map[[2]string]*Change)
	}
	k := [2]string{from, to}
	ch := c.changes[k]
	if ch == nil {
		ch = &Change{From: from, To: to}
		c.changes[k] = ch
	}
	ch.Jobs++
	ch.SavingCO2eKg += kg
}

// merge adds o into c, for the roll-up of researchers into groups and the
// lab; n is the number of examples kept.
func (c *acc) merge(o *acc, n int) {
	c.jobs += o.jobs
	c.save.add(o.save)
	c.co2 = c.co2.Add(o.co2)
	for i := range c.hist {
		c.hist[i] += o.hist[i]
	}
	for _, x := range o.examples {
		c.addExample(n, x)
	}
	c.reqGBh += o.reqGBh
	c.sugGBh += o.sugGBh
	c.maxReq = max(c.maxReq, o.maxReq)
	if o.maxPeak > c.maxPeak {
		c.maxPeak, c.maxPeakSug = o.maxPeak, o.maxPeakSug
	}
	c.idleCoreH += o.idleCoreH
	c.idleCoreKg += o.idleCoreKg
	c.freedH += o.freedH
	c.maxUnits = max(c.maxUnits, o.maxUnits)
	c.maxNeeded = max(c.maxNeeded, o.maxNeeded)
	c.ciKWh += o.ciKWh
	c.ciBefore += o.ciBefore
	c.ciAfter += o.ciAfter
	for k, ch := range o.changes {
		if c.changes == nil {
			c.changes = make(map[[2]string]*Change)
		}
		if mine := c.changes[k]; mine != nil {
			mine.Jobs += ch.Jobs
			mine.SavingCO2eKg += ch.SavingCO2eKg
		} else {
			cp := *ch
			c.changes[k] = &cp
		}
	}
	c.failed += o.failed
	c.oom += o.oom
	c.timeout += o.timeout
	c.runs += o.runs
	c.wasted += o.wasted
	c.pipelines = append(c.pipelines, o.pipelines...)
}

// hist counts ratios in 1 % bins, so a median costs 400 bytes per
// candidate whatever the number of jobs.
type hist [100]uint32

func (h *hist) add(v float64) {
	if math.IsNaN(v) {
		return
	}
	h[int(min(max(v, 0), 0.999999)*100)]++
}

// median returns the middle of the bin holding the median, within half a
// percentage point; 0 when empty.
func (h *hist) median() float64 {
	var n uint64
	for _, c := range h {
		n += uint64(c)
	}
	if n == 0 {
		return 0
	}
	var seen uint64
	for i, c := range h {
		seen += uint64(c)
		if 2*seen >= n {
			return (float64(i) + 0.5) / 100
		}
	}
	return 0
}

// sortedChanges lists c's changes, largest saving first, at most n.
func (c *acc) sortedChanges(n int) []Change {
	out := make([]Change, 0, len(c.changes))
	for _, ch := range c.changes {
		out = append(out, *ch)
	}
	slices.SortFunc(out, func(a, b Change) int {
		return cmp.Or(cmp.Compare(b.SavingCO2eKg, a.SavingCO2eKg), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return out[:min(n, len(out))]
}
