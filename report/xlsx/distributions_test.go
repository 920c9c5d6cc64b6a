package xlsx

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon"
	"labcarbon/report"
)

// row returns the cells of a sheet's row (from 1) as stored.
func row(t *testing.T, f *excelize.File, sheet string, n int) []string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) < n {
		t.Fatalf("%s has %d rows (%v), want at least %d", sheet, len(rows), err, n)
	}
	return rows[n-1]
}

func TestGroupCompletedAndSCI(t *testing.T) {
	d := &report.Data{Lab: "Lab", SCIUnit: "GPU-hour", ByGroup: []report.Row{
		{Key: "climate", PI: "Søren", Jobs: 10, Completed: 7, GPUHours: 12, CO2eKg: labcarbon.Point(30), EmbodiedCO2eKg: 6},
		{Key: "ml", Jobs: 4, Completed: 4, CO2eKg: labcarbon.Point(5), EmbodiedCO2eKg: 1},
	}}
	f, _ := render(t, d)
	// After the PI, in column O: completed jobs in P, SCI in Q.
	if got, want := row(t, f, "By group", 1)[14:], []string{"PI", "Completed jobs", "SCI (gCO2e per GPU-hour)"}; !slices.Equal(got, want) {
		t.Errorf("By group header ends %q, want %q", got, want)
	}
	for _, c := range []struct {
		cell string
		want float64
	}{
		{"P2", 7}, {"P3", 4},
		// (30 + 6) kg ÷ 12 GPU-hours = 3,000 g.
		{"Q2", 3000},
	} {
		if got := number(t, f, "By group", c.cell); !near(got, c.want) {
			t.Errorf("By group!%s = %v, want %v", c.cell, got, c.want)
		}
	}
	// ml has no GPU-hours: its SCI is not defined, and left blank.
	if got := row(t, f, "By group", 3); len(got) > 16 && got[16] != "" {
		t.Errorf("By group!Q3 = %q, want a blank cell", got[16])
	}

	d.SCIUnit = ""
	f, _ = render(t, d)
	if got := row(t, f, "By group", 1); got[len(got)-1] != "Completed jobs" {
		t.Errorf("without a unit the header ends %q, want Completed jobs", got[len(got)-1])
	}
}

func TestDistributions(t *testing.T) {
	d := &report.Data{Lab: "Lab",
		CPUEfficiency: []report.Bin{{Label: "0–10%", Jobs: 3, CO2eKg: 1.5}, {Label: "not recorded", Jobs: 2, CO2eKg: 0.25}},
		JobSizes:      []report.Bin{{Label: "1 core", Jobs: 4, CO2eKg: 12.5}, {Label: "2–4"}, {Label: "over 1,024", Jobs: 1, CO2eKg: 99}},
	}
	f, raw := render(t, d)
	want := [][]any{
		{"CPU efficiency", "0–10%", 3.0, 1.5},
		{"CPU efficiency", "not recorded", 2.0, 0.25},
		{"Job size (allocated cores)", "1 core", 4.0, 12.5},
		{"Job size (allocated cores)", "2–4", 0.0, 0.0},
		{"Job size (allocated cores)", "over 1,024", 1.0, 99.0},
	}
	for i, w := range want {
		r := i + 2
		for j, v := range w {
			cell := cellName(t, j+1, r)
			switch v := v.(type) {
			case string:
				if got := text(t, f, "Distributions", cell); got != v {
					t.Errorf("Distributions!%s = %q, want %q", cell, got, v)
				}
			case float64:
				if got := number(t, f, "Distributions", cell); !near(got, v) {
					t.Errorf("Distributions!%s = %v, want %v", cell, got, v)
				}
			}
		}
	}
	if rows, _ := f.GetRows("Distributions"); len(rows) != len(want)+1 {
		t.Errorf("Distributions has %d rows, want header + %d", len(rows), len(want))
	}

	// A chart of each, columns of jobs and a line of CO2e on a second
	// axis, over its own rows.
	charts := chartXML(t, raw)
	for _, refs := range [][]string{
		{"'Distributions'!$B$2:$B$3", "'Distributions'!$C$2:$C$3", "'Distributions'!$D$2:$D$3"},
		{"'Distributions'!$B$4:$B$6", "'Distributions'!$C$4:$C$6", "'Distributions'!$D$4:$D$6"},
	} {
		i := slices.IndexFunc(charts, func(x string) bool { return strings.Contains(x, refs[0]) })
		if i < 0 {
			t.Errorf("no chart over %s", refs[0])
			continue
		}
		for _, want := range append(refs[1:], "<barChart>", "<lineChart>") {
			if !strings.Contains(charts[i], want) {
				t.Errorf("the chart over %s lacks %s", refs[0], want)
			}
		}
		if n := strings.Count(charts[i], "<valAx>"); n != 2 {
			t.Errorf("the chart over %s has %d value axes, want 2", refs[0], n)
		}
	}
}

