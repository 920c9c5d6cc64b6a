package factors

import "slices"

// Equivalent is a familiar quantity of emissions that reports use to make a
// number tangible: "as much as 12 tree-months" or "3 flights Paris–London".
type Equivalent struct {
	// Name is the plural phrase a report prints after the count, such as
	// "tree-months of CO2 uptake".
	Name string
	// Factor holds gCO2e per one unit (Value), its range and provenance;
	// Factor.Key is the stable id ("tree_month", "car_km", ...).
	Factor
}

// Count returns how many units of e make grams of CO2e.
func (e Equivalent) Count(grams float64) float64 { return grams / e.Value }

func readEquivalents(t *table) ([]Equivalent, error) {
	var out []Equivalent
	seen := make(map[string]bool)
	err := t.each(func(r *row) {
		e := Equivalent{Name: r.str("name"), Factor: readFactor(r, "key", "g_co2e", "", seen)}
		if e.Name == "" {
			r.fail("name", errEmpty)
		}
		out = append(out, e)
	})
	return out, err
}

// Equivalents lists the equivalents table in its versioned order (tree-month
// 917 g, car km 175 g, Paris–London flight 50 kg, New York–San Francisco
// 570 kg, ...).
func (c *Catalog) Equivalents() []Equivalent { return slices.Clone(c.equivalents) }

// Equivalent returns the equivalent with key, such as "tree_month".
func (c *Catalog) Equivalent(key string) (Equivalent, bool) {
	for _, e := range c.equivalents {
		if e.Key == key {
			return e, true
		}
	}
	return Equivalent{}, false
}
