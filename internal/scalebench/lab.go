// Package scalebench sets labcarbon up at the scale of a large HPC centre,
// for the benchmarks and for the end-to-end run of cmd/scalebench: a lab
// configuration that maps every partition of the demo generator's cluster
// to its hardware, so that matching, computing and storing do the work they
// do on a real centre's data and nothing falls back to generic factors.
package scalebench

import (
	"bytes"
	"fmt"
	"strconv"

	"labcarbon/internal/demo"
)

// Users is the population of the scale runs: thousands of users in about
// eighty groups, with a large centre's partitions.
const Users = 3000

// Config returns a lab configuration (YAML) for the cluster that
// demo.Generate draws a population of users from, with its store at store
// and the given sacct inputs; relative paths are relative to the config
// file, as always.
func Config(users int, store string, inputs ...string) []byte {
	var b bytes.Buffer
	q := strconv.Quote
	fmt.Fprintf(&b, "lab:\n  name: %s\n  currency: GBP\n  electricity_price_per_kwh: 0.28\n", q(fmt.Sprintf("Demo centre, %d users", users)))
	fmt.Fprintf(&b, "store:\n  path: %s\n", q(store))
	b.WriteString("ingest:\n  timezone: UTC\n  sacct_files:\n")
	for _, in := range inputs {
		fmt.Fprintf(&b, "    - %s\n", q(in))
	}
	b.WriteString("reports:\n  out: reports\n  formats: [pdf, xlsx]\n  periods: [\"2026Q3\"]\n")
	b.WriteString("sites:\n  - name: dc\n    zone: GB\n    pue: 1.3\n")
	fmt.Fprintf(&b, "clusters:\n  - name: %s\n    site: dc\n    trust_measured_energy: true\n    partitions:\n", q(demo.ClusterName))
	parts := demo.Partitions(users)
	for _, p := range parts {
		fmt.Fprintf(&b, "      - {name: %s, node_type: %s}\n", q(p.Name), q(p.Name))
	}
	b.WriteString("node_types:\n")
	for _, p := range parts {
		fmt.Fprintf(&b, "  - {name: %s, cpu_model: %s, sockets: %d, cores_per_socket: %d, memory_gb: %d",
			q(p.Name), q(p.CPUModel), p.Sockets, p.CoresPerSocket, p.MemGB)
		if p.GPUs > 0 {
			fmt.Fprintf(&b, ", gpu_model: %s, gpus: %d", q(p.GPUModel), p.GPUs)
		}
		b.WriteString("}\n")
	}
	return b.Bytes()
}
