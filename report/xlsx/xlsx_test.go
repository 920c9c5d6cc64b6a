package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"html"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon"
	"labcarbon/internal/scalebench"
	"labcarbon/report"
	"labcarbon/report/reporttest"
)

// render writes d and reopens the workbook.
func render(t testing.TB, d *report.Data) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

// number reads cell as a number, failing unless it is a typed number.
func number(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("%s!%s has type %v, want a number", sheet, cell, typ)
	}
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, not a number", sheet, cell, raw)
	}
	return v
}

// text reads cell, failing unless it is a string cell without a formula.
func text(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s has type %v, want a string", sheet, cell, typ)
	}
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
		t.Errorf("%s!%s has formula %q", sheet, cell, formula)
	}
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// near reports whether a and b agree to about 12 significant digits.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// cellName is the name of the cell at col, row (both from 1).
func cellName(t *testing.T, col, row int) string {
	t.Helper()
	c, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSheets(t *testing.T) {
	f, _ := render(t, reporttest.Data(25))
	want := []string{"Summary", "Recommendations", "Last period's recommendations", "Equivalents", "By group", "By user", "By partition", "By state", "By cluster", "By node type",
		"Over time", "Distributions", "Jobs", "Factors", "Exclusions", "Methodology", "Inputs"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	for _, sheet := range want[1:] {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen (%+v, %v)", sheet, panes, err)
		}
		tables, err := f.GetTables(sheet)
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") {
			t.Errorf("%s: want one table from A1 (filter buttons), got %+v, %v", sheet, tables, err)
		}
	}
}

func TestHeaders(t *testing.T) {
	f, _ := render(t, reporttest.Data(25))
	breakdown := []string{"Jobs", "CPU time (core-h)", "GPU time (GPU-h)", "Energy (kWh)", "CO2e (kg)",
		"CO2e low (kg)", "CO2e high (kg)", "Share of CO2e (%)", "Wasted CO2e (kg)", "Cost (EUR)",
		"Embodied CO2e, Scope 3 (kg)", "Memory waste CO2e (kg)", "Idle-core CO2e at full load (kg)"}
	for sheet, want := range map[string][]string{
		"By group":      append(append([]string{"Group"}, breakdown...), "PI", "Completed jobs"),
		"By user":       append([]string{"User"}, breakdown...),
		"By partition":  append([]string{"Partition"}, breakdown...),
		"By state":      append([]string{"State"}, breakdown...),
		"By cluster":    append([]string{"Cluster"}, breakdown...),
		"By node type":  append([]string{"Node type"}, breakdown...),
		"Over time":     append(append([]string{"Week starting (UTC)"}, breakdown...), "Label"),
		"Equivalents":   {"Equivalent of the operational CO2e", "Count", "CO2e per unit (g)", "Source", "Key"},
		"Distributions": {"Distribution", "Bin", "Jobs (count)", "CO2e (kg)"},
		"Jobs": {"Cluster", "Job ID", "Job name", "User", "Group / account", "Partition", "State",
			"Start (UTC)", "End (UTC)", "Elapsed (h)", "CPUs", "GPUs", "CPU time used (core-h)",
			"Requested memory (GB)", "Peak memory (GB)", "Node type", "Energy source", "Energy (kWh)",
			"CO2e (kg)", "CO2e low (kg)", "CO2e high (kg)", "Grid intensity (gCO2e/kWh)",
			"Grid intensity source", "PUE", "CPU efficiency (%)", "Cost (EUR)",
			"Hourly intensity share of run (%)", "CO2e market-based (kg)", "Embodied CO2e (kg)", "Node share (nodes)",
			"Memory waste CO2e (kg)", "Idle core-hours (core-h)", "Idle-core CO2e at full load (kg)", "Memory efficiency (%)", "GPU utilisation (%)"},
		"Factors":    {"Factor", "Value (with unit and low–high range)", "Source", "Jobs (count)"},
		"Exclusions": {"File", "Line", "Field", "Reason"},
	} {
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: no rows (%v)", sheet, err)
		}
		if !slices.Equal(rows[0], want) {
			t.Errorf("%s header\n got %q\nwant %q", sheet, rows[0], want)
		}
	}
}

