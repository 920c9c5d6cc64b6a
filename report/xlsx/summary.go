package xlsx

import (
	"fmt"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon/report"
)

// figure is one headline figure of the Summary: its label with the unit,
// its cells (central, then low and high where it has a range) and style.
// A comparison row is one too, its cells styled by their columns.
type figure struct {
	label  string
	values []any
	style  int
}

// summary writes the lab, the period, the headline figures, the executive
// summary and a chart of CO2e over time.
func (b *book) summary() error {
	f, d, s := b.f, b.d, b.st
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(sheetSummary, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sheetSummary, cell, cell, style)
	}
	for i, w := range []float64{48, 20, 14, 14, 20} {
		if err := f.SetColWidth(sheetSummary, letter(i), letter(i), w); err != nil {
			return err
		}
	}
	if err := set("A1", "Computing carbon footprint: "+d.Lab, s.title); err != nil {
		return err
	}

	row := 3
	for _, kv := range b.about() {
		if err := set(cell(0, row), kv.label, s.label); err != nil {
			return err
		}
		if err := set(cell(1, row), kv.values[0], kv.style); err != nil {
			return err
		}
		row++
	}

	row++
	for i, h := range []string{"Headline figure", "Central", "Low", "High"} {
		if err := set(cell(i, row), h, s.header); err != nil {
			return err
		}
	}
	for _, fig := range b.headline() {
		row++
		if err := set(cell(0, row), fig.label, s.label); err != nil {
			return err
		}
		for i, v := range fig.values {
			if err := set(cell(i+1, row), v, fig.style); err != nil {
				return err
			}
		}
	}

	if cmp := b.comparisons(); len(cmp) > 0 {
		row += 2
		for i, h := range []string{"Compared with", "CO2e (kg)", "Energy (kWh)", "Change in CO2e since (%)", "Note"} {
			if err := set(cell(i, row), h, s.header); err != nil {
				return err
			}
		}
		if err := f.SetRowHeight(sheetSummary, row, headerHeight); err != nil {
			return err
		}
		styles := []int{s.dec1, s.dec1, s.share, s.text}
		for _, c := range cmp {
			row++
			if err := set(cell(0, row), c.label, s.label); err != nil {
				return err
			}
			for i, v := range c.values {
				if err := set(cell(i+1, row), v, styles[i]); err != nil {
					return err
				}
			}
		}
	}

	if len(d.Summary) > 0 {
		row += 2
		if err := set(cell(0, row), "Executive summary", s.label); err != nil {
			return err
		}
		for _, para := range d.Summary {
			row++
			if err := b.paragraph(row, para); err != nil {
				return err
			}
		}
	}
	if err := b.chart(); err != nil {
		return err
	}
	return b.printOnOnePage()
}

