package recommend

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"

	"labcarbon"
)

// Rule names a recommendation rule. The names are part of the stable ids
// and of the templates' vocabulary: do not rename them.
type Rule string

// The rules. See the package documentation for each one's threshold and
// saving.
const (
	RuleMemory      Rule = "memory-request"
	RuleCPU         Rule = "cpu-cores"
	RuleGPUIdle     Rule = "gpu-idle"
	RuleGPUUnderuse Rule = "gpu-underused"
	RuleFailing     Rule = "failing-pipeline"
	RuleTimeShift   Rule = "time-shift"
	RulePartition   Rule = "partition"
)

// Scope says whom a recommendation is for.
type Scope string

// The scopes, from the widest.
const (
	ScopeLab   Scope = "lab"   // the lab as a whole; Subject is ""
	ScopeGroup Scope = "group" // a research group; Subject is its name
	ScopeUser  Scope = "user"  // one researcher; Subject is the login
)

// Recommendation is one change, for one audience, with the evidence and
// the saving it would have brought over the period.
type Recommendation struct {
	// ID is a short hash of rule, scope and subject: the same
	// recommendation gets the same id every period, so the next report can
	// say whether it was taken up (see Realised).
	ID      string
	Rule    Rule
	Scope   Scope
	Subject string // group name, login, or "" for the lab

	// Jobs is the number of jobs the change would have saved something on
	// (for RuleFailing, the failed runs beyond the first of each pipeline).
	Jobs int
	// CO2eKg is the emissions of those jobs, operational (location-based)
	// plus embodied: what the saving is a part of.
	CO2eKg labcarbon.Range

	// The saving over the period. SavingCO2eKg is operational plus
	// embodied; OperationalCO2eKg and EmbodiedCO2eKg split its central
	// value. One of the two may be negative when a change trades one for
	// the other (a partition of newer, more power-hungry nodes, a job
	// measured on whole nodes that would be modelled on part of one).
	SavingKWh         labcarbon.Range
	SavingCO2eKg      labcarbon.Range
	SavingCost        float64
	OperationalCO2eKg float64
	EmbodiedCO2eKg    float64

	// Figures are the rule's numbers for the wording; the keys each rule
	// sets are listed in the package documentation.
	Figures map[string]float64
	// Examples are the jobs with the largest savings, largest first.
	Examples []Example
	// Changes lists, for RulePartition and other moves, where the work
	// would go, largest saving first.
	Changes []Change
	// Pipelines lists, for RuleFailing, the failing pipelines, largest
	// saving first.
	Pipelines []Pipeline
	// Contributors lists, for group and lab scope, the researchers whose
	// changes make up most of the saving, largest first.
	Contributors []Contributor
}

// Example is one job behind a recommendation, as it ran and as the
// recommendation would have it.
type Example struct {
	Cluster, JobID, Name string
	User                 string
	State                labcarbon.State
	ElapsedSec           int64
	// Before is the job as it was submitted; After as the rule would
	// change it (the zero value for RuleFailing: not run again).
	Before, After Setting
	MemPeakGB     float64 // 0 when unknown
	CPUEfficiency float64 // 0 when unknown
	MemEfficiency float64 // 0 when unknown
	GPUUtil       float64 // 0 when unknown
	// CO2eKg is the job's own emissions, operational plus embodied,
	// central; SavingCO2eKg and SavingKWh its share of the saving.
	CO2eKg       float64
	SavingCO2eKg float64
	SavingKWh    float64
}

// Setting is what a rule may change about a job.
type Setting struct {
	Cluster, Partition string
	CPUs, GPUs         int
	MemReqGB           float64
	Start              time.Time
}

// Change is one destination of a move (RulePartition): work from From
// (cluster/partition) would run on To.
type Change struct {
	From, To     string
	Jobs         int
	SavingCO2eKg float64
}

// Pipeline is one series of failing runs of the same job name (or array)
// of one researcher.
type Pipeline struct {
	User string
	// Name is the job name, or "array <cluster>/<id>" for a nameless array.
	Name                         string
	Runs                         int // failed runs, the first included
	Failed, OutOfMemory, Timeout int // runs by final state
	WastedCO2eKg                 float64
	SavingCO2eKg                 float64 // the runs beyond the first
}

// Contributor is one researcher's part of a group or lab recommendation.
type Contributor struct {
	Subject      string
	Jobs         int
	SavingCO2eKg float64
}

// ID returns the stable id of the recommendation of rule for subject at
// scope: the first 10 hex digits of a SHA-256, the same in every period
// and on every machine.
func ID(rule Rule, scope Scope, subject string) string {
	h := sha256.New()
	h.Write([]byte("labcarbon/recommend/v1\x00"))
	h.Write([]byte(rule))
	h.Write([]byte{0})
	h.Write([]byte(scope))
	h.Write([]byte{0})
	h.Write([]byte(subject))
	return hex.EncodeToString(h.Sum(nil)[:5])
}

// Filter returns the recommendations for one audience, in the order
// given: Filter(recs, ScopeUser, "alice") is what alice's statement may
// show, Filter(recs, ScopeGroup, "genomics") a group section's.
func Filter(recs []Recommendation, scope Scope, subject string) []Recommendation {
	var out []Recommendation
	for _, r := range recs {
		if r.Scope == scope && r.Subject == subject {
			out = append(out, r)
		}
	}
	return out
}

// Uptake is what became of a previous period's recommendation.
type Uptake struct {
	// Previous is the recommendation as it was made.
	Previous Recommendation
	// Present says the same id is recommended again this period;
	// Current is its saving now (zero when not present).
	Present bool
	Current labcarbon.Range
	// Realised is how much the saving shrank, bound by bound and never
	// below 0: the saving realised since, if the subject's work is
	// comparable between the periods. A recommendation no longer made
	// counts as wholly realised; a subject who ran nothing this period
	// also makes it disappear, so a report should say which it was.
	RealisedCO2eKg labcarbon.Range
	RealisedKWh    labcarbon.Range
	RealisedCost   float64
}

// Realised matches a previous period's recommendations with this
// period's by id and reports, in the order of prev, what became of each.
func Realised(prev, cur []Recommendation) []Uptake {
	now := make(map[string]*Recommendation, len(cur))
	for i := range cur {
		now[cur[i].ID] = &cur[i]
	}
	out := make([]Uptake, 0, len(prev))
	for _, p := range prev {
		u := Uptake{Previous: p, RealisedCO2eKg: p.SavingCO2eKg, RealisedKWh: p.SavingKWh, RealisedCost: p.SavingCost}
		if c, ok := now[p.ID]; ok {
			u.Present, u.Current = true, c.SavingCO2eKg
			u.RealisedCO2eKg = shrink(p.SavingCO2eKg, c.SavingCO2eKg)
			u.RealisedKWh = shrink(p.SavingKWh, c.SavingKWh)
			u.RealisedCost = max(0, fin(p.SavingCost-c.SavingCost))
		}
		out = append(out, u)
	}
	return out
}

// shrink is max(0, a − b) bound by bound.
func shrink(a, b labcarbon.Range) labcarbon.Range {
	return labcarbon.Range{
		Low:     max(0, fin(a.Low-b.Low)),
		Central: max(0, fin(a.Central-b.Central)),
		High:    max(0, fin(a.High-b.High)),
	}
}

// fin maps NaN and infinities to 0: a saving is never reported from a
// number that is not one.
func fin(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}