func TestBreakdownValuesAreTypedNumbers(t *testing.T) {
	d := reporttest.Data(25)
	f, _ := render(t, d)
	for sheet, rows := range map[string][]report.Row{
		"By group": d.ByGroup, "By user": d.ByUser, "By partition": d.ByPartition,
		"By state": d.ByState, "Over time": d.OverTime, "By cluster": d.ByCluster, "By node type": d.ByNodeType,
	} {
		if len(rows) == 0 {
			t.Fatalf("the fixture has no rows for %s", sheet)
		}
		for i, r := range rows {
			row := i + 2
			want := []float64{float64(r.Jobs), r.CPUHours, r.GPUHours, r.EnergyKWh,
				r.CO2eKg.Central, r.CO2eKg.Low, r.CO2eKg.High, r.Share, r.WastedCO2eKg, r.Cost,
				r.EmbodiedCO2eKg, r.MemWasteCO2eKg, r.IdleCoreCO2eKg}
			for j, w := range want {
				cell := cellName(t, j+2, row)
				if got := number(t, f, sheet, cell); !near(got, w) {
					t.Errorf("%s!%s = %v, want %v", sheet, cell, got, w)
				}
			}
		}
	}
	// Over time keys are dates: numbers that read back as the bucket start.
	for i, r := range d.OverTime {
		serial := number(t, f, "Over time", cellName(t, 1, i+2))
		got, err := excelize.ExcelDateToTime(serial, false)
		if err != nil || got.Format(time.DateOnly) != r.Key {
			t.Errorf("Over time row %d: date %v (%v), want %s", i+2, got, err, r.Key)
		}
	}
}

func TestSummaryFigures(t *testing.T) {
	d := reporttest.Data(25)
	f, _ := render(t, d)
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]int{}
	for i, r := range rows {
		if len(r) > 0 {
			labels[r[0]] = i + 1
		}
	}
	tot := d.Totals
	if tot.MarketShare == 0 || tot.HourlyShare == 0 || tot.EmbodiedCO2eKg.Central == 0 || tot.IdleCoreHours == 0 {
		t.Fatalf("the fixture lacks the engine's figures: %+v", tot)
	}
	for label, want := range map[string][]float64{
		"CO2e, embodied Scope 3 (kg)": {tot.EmbodiedCO2eKg.Central, tot.EmbodiedCO2eKg.Low, tot.EmbodiedCO2eKg.High},
		"CO2e incl. embodied (kg)": {
			tot.CO2eKg.Central + tot.EmbodiedCO2eKg.Central,
			tot.CO2eKg.Low + tot.EmbodiedCO2eKg.Low,
			tot.CO2eKg.High + tot.EmbodiedCO2eKg.High,
		},
		"CO2e, market-based Scope 2 (kg)":                    {tot.MarketCO2eKg.Central, tot.MarketCO2eKg.Low, tot.MarketCO2eKg.High},
		"Energy with a market-based factor (%)":              {tot.MarketShare},
		"Energy at hourly grid intensity (%)":                {tot.HourlyShare},
		"Memory over-request CO2e (kg)":                      {tot.MemWasteCO2eKg},
		"Idle allocated cores (core-h)":                      {tot.IdleCoreHours},
		"Idle-core CO2e at full load, not in the total (kg)": {tot.IdleCoreCO2eKg},
		"CO2e, location-based (kg)":                          {tot.CO2eKg.Central, tot.CO2eKg.Low, tot.CO2eKg.High},
		"Energy (kWh)":                                       {tot.EnergyKWh.Central, tot.EnergyKWh.Low, tot.EnergyKWh.High},
		"Cost (EUR)":                                         {tot.Cost},
		"Jobs (count)":                                       {float64(tot.Jobs)},
		"CPU time (core-h)":                                  {tot.CPUHours},
		"GPU time (GPU-h)":                                   {tot.GPUHours},
		"Wasted CO2e (kg)":                                   {tot.WastedCO2eKg},
		"Wasted share of CO2e (%)":                           {tot.WastedCO2eKg / tot.CO2eKg.Central},
		"Jobs with measured energy (count)":                  {float64(tot.MeasuredJobs)},
		"Run id":                                             {float64(d.RunID)},
	} {
		row, ok := labels[label]
		if !ok {
			t.Errorf("Summary has no %q", label)
			continue
		}
		for i, w := range want {
			cell := cellName(t, i+2, row)
			if got := number(t, f, "Summary", cell); !near(got, w) {
				t.Errorf("Summary %q %s = %v, want %v", label, cell, got, w)
			}
		}
	}
	if _, ok := labels[d.Summary[0]]; !ok {
		t.Error("Summary lacks the executive summary's first paragraph")
	}
}

