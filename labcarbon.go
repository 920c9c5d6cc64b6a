// Package labcarbon holds the nouns every stage of the pipeline shares: the
// canonical usage record that ingest produces, the factors that matching
// attaches to it, and the result that compute derives from both.
//
// The data flow is
//
//	ingest (files, sacct) → Usage → factors (hardware, site, grid) → Assignment
//	→ compute → Result → store → report
//
// This package does no I/O and imports nothing else of the project, so every
// stage can depend on it without depending on each other.
package labcarbon

// Version is the software version printed by `labcarbon version` and recorded
// with every run. Release builds override it with -ldflags -X.
var Version = "0.1.0-dev"

// Range is a quantity with its uncertainty: the central estimate and the
// lowest and highest values the factor ranges allow.
type Range struct {
	Low, Central, High float64
}

// Scale returns r with every bound multiplied by f.
func (r Range) Scale(f float64) Range {
	return Range{Low: r.Low * f, Central: r.Central * f, High: r.High * f}
}

// Add returns the bound-wise sum of r and o. Summing lows and highs gives the
// widest range the parts allow, which is the honest bound when the parts'
// errors share their cause (the same TDP table, the same grid source).
func (r Range) Add(o Range) Range {
	return Range{Low: r.Low + o.Low, Central: r.Central + o.Central, High: r.High + o.High}
}

// Point returns a range with no spread.
func Point(v float64) Range { return Range{Low: v, Central: v, High: v} }
