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
	// NodeGPUs and NodeMemGB describe one node of NodeType, for the share of
	// a node a job held; 0 when the configuration does not say.
	NodeGPUs  int
	NodeMemGB float64
	// EmbodiedKgPerNodeHour is one node's manufacturing emissions (server
	// and its GPUs) spread over its lifetime, kgCO2e per hour of life.
	EmbodiedKgPerNodeHour Range
	EmbodiedSource        string
	// MarketCIgPerKWh is the site's market-based emission factor (supplier
	// mix, renewable contracts); HasMarketCI says the site has one, since
	// a fully renewable contract is a legitimate 0.
	MarketCIgPerKWh float64
	HasMarketCI     bool
	Warnings        []string // fallbacks used; never silently zero
}

// Result is what compute derives for one record.
type Result struct {
	EnergySource EnergySource
	// Energy components before PUE, central estimates, kWh.
	CPUkWh, GPUkWh, MemkWh float64
	EnergyKWh              Range // total, PUE included
	CO2eKg                 Range // location-based, Scope 2
	PUE                    float64
	// CIgPerKWh is the intensity the job's energy was emitted at: the
	// hourly series integrated over the hours it ran where the store has
	// one, else the zone's annual average; CISource says which.
	CIgPerKWh float64
	CISource  string
	// CIHourlyShare is the fraction of the job's run time the hourly series
	// covered, 0..1; 0 means annual figures only.
	CIHourlyShare float64
	// MarketCO2eKg is Scope 2 market-based, set when HasMarket.
	MarketCO2eKg Range
	HasMarket    bool
	// EmbodiedCO2eKg is the job's share of its nodes' manufacturing
	// emissions (Scope 3): NodeShare node-equivalents for its elapsed time.
	EmbodiedCO2eKg Range
	NodeShare      float64
	// MemWasteCO2eKg is the CO2e of memory requested beyond what the job
	// needed (Green Algorithms' method: peak rounded up to the request
	// granularity); 0 when the peak is unknown.
	MemWasteCO2eKg Range
	// IdleCoreHours are allocated core-hours the job did not use, and
	// IdleCoreCO2eKg what they would emit at full load: the allocation's
	// cost, shown beside the total, not inside it (the model charges CPU
	// time used, as Green Algorithms does).
	IdleCoreHours  float64
	IdleCoreCO2eKg Range
	CPUEfficiency  float64 // CPU time used ÷ (elapsed × CPUs), 0..1; 0 when unknown
	MemEfficiency  float64 // peak ÷ requested, 0..1; 0 when unknown
	Cost           float64 // energy × the lab's price
}

// Job is a usage record with the factors matched to it and its result: the
// unit the store keeps and the reports print.
type Job struct {
	Usage
	Assignment Assignment
	Result     Result
}
