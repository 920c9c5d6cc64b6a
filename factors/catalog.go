package factors

import (
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
)

//go:embed data/*.csv
var dataFS embed.FS

// Catalog is the embedded reference data, parsed and indexed. It is
// immutable once loaded and safe for concurrent use; the slices its listing
// methods return are copies.
type Catalog struct {
	version string

	cpus     []CPU
	cpuIndex map[string]int

	gpus       []GPU
	gpuIndex   map[string]int
	gpuAliases map[string]gpuAlias

	grid      map[string][]Grid // by zone id, sorted by year
	zones     map[string]Zone   // by zone id
	zoneNames map[string]string // normalised name → zone id

	pue        []Factor
	defaultPUE Factor
	memory     []Factor
	memDefault Factor
	genericCPU Factor
	genericGPU Factor

	embodied    embodied
	equivalents []Equivalent

	// overridden lists the rows a lab's overlay replaced or added, for
	// Overridden; nil for the embedded catalog.
	overridden []string
}

// Load returns the catalog compiled into the binary. The tables are parsed
// once per process; later calls return the same Catalog. An error means the
// embedded data is inconsistent, which the package tests rule out for
// every release.
func Load() (*Catalog, error) { return loadOnce() }

var loadOnce = sync.OnceValues(func() (*Catalog, error) { return load(dataFS) })

// schema lists the catalog's files and the columns each must have besides
// provenanceColumns. A lab's overlay files must have the same columns.
var schema = map[string][]string{
	"cpus.csv":        {"model", "vendor", "family", "cores", "threads", "tdp_w", "tdp_low_w", "tdp_high_w", "aliases", "range_reason"},
	"gpus.csv":        {"model", "vendor", "family", "architecture", "form_factor", "memory_gb", "tdp_w", "tdp_low_w", "tdp_high_w", "idle_w", "max_w", "range_reason"},
	"gpu_aliases.csv": {"alias", "model", "ambiguous_with", "note"},
	"grid.csv":        {"zone", "g_per_kwh", "low", "high", "basis", "range_reason"},
	"zones.csv":       {"zone", "kind", "name", "country", "iso3", "maps_to", "aliases"},
	"pue.csv":         {"key", "pue", "low", "high", "range_reason"},
	"memory.csv":      {"key", "w_per_gb", "low", "high", "range_reason"},
	"fallbacks.csv":   {"key", "value", "low", "high", "unit", "range_reason"},
	"embodied.csv":    {"kind", "key", "value", "low", "high", "unit", "range_reason"},
	"equivalents.csv": {"key", "name", "g_co2e", "low", "high", "unit", "range_reason"},
}

// provenanceColumns are the columns every table has: a figure nobody can
// trace does not ship, whether it is labcarbon's or a lab's.
var provenanceColumns = []string{"year", "source", "source_ref", "licence"}

// tableNames are schema's file names, sorted: the version hash must not
// depend on map order.
var tableNames = slices.Sorted(maps.Keys(schema))

// required returns every column the file name must have.
func required(name string) []string { return slices.Concat(provenanceColumns, schema[name]) }

// load parses the tables in fsys (its data/ directory).
func load(fsys fs.FS) (*Catalog, error) {
	t, version, err := readTables(fsys)
	if err != nil {
		return nil, err
	}
	c, err := build(t)
	if err != nil {
		return nil, err
	}
	c.version = version
	return c, nil
}