// chartXML returns the charts of a workbook, unescaped.
func chartXML(t *testing.T, raw []byte) []string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, file := range z.File {
		if strings.HasPrefix(file.Name, "xl/charts/chart") {
			r, err := file.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, html.UnescapeString(string(body)))
		}
	}
	return out
}

func TestSummaryIntensityAgainstGrid(t *testing.T) {
	// 100 kg over 500 kWh is 200 g/kWh; at the grid's annual average it
	// would have been 125 kg, 250 g/kWh: 100 ÷ 125 − 1 = 20% cleaner.
	d := &report.Data{Lab: "Lab", Totals: report.Totals{
		EnergyKWh: labcarbon.Point(500), CO2eKg: labcarbon.Point(100), GridCO2eKg: 125,
	}}
	labels := []string{
		"Carbon intensity the jobs ran under (gCO2e/kWh)",
		"Grid annual average for the same energy (gCO2e/kWh)",
		"Jobs' intensity against the grid average (%, below 0 cleaner)",
	}
	find := func(f *excelize.File) map[string]int {
		rows, err := f.GetRows("Summary")
		if err != nil {
			t.Fatal(err)
		}
		at := map[string]int{}
		for i, r := range rows {
			if len(r) > 0 {
				at[r[0]] = i + 1
			}
		}
		return at
	}
	f, _ := render(t, d)
	at := find(f)
	for i, want := range []float64{200, 250, -0.2} {
		r, ok := at[labels[i]]
		if !ok {
			t.Errorf("Summary has no %q", labels[i])
			continue
		}
		if got := number(t, f, "Summary", cellName(t, 2, r)); !near(got, want) {
			t.Errorf("Summary %q = %v, want %v", labels[i], got, want)
		}
	}

	// Without energy there is no intensity: the cells are blank.
	d.Totals = report.Totals{GridCO2eKg: 5}
	f, _ = render(t, d)
	at = find(f)
	for _, l := range labels {
		if v, _ := f.GetCellValue("Summary", cellName(t, 2, at[l])); v != "" {
			t.Errorf("Summary %q = %q without energy, want blank", l, v)
		}
	}
}

func TestMethodologyAndInputs(t *testing.T) {
	read := time.Date(2026, 10, 1, 2, 30, 0, 0, time.UTC)
	d := &report.Data{Lab: "Lab", Catalog: "8c02d3f0af45+lab.0123456789ab",
		CatalogOverrides: []string{"=cpus.csv: AMD EPYC 7763 (replaced)"},
		Inputs: []report.Input{{Name: "/data/sacct-2026Q3.txt", Format: "sacct", Jobs: 1234, Bad: 2,
			SHA256: strings.Repeat("ab", 32), RunID: 42, Read: read}}}
	f, raw := render(t, d)
	rows, err := f.GetRows("Methodology")
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, r := range rows[1:] {
		topics = append(topics, r[0]+": "+strings.SplitN(r[1], "\n", 2)[0])
	}
	for _, want := range []string{
		"Formula: " + report.Formula[0],
		"Market-based: " + report.MarketMethod,
		"Factor catalog version: 8c02d3f0af45+lab.0123456789ab",
		"Lab's factor override: =cpus.csv: AMD EPYC 7763 (replaced)",
	} {
		if !slices.Contains(topics, want) {
			t.Errorf("Methodology lacks %q", want)
		}
	}
	in := row(t, f, "Inputs", 2)
	if in[0] != "/data/sacct-2026Q3.txt" || in[1] != "sacct" || in[2] != "1234" || in[3] != "2" || in[4] != strings.Repeat("ab", 32) || in[5] != "42" {
		t.Errorf("Inputs row %q", in)
	}
	noFormulas(t, raw)
}
