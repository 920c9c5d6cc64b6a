package report

import (
	"maps"
	"slices"
	"time"

	"labcarbon"
	"labcarbon/compute/recommend"
)

// Data is everything a report prints, aggregated once; every renderer (PDF,
// workbook, CSV/JSON) prints from it, so their numbers cannot disagree.
type Data struct {
	Lab       string
	Period    labcarbon.Period
	Generated time.Time
	RunID     int64
	Version   string
	Currency  string
	// Catalog is the factor catalog's version, and CatalogOverrides the
	// rows the lab's overrides replaced or added, for the audit appendix.
	Catalog          string
	CatalogOverrides []string
	// Inputs are the files and sacct windows the store's data came from,
	// each as last read, newest first, for the audit appendix.
	Inputs []Input

	// Summary is the executive summary, one paragraph per element, worded
	// by the templates package.
	Summary []string

	Totals Totals
	// OverTime has one row per bucket of size Bucket, in time order, Key =
	// the bucket's start date.
	OverTime []Row
	Bucket   Bucket
	// ByMonth has one row per calendar month the period touches.
	ByMonth     []Row
	ByGroup     []Row // sorted by central CO2e, largest first
	ByPartition []Row
	ByUser      []Row
	ByState     []Row
	ByCluster   []Row
	ByNodeType  []Row
	// OverTimeByGroup is the CO2e of the largest groups in each bucket of
	// OverTime, the rest as one "other" series, for a stacked chart.
	OverTimeByGroup []Series
	// CPUEfficiency and JobSizes are the distributions of the jobs that
	// ran, by EfficiencyBins and SizeBins.
	CPUEfficiency, JobSizes []Bin
	// SCIUnit is the functional unit of the Software Carbon Intensity the
	// lab reports per group: job, successful job, GPU-hour or CPU
	// core-hour; "" for none.
	SCIUnit string

	// Equivalents put the period's central CO2e in familiar terms, in the
	// order Options gave them.
	Equivalents []EquivalentCount

	// Previous, YearEarlier and YearToDate are the totals of the period
	// before, of the same period a year earlier and of the year to the
	// period's end, for comparison; nil when not computed, and with zero
	// jobs when the store has none then.
	Previous, YearEarlier, YearToDate *Comparison

	// Recommendations are the changes the rules suggest for the period, for
	// the lab, each group and each researcher, largest saving first.
	Recommendations []Recommendation
	// Uptake says what became of the previous period's lab and group
	// recommendations: still made, and the saving realised since.
	// PreviousRecommendations are those recommendations worded, in the
	// same order, for the renderers to name them.
	Uptake                  []recommend.Uptake
	PreviousRecommendations []Recommendation

	Factors []Factor
	// EmbodiedSources are the distinct sources of the embodied figures
	// the jobs used (one per node type's hardware description), sorted,
	// for the methodology to name; Factors has them per node type.
	EmbodiedSources []string
	Exclusions      []Exclusion
	// Jobs streams every job of the period, in start order, for the sheets
	// and exports that list jobs one by one.
	Jobs func(fn func(*labcarbon.Job) error) error
	// GroupOf names the research group a job is counted under, as in
	// ByGroup, for the renderers that list jobs one by one.
	GroupOf func(u *labcarbon.Usage) string
	// JobUser names a login as the lists of every job print it (see
	// Options.JobUser), for the renderers that list jobs one by one.
	JobUser func(login string) string
}

// Bucket is the size of the time buckets of a chart over time.
type Bucket string

// Bucket sizes: days for a month or less, weeks up to a quarter, months
// beyond.
const (
	Day   Bucket = "day"
	Week  Bucket = "week"
	Month Bucket = "month"
)

// Totals are the headline figures of a period.
type Totals struct {
	Jobs      int
	CPUHours  float64 // allocated core-hours: elapsed × CPUs
	GPUHours  float64
	EnergyKWh labcarbon.Range
	CO2eKg    labcarbon.Range
	Cost      float64
	// WastedCO2eKg is the central CO2e of jobs that started and then failed,
	// timed out, ran out of memory, lost their node or were cancelled.
	WastedCO2eKg float64
	MeasuredJobs int // jobs whose energy Slurm measured
	// RunningAtEnd counts the jobs counted that ran on past the period's
	// end, which the period after counts too.
	RunningAtEnd int

	// EmbodiedCO2eKg is the jobs' share of their hardware's manufacturing
	// emissions (Scope 3), beside the operational CO2eKg, not in it.
	EmbodiedCO2eKg labcarbon.Range
	// MarketCO2eKg is Scope 2 market-based: the site's market factor where
	// it has one, the location-based figure elsewhere. MarketShare is the
	// share of the energy a market factor covered, 0..1; 0 means no site
	// has one and MarketCO2eKg is not worth printing.
	MarketCO2eKg labcarbon.Range
	MarketShare  float64
	// HourlyShare is the share of the energy whose intensity came from an
	// hourly series rather than an annual average, 0..1.
	HourlyShare float64
	// GridCO2eKg is what the jobs' energy would have emitted at the annual
	// average intensity of their zones: against CO2eKg, it says whether
	// the jobs ran at cleaner or dirtier hours than the grid's average.
	GridCO2eKg float64
	// MemWasteCO2eKg is the CO2e of memory requested beyond what jobs
	// needed; IdleCoreHours are allocated core-hours left unused and
	// IdleCoreCO2eKg what they would emit at full load (shown beside the
	// total, not in it). Central figures.
	MemWasteCO2eKg float64
	IdleCoreHours  float64
	IdleCoreCO2eKg float64
}

