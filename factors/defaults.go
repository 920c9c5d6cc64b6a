package factors

import (
	"fmt"
	"slices"
	"strings"
)

// readFactors reads a table of scalar factors keyed by keyCol whose value is
// in valueCol. unit, when not empty, names the unit for tables that have no
// unit column.
func readFactors(t *table, keyCol, valueCol, unit string) ([]Factor, error) {
	var fs []Factor
	seen := make(map[string]bool)
	err := t.each(func(r *row) {
		f := readFactor(r, keyCol, valueCol, unit, seen)
		fs = append(fs, f)
	})
	return fs, err
}

// readFactor reads one scalar factor row; seen catches duplicate keys.
func readFactor(r *row, keyCol, valueCol, unit string, seen map[string]bool) Factor {
	f := Factor{Key: r.str(keyCol), Unit: unit, RangeReason: r.str("range_reason"), Provenance: readProvenance(r)}
	if unit == "" {
		f.Unit = r.str("unit")
	}
	f.Value, f.Low, f.High = readRange(r, valueCol, "low", "high")
	switch {
	case f.Key == "":
		r.fail(keyCol, errEmpty)
	case seen[f.Key]:
		r.fail(keyCol, fmt.Errorf("duplicate key %q", f.Key))
	case f.Value <= 0:
		r.fail(valueCol, fmt.Errorf("%g is not positive", f.Value))
	}
	seen[f.Key] = true
	return f
}

// find returns the factor with key.
func find(fs []Factor, key string) (Factor, bool) {
	for _, f := range fs {
		if f.Key == key {
			return f, true
		}
	}
	return Factor{}, false
}

// PUE returns the default PUE for a provider ("aws", "gcp", "azure",
// "ovhcloud", "oracle") or for a cloud region where the provider publishes
// one ("gcp:us-east4"); a region without its own figure gets its provider's.
// Keys are case-insensitive.
func (c *Catalog) PUE(provider string) (Factor, bool) {
	k := strings.ToLower(strings.TrimSpace(provider))
	if f, ok := find(c.pue, k); ok {
		return f, true
	}
	if p, _, ok := strings.Cut(k, ":"); ok {
		return find(c.pue, p)
	}
	return Factor{}, false
}

// DefaultPUE is the PUE of a site whose PUE nobody knows: the Uptime
// Institute 2024 industry average, 1.56, with a range from efficient
// facilities to the older survey average.
func (c *Catalog) DefaultPUE() Factor { return c.defaultPUE }

// PUEs lists every PUE default.
func (c *Catalog) PUEs() []Factor { return slices.Clone(c.pue) }

// MemoryWattsPerGB is the power of allocated memory per GB: Green
// Algorithms' 0.3725 W/GB, bounded by the critique that measured far less
// (0.08) and Cloud Carbon Footprint's 0.392.
func (c *Catalog) MemoryWattsPerGB() Factor { return c.memDefault }

// Memory returns a memory coefficient by key: "default" (Green Algorithms)
// or "ccf" (Cloud Carbon Footprint's 0.392 W/GB, for the cloud model).
func (c *Catalog) Memory(key string) (Factor, bool) { return find(c.memory, key) }

// GenericCPUWattsPerCore is the CPU power used when a job's node type is
// unknown: Green Algorithms' "Any", 12 W per core.
func (c *Catalog) GenericCPUWattsPerCore() Factor { return c.genericCPU }

// GenericGPUWatts is the GPU power used when a GPU's model is unknown: Green
// Algorithms' "Any", 200 W.
func (c *Catalog) GenericGPUWatts() Factor { return c.genericGPU }
