package recommend

import (
	"cmp"
	"slices"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

// Engine collects the jobs of a period and makes the recommendations.
// Its memory grows with the researchers, groups, job names and
// destinations it meets, not with the jobs: per candidate it keeps sums
// and the few largest examples. It is not safe for concurrent use.
type Engine struct {
	model   compute.Model
	resolve func(*labcarbon.Usage) labcarbon.Assignment
	th      Thresholds
	groupOf func(*labcarbon.Usage) string
	moves   []Move
	loc     *time.Location
	nEx     int
	nContr  int
	labTop  int
	failing map[labcarbon.State]bool

	cands map[candKey]*acc
	pipes map[pipeKey]*pipe
	win   windowCache
	total Totals
}

// Totals are the period's jobs as the engine saw them: the base against
// which savings can be read.
type Totals struct {
	Jobs, Ran int
	KWh       labcarbon.Range
	CO2eKg    labcarbon.Range // operational (location-based) plus embodied
	Cost      float64
}

// candKey is one researcher's candidate for one rule within one group.
type candKey struct {
	rule        Rule
	group, user string
}

// New returns an engine. resolve matches factors to a moved job (it is
// only called by moves and may be nil when there are none); model is the
// emissions model the period was computed with.
func New(model compute.Model, resolve func(*labcarbon.Usage) labcarbon.Assignment, th Thresholds, opts Options) *Engine {
	e := &Engine{
		model:   model,
		resolve: resolve,
		th:      th,
		groupOf: opts.GroupOf,
		loc:     opts.Location,
		nEx:     orDefault(opts.Examples, 3),
		nContr:  orDefault(opts.Contributors, 5),
		labTop:  orDefault(opts.LabTop, 5),
		failing: make(map[labcarbon.State]bool),
		cands:   make(map[candKey]*acc),
		pipes:   make(map[pipeKey]*pipe),
	}
	if e.groupOf == nil {
		e.groupOf = defaultGroup
	}
	if e.loc == nil {
		e.loc = time.UTC
	}
	for _, s := range th.FailStates {
		e.failing[s] = true
	}
	if len(opts.Alternatives) > 0 {
		e.moves = append(e.moves, PartitionMove(opts.Alternatives))
	}
	for _, m := range opts.Moves {
		if m != nil {
			e.moves = append(e.moves, m)
		}
	}
	if resolve == nil {
		e.moves = nil // a move without factors for its destination saves nothing we can compute
	}
	return e
}

func orDefault(n, d int) int {
	if n > 0 {
		return n
	}
	return d
}

func defaultGroup(u *labcarbon.Usage) string {
	if u.Account != "" {
		return u.Account
	}
	return u.Group
}

// Totals returns the period's totals so far.
func (e *Engine) Totals() Totals { return e.total }

// proposal is one rule's change to one job.
type proposal struct {
	rule    Rule
	changed labcarbon.Usage
	assign  *labcarbon.Assignment // the moved job's factors; nil: the job's own
	after   labcarbon.Result
	save    amount
}

// maxProposals bounds the changes proposed for one job: memory, CPU, one
// GPU rule and time shift, and up to four moves. It sizes a buffer on
// the stack, so Add does not allocate for them.
const maxProposals = 8

// Add takes one job of the period. Call it once per job; the jobs may
// come in any order.
func (e *Engine) Add(j *labcarbon.Job) {
	if j == nil {
		return
	}
	u := &j.Usage
	own := whole(&j.Result)
	e.total.Jobs++
	e.total.KWh = e.total.KWh.Add(own.kwh)
	e.total.CO2eKg = e.total.CO2eKg.Add(own.co2)
	e.total.Cost += own.cost
	if !u.Ran() {
		return
	}
	e.total.Ran++
	group := e.groupOf(u)
	if e.failing[u.State] {
		// A failed run belongs to the failing-pipeline rule alone: its
		// efficiency says more about how it failed than about what it
		// asked for, and a run not made again saves everything it
		// emitted, which no other rule may claim as well.
		e.addFailure(j, group, own)
		return
	}

	var buf [maxProposals]proposal
	props := e.propose(j, buf[:0])
	if len(props) == 0 {
		return
	}
	base := e.model.Job(u, &j.Assignment)
	n := 0
	var sum amount
	for i := range props {
		p := &props[i]
		a := &j.Assignment
		if p.assign != nil {
			a = p.assign
		}
		p.after = e.model.Job(&p.changed, a)
		p.save = saving(&base, &p.after, own)
		if p.save.positive() {
			props[n] = *p
			sum.add(p.save)
			n++
		}
	}
	props = props[:n]
	if n > 1 {
		if f := overlapFactor(sum, e.combined(j, props, &base, own)); f < 1 {
			for i := range props {
				props[i].save = props[i].save.scale(f)
			}
		}
	}
	for i := range props {
		e.record(j, group, own, &props[i])
	}
}

// combined is the saving of making all the proposals' changes to j at
// once: the most any set of them can claim together.
func (e *Engine) combined(j *labcarbon.Job, props []proposal, base *labcarbon.Result, own amount) amount {
	var move *proposal
	for i := range props {
		if p := &props[i]; p.assign != nil && (move == nil || p.save.co2.Central > move.save.co2.Central) {
			move = p // moves are alternatives, not additive: take the best
		}
	}
	c, a := j.Usage, j.Assignment
	if move != nil {
		c = move.changed
	}
	for i := range props {
		p := &props[i]
		switch p.rule {
		case RuleMemory:
			c.MemReqGB = p.changed.MemReqGB
		case RuleCPU:
			c.CPUs = p.changed.CPUs
		case RuleGPUIdle, RuleGPUUnderuse:
			c.GPUs, c.GPUUtil, c.HasGPUUtil = p.changed.GPUs, p.changed.GPUUtil, p.changed.HasGPUUtil
		case RuleTimeShift:
			c.Start, c.End = p.changed.Start, p.changed.End
		}
	}
	if move != nil {
		a = e.resolve(&c)
	}
	after := e.model.Job(&c, &a)
	return saving(base, &after, own)
}

// record adds one job's saving under one rule to its candidate.
func (e *Engine) record(j *labcarbon.Job, group string, own amount, p *proposal) {
	k := candKey{rule: p.rule, group: group, user: j.User}
	c := e.cands[k]
	if c == nil {
		c = &acc{}
		e.cands[k] = c
	}
	c.jobs++
	c.save.add(p.save)
	c.co2 = c.co2.Add(own.co2)
	u := &j.Usage
	res := &j.Result
	switch p.rule {
	case RuleMemory:
		c.hist.add(u.MemPeakGB / u.MemReqGB)
		h := float64(u.ElapsedSec) / 3600
		c.reqGBh += u.MemReqGB * h
		c.sugGBh += p.changed.MemReqGB * h
		if u.MemPeakGB > c.maxPeak {
			c.maxPeak, c.maxPeakSug = u.MemPeakGB, p.changed.MemReqGB
		}
		c.maxReq = max(c.maxReq, u.MemReqGB)
	case RuleCPU:
		c.hist.add(u.CPUTimeSec / (float64(u.ElapsedSec) * float64(u.CPUs)))
		c.idleCoreH += fin(res.IdleCoreHours)
		c.idleCoreKg += fin(res.IdleCoreCO2eKg.Central)
		c.freedH += float64(u.CPUs-p.changed.CPUs) * float64(u.ElapsedSec) / 3600
		c.maxUnits = max(c.maxUnits, u.CPUs)
		c.maxNeeded = max(c.maxNeeded, p.changed.CPUs)
	case RuleGPUIdle, RuleGPUUnderuse:
		c.hist.add(u.GPUUtil)
		c.freedH += float64(u.GPUs-p.changed.GPUs) * float64(u.ElapsedSec) / 3600
		c.maxUnits = max(c.maxUnits, u.GPUs)
		c.maxNeeded = max(c.maxNeeded, p.changed.GPUs)
	case RuleTimeShift:
		kwh := fin(res.EnergyKWh.Central)
		c.ciKWh += kwh
		c.ciBefore += kwh * fin(res.CIgPerKWh)
		c.ciAfter += kwh * fin(p.after.CIgPerKWh)
	default:
		c.addChange(where(u), where(&p.changed), p.save.co2.Central)
	}
	c.addExample(e.nEx, e.example(j, own, p))
}

// example describes one job for the evidence.
func (e *Engine) example(j *labcarbon.Job, own amount, p *proposal) Example {
	u := &j.Usage
	x := Example{
		Cluster: u.Cluster, JobID: u.JobID, Name: u.Name, User: u.User, State: u.State,
		ElapsedSec:    u.ElapsedSec,
		Before:        settingOf(u),
		CPUEfficiency: j.Result.CPUEfficiency,
		MemEfficiency: j.Result.MemEfficiency,
		CO2eKg:        own.co2.Central,
	}
	if u.HasMemPeak {
		x.MemPeakGB = u.MemPeakGB
	}
	if u.HasGPUUtil {
		x.GPUUtil = u.GPUUtil
	}
	if p != nil {
		x.After = settingOf(&p.changed)
		x.SavingCO2eKg, x.SavingKWh = p.save.co2.Central, p.save.kwh.Central
	}
	return x
}

func settingOf(u *labcarbon.Usage) Setting {
	return Setting{Cluster: u.Cluster, Partition: u.Partition, CPUs: u.CPUs, GPUs: u.GPUs, MemReqGB: u.MemReqGB, Start: u.Start}
}

// exampleBefore orders examples largest saving first, then by place and
// id so that the order never depends on the order jobs came in.
func exampleBefore(a, b *Example) int {
	return cmp.Or(
		cmp.Compare(b.SavingCO2eKg, a.SavingCO2eKg),
		cmp.Compare(b.SavingKWh, a.SavingKWh),
		cmp.Compare(a.Cluster, b.Cluster),
		cmp.Compare(a.JobID, b.JobID),
		a.Before.Start.Compare(b.Before.Start),
	)
}

// keepTop inserts x into xs, kept sorted by exampleBefore and at most n
// long. It allocates only while xs grows to n.
func keepTop(xs []Example, n int, x Example) []Example {
	i, _ := slices.BinarySearchFunc(xs, x, func(a, b Example) int { return exampleBefore(&a, &b) })
	if i >= n {
		return xs
	}
	if len(xs) < n {
		xs = append(xs, Example{})
	}
	copy(xs[i+1:], xs[i:len(xs)-1])
	xs[i] = x
	return xs
}
