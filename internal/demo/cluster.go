package demo

// ClusterName is the Slurm cluster of the demo lab, as sacct's Cluster
// column prints it.
const ClusterName = "hydra"

// BigCentreUsers is the population from which the demo cluster grows the
// extra partitions of a large centre; below it the lab has the three
// partitions of the 40-person demo.
const BigCentreUsers = 200

// Partition is one Slurm partition of the demo cluster and the hardware of
// its (identical) nodes: what a lab config needs to map the partition to a
// node type.
type Partition struct {
	Name           string
	NodePrefix     string // host names are NodePrefix + zero-padded number
	NodeDigits     int    // width of the node number: 3 gives cpu001
	Nodes          int    // node count; nodes are numbered from 1
	CPUModel       string
	Sockets        int
	CoresPerSocket int
	MemGB          int    // installed memory per node
	GPUModel       string // "" for CPU-only nodes
	GPUType        string // the GRES type sacct prints, as in gres/gpu:a100
	GPUs           int    // GPUs per node
	// MeasuresEnergy says the nodes have an energy plugin (IPMI), so jobs
	// that hold whole nodes get a measured ConsumedEnergyRaw.
	MeasuresEnergy bool

	realMemMiB int     // what slurm.conf lets jobs allocate per node
	idleW      float64 // node power with nothing running, for measured energy
	cpuW       float64 // extra power of all cores busy
	gpuW       float64 // extra power of one GPU fully busy, above its idle
}

// CPUs is the number of cores (Slurm CPUs, no hyper-threading) per node.
func (p Partition) CPUs() int { return p.Sockets * p.CoresPerSocket }

// NodeList is the partition's nodes in hostlist syntax, e.g. cpu[001-048].
func (p Partition) NodeList() string {
	nodes := make([]int, p.Nodes)
	for i := range nodes {
		nodes[i] = i + 1
	}
	return string(appendHostlist(nil, p.NodePrefix, p.NodeDigits, nodes))
}

// Partitions returns the partitions of the demo cluster for a population of
// users: the demo lab's cpu, gpu and highmem, plus, from BigCentreUsers
// users on, an Ice Lake CPU partition and an H100 GPU partition, as a
// larger centre would have. Users 0 means the demo roster.
func Partitions(users int) []Partition {
	ps := []Partition{
		{
			Name: "cpu", NodePrefix: "cpu", NodeDigits: 3, Nodes: 48,
			CPUModel: "AMD EPYC 7763", Sockets: 2, CoresPerSocket: 64, MemGB: 512,
			realMemMiB: 500 * 1024, idleW: 220, cpuW: 480,
		},
		{
			Name: "gpu", NodePrefix: "gpu", NodeDigits: 2, Nodes: 8,
			CPUModel: "AMD EPYC 7413", Sockets: 2, CoresPerSocket: 24, MemGB: 1024,
			GPUModel: "NVIDIA A100 SXM4 80GB", GPUType: "a100", GPUs: 4,
			MeasuresEnergy: true,
			realMemMiB:     1000 * 1024, idleW: 420, cpuW: 300, gpuW: 340,
		},
		{
			Name: "highmem", NodePrefix: "hmem", NodeDigits: 2, Nodes: 4,
			CPUModel: "Intel Xeon Gold 6348", Sockets: 2, CoresPerSocket: 28, MemGB: 4096,
			realMemMiB: 4000 * 1024, idleW: 380, cpuW: 470,
		},
	}
	if users >= BigCentreUsers {
		ps = append(ps,
			Partition{
				Name: "icelake", NodePrefix: "icx", NodeDigits: 4, Nodes: 256,
				CPUModel: "Intel Xeon Platinum 8360Y", Sockets: 2, CoresPerSocket: 36, MemGB: 256,
				realMemMiB: 250 * 1024, idleW: 180, cpuW: 440,
			},
			Partition{
				Name: "h100", NodePrefix: "gpuh", NodeDigits: 3, Nodes: 32,
				CPUModel: "Intel Xeon Platinum 8468", Sockets: 2, CoresPerSocket: 48, MemGB: 2048,
				GPUModel: "NVIDIA H100 SXM5 80GB", GPUType: "h100", GPUs: 8,
				MeasuresEnergy: true,
				realMemMiB:     2000 * 1024, idleW: 900, cpuW: 600, gpuW: 630,
			},
		)
	}
	return ps
}
