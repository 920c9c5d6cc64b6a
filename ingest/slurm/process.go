package slurm

import (
	"fmt"
	"strings"
	"time"

	"labcarbon"
)

// process handles one record: a job line starts a job (completing the one
// before), a step line adds to its job, and a bad row is queued as such.
// A record that is not owned is a view of the read buffer: only a step
// that folds into the current job, which keeps nothing of the text, is
// handled on the view; anything else is copied first.
func (r *SacctReader) process(rec string, line int, owned bool) {
	if r.isHeader(rec) {
		// Another sacct run appended to the same file: what follows may
		// again begin with the tail of a job.
		r.flush()
		r.leading = true
		return
	}
	r.split(rec)
	if r.rec.n() != len(r.lay.names) {
		if !owned {
			r.process(strings.Clone(rec), line, true)
			return
		}
		if reason := r.repairFields(); reason != "" {
			r.shifted(rec, line, reason)
			return
		}
	}
	id, err := ParseJobID(r.get(r.lay.key))
	if err != nil {
		r.badRow(line, rec, r.lay.name(r.lay.key), err.Error())
		return
	}
	if id.IsStep() && r.job.active && !r.job.synthetic && r.job.key == id.Job {
		r.foldStep(rec, line) // the common case, safe on a view
		return
	}
	if !owned {
		// Anything else keeps text (ids, names) or is rare: copy the
		// line and keep the cuts.
		rec = strings.Clone(rec)
		r.rec.rebase(rec[:len(r.rec.text)])
		id, _ = ParseJobID(r.get(r.lay.key)) // the same text parsed above
	}
	if id.IsStep() {
		r.stepLine(rec, line, id)
	} else {
		r.jobLine(rec, line, id)
	}
}

// jobLine starts a new job.
func (r *SacctReader) jobLine(rec string, line int, id JobID) {
	if r.job.active && !r.job.synthetic && r.job.key == id.Job {
		// sacct --duplicates lists every record of a requeued job, oldest
		// first: the later record replaces the earlier.
		r.job.active = false
		r.stats.Duplicates++
	}
	r.flush()
	r.leading = false
	r.lostKey = ""
	if fe := r.parseJob(&r.job, id, line); fe != nil {
		r.badRow(line, rec, r.lay.name(fe.col), fe.Error())
		r.lose(id.Job, fmt.Sprintf("its job line %d was quarantined", line))
		return
	}
	r.job.active = true
	r.job.key = id.Job
	r.job.raw = rec
}

// stepLine adds a step to its job, or quarantines it when its job is
// missing.
func (r *SacctReader) stepLine(rec string, line int, id JobID) {
	switch {
	case r.job.active && r.job.key == id.Job:
		r.addStep(rec, line, id)
		return
	case r.lostKey != "" && r.lostKey == id.Job:
		r.badRow(line, rec, "", fmt.Sprintf("step of job %s: %s", id.Job, r.lostReason))
		return
	}
	r.flush()
	if !r.leading {
		r.lose(id.Job, "no job line above its steps")
		r.badRow(line, rec, "", fmt.Sprintf("step of job %s: %s", id.Job, r.lostReason))
		return
	}
	// The input begins inside a job (a file split mid-job): rebuild the
	// job from its steps when they say enough.
	r.leading = false
	if fe := r.parseJob(&r.job, id, line); fe != nil {
		r.badRow(line, rec, r.lay.name(fe.col), fe.Error())
		r.lose(id.Job, "no job line (the input starts inside the job), and its first step could not be read")
		return
	}
	if why := r.job.lacks(); why != "" {
		r.job.active = false
		r.lose(id.Job, fmt.Sprintf("no job line (the input starts inside the job), and the steps lack %s to rebuild it", why))
		r.badRow(line, rec, "", fmt.Sprintf("step of job %s: %s", id.Job, r.lostReason))
		return
	}
	r.job.active, r.job.synthetic = true, true
	r.job.key = id.Job
	r.job.raw = rec
	// A step's TotalCPU and energy are its own, not the job's sum: the
	// steps' totals are folded below like any job's.
	r.job.lineCPU, r.job.lineEnergy = 0, 0
	r.job.u.Name = "" // the step's name (batch, ...) is not the job's
	r.job.batchSeen = id.Step == "batch"
	r.stats.Synthetic++
	r.foldStep(rec, line)
}

