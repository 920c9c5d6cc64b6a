package factors

import (
	"fmt"

	"labcarbon"
)

// Provenance says where a catalog figure comes from, so that reports can cite
// it and honour its licence.
type Provenance struct {
	// Year is the year the figure describes: the data year of a grid
	// intensity, the release year of a chip, the publication year of a
	// coefficient.
	Year int
	// Source is a short human citation, such as "Ember via OWID".
	Source string
	// SourceRef points at the source: a URL or repository@commit:path.
	SourceRef string
	// Licence is the licence of the figure's source(s), such as "CC BY 4.0".
	Licence string
}

// readProvenance reads the four provenance columns every table has and
// insists on all of them: a figure nobody can trace does not ship.
func readProvenance(r *row) Provenance {
	p := Provenance{
		Year:      r.int("year"),
		Source:    r.str("source"),
		SourceRef: r.str("source_ref"),
		Licence:   r.str("licence"),
	}
	if p.Year < 1990 || p.Year > 2100 {
		r.fail("year", fmt.Errorf("%d is not a plausible year", p.Year))
	}
	for _, c := range [...]struct{ col, v string }{{"source", p.Source}, {"source_ref", p.SourceRef}, {"licence", p.Licence}} {
		if c.v == "" {
			r.fail(c.col, errEmpty)
		}
	}
	return p
}

// Factor is one scalar coefficient with its uncertainty: a PUE, memory watts
// per GB, an embodied figure, a generic fallback.
type Factor struct {
	// Key names the factor within its table ("default", "aws", "server.base").
	Key string
	// Value is the central estimate; Low and High bound it.
	Value, Low, High float64
	// Unit says what Value measures, such as "W per GB".
	Unit string
	// RangeReason explains why Low and High differ from Value; empty when
	// the sources agree.
	RangeReason string
	Provenance
}

// Range returns the factor as a labcarbon.Range.
func (f Factor) Range() labcarbon.Range {
	return labcarbon.Range{Low: f.Low, Central: f.Value, High: f.High}
}

// readRange reads a central value and its bounds and checks that they are
// ordered and not negative, so no table can smuggle in a range that
// computes nonsense.
func readRange(r *row, central, low, high string) (c, lo, hi float64) {
	c, lo, hi = r.float(central), r.float(low), r.float(high)
	if lo < 0 || lo > c || c > hi {
		r.fail(central, fmt.Errorf("want 0 ≤ %s ≤ %s ≤ %s, got %g, %g, %g", low, central, high, lo, c, hi))
	}
	return c, lo, hi
}
