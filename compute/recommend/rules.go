package recommend

import (
	"math"
	"strings"
	"time"

	"labcarbon"
)

// propose appends the changes the rules would make to j (a job that ran
// and did not fail); the savings are computed by the caller.
func (e *Engine) propose(j *labcarbon.Job, out []proposal) []proposal {
	u := &j.Usage
	if u.ElapsedSec >= e.th.MinRuntimeSec {
		if mem, ok := e.memoryRequest(u); ok {
			out = append(out, proposal{rule: RuleMemory, changed: *u})
			out[len(out)-1].changed.MemReqGB = mem
		}
		if cpus, ok := e.cpuCores(u); ok {
			out = append(out, proposal{rule: RuleCPU, changed: *u})
			out[len(out)-1].changed.CPUs = cpus
		}
		if rule, gpus, util, ok := e.gpus(u); ok {
			out = append(out, proposal{rule: rule, changed: *u})
			c := &out[len(out)-1].changed
			c.GPUs, c.GPUUtil = gpus, util
		}
	}
	if start, ok := e.shift(u, &j.Assignment); ok {
		out = append(out, proposal{rule: RuleTimeShift, changed: *u})
		c := &out[len(out)-1].changed
		c.Start = start
		if !u.End.IsZero() {
			c.End = start.Add(time.Duration(u.ElapsedSec) * time.Second)
		}
	}
	for _, m := range e.moves {
		if len(out) == cap(out) {
			break // more moves than the buffer holds: the first ones win
		}
		if moved, ok := m.Apply(u); ok {
			a := e.resolve(&moved)
			out = append(out, proposal{rule: m.Rule(), changed: moved, assign: &a})
		}
	}
	return out
}

// memoryRequest returns the request the memory rule suggests: the peak
// plus headroom, rounded up to the next step of the model's granularity
// (an exact multiple still rounds up, as Green Algorithms rounds), when
// the job used less than MemEfficiencyBelow of its request and the
// suggestion is below it.
func (e *Engine) memoryRequest(u *labcarbon.Usage) (float64, bool) {
	req, peak := u.MemReqGB, u.MemPeakGB
	if !u.HasMemPeak || !(req > 0) || math.IsInf(req, 0) || !(peak >= 0) || !(peak/req < e.th.MemEfficiencyBelow) {
		return 0, false
	}
	g := e.model.MemGranularityGB
	if !(g > 0) || math.IsInf(g, 0) {
		g = 1
	}
	sug := (math.Floor(peak*(1+max(0, e.th.MemHeadroom))/g) + 1) * g
	if !(sug < req) {
		return 0, false
	}
	return sug, true
}

// cpuCores returns the cores the CPU rule suggests: the cores the job
// kept busy on average plus headroom, rounded up, when its CPU
// efficiency was below CPUEfficiencyBelow and that is fewer than it had.
func (e *Engine) cpuCores(u *labcarbon.Usage) (int, bool) {
	if u.CPUs < 2 || !(u.CPUTimeSec > 0) || u.ElapsedSec <= 0 {
		return 0, false
	}
	busy := u.CPUTimeSec / float64(u.ElapsedSec)
	if !(busy/float64(u.CPUs) < e.th.CPUEfficiencyBelow) {
		return 0, false
	}
	need := math.Max(1, math.Ceil(busy*(1+max(0, e.th.CPUHeadroom))))
	if !(need < float64(u.CPUs)) {
		return 0, false
	}
	return int(need), true
}

// gpus returns the GPU rule that applies and the GPUs and utilisation it
// suggests: none for a job that did not use its GPUs (utilisation at
// most GPUIdleAtMost); for one below GPUUtilBelow, the GPUs its work
// would keep busy plus headroom, rounded up, carrying the same work
// (utilisation × GPUs ÷ the new count), when that is fewer.
func (e *Engine) gpus(u *labcarbon.Usage) (Rule, int, float64, bool) {
	util := u.GPUUtil
	if !u.HasGPUUtil || u.GPUs <= 0 || !(util >= 0) || util > 1 {
		return "", 0, 0, false
	}
	if util <= e.th.GPUIdleAtMost {
		return RuleGPUIdle, 0, 0, true
	}
	if !(util < e.th.GPUUtilBelow) {
		return "", 0, 0, false
	}
	work := util * float64(u.GPUs)
	need := math.Max(1, math.Ceil(work*(1+max(0, e.th.GPUHeadroom))))
	if !(need < float64(u.GPUs)) {
		return "", 0, 0, false
	}
	return RuleGPUUnderuse, int(need), min(1, work/need), true
}

// flexible reports whether a job could have run at another time: an
// array task, or a job that waited in the queue at least FlexibleWaitSec.
func (e *Engine) flexible(u *labcarbon.Usage) bool {
	if u.ParentID != "" && strings.Contains(u.JobID, "_") {
		return true
	}
	if u.Submit.IsZero() || u.Start.IsZero() || e.th.FlexibleWaitSec <= 0 {
		return false
	}
	return u.Start.Sub(u.Submit).Seconds() >= float64(e.th.FlexibleWaitSec) // Seconds: no overflow on absurd thresholds
}
