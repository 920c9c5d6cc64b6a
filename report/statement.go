package report

import (
	"time"

	"labcarbon"
)

// Statement is one researcher's own figures for a period: what a
// per-researcher statement prints, and nothing of anyone else's.
type Statement struct {
	Lab       string
	Period    labcarbon.Period
	Generated time.Time
	RunID     int64
	Version   string
	Currency  string

	// User is the login; Name how the statement addresses them (their
	// name, or their pseudonym where the lab pseudonymises).
	User, Name string
	// Group is the research group their jobs count under (the one with
	// the most of their CO2e when they ran under several), with its PI.
	Group, PI string

	Totals Totals
	// LabShare is their share of the lab's central CO2e in the period.
	LabShare float64
	// Trend holds their totals in the periods before this one and in this
	// one, oldest first.
	Trend []Comparison
	// ByPartition and ByState break their jobs down as the lab report
	// does.
	ByPartition []Row
	ByState     []Row
	// TopJobs are their jobs with the largest central CO2e, largest first.
	TopJobs []labcarbon.Job
	// Equivalents put their central CO2e in familiar terms.
	Equivalents []EquivalentCount
	// Recommendations are theirs alone, largest saving first.
	Recommendations []Recommendation
	// Body is the text of the statement, paragraph by paragraph, from
	// templates/statement.tmpl; it also serves as the body of a mail.
	Body []string
}
