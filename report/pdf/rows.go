package pdf

import (
	"math"

	"labcarbon/report"
)

// rowColumns are the columns of a breakdown table whose first column, of
// keys, is titled key. Units are in the titles so cells hold bare numbers.
func rowColumns(key, currency string) []column {
	cost := "Cost"
	if currency != "" {
		cost += " (" + currency + ")"
	}
	return []column{
		{key, 27, "L"},
		{"Jobs", 12, "R"},
		{"CPU time (core-h)", 18, "R"},
		{"GPU time (GPU-h)", 15, "R"},
		{"Energy (kWh)", 15, "R"},
		{"CO₂e (kg)", 15, "R"},
		{"CO₂e low–high (kg)", 21, "R"},
		{"Share (%)", 10, "R"},
		{"Wasted CO₂e (kg)", 15, "R"},
		// Beside the operational CO₂e, so a reader can add the two.
		{"Embodied CO₂e (kg)", 15, "R"},
		{cost, 15, "R"},
	}
}

// rowDecimals holds the decimals of each numeric column of a breakdown,
// chosen from the column's largest value so that a column is printed to one
// precision and its digits line up.
type rowDecimals struct{ cpu, gpu, energy, co2e, wasted, embodied, cost int }

// decimalsOf chooses the decimals for rows from the rows' largest values;
// the total, printed to the same precision, only decides when there are
// no rows.
func decimalsOf(rows []report.Row, t report.Totals) rowDecimals {
	if len(rows) == 0 {
		rows = []report.Row{totalRow(t, nil)}
	}
	var cpu, gpu, energy, co2e, wasted, embodied, cost float64
	for _, r := range rows {
		cpu, gpu = math.Max(cpu, r.CPUHours), math.Max(gpu, r.GPUHours)
		energy, co2e = math.Max(energy, r.EnergyKWh), math.Max(co2e, r.CO2eKg.High)
		wasted, cost = math.Max(wasted, r.WastedCO2eKg), math.Max(cost, r.Cost)
		embodied = math.Max(embodied, r.EmbodiedCO2eKg)
	}
	costDec := 2
	if cost >= 10000 {
		costDec = 0
	}
	return rowDecimals{
		cpu: min(report.Decimals(cpu), 1), gpu: min(report.Decimals(gpu), 1),
		energy: report.Decimals(energy), co2e: report.Decimals(co2e),
		wasted: report.Decimals(wasted), embodied: report.Decimals(embodied), cost: costDec,
	}
}

// rowCells formats one breakdown row; label prints its key.
func rowCells(r report.Row, dec rowDecimals, label func(string) string) []string {
	return []string{
		rowLabel(r, label),
		count(r.Jobs),
		report.Number(r.CPUHours, dec.cpu),
		report.Number(r.GPUHours, dec.gpu),
		report.Number(r.EnergyKWh, dec.energy),
		report.Number(r.CO2eKg.Central, dec.co2e),
		report.Number(r.CO2eKg.Low, dec.co2e) + " – " + report.Number(r.CO2eKg.High, dec.co2e),
		report.Number(r.Share*100, 1),
		report.Number(r.WastedCO2eKg, dec.wasted),
		report.Number(r.EmbodiedCO2eKg, dec.embodied),
		report.Number(r.Cost, dec.cost),
	}
}

// totalCells formats the period's totals as the last row of a breakdown.
func totalCells(t report.Totals, dec rowDecimals) []string {
	whole := 0.0
	if t.CO2eKg.Central > 0 {
		whole = 100
	}
	return []string{
		"All",
		count(t.Jobs),
		report.Number(t.CPUHours, dec.cpu),
		report.Number(t.GPUHours, dec.gpu),
		report.Number(t.EnergyKWh.Central, dec.energy),
		report.Number(t.CO2eKg.Central, dec.co2e),
		report.Number(t.CO2eKg.Low, dec.co2e) + " – " + report.Number(t.CO2eKg.High, dec.co2e),
		report.Number(whole, 1),
		report.Number(t.WastedCO2eKg, dec.wasted),
		report.Number(t.EmbodiedCO2eKg.Central, dec.embodied),
		report.Number(t.Cost, dec.cost),
	}
}

