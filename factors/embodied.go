package factors

import (
	"fmt"
	"slices"
)

// EmbodiedServer holds the manufacturing emissions of a server as Cloud
// Carbon Footprint builds them (the Teads method): a base rack server plus
// adders for what it has beyond the base, amortised over a lifetime.
//
//	kgCO2e = Base + ExtraSocket × (sockets − 1) + MemoryPerGB × max(0, GB − 16)
//	       + SSD × SSDs + HDD × HDDs + Σ per-GPU figures
//
// A job's share is that total × (elapsed hours ÷ (LifetimeYears × 8766)) ×
// the fraction of the node it held. Note that a longer lifetime lowers the
// per-hour share, so the low per-hour figure uses LifetimeYears.High.
type EmbodiedServer struct {
	Base          Factor // kgCO2e per server: mono-socket, 16 GB, no disk
	ExtraSocket   Factor // kgCO2e per CPU socket beyond the first
	MemoryPerGB   Factor // kgCO2e per GB of DRAM beyond 16 GB
	SSD, HDD      Factor // kgCO2e per drive
	LifetimeYears Factor
}

// embodied is the parsed embodied.csv.
type embodied struct {
	server EmbodiedServer
	gpu    map[string]Factor // by GPU family; "default" for the rest
	all    []Factor
}

func readEmbodied(t *table) (embodied, error) {
	var e embodied
	e.gpu = make(map[string]Factor)
	seen := make(map[string]bool)
	err := t.each(func(r *row) {
		kind := r.str("kind")
		f := Factor{Key: kind + "." + r.str("key"), Unit: r.str("unit"), RangeReason: r.str("range_reason"), Provenance: readProvenance(r)}
		f.Value, f.Low, f.High = readRange(r, "value", "low", "high")
		if seen[f.Key] {
			r.fail("key", fmt.Errorf("duplicate %s", f.Key))
		}
		seen[f.Key] = true
		switch kind {
		case "server":
			switch r.str("key") {
			case "base":
				e.server.Base = f
			case "extra_socket":
				e.server.ExtraSocket = f
			case "memory_gb":
				e.server.MemoryPerGB = f
			case "ssd":
				e.server.SSD = f
			case "hdd":
				e.server.HDD = f
			default:
				r.fail("key", fmt.Errorf("unknown server factor %q", r.str("key")))
			}
		case "gpu":
			e.gpu[r.str("key")] = f
		case "lifetime":
			if r.str("key") != "server_years" {
				r.fail("key", fmt.Errorf("unknown lifetime %q", r.str("key")))
			}
			e.server.LifetimeYears = f
		default:
			r.fail("kind", fmt.Errorf("unknown kind %q", kind))
		}
		e.all = append(e.all, f)
	})
	if err != nil {
		return e, err
	}
	for _, need := range []string{"server.base", "server.extra_socket", "server.memory_gb", "server.ssd", "server.hdd", "gpu.default", "lifetime.server_years"} {
		if !seen[need] {
			return e, fmt.Errorf("%s: missing %s", t.name, need)
		}
	}
	return e, nil
}

// EmbodiedServer returns the server embodied-emission model.
func (c *Catalog) EmbodiedServer() EmbodiedServer { return c.embodied.server }

// EmbodiedGPU returns the manufacturing emissions of one GPU of the given
// model (any name GPU accepts), in kgCO2e. Models without an estimate of
// their own get the generic figure (Cloud Carbon Footprint's 150 kg, with
// a range from Green Algorithms' die-area model to Boavizta's H100).
func (c *Catalog) EmbodiedGPU(model string) Factor {
	if g, ok := c.GPU(model); ok {
		if f, ok := c.embodied.gpu[g.Family]; ok {
			return f
		}
	}
	return c.embodied.gpu["default"]
}

// EmbodiedFactors lists every embodied-emission factor, keyed
// "server.base", "gpu.A100", "lifetime.server_years" and so on.
func (c *Catalog) EmbodiedFactors() []Factor { return slices.Clone(c.embodied.all) }