// printOnOnePage sets the Summary to print landscape on one page, figures
// and chart side by side as on screen.
func (b *book) printOnOnePage() error {
	fit, one, landscape := true, 1, "landscape"
	if err := b.f.SetSheetProps(sheetSummary, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return b.f.SetPageLayout(sheetSummary, &excelize.PageLayoutOptions{
		Orientation: &landscape, FitToWidth: &one, FitToHeight: &one,
	})
}

// letter names the Summary's column i: 0 for A, up to 4 for E, the columns
// the figures use.
func letter(i int) string { return string(rune('A' + i)) }

// cell names the Summary's cell in column col (as for letter) and row.
func cell(col, row int) string { return letter(col) + strconv.Itoa(row) }

// about lists the report's identity as label–value pairs.
func (b *book) about() []figure {
	d, s := b.d, b.st
	rows := []figure{
		{"Lab", []any{d.Lab}, s.text},
		{"Period", []any{d.Period.Label}, s.text},
	}
	if !d.Period.From.IsZero() {
		last := d.Period.To
		if last.Equal(last.Truncate(24 * time.Hour)) {
			last = last.AddDate(0, 0, -1)
		}
		rows = append(rows,
			figure{"First day (UTC)", []any{d.Period.From.UTC()}, s.date},
			figure{"Last day (UTC)", []any{last.UTC()}, s.date})
	}
	if !d.Generated.IsZero() {
		rows = append(rows, figure{"Generated (UTC)", []any{d.Generated.UTC()}, s.datetime})
	}
	return append(rows,
		figure{"Run id", []any{d.RunID}, 0},
		figure{"labcarbon version", []any{d.Version}, s.text})
}

// headline lists the period's totals, each with its unit in the label.
func (b *book) headline() []figure {
	t, s := b.d.Totals, b.st
	measured, wasted := 0.0, 0.0
	if t.Jobs > 0 {
		measured = float64(t.MeasuredJobs) / float64(t.Jobs)
	}
	if t.CO2eKg.Central > 0 {
		wasted = t.WastedCO2eKg / t.CO2eKg.Central
	}
	figs := []figure{
		{"CO2e, location-based (kg)", []any{num(t.CO2eKg.Central), num(t.CO2eKg.Low), num(t.CO2eKg.High)}, s.dec1},
		{"Energy (kWh)", []any{num(t.EnergyKWh.Central), num(t.EnergyKWh.Low), num(t.EnergyKWh.High)}, s.dec1},
		{b.money("Cost"), []any{num(t.Cost)}, s.dec2},
		{"Jobs (count)", []any{t.Jobs}, s.count},
		{"CPU time (core-h)", []any{num(t.CPUHours)}, s.dec1},
		{"GPU time (GPU-h)", []any{num(t.GPUHours)}, s.dec1},
		{"Wasted CO2e (kg)", []any{num(t.WastedCO2eKg)}, s.dec1},
		{"Wasted share of CO2e (%)", []any{num(wasted)}, s.share},
		{"Jobs with measured energy (count)", []any{t.MeasuredJobs}, s.count},
		{"Jobs with measured energy (%)", []any{measured}, s.share},
	}
	// The engine's figures beside the operational, location-based total.
	all := t.CO2eKg.Add(t.EmbodiedCO2eKg)
	figs = append(figs,
		figure{"CO2e, embodied Scope 3 (kg)", []any{num(t.EmbodiedCO2eKg.Central), num(t.EmbodiedCO2eKg.Low), num(t.EmbodiedCO2eKg.High)}, s.dec1},
		figure{"CO2e incl. embodied (kg)", []any{num(all.Central), num(all.Low), num(all.High)}, s.dec1})
	// Without a market factor anywhere the market-based figure is the
	// location-based one again, which would read as a second finding.
	if t.MarketShare > 0 {
		figs = append(figs,
			figure{"CO2e, market-based Scope 2 (kg)", []any{num(t.MarketCO2eKg.Central), num(t.MarketCO2eKg.Low), num(t.MarketCO2eKg.High)}, s.dec1},
			figure{"Energy with a market-based factor (%)", []any{num(t.MarketShare)}, s.share})
	}
	// The intensity the jobs ran under against the annual average of their
	// grids: below it, they ran at cleaner hours than the average. Blank
	// without energy, of which there is no intensity.
	var ran, grid, vsGrid any
	if e := t.EnergyKWh.Central; e > 0 {
		ran, grid = num(t.CO2eKg.Central*1000/e), num(t.GridCO2eKg*1000/e)
		if t.GridCO2eKg > 0 {
			vsGrid = num(t.CO2eKg.Central/t.GridCO2eKg - 1)
		}
	}
	figs = append(figs,
		figure{"Carbon intensity the jobs ran under (gCO2e/kWh)", []any{ran}, s.dec1},
		figure{"Grid annual average for the same energy (gCO2e/kWh)", []any{grid}, s.dec1},
		figure{"Jobs' intensity against the grid average (%, below 0 cleaner)", []any{vsGrid}, s.share})
	return append(figs,
		figure{"Energy at hourly grid intensity (%)", []any{num(t.HourlyShare)}, s.share},
		figure{"Memory over-request CO2e (kg)", []any{num(t.MemWasteCO2eKg)}, s.dec1},
		figure{"Idle allocated cores (core-h)", []any{num(t.IdleCoreHours)}, s.dec1},
		figure{"Idle-core CO2e at full load, not in the total (kg)", []any{num(t.IdleCoreCO2eKg)}, s.dec1})
}

// comparisons are the rows comparing the period with the one before, the
// same period a year earlier and the year to date, those computed: the
// other period's central CO2e and energy, the change in CO2e from it to
// this period, and a note where there is no change to show.
func (b *book) comparisons() []figure {
	d := b.d
	var rows []figure
	for _, c := range []struct {
		label    string
		cmp      *report.Comparison
		holdsNow bool // the other period contains this one
	}{
		{"Previous period", d.Previous, false},
		{"Same period a year earlier", d.YearEarlier, false},
		{"Year to date", d.YearToDate, true},
	} {
		if c.cmp == nil {
			continue
		}
		label := c.label + ": " + c.cmp.Period.Label
		t := c.cmp.Totals
		switch {
		case t.Jobs == 0:
			// Zero jobs is no data, not a period without emissions,
			// and a change from nothing has no size.
			rows = append(rows, figure{label: label, values: []any{nil, nil, nil, "no data"}})
		case c.holdsNow:
			// A change from a total that holds this period would not
			// say whether emissions went up or down.
			rows = append(rows, figure{label: label, values: []any{num(t.CO2eKg.Central), num(t.EnergyKWh.Central), nil, "includes this period"}})
		default:
			change := (d.Totals.CO2eKg.Central - t.CO2eKg.Central) / t.CO2eKg.Central
			rows = append(rows, figure{label: label, values: []any{num(t.CO2eKg.Central), num(t.EnergyKWh.Central), num(change), nil}})
		}
	}
	return rows
}

// paragraph writes a paragraph of the executive summary across columns A
// to D, wrapped, in a row tall enough for it.
func (b *book) paragraph(row int, text string) error {
	f := b.f
	from, to := cell(0, row), cell(3, row)
	if err := f.SetCellValue(sheetSummary, from, text); err != nil {
		return err
	}
	if err := f.MergeCell(sheetSummary, from, to); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheetSummary, from, to, b.st.wrapped); err != nil {
		return err
	}
	// About 90 characters fit on a line of the merged width; Excel does not
	// grow a merged row by itself.
	return f.SetRowHeight(sheetSummary, row, wrappedHeight(wrappedLines(text, 90)))
}

