package pipeline

import (
	"cmp"
	"slices"
	"strings"

	"labcarbon/ingest"
)

// QuarantineCount is how many rows were quarantined for one kind of
// problem: the same field at fault (Field "" for rows wrong as a whole) and
// the same reason but for the values in it, with the first such row to show
// what went wrong.
type QuarantineCount struct {
	Field   string
	Rows    int
	Example ingest.RowError
	kind    string
}

// quarantineTally counts one input's quarantined rows by kind. An input has
// few kinds of problem, so a slice searched linearly beats a map.
type quarantineTally []QuarantineCount

func (t *quarantineTally) add(e *ingest.RowError) {
	kind := reasonKind(e.Reason)
	for i := range *t {
		if q := &(*t)[i]; q.Field == e.Field && q.kind == kind {
			q.Rows++
			return
		}
	}
	*t = append(*t, QuarantineCount{Field: e.Field, Rows: 1, Example: *e, kind: kind})
}

// mergeInto adds t to counts, the tally of the inputs before, keeping the
// earlier example of a kind, and sorts the result by rows, most first.
func (t quarantineTally) mergeInto(counts []QuarantineCount) []QuarantineCount {
	for _, c := range t {
		i := slices.IndexFunc(counts, func(q QuarantineCount) bool { return q.Field == c.Field && q.kind == c.kind })
		if i < 0 {
			counts = append(counts, c)
			continue
		}
		counts[i].Rows += c.Rows
	}
	slices.SortStableFunc(counts, func(a, b QuarantineCount) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), cmp.Compare(a.Field, b.Field), cmp.Compare(a.kind, b.kind))
	})
	return counts
}

// reasonKind is a reason without the values in it, digits and quoted text,
// so that `bad size "12X"` and `bad size "7Q"`, or `31 fields, the header
// has 30` and `29 fields, the header has 30`, are one kind of problem.
func reasonKind(reason string) string {
	var b strings.Builder
	quoted := false
	for _, r := range reason {
		switch {
		case r == '"':
			if !quoted {
				b.WriteString(`""`)
			}
			quoted = !quoted
		case quoted:
		case r >= '0' && r <= '9':
			if s := b.String(); len(s) == 0 || s[len(s)-1] != '#' {
				b.WriteByte('#')
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
