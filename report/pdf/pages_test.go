package pdf

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"labcarbon"
	"labcarbon/report"
)

func TestIntensityAgainstGrid(t *testing.T) {
	// 6,600 kg over 31,300 kWh is 210.9 g/kWh.
	ran := report.Totals{EnergyKWh: labcarbon.Point(31300), CO2eKg: labcarbon.Point(6600)}
	for _, c := range []struct {
		name   string
		gridKg float64
		want   string
	}{
		// 6,820 kg is 217.9 g/kWh; 220 kg less of 6,820 is 3.2% cleaner.
		{"cleaner", 6820, "211 g/kWh against a grid average of 218 g/kWh (3.2% cleaner)"},
		// 6,000 kg is 191.7 g/kWh; 600 kg more than 6,000 is 10% dirtier.
		{"dirtier", 6000, "211 g/kWh against a grid average of 192 g/kWh (10.0% dirtier)"},
		{"same", 6600, "211 g/kWh against a grid average of 211 g/kWh (the same)"},
		{"no grid average", 0, "211 g/kWh; no grid average recorded"},
	} {
		tot := ran
		tot.GridCO2eKg = c.gridKg
		if got := intensityAgainstGrid(tot); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := intensityAgainstGrid(report.Totals{GridCO2eKg: 5}); got != "no energy" {
		t.Errorf("without energy: %q, want %q", got, "no energy")
	}
}

// overTimeData is handData with three months stacked by two groups and
// the rest, each month's layers adding up to its total.
func overTimeData() *report.Data {
	d := handData()
	d.Totals.GridCO2eKg = 6820
	d.Bucket = report.Month
	d.OverTime = []report.Row{
		{Key: "2026-07-01", CO2eKg: labcarbon.Range{Low: 1500, Central: 2000, High: 2100}},
		{Key: "2026-08-01", CO2eKg: labcarbon.Range{Low: 1900, Central: 2500, High: 2600}},
		{Key: "2026-09-01", CO2eKg: labcarbon.Range{Low: 1600, Central: 2100, High: 2200}},
	}
	d.OverTimeByGroup = []report.Series{
		{Key: "climate", CO2eKg: []float64{1000, 1500, 1079}},
		{Key: "ml", CO2eKg: []float64{500, 300, 315}},
		{Key: "other", CO2eKg: []float64{500, 700, 706}},
	}
	return d
}

// pageOf returns the text of the page whose lines include one that is
// just title, and its number from 1; 0 if none has.
func pageOf(text, title string) (string, int) {
	re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(title) + `\s*$`)
	for i, pg := range strings.Split(text, "\f") {
		if re.MatchString(pg) {
			return pg, i + 1
		}
	}
	return "", 0
}

func TestOverTimeStackedByGroup(t *testing.T) {
	d := overTimeData()
	text := layoutText(t, d)
	pg, _ := pageOf(text, "Emissions over time")
	contains(t, flat(pg), "Carbon intensity the jobs ran under",
		"211 g/kWh against a grid average of 218 g/kWh (3.2% cleaner)",
		"stacked by research group")
	// The legend names the layers in stacking order, on one line.
	rowLike(t, pg, "climate", "ml", "other")
	// Above each column its total, in t to one decimal more than the
	// ticks (0, 1, 2, 3 t): 2,000, 2,500 and 2,100 kg.
	for _, w := range []string{"2.0", "2.5", "2.1"} {
		if !regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(w) + `(\s|$)`).MatchString(pg) {
			t.Errorf("no column labelled %s", w)
		}
	}
	rowLike(t, pg, "Jul 2026", "Aug 2026", "Sep 2026")

	// Without the groups, or with a series of the wrong length, the chart
	// is of the totals alone.
	for _, series := range [][]report.Series{nil, {{Key: "climate", CO2eKg: []float64{1}}}} {
		d.OverTimeByGroup = series
		pg, _ := pageOf(layoutText(t, d), "Emissions over time")
		contains(t, flat(pg), "Bars show the central estimate")
		if strings.Contains(pg, "stacked by research group") {
			t.Errorf("with series %v the chart is stacked", series)
		}
	}
}

func TestDistributions(t *testing.T) {
	d := handData()
	d.CPUEfficiency = []report.Bin{
		{Label: "40–50%", Jobs: 1234, CO2eKg: 1234.5},
		{Label: "90–100%", Jobs: 567, CO2eKg: 56.78},
		{Label: "not recorded", Jobs: 89, CO2eKg: 0.25},
	}
	d.JobSizes = []report.Bin{
		{Label: "1 core", Jobs: 4321, CO2eKg: 12.5},
		{Label: "5–16", Jobs: 765, CO2eKg: 2345.6},
		{Label: "over 1,024"},
	}
	pg, _ := pageOf(layoutText(t, d), "Distributions of the jobs that ran")
	if pg == "" {
		t.Fatal("no page has the distributions")
	}
	_, eff, _ := strings.Cut(pg, "CPU efficiency\n")
	eff, size, _ := strings.Cut(eff, "Job size\n")
	contains(t, eff,
		// Jobs per bin, and their CO₂e each in its own unit: 1,234.5 kg
		// is 1.23 t, 56.78 kg is 56.8 kg and 0.25 kg is 250 g.
		"1,234", "567", "89", "1.23 t", "56.8 kg", "250 g",
		"40–50%", "90–100%", "not", "recorded", "CPU efficiency (CPU time used ÷ allocated core time)")
	contains(t, size,
		// 12.5 kg; 2,345.6 kg is 2.35 t; the empty bin has no label.
		"4,321", "765", "12.5 kg", "2.35 t", "1 core", "5–16", "over 1,024", "Allocated CPU cores")
	if strings.Contains(size, "0 g") {
		t.Error("the empty bin is labelled")
	}
}