// chart adds a native column chart of central CO2e per time bucket, drawn
// from the Over time sheet so it follows any edit there.
func (b *book) chart() error {
	n := len(b.d.OverTime)
	if n == 0 {
		return nil
	}
	ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$2:$%s$%d", sheetOverTime, col, col, n+1) }
	gap, vary := uint(60), false
	return b.f.AddChart(sheetSummary, "F3", &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("'%s'!$F$1", sheetOverTime),
			Categories: ref(b.overTimeLabel()),
			Values:     ref("F"),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2A8778"}},
		}},
		Title:     chartTitle("CO2e over time (kg)"),
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 720, Height: 380},
		GapWidth:  &gap,
		// One series in one colour; Excel would colour each bar differently.
		VaryColors: &vary,
		XAxis:      excelize.ChartAxis{Title: chartTitle(bucketOf(b.d).title), Font: axisFont},
		YAxis: excelize.ChartAxis{
			Title:          chartTitle("CO2e (kg)"),
			MajorGridLines: true,
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: fmtCount},
			Font:           axisFont,
		},
		Format: excelize.GraphicOptions{AltText: "Column chart of CO2e per time bucket, from the Over time sheet"},
	})
}

// chartTitle is a chart's or an axis's title.
func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s}}}
}

// axisFont sets the charts' tick labels: excelize's default is a pale grey
// that fades in print.
var axisFont = excelize.Font{Color: "404040", Size: 9}
