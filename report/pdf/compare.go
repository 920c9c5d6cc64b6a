package pdf

import (
	"math"

	"labcarbon/report"
)

// comparisons are the cover's tiles that set the period against the one
// before, the same period a year earlier and the year to date, for those
// the pipeline computed.
func comparisons(d *report.Data) []tile {
	var out []tile
	if c := d.Previous; c != nil {
		out = append(out, changeTile("Against "+c.Period.Label+", the period before", d.Totals, c))
	}
	if c := d.YearEarlier; c != nil {
		out = append(out, changeTile("Against "+c.Period.Label+", a year earlier", d.Totals, c))
	}
	if c := d.YearToDate; c != nil {
		label := c.Period.Label
		if label == "" {
			label = "Year to date"
		}
		t := tile{label: label, value: "no data", note: "no jobs stored for it"}
		if c.Totals.Jobs > 0 {
			m, e := massUnit(c.Totals.CO2eKg.Central), energyUnit(c.Totals.EnergyKWh.Central)
			t.value = m.with(c.Totals.CO2eKg.Central) + " CO₂e"
			t.note = e.with(c.Totals.EnergyKWh.Central) + " · " + count(c.Totals.Jobs) + " jobs"
		}
		out = append(out, t)
	}
	return out
}

// changeTile shows how now's CO2e and energy changed from c's: in percent
// and in absolute terms. A period without jobs is one the store has no
// data for, not one that emitted nothing, so it reads "no data" rather
// than an increase from zero.
func changeTile(label string, now report.Totals, c *report.Comparison) tile {
	if c.Totals.Jobs == 0 {
		return tile{label: label, value: "no data", note: "no jobs stored for " + c.Period.Label}
	}
	return tile{
		label: label,
		value: change(now.CO2eKg.Central, c.Totals.CO2eKg.Central, massUnit) + " CO₂e",
		note:  "energy " + change(now.EnergyKWh.Central, c.Totals.EnergyKWh.Central, energyUnit),
	}
}

// change prints the change from then to now in percent and in the unit
// unit picks for it, "+20.0% · +2.00 t"; only the absolute change where
// then is zero, as a percentage of nothing means nothing.
func change(now, then float64, unit func(float64) scaled) string {
	diff := now - then
	abs := signed(diff, unit(diff).with)
	if then == 0 {
		return abs
	}
	return signed(diff/then, percent) + " · " + abs
}

// signed prints v with format and an explicit sign, + or −; a figure that
// prints as zero gets none.
func signed(v float64, format func(float64) string) string {
	s := format(math.Abs(v))
	switch {
	case s == format(0):
		return s
	case v < 0:
		return "−" + s
	}
	return "+" + s
}
