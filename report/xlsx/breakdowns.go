package xlsx

import (
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon/report"
)

// rowColumns are the columns of a breakdown sheet after its key column.
func (b *book) rowColumns() []column {
	s := b.st
	return []column{
		{"Jobs", 10, s.count},
		{"CPU time (core-h)", 14, s.dec1},
		{"GPU time (GPU-h)", 14, s.dec1},
		{"Energy (kWh)", 14, s.dec1},
		{"CO2e (kg)", 14, s.dec2},
		{"CO2e low (kg)", 14, s.dec2},
		{"CO2e high (kg)", 14, s.dec2},
		{"Share of CO2e (%)", 12, s.share},
		{"Wasted CO2e (kg)", 14, s.dec2},
		{b.money("Cost"), 14, s.dec2},
		// Beside the operational CO2e, not in it, after the figures
		// that were there first so their columns do not move.
		{"Embodied CO2e, Scope 3 (kg)", 14, s.dec2},
		{"Memory waste CO2e (kg)", 14, s.dec2},
		{"Idle-core CO2e at full load (kg)", 14, s.dec2},
	}
}

// money is the header of a column of money called label, with its
// currency.
func (b *book) money(label string) string {
	if b.currency == "" {
		return label
	}
	return label + " (" + b.currency + ")"
}

// rowValues are a breakdown row's typed cells after its key.
func rowValues(key any, r report.Row) []any {
	return []any{
		key, r.Jobs, num(r.CPUHours), num(r.GPUHours), num(r.EnergyKWh),
		num(r.CO2eKg.Central), num(r.CO2eKg.Low), num(r.CO2eKg.High),
		num(r.Share), num(r.WastedCO2eKg), num(r.Cost),
		num(r.EmbodiedCO2eKg), num(r.MemWasteCO2eKg), num(r.IdleCoreCO2eKg),
	}
}

// extraColumn is a column a breakdown sheet has beyond the figures every
// breakdown has, and the cell it gives a row.
type extraColumn struct {
	column
	value func(report.Row) any
}

// groupColumns are the By group sheet's own columns: completed jobs, and
// the Software Carbon Intensity per the lab's functional unit if it has
// one (blank for a group with none of the unit, where it is not defined).
func (b *book) groupColumns() []extraColumn {
	out := []extraColumn{{column{"Completed jobs", 11, b.st.count}, func(r report.Row) any { return r.Completed }}}
	if unit := b.d.SCIUnit; unit != "" {
		out = append(out, extraColumn{column{"SCI (gCO2e per " + unit + ")", 14, b.st.dec1},
			func(r report.Row) any { g, ok := r.SCI(unit); return numIf(g, ok) }})
	}
	return out
}

// breakdown writes rows to a sheet whose key column is titled key; extras
// come last, after the PI, so that every column that was there before
// them stays where it was.
func (b *book) breakdown(sheet, table, key string, rows []report.Row, extras ...extraColumn) error {
	keys := make([]string, len(rows))
	pis := make([]string, len(rows))
	values := make([][]any, len(rows))
	withPI := false
	for i, r := range rows {
		keys[i], pis[i] = r.Key, r.PI
		values[i] = rowValues(r.Key, r)
		withPI = withPI || r.PI != ""
	}
	cols := append([]column{{key, textWidth(key, keys), b.st.text}}, b.rowColumns()...)
	if withPI {
		// Last, so that the figures sit where they do on every sheet.
		cols = append(cols, column{"PI", textWidth("PI", pis), b.st.text})
		for i := range values {
			values[i] = append(values[i], pis[i])
		}
	}
	for _, x := range extras {
		cols = append(cols, x.column)
		for i, r := range rows {
			values[i] = append(values[i], x.value(r))
		}
	}
	return b.table(sheet, table, cols, values)
}

// overTimeLabel is the column of the Over time sheet that holds the
// buckets' text labels, the chart's categories: the last, after the key
// and the breakdown's figures.
func (b *book) overTimeLabel() string {
	col, _ := excelize.ColumnNumberToName(len(b.rowColumns()) + 2)
	return col
}

// overTime writes the time buckets, the data the Summary's chart plots,
// with their start as a date cell and, last, as a short text label. The
// chart's categories are the labels: with dates, Excel draws a date axis
// in days, on which weekly bars are slivers with gaps between them.
func (b *book) overTime() error {
	bk := bucketOf(b.d)
	values := make([][]any, len(b.d.OverTime))
	for i, r := range b.d.OverTime {
		var key any = r.Key
		label := r.Key
		if t, err := time.Parse(time.DateOnly, r.Key); err == nil {
			key, label = t, t.Format(bk.layout)
		}
		values[i] = append(rowValues(key, r), label)
	}
	cols := append([]column{{bk.title, 14, b.st.date}}, b.rowColumns()...)
	cols = append(cols, column{"Label", 10, b.st.text})
	return b.table(sheetOverTime, "OverTime", cols, values)
}

// bucket names the time buckets of d.OverTime in a header and says how
// their labels print their start dates (a time layout).
type bucket struct{ title, layout string }

// bucketOf names the buckets the aggregation chose.
func bucketOf(d *report.Data) bucket {
	switch d.Bucket {
	case report.Month:
		return bucket{"Month (UTC)", "Jan 2006"}
	case report.Week:
		return bucket{"Week starting (UTC)", "2 Jan"}
	}
	return bucket{"Day (UTC)", "2 Jan"}
}
