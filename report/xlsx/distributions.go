package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"labcarbon/report"
)

// distribution is one of the histograms of the Distributions sheet: its
// name, as the sheet's first column and the chart's title say it, and its
// bins.
type distribution struct {
	name string
	bins []report.Bin
}

// distributions writes the jobs that ran by CPU efficiency and by size as
// one table, a row per bin, so that a filter on the first column picks
// one, and beside it a native chart of each drawn from its rows.
func (b *book) distributions() error {
	ds := []distribution{
		{"CPU efficiency", b.d.CPUEfficiency},
		{"Job size (allocated cores)", b.d.JobSizes},
	}
	var values [][]any
	for _, d := range ds {
		for _, bin := range d.bins {
			values = append(values, []any{d.name, bin.Label, bin.Jobs, num(bin.CO2eKg)})
		}
	}
	s := b.st
	if err := b.table(sheetDistributions, "Distributions", []column{
		{"Distribution", 26, s.text},
		{"Bin", 14, s.text},
		{"Jobs (count)", 12, s.count},
		{"CO2e (kg)", 14, s.dec2},
	}, values); err != nil {
		return err
	}
	first, at := 2, 2 // the first row of a distribution, and the row of its chart
	for _, d := range ds {
		if len(d.bins) == 0 {
			continue
		}
		if err := b.histogram(d, first, fmt.Sprintf("F%d", at)); err != nil {
			return err
		}
		first += len(d.bins)
		at += chartRows
	}
	return nil
}

// chartRows is how many rows of the default height a histogram covers,
// with a gap under it.
const chartRows = 23

// histogram charts a distribution whose bins are the sheet's rows from
// first, at cell: the jobs per bin as columns against the left axis and
// their CO2e as a line against the right, as the two differ in size.
func (b *book) histogram(d distribution, first int, cell string) error {
	ref := func(col string) string {
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheetDistributions, col, first, col, first+len(d.bins)-1)
	}
	header := func(col string) string { return fmt.Sprintf("'%s'!$%s$1", sheetDistributions, col) }
	gap, vary := uint(60), false
	jobs := &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{
			Name: header("C"), Categories: ref("B"), Values: ref("C"),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"2A8778"}},
		}},
		Title:      chartTitle(d.name + ": jobs and their CO2e"),
		Legend:     excelize.ChartLegend{Position: "bottom"},
		Dimension:  excelize.ChartDimension{Width: 640, Height: 400}, // 20 rows
		GapWidth:   &gap,
		VaryColors: &vary,
		XAxis:      excelize.ChartAxis{Title: chartTitle(d.name), Font: axisFont},
		YAxis: excelize.ChartAxis{
			Title:          chartTitle("Jobs (count)"),
			MajorGridLines: true,
			NumFmt:         excelize.ChartNumFmt{CustomNumFmt: fmtCount},
			Font:           axisFont,
		},
		Format: excelize.GraphicOptions{AltText: "Column chart of the jobs per bin of " + d.name +
			", with their CO2e as a line on the right axis, from the Distributions sheet"},
	}
	co2e := &excelize.Chart{
		Type: excelize.Line,
		Series: []excelize.ChartSeries{{
			Name: header("D"), Categories: ref("B"), Values: ref("D"),
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"283C78"}},
			Line:   excelize.LineOptions{Width: 2},
			Marker: excelize.ChartMarker{Symbol: "circle", Size: 6},
		}},
		YAxis: excelize.ChartAxis{
			Secondary: true,
			Title:     chartTitle("CO2e (kg)"),
			NumFmt:    excelize.ChartNumFmt{CustomNumFmt: fmtCount},
			Font:      axisFont,
		},
	}
	return b.f.AddChart(sheetDistributions, cell, jobs, co2e)
}
