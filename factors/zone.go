package factors

import (
	"fmt"
	"slices"
	"strings"
)

// Zone describes a grid zone or cloud region the catalog knows.
type Zone struct {
	ID string
	// Kind is "world", "country", "subnational" or "cloud".
	Kind    string
	Name    string
	Country string // ISO 3166-1 alpha-2, when the zone lies in one country
	ISO3    string // ISO 3166-1 alpha-3 of a country zone; accepted as an alias
	// MapsTo is the grid zone a cloud region lies in. A region with no
	// figures of its own uses that zone's.
	MapsTo  string
	Aliases []string
	Provenance
}

// zoneKey normalises a zone name for lookup: case, surrounding and inner
// spaces and '_' versus '-' do not matter ("us_cal_ciso", "Azure:East US").
func zoneKey(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.Map(func(c rune) rune {
		switch c {
		case ' ', '\t':
			return -1
		case '_':
			return '-'
		}
		return c
	}, s)
}

func readZones(t *table) ([]Zone, error) {
	var zones []Zone
	err := t.each(func(r *row) {
		z := Zone{
			ID:         r.str("zone"),
			Kind:       r.str("kind"),
			Name:       r.str("name"),
			Country:    r.str("country"),
			ISO3:       r.str("iso3"),
			MapsTo:     r.str("maps_to"),
			Aliases:    r.list("aliases"),
			Provenance: readProvenance(r),
		}
		switch {
		case z.ID == "":
			r.fail("zone", errEmpty)
		case z.Kind != "world" && z.Kind != "country" && z.Kind != "subnational" && z.Kind != "cloud":
			r.fail("kind", fmt.Errorf("unknown kind %q", z.Kind))
		}
		zones = append(zones, z)
	})
	return zones, err
}

// indexZones maps every zone id, ISO3 code and alias to its zone id and
// checks that each zone can produce an intensity: it has figures or maps to
// a zone that has.
func indexZones(zones []Zone, series map[string][]Grid) (map[string]string, map[string]Zone, error) {
	names := make(map[string]string, len(zones)*2)
	byID := make(map[string]Zone, len(zones))
	add := func(name, id string) error {
		k := zoneKey(name)
		if prev, dup := names[k]; dup && prev != id {
			return fmt.Errorf("zones.csv: %q names both %s and %s", name, prev, id)
		}
		names[k] = id
		return nil
	}
	for _, z := range zones {
		byID[z.ID] = z
		for _, n := range append([]string{z.ID, z.ISO3}, z.Aliases...) {
			if n == "" {
				continue
			}
			if err := add(n, z.ID); err != nil {
				return nil, nil, err
			}
		}
	}
	for _, z := range zones {
		if len(series[z.ID]) > 0 {
			continue
		}
		if m, ok := byID[z.MapsTo]; !ok || len(series[m.ID]) == 0 {
			return nil, nil, fmt.Errorf("zones.csv: zone %s has no figures and maps to no zone that has (%q)", z.ID, z.MapsTo)
		}
	}
	for id := range series {
		if _, ok := byID[id]; !ok {
			return nil, nil, fmt.Errorf("grid.csv: zone %s is not in zones.csv", id)
		}
	}
	return names, byID, nil
}

// Zone returns the zone a name stands for: an Electricity Maps id ("GB",
// "US-CAL-CISO"), an ISO3 code ("GBR"), an alias ("UK"), or a cloud region
// as "provider:region" ("aws:us-east-1", "gcp:europe-west2",
// "azure:uksouth").
func (c *Catalog) Zone(name string) (Zone, bool) {
	id, ok := c.zoneNames[zoneKey(name)]
	if !ok {
		return Zone{}, false
	}
	return c.zones[id], true
}

// Zones lists every zone and cloud region, sorted by id.
func (c *Catalog) Zones() []Zone {
	out := make([]Zone, 0, len(c.zones))
	for _, z := range c.zones {
		out = append(out, z)
	}
	slices.SortFunc(out, func(a, b Zone) int { return strings.Compare(a.ID, b.ID) })
	return out
}
