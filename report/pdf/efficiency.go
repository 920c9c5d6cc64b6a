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
	if d.SCIUnit != "" {
		cols, rows, total = withSCI(cols, rows, total, groups, totalRow(t, groups), d.SCIUnit)
	}
	p.subheading("By research group", keep(p.tableHeight(cols, rows, total)+6, 30))
	p.note("Largest emitters first. Failed-job and memory CO₂e are inside each group's CO₂e; idle-core CO₂e is beside it.")
	p.gap(1)
	if len(groups) == 0 {
		p.paragraph("None in this period.", 9, 4.5)
	} else {
		p.table(cols, rows, total)
	}
	p.distributions(d)
}

// Distribution chart geometry, in millimetres: each distribution is two
// panels on the same bins, jobs above and their CO₂e below.
const (
	histPanelH = 34.0
	histAxisW  = 14.0
	histTitleH = 6.0
)

// distributions charts how the jobs that ran spread over CPU efficiency
// and over size, kept together on one page: where the jobs are and where
// their emissions are can differ, so each has its count and its CO₂e.
func (p page) distributions(d *report.Data) {
	if len(d.CPUEfficiency)+len(d.JobSizes) == 0 {
		return
	}
	h := 2 * (histTitleH + 2*histPanelH + chartTitleH + 6)
	p.subheading("Distributions of the jobs that ran", h+10)
	p.note("For each bin, the jobs that ran (above) and their operational CO₂e, central estimate (below). CPU efficiency is the CPU time " +
		"the job used ÷ its elapsed time × allocated cores; \"not recorded\" counts jobs whose CPU time Slurm did not record.")
	p.gap(2)
	p.histogram("CPU efficiency", "CPU efficiency (CPU time used ÷ allocated core time)", d.CPUEfficiency)
	p.histogram("Job size", "Allocated CPU cores", d.JobSizes)
}

// histogram prints a distribution under title: jobs per bin as a column
// chart, and the bins' CO₂e under it on the same bins, whose axis is
// titled axis.
func (p page) histogram(title, axis string, bins []report.Bin) {
	if len(bins) == 0 {
		return
	}
	var peak float64
	for _, b := range bins {
		peak = math.Max(peak, b.CO2eKg)
	}
	u := massUnit(peak)
	jobs, co2e := make([]bar, len(bins)), make([]bar, len(bins))
	for i, b := range bins {
		jobs[i] = bar{label: b.Label, value: float64(b.Jobs)}
		// Each with its own unit, as a bin's few kg would read 0.00 t.
		co2e[i] = bar{label: b.Label, value: b.CO2eKg / u.div, text: report.Mass(b.CO2eKg)}
	}
	y := p.f.GetY()
	p.font("B", 9.5)
	p.textColor(colInk)
	p.text(marginX, y, contentW, histTitleH-1, title, "L")
	y += histTitleH
	p.columnChart(marginX, y, contentW, histPanelH, jobs, chart{unit: "jobs", fill: colBar, whole: true, axisW: histAxisW})
	y += histPanelH + 2
	p.columnChart(marginX, y, contentW, histPanelH+chartTitleH, co2e, chart{unit: u.unit + " CO₂e", xTitle: axis, fill: colSeries[2], axisW: histAxisW})
	p.f.SetY(y + histPanelH + chartTitleH + 4)
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
