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

// overTime prints the emissions per bucket as a column chart and a table.
func overTime(p page, d *report.Data) {
	p.heading("Emissions over time")
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
	p.paragraph("CO₂e per "+b.noun+", location-based (Scope 2), in "+u.unit+
		". Bars show the central estimate; whiskers show the low–high range the factors allow.", 9, 4.5)
	p.gap(3)

	bars := make([]bar, len(d.OverTime))
	for i, r := range d.OverTime {
		bars[i] = bar{
			label: b.label(r.Key),
			value: r.CO2eKg.Central / u.div,
			low:   r.CO2eKg.Low / u.div,
			high:  r.CO2eKg.High / u.div,
		}
	}
	const chartH = 95.0
	y := p.f.GetY()
	p.columnChart(marginX, y, contentW, chartH, bars, u.unit+" CO₂e", b.axis)
	p.f.SetY(y + chartH + 6)

	p.subheading("Per "+b.noun, 20)
	p.rowTable(b.axis, d.OverTime, d.Totals, d.Currency, b.tableLabel, true)
}
