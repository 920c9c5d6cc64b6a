package pdf

import (
	"math"
	"time"

	"labcarbon/report"
)

// bucket describes the time buckets of d.OverTime: how to name one in
// prose and on the axis, and how to print its start date as a label.
type bucket struct {
	noun, axis, layout string
}

// Bucket sizes the aggregation uses.
var (
	daily   = bucket{"day", "Day", "2 Jan"}
	weekly  = bucket{"week", "Week starting", "2 Jan"}
	monthly = bucket{"month", "Month", "Jan 2006"}
)

// bucketOf names the buckets the aggregation chose.
func bucketOf(d *report.Data) bucket {
	switch d.Bucket {
	case report.Month:
		return monthly
	case report.Week:
		return weekly
	}
	return daily
}

// label prints a bucket's key, a start date, in the bucket's layout; a key
// that is not a date is printed as it is.
func (b bucket) label(key string) string {
	t, err := time.Parse(time.DateOnly, key)
	if err != nil {
		return key
	}
	return t.Format(b.layout)
}

// tableLabel prints a bucket's start date in full for the table, where
// there is room for the year.
func (b bucket) tableLabel(key string) string {
	t, err := time.Parse(time.DateOnly, key)
	if err != nil {
		return key
	}
	if b == monthly {
		return t.Format("January 2006")
	}
	return t.Format("2 Jan 2006")
}

// overTime prints how the jobs' carbon intensity compared with the grid's
// average, then the emissions per bucket as a column chart, stacked by
// research group where the data has them, and a table.
func overTime(p page, d *report.Data) {
	p.heading("Emissions over time")
	p.intensityStrip(d.Totals)
	if len(d.OverTime) == 0 {
		p.paragraph("No jobs ran in this period.", 10, 5)
		return
	}
	b := bucketOf(d)
	var peak float64
	for _, r := range d.OverTime {
		peak = math.Max(peak, r.CO2eKg.High)
	}
	u := massUnit(peak)
	bars := make([]bar, len(d.OverTime))
	for i, r := range d.OverTime {
		bars[i] = bar{
			label: b.label(r.Key),
			value: r.CO2eKg.Central / u.div,
			low:   r.CO2eKg.Low / u.div,
			high:  r.CO2eKg.High / u.div,
		}
	}
	c := chart{unit: u.unit + " CO₂e", xTitle: b.axis, fill: colBar}
	const chartH = 74.0
	layers := groupLayers(d.OverTimeByGroup, len(bars), u)
	if layers == nil {
		p.paragraph("CO₂e per "+b.noun+", location-based (Scope 2), in "+u.unit+
			". Bars show the central estimate; whiskers show the low–high range the factors allow.", 9, 4.5)
		p.gap(3)
		y := p.f.GetY()
		p.columnChart(marginX, y, contentW, chartH, bars, c)
		p.f.SetY(y + chartH + 6)
	} else {
		p.paragraph("CO₂e per "+b.noun+", location-based (Scope 2), in "+u.unit+", stacked by research group, the largest at the bottom; "+
			"the groups beyond the largest few are stacked together as “other”. Whiskers show the low–high range of each "+b.noun+"'s total the factors allow.", 9, 4.5)
		p.gap(2)
		y := p.f.GetY()
		y += p.legend(marginX, y, contentW, layers) + 1
		p.stackedChart(marginX, y, contentW, chartH, bars, layers, c)
		p.f.SetY(y + chartH + 6)
	}

	p.subheading("Per "+b.noun, 20)
	p.rowTable(b.axis, d.OverTime, d.Totals, d.Currency, b.tableLabel, true)
}

// groupLayers are the layers of the chart over time, one per series in
// unit u, the largest group at the bottom; nil when there are none or
// they do not have one value per bucket of n, so the chart falls back to
// the total alone rather than misdraw.
func groupLayers(series []report.Series, n int, u scaled) []layer {
	if len(series) == 0 {
		return nil
	}
	out := make([]layer, len(series))
	for i, s := range series {
		if len(s.CO2eKg) != n {
			return nil
		}
		values := make([]float64, n)
		for k, v := range s.CO2eKg {
			values[k] = v / u.div
		}
		// report.Build names the layer of the groups beyond the largest
		// "other"; it is drawn grey, apart from the named groups.
		fill := colOther
		if s.Key != otherSeries {
			fill = colSeries[i%len(colSeries)]
		}
		out[i] = layer{key: keyLabel(s.Key), fill: fill, values: values}
	}
	return out
}

// otherSeries is the key report.Build gives the groups beyond the
// largest in OverTimeByGroup.
const otherSeries = "other"

// intensityStrip prints, in a tinted strip, the carbon intensity the
// jobs ran under against the annual average of their grids.
func (p page) intensityStrip(t report.Totals) {
	const h = 16.0
	y := p.f.GetY()
	p.box(marginX, y, contentW, h, colTint)
	p.box(marginX, y, 1.6, h, colPrimary)
	p.font("", 7.5)
	p.textColor(colPrimary)
	p.text(marginX+5, y+1.5, contentW-10, 4, "Carbon intensity the jobs ran under", "L")
	p.font("B", 11)
	p.textColor(colInk)
	p.text(marginX+5, y+5.5, contentW-10, 5.5, intensityAgainstGrid(t), "L")
	p.font("", 7.5)
	p.textColor(colMuted)
	p.text(marginX+5, y+11, contentW-10, 4,
		"Operational CO₂e per kWh of the jobs' energy. Grid average: the same energy at the annual average intensity of its grid zones.", "L")
	p.f.SetY(y + h + 4)
}

// intensityAgainstGrid compares the intensity t's jobs ran under with the
// annual average of their grids, "211 g/kWh against a grid average of
// 218 g/kWh (3.2% cleaner)": below the average, they ran at cleaner hours
// than the grid's average.
func intensityAgainstGrid(t report.Totals) string {
	kWh := t.EnergyKWh.Central
	if kWh <= 0 {
		return "no energy"
	}
	ran, grid := gPerKWh(t.CO2eKg.Central, kWh), gPerKWh(t.GridCO2eKg, kWh)
	s := report.Number(ran, 0) + " g/kWh"
	if grid <= 0 {
		return s + "; no grid average recorded"
	}
	diff := share(grid-ran, grid)
	s += " against a grid average of " + report.Number(grid, 0) + " g/kWh"
	switch {
	case percent(math.Abs(diff)) == percent(0):
		return s + " (the same)"
	case diff > 0:
		return s + " (" + percent(diff) + " cleaner)"
	}
	return s + " (" + percent(-diff) + " dirtier)"
}

// gPerKWh is the intensity, in g CO₂e per kWh, of kg CO₂e over kWh.
func gPerKWh(kg, kWh float64) float64 { return kg * 1000 / kWh }
