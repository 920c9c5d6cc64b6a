package pdf

import (
	"strings"

	"labcarbon/report"
	"labcarbon/templates"
)

// tile is one headline figure on the cover: what it is, the figure with its
// unit, and a line of context.
type tile struct {
	label, value, note string
}

// Cover geometry, in millimetres. The hero box holds the operational total
// on the left and, from heroSideX, the figures beside it. Tiles are
// compact so the comparisons and the largest recommendations fit on the
// cover beside the summary.
const (
	heroH     = 34.0
	heroSideX = 104.0
	tileH     = 17.0
	tileGap   = 3.0
	tileCols  = 4
)

// cover prints the title, the headline figures, how they compare with
// other periods, the largest recommendations and the executive summary.
func cover(p page, d *report.Data) {
	y := p.kicker("COMPUTING CARBON FOOTPRINT REPORT", d.Lab, periodLine(d.Period))
	t := d.Totals
	p.hero("Operational emissions · location-based, Scope 2", t, beside(t), y)
	y += heroH + tileGap

	y = p.tiles(headline(d), y, tileCols)
	if cs := comparisons(d); len(cs) > 0 {
		y = p.tiles(cs, y+tileGap, len(cs))
	}
	p.f.SetY(y + 2)
	for _, n := range coverage(t) {
		p.note(n)
	}
	p.equivalents("The operational emissions are about as much as", d.Equivalents)

	if len(d.Summary) > 0 {
		p.subheading("Executive summary", 10)
		for _, para := range d.Summary {
			p.paragraph(para, 9.5, 4.6)
			p.gap(1.5)
		}
	}
	if top := topRecommendations(d.Recommendations, 3); len(top) > 0 {
		p.subheading("The largest savings recommended", float64(len(top))*5)
		for _, r := range top {
			p.lead(r.Title+" — "+r.Who+": ", savingFigures(r), 9.5, 4.8)
		}
		p.note("What each would have saved over the period; the Recommendations section gives the evidence.")
	}
}

// savingFigures prints a recommendation's saving in CO2e with its range,
// energy and, where the lab prices electricity, cost.
func savingFigures(r report.Recommendation) string {
	s := kgUnit.with(r.SavingCO2eKg.Central) + " CO₂e (" + kgUnit.span(r.SavingCO2eKg) + "), " +
		energyUnit(r.SavingKWh.Central).with(r.SavingKWh.Central)
	if r.SavingCost > 0 {
		s += ", " + money(r.SavingCost, r.Currency)
	}
	return s
}

// kicker prints a document's opening: a small caption, the title large and
// a line under it; it returns the y below them.
func (p page) kicker(caption, title, sub string) float64 {
	y := p.f.GetY() + 4
	p.font("B", 9)
	p.textColor(colPrimary)
	p.text(marginX, y, contentW, 5, caption, "L")
	y = p.title(title, y+7)
	p.font("", 12)
	p.textColor(colMuted)
	p.text(marginX, y+1, contentW, 6, sub, "L")
	return y + 13
}

// hero prints the operational total of t, with its range, in a tinted box
// at y under label, and the figures ss beside it on the right.
func (p page) hero(label string, t report.Totals, ss []side, y float64) {
	mass := massUnit(t.CO2eKg.Central)
	p.box(marginX, y, contentW, heroH, colTint)
	p.box(marginX, y, 1.6, heroH, colPrimary)
	p.font("", 9)
	p.textColor(colPrimary)
	p.text(marginX+5, y+4, heroSideX-10, 5, label, "L")
	p.font("B", 28)
	p.textColor(colInk)
	p.text(marginX+5, y+10, heroSideX-10, 13, mass.with(t.CO2eKg.Central)+" CO₂e", "L")
	p.font("", 9)
	p.textColor(colMuted)
	p.text(marginX+5, y+24, heroSideX-10, 5, "range "+mass.span(t.CO2eKg)+" CO₂e, from the low and high factors", "L")
	p.heroSide(ss, y)
}

