package factors

import (
	"fmt"
	"slices"
	"strings"

	"labcarbon"
)

// CPU is one processor model of the catalog.
type CPU struct {
	// Model is the canonical name, such as "AMD EPYC 7763".
	Model  string
	Vendor string
	// Family is the microarchitecture or product generation, such as
	// "Milan (Zen 3)"; reports group hardware by it.
	Family string
	// Cores and Threads are per socket. Threads exceed Cores with SMT; Slurm
	// may count either as CPUs depending on the node's configuration.
	Cores, Threads int
	// TDPW is the vendor's thermal design power per socket (central);
	// TDPLowW and TDPHighW bound it (configurable TDP, disagreeing sources).
	TDPW, TDPLowW, TDPHighW float64
	// Aliases are other names the model is known by in other tools' tables.
	Aliases []string
	// RangeReason explains the bounds; empty when the sources agree.
	RangeReason string
	Provenance
}

// WattsPerCore returns the model's power per physical core: TDP ÷ cores,
// unrounded. Green Algorithms' table rounds to 0.1 W (EPYC 7763: 4.4), but
// its TDP and core count give 4.375, which is what GA4HPC users configure
// and what labcarbon uses, so results agree with theirs.
func (c CPU) WattsPerCore() labcarbon.Range {
	n := float64(c.Cores)
	return labcarbon.Range{Low: c.TDPLowW / n, Central: c.TDPW / n, High: c.TDPHighW / n}
}

func readCPUs(t *table) ([]CPU, error) {
	var cpus []CPU
	err := t.each(func(r *row) {
		c := CPU{
			Model:       r.str("model"),
			Vendor:      r.str("vendor"),
			Family:      r.str("family"),
			Cores:       r.int("cores"),
			Threads:     r.int("threads"),
			Aliases:     r.list("aliases"),
			RangeReason: r.str("range_reason"),
			Provenance:  readProvenance(r),
		}
		c.TDPW, c.TDPLowW, c.TDPHighW = readRange(r, "tdp_w", "tdp_low_w", "tdp_high_w")
		switch {
		case c.Model == "":
			r.fail("model", errEmpty)
		case c.Cores <= 0:
			r.fail("cores", fmt.Errorf("%d cores", c.Cores))
		case c.Threads < c.Cores:
			r.fail("threads", fmt.Errorf("%d threads for %d cores", c.Threads, c.Cores))
		case c.TDPW <= 0:
			r.fail("tdp_w", fmt.Errorf("TDP %g W", c.TDPW))
		}
		cpus = append(cpus, c)
	})
	return cpus, err
}

// cpuNoise are words that vendors, lscpu and other tools' tables add or
// leave out of the same CPU's name.
var cpuNoise = map[string]bool{
	"intel": true, "amd": true, "ampere": true, "aws": true, "cpu": true, "processor": true,
}

// cpuKey reduces a CPU name to the form lookups compare: lower case, without
// vendor names, trademark signs, "@ 2.60GHz" clock suffixes, "64-Core"
// counts and separators. "Intel(R) Xeon(R) Gold 6348 CPU @ 2.60GHz" and
// "Xeon Gold 6348" both become "xeongold6348".
func cpuKey(name string) string {
	s := strings.ToLower(name)
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	s = strings.NewReplacer("(r)", " ", "(tm)", " ", "®", " ", "™", " ").Replace(s)
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		if cpuNoise[w] || strings.HasSuffix(w, "-core") {
			continue
		}
		for _, c := range w {
			if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// indexCPUs maps every model's and alias's key to its row, refusing two
// models that reduce to the same key: a lookup must never depend on table
// order.
func indexCPUs(cpus []CPU) (map[string]int, error) {
	idx := make(map[string]int, len(cpus)*2)
	for i, c := range cpus {
		for _, name := range append([]string{c.Model}, c.Aliases...) {
			k := cpuKey(name)
			if k == "" {
				return nil, fmt.Errorf("cpus.csv: %q has an empty lookup key", name)
			}
			if j, dup := idx[k]; dup && j != i {
				return nil, fmt.Errorf("cpus.csv: %q and %q have the same lookup key %q", cpus[j].Model, name, k)
			}
			idx[k] = i
		}
	}
	return idx, nil
}

// CPU returns the catalog's model for name. Matching ignores case, vendor
// names, trademark signs, clock suffixes and separators, so names as lscpu,
// /proc/cpuinfo, Green Algorithms or a lab's config spell them all work.
func (c *Catalog) CPU(name string) (CPU, bool) {
	i, ok := c.cpuIndex[cpuKey(name)]
	if !ok {
		return CPU{}, false
	}
	return c.cpus[i], true
}

// CPUs lists every CPU model, sorted by vendor and model.
func (c *Catalog) CPUs() []CPU { return slices.Clone(c.cpus) }
