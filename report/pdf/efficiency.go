package pdf

import (
	"math"

	"labcarbon/report"
)

// efficiency prints what could have been saved: the CO₂e of failed jobs
// and of memory requested beyond need, both inside the total, and the
// allocated cores left idle, which the total does not charge; then the
// same per research group, where a PI can act on it.
func efficiency(p page, d *report.Data) {
	// Keep the heading with the intro and the table of the three figures.
	p.ensure(75)
	p.heading("Efficiency and waste")
	t := d.Totals
	p.paragraph("Three kinds of waste a lab can act on. Failed jobs and memory requested beyond need are part of the "+
		"operational total above; idle cores are not, since the model charges the CPU time jobs used: their figure "+
		"is what the cores would emit at full load, shown beside the total, not inside it.", 9.5, 4.8)
	p.gap(3)

	idleShare := share(t.IdleCoreHours, t.CPUHours)
	p.table([]column{
		{"Waste", 44, "L"}, {"Amount", 30, "R"}, {"CO₂e (kg)", 20, "R"}, {"Of operational CO₂e (%)", 22, "R"}, {"Counted", 62, "L"},
	}, [][]string{
		{"Failed jobs", "", kg(t.WastedCO2eKg), report.Number(100*share(t.WastedCO2eKg, t.CO2eKg.Central), 1),
			"in the total: jobs that started and then failed, timed out, ran out of memory, lost their node or were cancelled"},
		{"Memory requested beyond need", "", kg(t.MemWasteCO2eKg), report.Number(100*share(t.MemWasteCO2eKg, t.CO2eKg.Central), 1),
			"in the total: memory above the peak rounded up to the request step"},
		{"Idle allocated cores", report.Number(t.IdleCoreHours, 0) + " core-h", kg(t.IdleCoreCO2eKg), report.Number(100*share(t.IdleCoreCO2eKg, t.CO2eKg.Central), 1),
			"beside the total, not in it: " + percent(idleShare) + " of the allocated core-hours, at full load"},
	}, nil)

	groups := byCO2e(d.ByGroup)
	cols, rows, total := wasteTableCells(groups, t)
	p.subheading("By research group", keep(p.tableHeight(cols, rows, total)+6, 30))
	p.note("Largest emitters first. Failed-job and memory CO₂e are inside each group's CO₂e; idle-core CO₂e is beside it.")
	p.gap(1)
	if len(groups) == 0 {
		p.paragraph("None in this period.", 9, 4.5)
		return
	}
	p.table(cols, rows, total)
}

// kg prints a mass in kg to about three significant digits.
func kg(v float64) string { return report.Number(v, report.Decimals(v)) }

// wasteTableCells are the columns, rows and total row of the waste table
// by group; each column is printed to the precision of its largest value.
func wasteTableCells(rows []report.Row, t report.Totals) ([]column, [][]string, []string) {
	cols := []column{
		{"Group", 54, "L"}, {"Jobs", 14, "R"}, {"CO₂e (kg)", 20, "R"}, {"Failed-job CO₂e (kg)", 22, "R"},
		{"Failed (%)", 16, "R"}, {"Memory waste CO₂e (kg)", 24, "R"}, {"Idle-core CO₂e at full load (kg)", 28, "R"},
	}
	var co2e, wasted, mem, idle float64
	for _, r := range rows {
		co2e, wasted = math.Max(co2e, r.CO2eKg.Central), math.Max(wasted, r.WastedCO2eKg)
		mem, idle = math.Max(mem, r.MemWasteCO2eKg), math.Max(idle, r.IdleCoreCO2eKg)
	}
	dc, dw, dm, di := report.Decimals(co2e), report.Decimals(wasted), report.Decimals(mem), report.Decimals(idle)
	line := func(label string, jobs int, c, w, m, i float64) []string {
		return []string{label, count(jobs), report.Number(c, dc), report.Number(w, dw),
			report.Number(100*share(w, c), 1), report.Number(m, dm), report.Number(i, di)}
	}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = line(rowLabel(r, keyLabel), r.Jobs, r.CO2eKg.Central, r.WastedCO2eKg, r.MemWasteCO2eKg, r.IdleCoreCO2eKg)
	}
	return cols, cells, line("All", t.Jobs, t.CO2eKg.Central, t.WastedCO2eKg, t.MemWasteCO2eKg, t.IdleCoreCO2eKg)
}