// totalRow is the period's totals t as a breakdown row, for what a row
// computes from its figures (decimals, SCI). Totals do not count completed
// jobs, so they are summed from rows, which between them hold every job.
func totalRow(t report.Totals, rows []report.Row) report.Row {
	all := report.Row{
		Key: "All", Jobs: t.Jobs, CPUHours: t.CPUHours, GPUHours: t.GPUHours, EnergyKWh: t.EnergyKWh.Central,
		CO2eKg: t.CO2eKg, Cost: t.Cost, WastedCO2eKg: t.WastedCO2eKg, EmbodiedCO2eKg: t.EmbodiedCO2eKg.Central,
		MemWasteCO2eKg: t.MemWasteCO2eKg, IdleCoreCO2eKg: t.IdleCoreCO2eKg,
	}
	for _, r := range rows {
		all.Completed += r.Completed
	}
	return all
}

// sciWidth is the width of a table's SCI column, which the table's other
// columns narrow to make room for.
const sciWidth = 15.0

// withSCI appends to a table of rows (cells, one per row, and total, the
// totals all, if not nil) a column of their Software Carbon Intensity per
// unit, printed to the precision of its largest value.
func withSCI(cols []column, cells [][]string, total []string, rows []report.Row, all report.Row, unit string) ([]column, [][]string, []string) {
	var peak float64
	for _, r := range rows {
		if g, ok := r.SCI(unit); ok {
			peak = math.Max(peak, g)
		}
	}
	dec := report.Decimals(peak)
	scale := (tableWidth(cols) - sciWidth) / tableWidth(cols)
	out := make([]column, len(cols), len(cols)+1)
	for i, c := range cols {
		c.width *= scale
		out[i] = c
	}
	out = append(out, column{"SCI (g CO₂e per " + unit + ")", sciWidth, "R"})
	sci := func(r report.Row) string {
		if g, ok := r.SCI(unit); ok {
			return report.Number(g, dec)
		}
		return "–" // none of the unit: not defined
	}
	for i, r := range rows {
		cells[i] = append(cells[i], sci(r))
	}
	if total != nil {
		total = append(total, sci(all))
	}
	return out, cells, total
}

// rowTable prints rows as a breakdown table, with the totals t as a last
// row when withTotal is set.
func (p page) rowTable(key string, rows []report.Row, t report.Totals, currency string, label func(string) string, withTotal bool) {
	p.tableOrNone(rowTableCells(key, rows, t, currency, label, withTotal))
}

// tableOrNone prints a table, or says there is nothing to tabulate where
// it has no rows.
func (p page) tableOrNone(cols []column, rows [][]string, total []string) {
	if len(rows) == 0 {
		p.paragraph("None in this period.", 9, 4.5)
		p.gap(2)
		return
	}
	p.table(cols, rows, total)
}

// rowTableHeight is the height rowTable would take on one page.
func (p page) rowTableHeight(key string, rows []report.Row, t report.Totals, currency string, label func(string) string, withTotal bool) float64 {
	return p.tableHeight(rowTableCells(key, rows, t, currency, label, withTotal))
}

// rowTableCells formats rows, and their totals t if asked, for rowColumns
// with costs in currency. It takes the totals rather than a report's Data
// so that a researcher's statement prints their own.
func rowTableCells(key string, rows []report.Row, t report.Totals, currency string, label func(string) string, withTotal bool) ([]column, [][]string, []string) {
	dec := decimalsOf(rows, t)
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = rowCells(r, dec, label)
	}
	var total []string
	if withTotal {
		total = totalCells(t, dec)
	}
	return rowColumns(key, currency), cells, total
}

// keyLabel prints a breakdown key; an empty one is a record that did not
// say, which the reader should see as such rather than as a blank.
func keyLabel(key string) string {
	if key == "" {
		return "(not recorded)"
	}
	return key
}

// rowLabel prints a breakdown row's key, with the PI of a group that has
// one.
func rowLabel(r report.Row, label func(string) string) string {
	if r.PI != "" {
		return label(r.Key) + " · PI " + r.PI
	}
	return label(r.Key)
}
