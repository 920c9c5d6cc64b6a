package xlsx

import (
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/report"
	"labcarbon/report/reporttest"
)

// withRecommendations is the fixture with three recommendations, one of
// each scope, the group's and the researcher's audience and title
// formula-like; what became of two of last period's; and the comparisons:
// 12 t now against 10 t the period before, no jobs a year earlier.
func withRecommendations() *report.Data {
	d := reporttest.Data(25)
	d.Totals.CO2eKg = labcarbon.Range{Low: 10_000, Central: 12_000, High: 15_000}
	rec := func(scope recommend.Scope, subject, who, title, text string, rule recommend.Rule, jobs int, saving, op, emb, kWh, cost, co2e float64) report.Recommendation {
		return report.Recommendation{
			Recommendation: recommend.Recommendation{
				ID: recommend.ID(rule, scope, subject), Rule: rule, Scope: scope, Subject: subject, Jobs: jobs,
				CO2eKg:       labcarbon.Range{Low: co2e * 0.8, Central: co2e, High: co2e * 1.3},
				SavingKWh:    labcarbon.Range{Low: kWh * 0.8, Central: kWh, High: kWh * 1.3},
				SavingCO2eKg: labcarbon.Range{Low: saving * 0.8, Central: saving, High: saving * 1.3},
				SavingCost:   cost, OperationalCO2eKg: op, EmbodiedCO2eKg: emb,
			},
			Who: who, Currency: "EUR", Title: title, Text: text,
		}
	}
	long := strings.Repeat("Requesting what the jobs use frees memory for others. ", 6) + "\nSee the examples."
	d.Recommendations = []report.Recommendation{
		rec(recommend.ScopeLab, "", "the lab", "Move short jobs to the new partition", long, recommend.RulePartition,
			40, 100, 90, 10, 500, 60, 1000),
		rec(recommend.ScopeGroup, "genomics-łódź", "=genomics (PI Jiří Novák (jnovak))", `=HYPERLINK("http://example.com/memory","request less")`, "Short.",
			recommend.RuleMemory, 12, 25.5, 25, 0.5, 120, 14.25, 300),
		rec(recommend.ScopeUser, "zoe", "@zoë", "+Request fewer cores", "-1 core each.", recommend.RuleCPU,
			3, 2.25, 2.5, -0.25, 9, 1.5, 20),
	}
	gone := recommend.Recommendation{
		ID: recommend.ID(recommend.RuleGPUIdle, recommend.ScopeGroup, "quantum"), Rule: recommend.RuleGPUIdle,
		Scope: recommend.ScopeGroup, Subject: "quantum", SavingCO2eKg: labcarbon.Range{Low: 5, Central: 8, High: 11},
	}
	kept := d.Recommendations[1].Recommendation
	kept.SavingCO2eKg = labcarbon.Range{Low: 30, Central: 40, High: 50}
	d.Uptake = []recommend.Uptake{
		{Previous: kept, Present: true, Current: d.Recommendations[1].SavingCO2eKg,
			RealisedCO2eKg: labcarbon.Range{Low: 9.6, Central: 14.5, High: 16.85}},
		{Previous: gone, RealisedCO2eKg: gone.SavingCO2eKg},
	}
	// Last period's wording: the one still made as this period words it,
	// the one gone as it was worded then.
	d.PreviousRecommendations = []report.Recommendation{d.Recommendations[1],
		{Recommendation: gone, Who: "quantum (PI Ana)", Title: "Do not request GPUs for jobs that do not use them"}}
	d.Previous = &report.Comparison{
		Period: labcarbon.Period{Label: "2026Q2"},
		Totals: report.Totals{Jobs: 900, CO2eKg: labcarbon.Range{Central: 10_000}, EnergyKWh: labcarbon.Range{Central: 40_000}},
	}
	d.YearEarlier = &report.Comparison{Period: labcarbon.Period{Label: "2025Q3"}}
	d.YearToDate = &report.Comparison{
		Period: labcarbon.Period{Label: "2026 to date"},
		Totals: report.Totals{Jobs: 2700, CO2eKg: labcarbon.Range{Central: 31_000}, EnergyKWh: labcarbon.Range{Central: 120_000}},
	}
	return d
}

func TestRecommendationsSheet(t *testing.T) {
	d := withRecommendations()
	f, raw := render(t, d)
	const sheet = "Recommendations"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"ID", "Scope", "For", "Rule", "Title", "Jobs", "Saving CO2e (kg)", "Saving CO2e low (kg)",
		"Saving CO2e high (kg)", "Of which operational (kg)", "Of which embodied (kg)", "Saving energy (kWh)",
		"Saving (EUR)", "CO2e of the jobs concerned (kg)", "Recommendation"}
	if len(rows) != 4 || !slices.Equal(rows[0], header) {
		t.Fatalf("%d rows, header %q; want 3 rows under %q", len(rows), rows[0], header)
	}
	for i, r := range d.Recommendations {
		row := i + 2
		for col, want := range []string{r.ID, string(r.Scope), r.Who, string(r.Rule), r.Title} {
			if got := text(t, f, sheet, cellName(t, col+1, row)); got != want {
				t.Errorf("row %d column %d = %q, want %q", row, col+1, got, want)
			}
		}
		if got := text(t, f, sheet, cellName(t, 15, row)); got != r.Text {
			t.Errorf("row %d text %q, want %q", row, got, r.Text)
		}
		// The fixture's ranges are 0.8 and 1.3 times the central figure.
		for col, want := range []float64{float64(r.Jobs), r.SavingCO2eKg.Central, 0.8 * r.SavingCO2eKg.Central,
			1.3 * r.SavingCO2eKg.Central, r.OperationalCO2eKg, r.EmbodiedCO2eKg, r.SavingKWh.Central, r.SavingCost,
			r.CO2eKg.Central} {
			if got := number(t, f, sheet, cellName(t, col+6, row)); !near(got, want) {
				t.Errorf("row %d column %d = %v, want %v", row, col+6, got, want)
			}
		}
	}
	// Operational and embodied make up the saving.
	if op, emb, all := number(t, f, sheet, "J4"), number(t, f, sheet, "K4"), number(t, f, sheet, "G4"); !near(op+emb, all) {
		t.Errorf("operational %v + embodied %v ≠ saving %v", op, emb, all)
	}
	// The long text wraps in a row tall enough for its lines: 330
	// characters, then a line of its own, at 86 a line, are 4 + 1 lines.
	if h, _ := f.GetRowHeight(sheet, 2); h != 5*15+3 {
		t.Errorf("row 2 height %v, want %v", h, 5*15+3)
	}
	if h, _ := f.GetRowHeight(sheet, 3); h != 2*15+3 { // a title of 54 characters, at 36 a line
		t.Errorf("row 3 height %v, want %v", h, 2*15+3)
	}
	style, _ := f.GetCellStyle(sheet, "O2")
	if st, err := f.GetStyle(style); err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("the text does not wrap (%+v, %v)", st, err)
	}
	noFormulas(t, raw)
}