// readTables reads every table from fsys's data/ directory and hashes them
// into the catalog version.
func readTables(fsys fs.FS) (map[string]*table, string, error) {
	t := make(map[string]*table, len(tableNames))
	h := sha256.New()
	for _, name := range tableNames {
		b, err := fs.ReadFile(fsys, "data/"+name)
		if err != nil {
			return nil, "", fmt.Errorf("loading factor catalog: %w", err)
		}
		if t[name], err = parseTable("data/"+name, b, required(name)...); err != nil {
			return nil, "", fmt.Errorf("loading factor catalog: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return t, hex.EncodeToString(h.Sum(nil))[:12], nil
}

// build parses the raw tables into a Catalog (without its version). The
// tables may hold a lab's overlay rows merged in; the checks are the same.
func build(t map[string]*table) (*Catalog, error) {
	c := &Catalog{}
	steps := []struct {
		what string
		fn   func() error
	}{
		{"cpus", func() (err error) {
			if c.cpus, err = readCPUs(t["cpus.csv"]); err != nil {
				return err
			}
			// CPUs promises vendor and model order; the embedded table is
			// in it already, but rows a lab's overlay adds come last.
			slices.SortStableFunc(c.cpus, func(a, b CPU) int {
				return cmp.Or(strings.Compare(a.Vendor, b.Vendor), strings.Compare(a.Model, b.Model))
			})
			c.cpuIndex, err = indexCPUs(c.cpus)
			return err
		}},
		{"gpus", func() (err error) {
			if c.gpus, err = readGPUs(t["gpus.csv"]); err != nil {
				return err
			}
			if c.gpuIndex, err = indexGPUs(c.gpus); err != nil {
				return err
			}
			if c.gpuAliases, err = readGPUAliases(t["gpu_aliases.csv"], c.gpus); err != nil {
				return err
			}
			for k, a := range c.gpuAliases {
				if i, ok := c.gpuIndex[k]; ok && i != a.model {
					return fmt.Errorf("gpu_aliases.csv: alias key %q would hide model %q", k, c.gpus[i].Model)
				}
			}
			return nil
		}},
		{"grid", func() (err error) {
			if c.grid, err = readGrid(t["grid.csv"]); err != nil {
				return err
			}
			zones, err := readZones(t["zones.csv"])
			if err != nil {
				return err
			}
			c.zoneNames, c.zones, err = indexZones(zones, c.grid)
			if err != nil {
				return err
			}
			if _, ok := c.zones["WORLD"]; !ok {
				return fmt.Errorf("zones.csv: no WORLD zone for the fallback site")
			}
			return nil
		}},
		{"pue", func() (err error) {
			if c.pue, err = readFactors(t["pue.csv"], "key", "pue", "ratio"); err != nil {
				return err
			}
			var ok bool
			if c.defaultPUE, ok = find(c.pue, "default"); !ok {
				return fmt.Errorf("pue.csv: no default row")
			}
			for _, f := range c.pue {
				if f.Low < 1 {
					return fmt.Errorf("pue.csv: %s: PUE below 1", f.Key)
				}
			}
			return nil
		}},
		{"memory", func() (err error) {
			if c.memory, err = readFactors(t["memory.csv"], "key", "w_per_gb", "W per GB"); err != nil {
				return err
			}
			var ok bool
			if c.memDefault, ok = find(c.memory, "default"); !ok {
				return fmt.Errorf("memory.csv: no default row")
			}
			return nil
		}},
		{"fallbacks", func() error {
			rows, err := readFactors(t["fallbacks.csv"], "key", "value", "")
			if err != nil {
				return err
			}
			var ok1, ok2 bool
			c.genericCPU, ok1 = find(rows, "cpu_w_per_core")
			c.genericGPU, ok2 = find(rows, "gpu_w")
			if !ok1 || !ok2 {
				return fmt.Errorf("fallbacks.csv: need cpu_w_per_core and gpu_w")
			}
			return nil
		}},
		{"embodied", func() (err error) {
			c.embodied, err = readEmbodied(t["embodied.csv"])
			return err
		}},
		{"equivalents", func() (err error) {
			c.equivalents, err = readEquivalents(t["equivalents.csv"])
			return err
		}},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return nil, fmt.Errorf("loading factor catalog (%s): %w", s.what, err)
		}
	}
	return c, nil
}

// Version identifies the catalog's content: the first 12 hex digits of a
// SHA-256 over every embedded table, followed for a catalog loaded with a
// lab's overlay (LoadWith) by "+lab." and 12 hex digits of a SHA-256 over
// the overlay's files. Runs record it so a report can name the factors
// behind it and a change of factors, the lab's included, can be detected.
func (c *Catalog) Version() string { return c.version }
