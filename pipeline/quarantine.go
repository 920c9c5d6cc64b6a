package pipeline

import (
	"cmp"
	"slices"

	"labcarbon/ingest"
)

// QuarantineCount is how many rows were quarantined for one field (Field ""
// for rows that were wrong as a whole, such as a column count that does not
// match the header), with the first such row to show what went wrong.
type QuarantineCount struct {
	Field   string
	Rows    int
	Example ingest.RowError
}

// quarantineTally counts one input's quarantined rows by field. An input has
// few distinct fields at fault, so a slice searched linearly beats a map.
type quarantineTally []QuarantineCount

func (t *quarantineTally) add(e *ingest.RowError) {
	for i := range *t {
		if (*t)[i].Field == e.Field {
			(*t)[i].Rows++
			return
		}
	}
	*t = append(*t, QuarantineCount{Field: e.Field, Rows: 1, Example: *e})
}

// mergeInto adds t to counts, the tally of the inputs before, keeping the
// earlier example of a field, and sorts the result by rows, most first.
func (t quarantineTally) mergeInto(counts []QuarantineCount) []QuarantineCount {
	for _, c := range t {
		i := slices.IndexFunc(counts, func(q QuarantineCount) bool { return q.Field == c.Field })
		if i < 0 {
			counts = append(counts, c)
			continue
		}
		counts[i].Rows += c.Rows
	}
	slices.SortStableFunc(counts, func(a, b QuarantineCount) int {
		return cmp.Or(cmp.Compare(b.Rows, a.Rows), cmp.Compare(a.Field, b.Field))
	})
	return counts
}
