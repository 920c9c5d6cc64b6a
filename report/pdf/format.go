package pdf

import (
	"labcarbon/report"
	"math"
	"time"

	"labcarbon"
)

// count prints a whole number of things.
func count(n int) string { return report.Number(float64(n), 0) }

// percent prints a share given as 0..1.
func percent(share float64) string { return report.Number(share*100, 1) + "%" }

// scaled is a quantity rescaled to the unit that keeps its digits few.
type scaled struct {
	div  float64 // divide base-unit values by this
	unit string
}

// massUnit picks t above a tonne and kg below for a CO2e mass given in kg.
func massUnit(kg float64) scaled {
	if math.Abs(kg) >= 1000 {
		return scaled{1000, "t"}
	}
	return scaled{1, "kg"}
}

// energyUnit picks MWh above a thousand kWh and kWh below.
func energyUnit(kWh float64) scaled {
	if math.Abs(kWh) >= 1000 {
		return scaled{1000, "MWh"}
	}
	return scaled{1, "kWh"}
}

// value prints v (in the base unit) in s's unit, without the unit.
func (s scaled) value(v float64) string { return report.Number(v/s.div, report.Decimals(v/s.div)) }

// with prints v in s's unit, followed by the unit.
func (s scaled) with(v float64) string { return s.value(v) + " " + s.unit }

// span prints a low–high range in the unit and precision of its central
// value, so the three numbers line up when read together.
func (s scaled) span(r labcarbon.Range) string { return s.bounds(r) + " " + s.unit }

// bounds is span without the unit, for a table whose column names it.
func (s scaled) bounds(r labcarbon.Range) string {
	d := report.Decimals(r.Central / s.div)
	return report.Number(r.Low/s.div, d) + "–" + report.Number(r.High/s.div, d)
}

// money prints an amount with its currency; cents only where they matter.
func money(v float64, currency string) string {
	d := 2
	if math.Abs(v) >= 1000 {
		d = 0
	}
	if currency == "" {
		return report.Number(v, d)
	}
	return report.Number(v, d) + " " + currency
}

// share divides part by whole, 0 when the whole is 0.
func share(part, whole float64) float64 {
	if whole == 0 {
		return 0
	}
	return part / whole
}

// dayLayout is how dates are printed in running text.
const dayLayout = "2 January 2006"

// periodDates prints a period's days, its end inclusive as people say it:
// a quarter runs from 1 July to 30 September, not to 1 October.
func periodDates(p labcarbon.Period) string {
	if p.From.IsZero() {
		return ""
	}
	last := p.To
	if last.Equal(last.Truncate(24 * time.Hour)) {
		last = last.AddDate(0, 0, -1)
	}
	if !last.After(p.From) {
		return p.From.Format(dayLayout)
	}
	return p.From.Format(dayLayout) + " – " + last.Format(dayLayout)
}

// periodLine is the period's label followed by its dates.
func periodLine(p labcarbon.Period) string {
	dates := periodDates(p)
	switch {
	case p.Label == "":
		return dates
	case dates == "":
		return p.Label
	}
	return p.Label + " · " + dates + " (UTC)"
}
