package labcarbon

// EnergySource says how a job's energy was obtained.
type EnergySource string

// Energy sources.
const (
	EnergyModelled EnergySource = "modelled"
	EnergyMeasured EnergySource = "measured"
)

// Assignment is the set of factors matched to one record, each with where it
// came from, so a report can show an auditor why a job got its numbers.
type Assignment struct {
	NodeType        string
	Rule            string // the config rule or fallback that chose NodeType
	CPUModel        string
	CPUWattsPerCore Range
	GPUModel        string
	GPUWatts        Range // per GPU at full load
	MemWattsPerGB   Range
	Site            string
	PUE             Range
	Zone            string
	CIgPerKWh       Range // location-based grid intensity
	CISource        string
	// NodeCores is the number of physical cores of one node of NodeType;
	// 0 when the configuration does not say.
	NodeCores int
	// TrustMeasured says the cluster's measured energy is per job (exclusive
	// nodes with an energy plugin), so it replaces the model.
	TrustMeasured bool
	Warnings      []string // fallbacks used; never silently zero
}

// Result is what compute derives for one record.
type Result struct {
	EnergySource EnergySource
	// Energy components before PUE, central estimates, kWh.
	CPUkWh, GPUkWh, MemkWh float64
	EnergyKWh              Range // total, PUE included
	CO2eKg                 Range // location-based, Scope 2
	PUE                    float64
	CIgPerKWh              float64
	CISource               string
	CPUEfficiency          float64 // CPU time used ÷ (elapsed × CPUs), 0..1; 0 when unknown
	MemEfficiency          float64 // peak ÷ requested, 0..1; 0 when unknown
	Cost                   float64 // energy × the lab's price
}

// Job is a usage record with the factors matched to it and its result: the
// unit the store keeps and the reports print.
type Job struct {
	Usage
	Assignment Assignment
	Result     Result
}