// Row is one line of a breakdown.
type Row struct {
	Key          string
	Jobs         int
	CPUHours     float64
	GPUHours     float64
	EnergyKWh    float64 // central
	CO2eKg       labcarbon.Range
	Cost         float64
	WastedCO2eKg float64
	Share        float64 // of the period's central CO2e, 0..1
	Completed    int     // jobs that ended COMPLETED
	PI           string  // of a group row, when the lab's config names one
	// Central figures beside the operational CO2e, as in Totals.
	EmbodiedCO2eKg float64
	MemWasteCO2eKg float64
	IdleCoreCO2eKg float64
}

// Input is one file or live sacct window read into the store.
type Input struct {
	Name, SHA256, Format string
	Jobs, Bad            int
	RunID                int64
	Read                 time.Time
}

// Series is one layer of a stacked chart over time: a key's central CO2e
// in each bucket.
type Series struct {
	Key    string
	CO2eKg []float64
}

// sciUnits are the functional units of the Software Carbon Intensity, each
// with how many of it a row holds.
var sciUnits = map[string]func(r Row) float64{
	"job":            func(r Row) float64 { return float64(r.Jobs) },
	"successful job": func(r Row) float64 { return float64(r.Completed) },
	"GPU-hour":       func(r Row) float64 { return r.GPUHours },
	"CPU core-hour":  func(r Row) float64 { return r.CPUHours },
}

// SCIUnits lists the functional units SCI knows, for a configuration to
// check against.
func SCIUnits() []string { return slices.Sorted(maps.Keys(sciUnits)) }

// SCI returns the Software Carbon Intensity of a row (Green Software
// Foundation, ISO/IEC 21031: (E × I + M) per functional unit): its
// operational and embodied gCO2e per unit; ok is false when the row has
// none of the unit (no GPU-hours, no successful job), or the unit is not
// one of SCIUnits, where it is not defined.
func (r Row) SCI(unit string) (g float64, ok bool) {
	count, known := sciUnits[unit]
	if !known {
		return 0, false
	}
	n := count(r)
	if n <= 0 {
		return 0, false
	}
	return (r.CO2eKg.Central + r.EmbodiedCO2eKg) * 1000 / n, true
}

// Comparison is another period's headline figures.
type Comparison struct {
	Period labcarbon.Period
	Totals Totals
}

// Recommendation is a change the rules suggest, worded for the reader.
type Recommendation struct {
	recommend.Recommendation
	// Who is the audience as the report prints it: "the lab", a group with
	// its PI, or a researcher's name (or pseudonym).
	Who string
	// Currency names the unit of SavingCost.
	Currency string
	// Title says what to do in one line; Text explains it with the
	// evidence. Both come from templates/recommendations.tmpl.
	Title, Text string
}

// Equivalent is a familiar quantity of CO2e, from the factor catalog.
type Equivalent struct {
	Key          string // stable id: tree_month, car_km, ...
	Name         string // plural phrase printed after the count
	GramsPerUnit float64
	Source       string
}

// EquivalentCount is how many of an equivalent the period's CO2e makes.
type EquivalentCount struct {
	Equivalent
	Count float64
}

// Factor is one factor the period's results used, with its provenance.
type Factor struct {
	Name   string // e.g. "CPU watts per core, node type cpu-std"
	Value  string // formatted with unit, e.g. "10.0 W (8.0–12.0)"
	Source string
	Jobs   int // how many jobs used it
}

// Exclusion is a row quarantined at ingest, or a class of records left out.
type Exclusion struct {
	File   string
	Line   int
	Field  string
	Reason string
}

// MemoLabel returns label, remembering what it printed for each login, for
// the renderers that print the user of every job (a pseudonym is a keyed
// hash); nil prints logins as they are. It is for one goroutine.
func MemoLabel(label func(login string) string) func(login string) string {
	if label == nil {
		return func(login string) string { return login }
	}
	printed := map[string]string{}
	return func(login string) string {
		l, ok := printed[login]
		if !ok {
			l = label(login)
			printed[login] = l
		}
		return l
	}
}