// TestSummaryFiguresByHand checks the engine's headline figures on a
// small Data whose sums are worked out by hand, and that the market-based
// figure is left out when no site has a market factor.
func TestSummaryFiguresByHand(t *testing.T) {
	d := &report.Data{Lab: "Lab", Totals: report.Totals{
		CO2eKg:         labcarbon.Range{Low: 80, Central: 100, High: 130},
		EmbodiedCO2eKg: labcarbon.Range{Low: 8, Central: 12.5, High: 20},
		MarketCO2eKg:   labcarbon.Range{Low: 50, Central: 60, High: 75},
		MarketShare:    0.25, HourlyShare: 0.375,
		MemWasteCO2eKg: 3.5, IdleCoreHours: 1200, IdleCoreCO2eKg: 4.2,
	}}
	labels := func(f *excelize.File) map[string][]string {
		rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]string{}
		for _, r := range rows {
			if len(r) > 1 {
				m[r[0]] = r[1:]
			}
		}
		return m
	}
	f, _ := render(t, d)
	got := labels(f)
	for label, want := range map[string][]string{
		"CO2e, embodied Scope 3 (kg)":                        {"12.5", "8", "20"},
		"CO2e incl. embodied (kg)":                           {"112.5", "88", "150"}, // 100 + 12.5, 80 + 8, 130 + 20
		"CO2e, market-based Scope 2 (kg)":                    {"60", "50", "75"},
		"Energy with a market-based factor (%)":              {"0.25"},
		"Energy at hourly grid intensity (%)":                {"0.375"},
		"Memory over-request CO2e (kg)":                      {"3.5"},
		"Idle allocated cores (core-h)":                      {"1200"},
		"Idle-core CO2e at full load, not in the total (kg)": {"4.2"},
	} {
		if !slices.Equal(got[label], want) {
			t.Errorf("Summary %q = %q, want %q", label, got[label], want)
		}
	}
	d.Totals.MarketShare = 0
	f, _ = render(t, d)
	for label := range labels(f) {
		if strings.Contains(label, "market") {
			t.Errorf("Summary has %q though no site has a market factor", label)
		}
	}
}

// TestEquivalents checks every equivalent's count against the period's
// central CO2e divided by the grams per unit.
func TestEquivalents(t *testing.T) {
	d := reporttest.Data(25)
	f, _ := render(t, d)
	rows, err := f.GetRows("Equivalents")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(d.Equivalents)+1 || len(d.Equivalents) == 0 {
		t.Fatalf("Equivalents has %d rows, want header + %d", len(rows), len(d.Equivalents))
	}
	for i, e := range d.Equivalents {
		row := i + 2
		if rows[row-1][0] != e.Name || rows[row-1][3] != e.Source || rows[row-1][4] != e.Key {
			t.Errorf("Equivalents row %d = %q, want %s, %s, %s", row, rows[row-1], e.Name, e.Source, e.Key)
		}
		if got, want := number(t, f, "Equivalents", cellName(t, 2, row)), d.Totals.CO2eKg.Central*1000/e.GramsPerUnit; !near(got, want) {
			t.Errorf("%s: count %v, want %v", e.Key, got, want)
		}
		if got := number(t, f, "Equivalents", cellName(t, 3, row)); got != e.GramsPerUnit {
			t.Errorf("%s: %v g per unit, want %v", e.Key, got, e.GramsPerUnit)
		}
	}
}