func TestSCIColumn(t *testing.T) {
	d := handData()
	d.ByGroup[0].EmbodiedCO2eKg, d.ByGroup[1].EmbodiedCO2eKg = 1383, 354
	d.ByGroup[0].Completed, d.ByGroup[1].Completed = 600, 700

	d.SCIUnit = "job"
	text := layoutText(t, d)
	sciHeader(t, text, "job")
	// (3,579 + 1,383) kg ÷ 709 jobs = 6,998.6 g; (1,115 + 354) ÷ 784 =
	// 1,873.7 g; the period's (6,600 + 2,440) ÷ 6,000 = 1,506.7 g.
	rowLike(t, text, "climate · PI Søren", "709", "3,579", "383", "10.7", "558", "1,384", "6,999")
	rowLike(t, text, "ml", "784", "1,115", "70", "6.3", "128", "192", "1,874")
	rowLike(t, text, "All", "6,000", "6,600", "556", "8.4", "971", "1,826", "1,507")
	// The breakdown by group has it last too, after the cost.
	rowLike(t, text, "ml", "784", "0", "0", "0", "1,115", "1,115 – 1,115", "16.9", "70", "354", "0.00", "1,874")
	rowLike(t, text, "All", "6,000", "3,689,846", "27,805", "31,300", "6,600", "2,400 – 6,710", "100.0", "556", "2,440", "8,766.00", "1,507")

	// Per successful job the total counts the groups' 600 + 700 completed
	// jobs: 9,040 kg ÷ 1,300 = 6,953.8 g; climate 4,962 ÷ 600 = 8,270 g,
	// ml 1,469 ÷ 700 = 2,098.6 g.
	d.SCIUnit = "successful job"
	text = layoutText(t, d)
	sciHeader(t, text, "successful", "job")
	rowLike(t, text, "climate · PI Søren", "709", "3,579", "383", "10.7", "558", "1,384", "8,270")
	rowLike(t, text, "ml", "784", "1,115", "70", "6.3", "128", "192", "2,099")
	rowLike(t, text, "All", "6,000", "6,600", "556", "8.4", "971", "1,826", "6,954")

	// Per GPU-hour, a group without GPU-hours has no SCI: a dash.
	d.SCIUnit = "GPU-hour"
	d.ByGroup[1].GPUHours = 0
	text = layoutText(t, d)
	rowLike(t, text, "ml", "784", "1,115", "70", "6.3", "128", "192", "–")

	d.SCIUnit = ""
	if text := layoutText(t, d); strings.Contains(text, "SCI (g") {
		t.Error("an SCI column without a unit")
	}
}

// sciHeader checks that the SCI column's header, "SCI (g CO₂e per " and
// the unit, ends lines of two tables, wrapped in its column one word after
// another.
func sciHeader(t *testing.T, text string, unit ...string) {
	t.Helper()
	lines := append([]string{regexp.QuoteMeta("SCI (g"), "CO₂e per"}, unit...)
	re := regexp.MustCompile(strings.Join(lines, `\n.*`) + `\)\n`)
	if n := len(re.FindAllString(text, -1)); n != 2 {
		t.Errorf("%d tables have the header %q, want 2", n, "SCI (g CO₂e per "+strings.Join(unit, " ")+")")
	}
}

func TestTableOfContents(t *testing.T) {
	d := overTimeData()
	out := render(t, d)
	if !bytes.Contains(out, []byte("/Type /Outlines")) {
		t.Error("the document has no outline of its sections")
	}
	skipWithoutPdftotext(t)
	text := extract(t, out)
	pages := strings.Split(text, "\f")
	if !strings.Contains(pages[1], "CONTENTS") {
		t.Fatal("page 2 has no table of contents")
	}
	if !strings.Contains(pages[0], "COMPUTING CARBON FOOTPRINT REPORT") || strings.Contains(pages[1], "COMPUTING CARBON FOOTPRINT REPORT") {
		t.Error("the cover is not page 1 alone")
	}
	for _, title := range []string{"Emissions over time", "Breakdowns", "Efficiency and waste", "Recommendations", "Methodology and audit"} {
		_, n := pageOf(text, title)
		if n < 2 {
			t.Errorf("no page starts %q", title)
			continue
		}
		if !regexp.MustCompile(regexp.QuoteMeta(title) + `\s+` + count(n) + `(\s|$)`).MatchString(pages[1]) {
			t.Errorf("the contents do not list %q on page %d", title, n)
		}
	}
}