// addStep folds a step into the current job; a bad step is quarantined on
// its own and the job goes on without it.
func (r *SacctReader) addStep(rec string, line int, id JobID) {
	if r.job.synthetic {
		var s jobAcc
		if fe := r.parseJob(&s, id, line); fe != nil {
			r.badRow(line, rec, r.lay.name(fe.col), fe.Error())
			return
		}
		r.job.merge(&s.u, id.Step == "batch")
	}
	r.foldStep(rec, line)
}

// foldStep reads the usage of the current record and adds it to the job.
func (r *SacctReader) foldStep(rec string, line int) {
	var st stepUsage
	if fe := r.parseStep(&st); fe != nil {
		r.badRow(line, rec, r.lay.name(fe.col), fe.Error())
		return
	}
	r.job.fold(&st)
	r.stats.Steps++
}

// shifted quarantines a record with the wrong number of fields. The fields
// before the first free-text column are still in place, so when the job id
// is among them its steps can follow it into quarantine.
func (r *SacctReader) shifted(rec string, line int, reason string) {
	safe := min(r.lay.firstFree, r.rec.n()-1)
	if r.lay.idx[r.lay.key] < safe {
		id, err := ParseJobID(r.get(r.lay.key))
		if err == nil && !id.IsStep() { // a bad step leaves its job as it is
			r.flush()
			r.leading = false
			r.lose(id.Job, fmt.Sprintf("its job line %d was quarantined", line))
		}
	}
	r.badRow(line, rec, "", reason)
}

// lose remembers a job that cannot be read, so that its remaining steps are
// quarantined with a reason that points at the cause.
func (r *SacctReader) lose(key, reason string) {
	r.lostKey, r.lostReason = key, reason
}

// flush completes the current job and queues it, or queues it as a bad row
// if the whole turns out impossible.
func (r *SacctReader) flush() {
	if !r.job.active {
		return
	}
	r.job.active = false
	r.job.complete()
	if col, reason := r.job.check(); reason != "" {
		r.badRow(r.job.u.SourceLine, r.job.raw, r.lay.name(col), reason)
		return
	}
	r.emit(&r.job.u)
}

// lacks says what a job rebuilt from a step is missing to be worth a
// record: when it ran, on how many CPUs, and whose it was.
func (a *jobAcc) lacks() string {
	u := &a.u
	switch {
	case u.Start.IsZero():
		return "a start time"
	case u.CPUs == 0:
		return "a CPU count"
	case u.User == "" && u.Account == "":
		return "a user or account"
	}
	return ""
}

// merge widens a job rebuilt from steps by one more step: its span covers
// all steps, its allocation is the largest step's, and its state is that of
// the batch step (the job script) when there is one.
func (a *jobAcc) merge(s *labcarbon.Usage, batch bool) {
	u := &a.u
	if !s.Start.IsZero() && (u.Start.IsZero() || s.Start.Before(u.Start)) {
		u.Start = s.Start
	}
	if !s.Submit.IsZero() && (u.Submit.IsZero() || s.Submit.Before(u.Submit)) {
		u.Submit = s.Submit
	}
	if s.End.After(u.End) {
		u.End = s.End
	}
	if !u.Start.IsZero() && !u.End.IsZero() {
		u.ElapsedSec = max(u.ElapsedSec, int64(u.End.Sub(u.Start)/time.Second))
	}
	u.ElapsedSec = max(u.ElapsedSec, s.ElapsedSec)
	u.CPUs = max(u.CPUs, s.CPUs)
	if s.NNodes > u.NNodes {
		u.NNodes, u.NodeList = s.NNodes, s.NodeList
	}
	u.GPUs = max(u.GPUs, s.GPUs)
	if u.GPUModel == "" {
		u.GPUModel = s.GPUModel
	}
	u.MemReqGB = max(u.MemReqGB, s.MemReqGB)
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&u.User, s.User}, {&u.Group, s.Group}, {&u.Account, s.Account},
		{&u.Partition, s.Partition}, {&u.QOS, s.QOS}, {&u.Cluster, s.Cluster},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if batch && !a.batchSeen {
		u.State, u.ExitCode, a.batchSeen = s.State, s.ExitCode, true
	}
}
