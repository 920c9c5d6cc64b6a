package pdf

import (
	"labcarbon/report"
)

// tile is one headline figure on the cover: what it is, the figure with its
// unit, and a line of context.
type tile struct {
	label, value, note string
}

// Cover geometry, in millimetres.
const (
	heroH    = 34.0
	tileH    = 24.0
	tileGap  = 4.0
	tileCols = 4
)

// cover prints the title, the headline figures and the executive summary.
func cover(p page, d *report.Data) {
	y := p.f.GetY() + 4
	p.font("B", 9)
	p.textColor(colPrimary)
	p.text(marginX, y, contentW, 5, "COMPUTING CARBON FOOTPRINT REPORT", "L")
	y = p.title(d.Lab, y+7)
	p.font("", 12)
	p.textColor(colMuted)
	p.text(marginX, y+1, contentW, 6, periodLine(d.Period), "L")
	y += 13

	t := d.Totals
	mass := massUnit(t.CO2eKg.Central)
	p.box(marginX, y, contentW, heroH, colTint)
	p.box(marginX, y, 1.6, heroH, colPrimary)
	p.font("", 9)
	p.textColor(colPrimary)
	p.text(marginX+5, y+4, contentW-10, 5, "Total emissions · location-based, Scope 2", "L")
	p.font("B", 28)
	p.textColor(colInk)
	p.text(marginX+5, y+10, contentW-10, 13, mass.with(t.CO2eKg.Central)+" CO₂e", "L")
	p.font("", 9.5)
	p.textColor(colMuted)
	p.text(marginX+5, y+24, contentW-10, 5, "range "+mass.span(t.CO2eKg)+" CO₂e, from the low and high factor values", "L")
	y += heroH + tileGap

	y = p.tiles(headline(d), y)
	p.f.SetY(y + 4)

	if len(d.Summary) > 0 {
		p.subheading("Executive summary", 10)
		for _, para := range d.Summary {
			p.paragraph(para, 10, 5)
			p.gap(2.5)
		}
	}
}

// title prints the lab's name large from y, on up to two lines, and
// returns the y below it.
func (p page) title(name string, y float64) float64 {
	const size, lineH, maxLines = 24.0, 10.5, 2
	p.font("B", size)
	p.textColor(colInk)
	lines := p.wrap(name, contentW, true)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = p.fit(lines[maxLines-1]+"…", contentW-2.4)
	}
	for i, l := range lines {
		p.text(marginX, y+float64(i)*lineH, contentW, lineH, l, "L")
	}
	return y + float64(len(lines))*lineH
}

// headline lists the figures shown in tiles under the total.
func headline(d *report.Data) []tile {
	t := d.Totals
	energy := energyUnit(t.EnergyKWh.Central)
	mass := massUnit(t.WastedCO2eKg)
	costNote := "at the lab's electricity price"
	if d.Currency == "" {
		costNote = "currency not configured"
	}
	intensity := "–"
	if t.EnergyKWh.Central > 0 {
		intensity = report.Number(t.CO2eKg.Central*1000/t.EnergyKWh.Central, 0)
	}
	return []tile{
		{"Energy", energy.with(t.EnergyKWh.Central), "range " + energy.span(t.EnergyKWh)},
		{"Electricity cost", money(t.Cost, d.Currency), costNote},
		{"Jobs", count(t.Jobs), "that ran in the period"},
		{"CPU time", report.Number(t.CPUHours, 0) + " core-h", "allocated cores × elapsed"},
		{"GPU time", report.Number(t.GPUHours, report.Decimals(t.GPUHours)) + " GPU-h", "allocated GPUs × elapsed"},
		{"Wasted emissions", mass.with(t.WastedCO2eKg) + " CO₂e", percent(share(t.WastedCO2eKg, t.CO2eKg.Central)) + " of the total"},
		{"Measured energy", count(t.MeasuredJobs) + " jobs", percent(share(float64(t.MeasuredJobs), float64(t.Jobs))) + " of jobs"},
		{"Mean grid intensity", intensity + " g/kWh", "energy-weighted"},
	}
}

// tiles prints the figures in a grid from y and returns the y below it.
func (p page) tiles(ts []tile, y float64) float64 {
	w := (contentW - tileGap*(tileCols-1)) / tileCols
	for i, t := range ts {
		x := marginX + float64(i%tileCols)*(w+tileGap)
		ty := y + float64(i/tileCols)*(tileH+tileGap)
		p.box(x, ty, w, tileH, colTile)
		p.font("", 7.5)
		p.textColor(colMuted)
		p.text(x+2, ty+2.5, w-4, 4, t.label, "L")
		p.font("B", 14)
		p.shrinkToFit(t.value, w-6.4, 14)
		p.textColor(colInk)
		p.text(x+2, ty+8, w-4, 7, p.fit(t.value, w-6.4), "L")
		p.font("", 7)
		p.textColor(colMuted)
		p.text(x+2, ty+16.5, w-4, 4, p.fit(t.note, w-6.4), "L")
	}
	rows := (len(ts) + tileCols - 1) / tileCols
	return y + float64(rows)*(tileH+tileGap) - tileGap
}