func TestUptakeSheet(t *testing.T) {
	d := withRecommendations()
	f, _ := render(t, d)
	const sheet = "Last period's recommendations"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"ID", "Rule", "For", "Title", "Saving CO2e then (kg)", "Saving CO2e now (kg)", "Realised (kg)", "Still made", "Note"}
	if len(rows) != 3 || !slices.Equal(rows[0], header) {
		t.Fatalf("%d rows, header %q; want 2 rows under %q", len(rows), rows[0], header)
	}
	// Still made: worded as this period words it.
	now := d.Recommendations[1]
	for col, want := range []string{now.ID, "memory-request", now.Who, now.Title} {
		if got := text(t, f, sheet, cellName(t, col+1, 2)); got != want {
			t.Errorf("row 2 column %d = %q, want %q", col+1, got, want)
		}
	}
	for col, want := range []float64{40, 25.5, 14.5} {
		if got := number(t, f, sheet, cellName(t, col+5, 2)); !near(got, want) {
			t.Errorf("row 2 column %d = %v, want %v", col+5, got, want)
		}
	}
	if got := text(t, f, sheet, "H2"); got != "yes" {
		t.Errorf("still made %q, want yes", got)
	}
	// No longer made, by a group with no jobs this period: worded as it
	// was then, all of it realised, and the reason said.
	if got := rows[2]; got[2] != "quantum (PI Ana)" || got[3] != "Do not request GPUs for jobs that do not use them" || got[7] != "no" || got[8] != "no jobs this period" {
		t.Errorf("row 3 = %q", got)
	}
	for col, want := range []float64{8, 0, 8} {
		if got := number(t, f, sheet, cellName(t, col+5, 3)); !near(got, want) {
			t.Errorf("row 3 column %d = %v, want %v", col+5, got, want)
		}
	}
}

func TestSummaryComparisons(t *testing.T) {
	f, _ := render(t, withRecommendations())
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	find := func(label string) int {
		for i, r := range rows {
			if len(r) > 0 && r[0] == label {
				return i + 1
			}
		}
		t.Fatalf("Summary has no row %q", label)
		return 0
	}
	if h := find("Compared with"); !slices.Equal(rows[h-1][:5], []string{"Compared with", "CO2e (kg)", "Energy (kWh)", "Change in CO2e since (%)", "Note"}) {
		t.Errorf("comparison header %q", rows[h-1])
	}
	// 12 t now against 10 t: up by a fifth.
	prev := find("Previous period: 2026Q2")
	for col, want := range []float64{10_000, 40_000, 0.2} {
		if got := number(t, f, "Summary", cell(col+1, prev)); !near(got, want) {
			t.Errorf("previous period column %d = %v, want %v", col+1, got, want)
		}
	}
	style, _ := f.GetCellStyle("Summary", cell(3, prev))
	if st, err := f.GetStyle(style); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != fmtShare {
		t.Errorf("change is not a percentage (%+v, %v)", st, err)
	}
	if v, _ := f.GetCellValue("Summary", cell(3, prev)); v != "20.0%" {
		t.Errorf("change shows %q, want 20.0%%", v)
	}
	// No jobs a year earlier: blanks, not zeros, and a note.
	ye := find("Same period a year earlier: 2025Q3")
	for col := 1; col <= 3; col++ {
		if typ, _ := f.GetCellType("Summary", cell(col, ye)); typ != excelize.CellTypeUnset {
			t.Errorf("year earlier column %d has type %v, want blank", col, typ)
		}
	}
	if got := text(t, f, "Summary", cell(4, ye)); got != "no data" {
		t.Errorf("year earlier note %q, want no data", got)
	}
	// The year to date holds this period: its figures, no change.
	ytd := find("Year to date: 2026 to date")
	if got := number(t, f, "Summary", cell(1, ytd)); got != 31_000 {
		t.Errorf("year to date CO2e %v, want 31000", got)
	}
	if typ, _ := f.GetCellType("Summary", cell(3, ytd)); typ != excelize.CellTypeUnset {
		t.Errorf("year to date change has type %v, want blank", typ)
	}
}

func TestSummaryWithoutComparisons(t *testing.T) {
	f, _ := render(t, reporttest.Data(5))
	rows, _ := f.GetRows("Summary")
	for _, r := range rows {
		if len(r) > 0 && r[0] == "Compared with" {
			t.Error("comparison header without comparisons")
		}
	}
}
