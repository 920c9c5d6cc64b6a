package factors

import (
	"slices"
	"strings"
)

// This file answers what `labcarbon factors list` and `factors show` ask of
// the catalog beyond what matching needs: the listing of a table that has
// no other reader, and which of an entry's names a lookup matched, so an
// operator can see why a name in their config resolved as it did.

// MemoryFactors lists the memory power coefficients: "default" (Green
// Algorithms) and "ccf" (Cloud Carbon Footprint).
func (c *Catalog) MemoryFactors() []Factor { return slices.Clone(c.memory) }

// MatchedName returns the name of c, its model name or one of its
// aliases, that name stands for under the catalog's CPU matching, or "" if
// name does not match c.
func (c CPU) MatchedName(name string) string {
	k := cpuKey(name)
	for _, n := range append([]string{c.Model}, c.Aliases...) {
		if cpuKey(n) == k {
			return n
		}
	}
	return ""
}

// GPUAlias is an entry of the GPU alias table: a short or alternative name
// and the model it stands for. When the name may mean several models, GPU
// says which in GPU.AliasNote.
type GPUAlias struct {
	// Model is the model the name resolves to.
	Model string
	Provenance
}

// GPUAlias returns the alias table's entry for name, if name is an alias
// rather than a model's own name. GPU looks aliases up first, so an entry
// returned here is what GPU(name) used.
func (c *Catalog) GPUAlias(name string) (GPUAlias, bool) {
	a, ok := c.gpuAliases[gpuKey(name)]
	if !ok {
		return GPUAlias{}, false
	}
	return GPUAlias{Model: c.gpus[a.model].Model, Provenance: a.Provenance}, true
}

// MatchedName returns the name of z, its id, ISO3 code or one of its
// aliases, that name stands for, or "" if name does not match z.
func (z Zone) MatchedName(name string) string {
	k := zoneKey(name)
	for _, n := range append([]string{z.ID, z.ISO3}, z.Aliases...) {
		if n != "" && zoneKey(n) == k {
			return n
		}
	}
	return ""
}

// GridYears returns every annual figure Grid may pick for zone, sorted by
// year: the zone's own, or, for a cloud region without figures of its own,
// those of the grid zone it lies in (with Via set). It returns nil for a
// zone the catalog does not know.
func (c *Catalog) GridYears(zone string) []Grid {
	z, ok := c.Zone(zone)
	if !ok {
		return nil
	}
	s, via := c.grid[z.ID], ""
	if len(s) == 0 {
		s, via = c.grid[z.MapsTo], z.ID
	}
	out := slices.Clone(s)
	for i := range out {
		out[i].Via = via
	}
	return out
}

// Search returns the names of CPU and GPU models and zones that contain
// query, ignoring case, at most limit of them: suggestions for a name the
// catalog does not know.
func (c *Catalog) Search(query string, limit int) []string {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" || limit <= 0 {
		return nil
	}
	var out []string
	add := func(name string, also ...string) bool {
		for _, s := range append([]string{name}, also...) {
			if strings.Contains(strings.ToLower(s), q) {
				out = append(out, name)
				break
			}
		}
		return len(out) < limit
	}
	for _, cpu := range c.cpus {
		if !add(cpu.Model) {
			return out
		}
	}
	for _, g := range c.gpus {
		if !add(g.Model) {
			return out
		}
	}
	for _, z := range c.Zones() {
		if !add(z.ID, z.Name) {
			return out
		}
	}
	return out
}
