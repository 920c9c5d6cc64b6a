package slurm

import (
	"slices"

	"labcarbon"
)

// requeuedRun reports whether a record is the run of a job that Slurm then
// requeued, which a later record of the same job supersedes.
func requeuedRun(s labcarbon.State) bool {
	switch s {
	case labcarbon.StateRequeued, "REQUEUE_HOLD", "REQUEUE_FED":
		return true
	}
	return false
}

// requeueHold holds back the records of requeued runs until a later record
// of the same job replaces them, so that a requeued job is counted once, as
// its last run. The JSON and jobcomp readers share it: sacct --duplicates
// lists a job's records by submit time, and a requeue resets the submit
// time, so other jobs come between them (in sacct --json the requeued run
// may come first of all); the jobcomp log has a line for each run. It
// holds only requeued runs not yet replaced, a handful however long the
// input. The sacct text reader uses it for the same reason.
type requeueHold map[string]item

// take files it, the record of job u, and says whether to return it now
// and whether it replaces a requeued run held before. A requeued run is
// held back in place of the job's run held before, if any; any other
// record is returned now, and replaces the job's run held back, if any.
func (h *requeueHold) take(u *labcarbon.Usage, it item) (ready, replaced bool) {
	key := u.Cluster + "/" + u.JobIDRaw // job ids are unique per cluster
	_, replaced = (*h)[key]
	if !requeuedRun(u.State) {
		delete(*h, key)
		return true, replaced
	}
	if *h == nil {
		*h = requeueHold{}
	}
	(*h)[key] = it
	return false, replaced
}

// release returns the runs still held, whose job has no later record in
// the input, in input order, and empties the hold.
func (h requeueHold) release() []item {
	items := make([]item, 0, len(h))
	for _, it := range h {
		items = append(items, it)
	}
	clear(h)
	slices.SortFunc(items, func(a, b item) int { return a.line() - b.line() })
	return items
}

// line returns the input line of an item.
func (it *item) line() int {
	if it.bad != nil {
		return it.bad.Line
	}
	return it.u.SourceLine
}