func TestJobsOneRowPerJob(t *testing.T) {
	const n = 25
	d := reporttest.Data(n)
	f, _ := render(t, d)
	rows, err := f.GetRows("Jobs")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n+1 {
		t.Fatalf("Jobs has %d rows, want header + %d", len(rows), n)
	}
	i := 0
	err = d.Jobs(func(j *labcarbon.Job) error {
		row := i + 2
		i++
		if got := rows[row-1][1]; got != j.JobID {
			t.Errorf("row %d job id %q, want %q", row, got, j.JobID)
		}
		for col, want := range map[int]float64{
			10: float64(j.ElapsedSec) / 3600, 11: float64(j.CPUs), 18: j.Result.EnergyKWh.Central,
			19: j.Result.CO2eKg.Central, 20: j.Result.CO2eKg.Low, 21: j.Result.CO2eKg.High,
			22: j.Result.CIgPerKWh, 24: j.Result.PUE, 25: j.Result.CPUEfficiency, 26: j.Result.Cost,
			27: j.Result.CIHourlyShare, 29: j.Result.EmbodiedCO2eKg.Central, 30: j.Result.NodeShare,
			31: j.Result.MemWasteCO2eKg.Central, 32: j.Result.IdleCoreHours, 33: j.Result.IdleCoreCO2eKg.Central,
		} {
			if got := number(t, f, "Jobs", cellName(t, col, row)); !near(got, want) {
				t.Errorf("Jobs row %d col %d = %v, want %v", row, col, got, want)
			}
		}
		start, err := excelize.ExcelDateToTime(number(t, f, "Jobs", cellName(t, 8, row)), false)
		if err != nil || start.Sub(j.Start).Abs() > time.Millisecond {
			t.Errorf("Jobs row %d start %v (%v), want %v", row, start, err, j.Start)
		}
		if peak, _ := f.GetCellValue("Jobs", cellName(t, 15, row)); !j.HasMemPeak && peak != "" {
			t.Errorf("Jobs row %d peak memory %q, want blank when unknown", row, peak)
		}
		market := cellName(t, 28, row)
		if v, _ := f.GetCellValue("Jobs", market); !j.Result.HasMarket && v != "" {
			t.Errorf("Jobs row %d market-based CO2e %q, want blank without a market factor", row, v)
		} else if j.Result.HasMarket && !near(number(t, f, "Jobs", market), j.Result.MarketCO2eKg.Central) {
			t.Errorf("Jobs row %d market-based CO2e %v, want %v", row, number(t, f, "Jobs", market), j.Result.MarketCO2eKg.Central)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestInputTextIsNeverAFormula writes a job named =HYPERLINK(…) and an
// exclusion reason starting with +, and checks both come back as text and
// that the workbook holds no formula at all.
func TestInputTextIsNeverAFormula(t *testing.T) {
	d := reporttest.Data(25)
	d.ByUser[0].Key = "@SUM(1+1)"
	f, raw := render(t, d)
	for _, c := range []struct{ sheet, cell, want string }{
		{"Jobs", "C5", reporttest.InjectionName}, // job 3 is row 5
		{"Exclusions", "D3", d.Exclusions[1].Reason},
		{"By user", "A2", "@SUM(1+1)"},
	} {
		if got := text(t, f, c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	noFormulas(t, raw)
}

// noFormulas checks that no worksheet of the workbook raw holds a formula.
func noFormulas(t *testing.T, raw []byte) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range z.File {
		if !strings.HasPrefix(file.Name, "xl/worksheets/") {
			continue
		}
		r, err := file.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(body, []byte("<f>")) || bytes.Contains(body, []byte("<f ")) {
			t.Errorf("%s holds a formula", file.Name)
		}
	}
}

func TestJobsSplitAtRowLimit(t *testing.T) {
	defer func(n int) { maxRows = n }(maxRows)
	maxRows = 11 // header + 10 jobs per sheet
	for _, c := range []struct {
		jobs  int
		split []int
	}{
		{25, []int{10, 10, 5}},
		{20, []int{10, 10}},
		{0, []int{0}},
	} {
		f, _ := render(t, reporttest.Data(c.jobs))
		var jobSheets []string
		for _, s := range f.GetSheetList() {
			if s == "Jobs" || strings.HasPrefix(s, "Jobs ") {
				jobSheets = append(jobSheets, s)
			}
		}
		if len(jobSheets) != len(c.split) {
			t.Errorf("%d jobs: sheets %q, want %d Jobs sheets", c.jobs, jobSheets, len(c.split))
			continue
		}
		for i, s := range jobSheets {
			if want := "Jobs"; i > 0 {
				want = "Jobs " + strconv.Itoa(i+1)
				if s != want {
					t.Errorf("sheet %d is %q, want %q", i, s, want)
				}
			}
			rows, err := f.GetRows(s)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != c.split[i]+1 || rows[0][0] != "Cluster" {
				t.Errorf("%d jobs: %s has %d rows, want header + %d", c.jobs, s, len(rows), c.split[i])
			}
		}
		if list := f.GetSheetList(); list[len(list)-4] != "Factors" {
			t.Errorf("sheets %q: Factors should follow the Jobs sheets", list)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	d := reporttest.Data(25)
	_, a := render(t, d)
	_, b := render(t, d)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same data differ")
	}
}

func TestDocumentProperties(t *testing.T) {
	d := reporttest.Data(5)
	f, _ := render(t, d)
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if want := d.Generated.Format(time.RFC3339); props.Created != want || props.Modified != want {
		t.Errorf("created %q, modified %q, want both %q", props.Created, props.Modified, want)
	}
}

func TestChartOfCO2eOverTime(t *testing.T) {
	_, raw := render(t, reporttest.Data(25))
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range z.File {
		if file.Name == "xl/charts/chart1.xml" {
			r, _ := file.Open()
			body, _ := io.ReadAll(r)
			r.Close()
			xml := html.UnescapeString(string(body))
			for _, ref := range []string{"'Over time'!$F$2:$F$15", "'Over time'!$O$2:$O$15"} {
				if !strings.Contains(xml, ref) {
					t.Errorf("chart does not refer to %s", ref)
				}
			}
			return
		}
	}
	t.Error("workbook has no chart")
}

func TestNonFiniteNumbersAreBlank(t *testing.T) {
	d := reporttest.Data(5)
	d.ByGroup[0].EnergyKWh = math.NaN()
	d.Totals.Cost = math.Inf(1)
	f, _ := render(t, d)
	if v, _ := f.GetCellValue("By group", "E2"); v != "" {
		t.Errorf("NaN energy written as %q, want a blank cell", v)
	}
	rows, _ := f.GetRows("Summary")
	for _, r := range rows {
		if len(r) > 1 && r[0] == "Cost (EUR)" && r[1] != "" {
			t.Errorf("infinite cost written as %q, want a blank cell", r[1])
		}
	}
}

func TestWriteEmpty(t *testing.T) {
	f, _ := render(t, &report.Data{})
	if n := len(f.GetSheetList()); n != 17 {
		t.Errorf("%d sheets, want 17", n)
	}
}

func TestJobsErrorIsReturned(t *testing.T) {
	d := reporttest.Data(5)
	boom := errors.New("store gone")
	d.Jobs = func(func(*labcarbon.Job) error) error { return boom }
	if err := Write(io.Discard, d); !errors.Is(err, boom) {
		t.Errorf("Write = %v, want it to wrap %v", err, boom)
	}
	if err := Write(io.Discard, nil); err == nil {
		t.Error("Write(nil) succeeded")
	}
}

func BenchmarkXLSXJobs(b *testing.B) {
	const n = 100_000
	d := reporttest.Data(0)
	full := reporttest.Data(n)
	d.Jobs = full.Jobs
	cpu0 := scalebench.ProcessCPU()
	for b.Loop() {
		if err := Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	if cpu := scalebench.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "jobs/cpu-s")
	}
}