// equivalents prints, under caption, the familiar equivalents of eqs as a
// row of tiles, if the catalog has any of them.
func (p page) equivalents(caption string, eqs []report.EquivalentCount) {
	eqs = templates.Familiar(eqs)
	if len(eqs) == 0 {
		return
	}
	p.gap(2)
	p.font("B", 9)
	p.textColor(colInk)
	p.text(marginX, p.f.GetY(), contentW, 5, caption, "L")
	ts := make([]tile, len(eqs))
	for i, e := range eqs {
		ts[i] = equivalentTile(e)
	}
	p.f.SetY(p.tiles(ts, p.f.GetY()+6, len(ts)) + 2)
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

// side is a figure beside the operational total: what it is, the figure,
// and a line of context.
type side struct{ label, value, note string }

// beside lists the figures the hero box shows next to the operational
// total t: the embodied emissions and the total with them, and the
// market-based Scope 2 figure where some site has a market factor (with
// none it would only repeat the location-based one).
func beside(t report.Totals) []side {
	all := t.CO2eKg.Add(t.EmbodiedCO2eKg)
	em, am := massUnit(t.EmbodiedCO2eKg.Central), massUnit(all.Central)
	out := []side{
		{"Embodied · hardware manufacture, Scope 3", em.with(t.EmbodiedCO2eKg.Central) + " CO₂e", "range " + em.span(t.EmbodiedCO2eKg)},
		{"Total including embodied", am.with(all.Central) + " CO₂e", "range " + am.span(all)},
	}
	if t.MarketShare > 0 {
		mm := massUnit(t.MarketCO2eKg.Central)
		out = append(out, side{"Market-based, Scope 2 · covers " + percent(t.MarketShare) + " of the energy",
			mm.with(t.MarketCO2eKg.Central) + " CO₂e", "range " + mm.span(t.MarketCO2eKg)})
	}
	return out
}

// heroSide prints the figures beside the total in the hero box from y,
// one above the other, past a rule; three at most fit.
func (p page) heroSide(ss []side, y float64) {
	x, w := marginX+heroSideX, contentW-heroSideX-4
	p.line(x-4, y+4, x-4, y+heroH-4, colRule, 0.3)
	rowH := (heroH - 4) / float64(max(len(ss), 2))
	for i, s := range ss {
		ry := y + 2 + float64(i)*rowH
		p.font("", 7.5)
		p.textColor(colPrimary)
		p.text(x, ry, w, 4, p.fit(s.label, w), "L")
		p.font("B", 11)
		p.textColor(colInk)
		p.text(x, ry+4, w/2, 5.5, s.value, "L")
		p.font("", 7.5)
		p.textColor(colMuted)
		p.text(x+w/2, ry+4, w/2, 5.5, p.fit(s.note, w/2), "R")
	}
}

// equivalentTile shows an equivalent's count under its name. A catalog name
// such as "flights Paris-London (one passenger)" is too long for a tile's
// label, so its parenthesis moves to the note, beside the grams per unit
// the count divides by.
func equivalentTile(e report.EquivalentCount) tile {
	name, detail, _ := strings.Cut(e.Name, " (")
	note := report.Number(e.GramsPerUnit, 0) + " g CO₂e each"
	if detail = strings.TrimSuffix(detail, ")"); detail != "" {
		note = detail + " · " + note
	}
	return tile{name, report.Number(e.Count, report.Decimals(e.Count)), note}
}

// intensityNote says how the period's grid intensity was resolved.
func intensityNote(hourly float64) string {
	switch {
	case hourly <= 0:
		return "Grid intensity: annual averages throughout; no hourly series covered these jobs."
	case hourly >= 1:
		return "Grid intensity: all of the energy at hourly grid intensity."
	}
	return "Grid intensity: " + percent(hourly) + " of the energy at hourly grid intensity, the rest at annual averages."
}

// coverage says how the period's intensity was resolved and what the
// market-based figure covers, for the notes under the tiles.
func coverage(t report.Totals) []string {
	out := []string{intensityNote(t.HourlyShare)}
	if t.MarketShare > 0 {
		out = append(out, "Market-based Scope 2 counts the "+percent(t.MarketShare)+
			" of the energy that sites with a market factor (supplier mix, renewable contracts) used at that factor, the rest at the location-based intensity.")
	}
	return out
}

// headline lists the figures shown in tiles under the total.
func headline(d *report.Data) []tile {
	t := d.Totals
	intensity := "–"
	if t.EnergyKWh.Central > 0 {
		intensity = report.Number(gPerKWh(t.CO2eKg.Central, t.EnergyKWh.Central), 0)
	}
	return append(usageTiles(t, d.Currency),
		wastedTile(t),
		tile{"Measured energy", count(t.MeasuredJobs) + " jobs", percent(share(float64(t.MeasuredJobs), float64(t.Jobs))) + " of jobs"},
		tile{"Mean grid intensity", intensity + " g/kWh", intensityTileNote(t.HourlyShare)},
	)
}

// usageTiles are the figures of what t's jobs used, which the cover and a
// statement both show: energy, its cost in currency, jobs, CPU and GPU
// time.
func usageTiles(t report.Totals, currency string) []tile {
	energy := energyUnit(t.EnergyKWh.Central)
	costNote := "at the lab's electricity price"
	if currency == "" {
		costNote = "currency not configured"
	}
	return []tile{
		{"Energy", energy.with(t.EnergyKWh.Central), "range " + energy.span(t.EnergyKWh)},
		{"Electricity cost", money(t.Cost, currency), costNote},
		{"Jobs", count(t.Jobs), "that ran in the period"},
		{"CPU time", report.Number(t.CPUHours, 0) + " core-h", "allocated cores × elapsed"},
		{"GPU time", report.Number(t.GPUHours, report.Decimals(t.GPUHours)) + " GPU-h", "allocated GPUs × elapsed"},
	}
}

// wastedTile is the CO2e of the jobs that started and then failed.
func wastedTile(t report.Totals) tile {
	mass := massUnit(t.WastedCO2eKg)
	return tile{"Wasted emissions", mass.with(t.WastedCO2eKg) + " CO₂e", percent(share(t.WastedCO2eKg, t.CO2eKg.Central)) + " of the total"}
}

// intensityTileNote is the intensity tile's line of context: how the mean
// is weighted and how much of it is hourly.
func intensityTileNote(hourly float64) string {
	if hourly <= 0 {
		return "energy-weighted, annual"
	}
	return "energy-weighted, " + percent(hourly) + " hourly"
}

// tiles prints the figures in a grid of cols columns from y and returns
// the y below it.
func (p page) tiles(ts []tile, y float64, cols int) float64 {
	w := (contentW - tileGap*float64(cols-1)) / float64(cols)
	for i, t := range ts {
		x := marginX + float64(i%cols)*(w+tileGap)
		ty := y + float64(i/cols)*(tileH+tileGap)
		p.box(x, ty, w, tileH, colTile)
		p.font("", 7.5)
		p.textColor(colMuted)
		p.text(x+2, ty+1.5, w-4, 4, p.fit(t.label, w-6.4), "L")
		p.font("B", 13)
		p.shrinkToFit(t.value, w-6.4, 13)
		p.textColor(colInk)
		p.text(x+2, ty+5.3, w-4, 6.5, p.fit(t.value, w-6.4), "L")
		p.font("", 7)
		p.textColor(colMuted)
		p.text(x+2, ty+12, w-4, 3.8, p.fit(t.note, w-6.4), "L")
	}
	rows := (len(ts) + cols - 1) / cols
	return y + float64(rows)*(tileH+tileGap) - tileGap
}
