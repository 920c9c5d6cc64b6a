package recommend

import (
	"cmp"
	"strings"
	"time"

	"labcarbon"
)

// pipeKey is one researcher's pipeline within one group: the runs of
// one job name, or of one array when the job has no name.
type pipeKey struct {
	group, user, name string
}

// pipe accumulates a pipeline's failed runs. The earliest run is kept
// apart, whatever order the runs come in: it is the one failure the
// saving does not count (someone had to find out it fails). rest sums the
// others directly rather than subtracting the first from a total, so a
// huge first run cannot swallow the rest in rounding.
type pipe struct {
	runs                 int
	failed, oom, timeout int
	first                runRef
	firstAmt             amount
	rest                 amount
	// firstEx is the first run's example, kept apart so that it never
	// shows among the examples of runs that could have been saved.
	firstEx  Example
	examples []Example
}

// runRef identifies a run for choosing the earliest.
type runRef struct {
	submit, start    time.Time
	cluster, raw, id string
}

func (a runRef) before(b runRef) bool {
	return cmp.Or(a.submit.Compare(b.submit), a.start.Compare(b.start),
		cmp.Compare(a.cluster, b.cluster), cmp.Compare(a.raw, b.raw), cmp.Compare(a.id, b.id)) < 0
}

// pipelineName names the pipeline a failed run belongs to, or "" when
// it has no name and is not an array task.
func pipelineName(u *labcarbon.Usage) string {
	if u.Name != "" {
		return u.Name
	}
	if u.ParentID != "" && strings.Contains(u.JobID, "_") {
		return "array " + u.Cluster + "/" + u.ParentID
	}
	return ""
}

// addFailure records a failed run. Not running it again would save all
// it emitted: the model run on a job that does not run gives nothing.
func (e *Engine) addFailure(j *labcarbon.Job, group string, own amount) {
	u := &j.Usage
	name := pipelineName(u)
	if name == "" {
		return
	}
	k := pipeKey{group: group, user: u.User, name: name}
	p := e.pipes[k]
	if p == nil {
		p = &pipe{}
		e.pipes[k] = p
	}
	ref := runRef{submit: u.Submit, start: u.Start, cluster: u.Cluster, raw: u.JobIDRaw, id: u.JobID}
	x := e.example(j, own, nil)
	x.SavingCO2eKg, x.SavingKWh = own.co2.Central, own.kwh.Central
	switch {
	case p.runs == 0:
		p.first, p.firstAmt, p.firstEx = ref, own, x
	case ref.before(p.first):
		p.rest.add(p.firstAmt)
		p.examples = keepTop(p.examples, e.nEx, p.firstEx)
		p.first, p.firstAmt, p.firstEx = ref, own, x
	default:
		p.rest.add(own)
		p.examples = keepTop(p.examples, e.nEx, x)
	}
	p.runs++
	switch u.State {
	case labcarbon.StateOutOfMemory:
		p.oom++
	case labcarbon.StateTimeout:
		p.timeout++
	default:
		p.failed++
	}
}

// failureCands turns the pipelines that failed at least FailMinRuns times
// into candidates of RuleFailing, one per researcher and group.
func (e *Engine) failureCands(into map[candKey]*acc) {
	minRuns := max(e.th.FailMinRuns, 2)
	for k, p := range e.pipes {
		if p.runs < minRuns {
			continue
		}
		save := p.rest
		ck := candKey{rule: RuleFailing, group: k.group, user: k.user}
		c := into[ck]
		if c == nil {
			c = &acc{}
			into[ck] = c
		}
		c.jobs += p.runs - 1
		c.save.add(save)
		c.co2 = c.co2.Add(save.co2) // the saving is all these runs emitted
		c.failed += p.failed
		c.oom += p.oom
		c.timeout += p.timeout
		c.runs += p.runs
		c.wasted += save.co2.Central + p.firstAmt.co2.Central
		c.pipelines = append(c.pipelines, Pipeline{
			User: k.user, Name: k.name, Runs: p.runs,
			Failed: p.failed, OutOfMemory: p.oom, Timeout: p.timeout,
			WastedCO2eKg: save.co2.Central + p.firstAmt.co2.Central, SavingCO2eKg: save.co2.Central,
		})
		for _, x := range p.examples {
			c.addExample(e.nEx, x)
		}
	}
}
