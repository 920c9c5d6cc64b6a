package factors

import (
	"cmp"
	"slices"
)

// WarningCount is one distinct fallback warning and how many records it was
// attached to. Warnings name the cluster, partition, node type or model they
// concern, so a run summary can print them as they are.
type WarningCount struct {
	Warning string
	Jobs    int
}

// Warnings summarises the warnings of every record resolved so far, most
// frequent first.
func (r *Resolver) Warnings() []WarningCount {
	r.mu.Lock()
	defer r.mu.Unlock()
	counts := make(map[string]int, len(r.retired))
	for w, n := range r.retired {
		counts[w] += n
	}
	for _, pe := range r.parts {
		if pe.m != nil {
			countMatch(counts, pe.m)
		}
		for _, m := range pe.byNodes {
			countMatch(counts, m)
		}
	}
	out := make([]WarningCount, 0, len(counts))
	for w, n := range counts {
		out = append(out, WarningCount{Warning: w, Jobs: n})
	}
	slices.SortFunc(out, func(a, b WarningCount) int {
		if c := cmp.Compare(b.Jobs, a.Jobs); c != 0 {
			return c
		}
		return cmp.Compare(a.Warning, b.Warning)
	})
	return out
}

func countMatch(counts map[string]int, m *match) {
	for _, e := range m.entries {
		if e.jobs == 0 {
			continue
		}
		for _, w := range e.a.Warnings {
			counts[w] += e.jobs
		}
	}
}

// retire folds the warning counts of matches about to leave the cache into
// r.retired, so evicting never loses a count. r.mu is held.
func (r *Resolver) retire(ms map[string]*match) {
	for _, m := range ms {
		countMatch(r.retired, m)
	}
}
