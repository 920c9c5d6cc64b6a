package labcarbon

// Lab is what the lab configuration tells the pipeline about the computing it
// accounts for, as plain values: stages never read the config file.
type Lab struct {
	Name        string
	Currency    string  // ISO 4217 code used in reports, e.g. GBP
	PricePerKWh float64 // electricity price in Currency; 0 when unknown
	Clusters    []Cluster
	Sites       []Site
	NodeTypes   []NodeType
}

// Cluster ties a Slurm cluster to the site that powers it and maps its
// partitions to hardware.
type Cluster struct {
	Name       string
	Site       string
	Partitions []PartitionRule
	// DefaultNodeType is used for partitions no rule names; empty means
	// the catalog's generic node, with a warning.
	DefaultNodeType string
	// TrustMeasuredEnergy says Slurm's ConsumedEnergy is per job (exclusive
	// nodes with an energy plugin), so it replaces the model.
	TrustMeasuredEnergy bool
}

// PartitionRule maps jobs of a partition, optionally only those that ran on
// nodes matching a hostlist pattern, to a node type.
type PartitionRule struct {
	Partition string
	Nodes     string // hostlist such as gpu[01-16]; empty matches any node
	NodeType  string
}

// Site is a data centre: its grid and its overheads.
type Site struct {
	Name string
	// Zone is the grid zone whose intensity applies (Electricity Maps ids:
	// FR, GB, DE, US-CAL-CISO, CA-QC, ...).
	Zone string
	PUE  float64
	// CIgPerKWh, when set, fixes the grid intensity instead of the catalog's,
	// so labcarbon can be compared with other tools on the same assumptions.
	CIgPerKWh float64
	// MarketCIgPerKWh is the supplier's emission factor for Scope 2
	// market-based reporting; HasMarketCI says it is set (0 is valid).
	MarketCIgPerKWh float64
	HasMarketCI     bool
}

// NodeType is one kind of compute node. Watts may be given directly instead
// of naming a catalog model.
type NodeType struct {
	Name            string
	CPUModel        string
	Sockets         int
	CoresPerSocket  int
	CPUWattsPerCore float64 // overrides the model's TDP / cores when set
	GPUModel        string
	GPUs            int
	GPUWatts        float64 // overrides the model's TDP when set
	MemGB           float64
}
