package templates

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/report"
)

func sampleData() *report.Data {
	p, _ := labcarbon.ParsePeriod("2026Q3")
	return &report.Data{
		Lab: "Demo Lab", Period: p, Currency: "GBP",
		Totals: report.Totals{
			Jobs: 6012, CPUHours: 1234567, GPUHours: 8910,
			EnergyKWh:    labcarbon.Range{Low: 80000, Central: 100000, High: 130000},
			CO2eKg:       labcarbon.Range{Low: 9000, Central: 12000, High: 16000},
			Cost:         28000,
			WastedCO2eKg: 3000,
		},
		ByGroup: []report.Row{{Key: "genomics", CO2eKg: labcarbon.Point(5000), Share: 5000.0 / 12000}},
	}
}

func TestSummary(t *testing.T) {
	tm, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Paragraphs(tm, "summary", sampleData())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"In 2026Q3, computing at Demo Lab used 100 MWh of electricity and emitted 12.0 t CO2e (likely between 9.00 t and 16.0 t), over 6,012 jobs, 1,234,567 CPU core-hours and 8,910 GPU-hours. The electricity cost about 28,000 GBP.",
		"Jobs that failed, timed out, ran out of memory or were cancelled after starting account for 3.00 t CO2e (25% of the total): work that produced no result.",
		"The largest share came from genomics: 5.00 t (42%).",
	}
	if strings.Join(ps, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary =\n%s\nwant\n%s", strings.Join(ps, "\n"), strings.Join(want, "\n"))
	}
}

func TestOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "summary.tmpl"), []byte(`{{define "summary"}}Total: {{mass .Totals.CO2eKg.Central}}.{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tm, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Paragraphs(tm, "summary", sampleData())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0] != "Total: 12.0 t." {
		t.Errorf("override gave %q", ps)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("an override directory with no templates should be an error")
	}
}

// catalog are the catalog's equivalents that Familiar chooses among, with
// their grams per unit, as equivalents.csv has them, and one it ignores.
var catalog = []report.Equivalent{
	{Key: "tree_month", Name: "tree-months of CO2 uptake", GramsPerUnit: 917},
	{Key: "car_km", Name: "km by car (EU average)", GramsPerUnit: 175},
	{Key: "flight_paris_london", Name: "flights Paris-London (one passenger)", GramsPerUnit: 50000},
	{Key: "flight_nyc_sf", Name: "flights New York-San Francisco (one passenger)", GramsPerUnit: 570000},
	{Key: "flight_nyc_melbourne", Name: "flights New York-Melbourne (one passenger)", GramsPerUnit: 2310000},
	{Key: "google_search", Name: "web searches", GramsPerUnit: 10},
}

// counts expresses kg CO2e in every equivalent of catalog, as report.Build
// does.
func counts(kg float64) []report.EquivalentCount {
	var out []report.EquivalentCount
	for _, e := range catalog {
		out = append(out, report.EquivalentCount{Equivalent: e, Count: kg * 1000 / e.GramsPerUnit})
	}
	return out
}

func TestSummaryEmbodiedMarketEquivalents(t *testing.T) {
	tm, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	d := sampleData()
	d.Totals.EmbodiedCO2eKg = labcarbon.Range{Low: 1000, Central: 1500, High: 2200}
	d.Totals.MarketCO2eKg = labcarbon.Range{Low: 7000, Central: 9000, High: 11000}
	d.Totals.MarketShare = 0.6
	d.Equivalents = counts(12000)
	ps, err := Paragraphs(tm, "summary", d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"In 2026Q3, computing at Demo Lab used 100 MWh of electricity and emitted 12.0 t CO2e (likely between 9.00 t and 16.0 t), over 6,012 jobs, 1,234,567 CPU core-hours and 8,910 GPU-hours. The electricity cost about 28,000 GBP.",
		// 12,000 + 1,500 kg = 13.5 t.
		"Manufacturing the hardware the jobs held adds an estimated 1.50 t CO2e of embodied emissions (Scope 3), 13.5 t in all. Counted market-based, with the supplier factors that cover 60% of the energy, the electricity emitted 9.00 t CO2e.",
		"Jobs that failed, timed out, ran out of memory or were cancelled after starting account for 3.00 t CO2e (25% of the total): work that produced no result.",
		"The largest share came from genomics: 5.00 t (42%).",
		// 12,000,000 g ÷ 917 = 13,086.2; ÷ 175 = 68,571.4; 12 t is over
		// half a New York–Melbourne flight: ÷ 2,310,000 = 5.19.
		"The operational emissions are about as much as 13,086 tree-months of CO2 uptake, 68,571 km by car (EU average) or 5.19 flights New York-Melbourne (one passenger).",
	}
	if strings.Join(ps, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary =\n%s\nwant\n%s", strings.Join(ps, "\n"), strings.Join(want, "\n"))
	}

	// Without a market factor the market-based figure, which would repeat
	// the location-based one, is not mentioned.
	d.Totals.MarketShare = 0
	d.Totals.EmbodiedCO2eKg = labcarbon.Range{}
	ps, err = Paragraphs(tm, "summary", d)
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(ps, "\n"); strings.Contains(text, "market") || strings.Contains(text, "embodied") {
		t.Errorf("summary mentions a market-based or embodied figure it does not have:\n%s", text)
	}
}

// TestFamiliarFlight checks the flight Green Algorithms would pick on each
// side of its thresholds: half a New York–San Francisco flight (285 kg)
// and half a New York–Melbourne flight (1,155 kg).
func TestFamiliarFlight(t *testing.T) {
	for _, c := range []struct {
		kg     float64
		flight string
		count  float64
	}{
		{100, "flight_paris_london", 2},
		{284.9, "flight_paris_london", 5.698},
		{285, "flight_nyc_sf", 0.5},
		{1154, "flight_nyc_sf", 1154.0 / 570},
		{1155, "flight_nyc_melbourne", 0.5},
		{6600, "flight_nyc_melbourne", 6600.0 / 2310},
	} {
		got := Familiar(counts(c.kg))
		if len(got) != 3 || got[0].Key != "tree_month" || got[1].Key != "car_km" {
			t.Fatalf("%g kg: %+v, want tree-months, car km and a flight", c.kg, got)
		}
		if f := got[2]; f.Key != c.flight || math.Abs(f.Count-c.count) > 1e-9 {
			t.Errorf("%g kg: %s × %g, want %s × %g", c.kg, f.Key, f.Count, c.flight, c.count)
		}
	}
	if got := Familiar(nil); len(got) != 0 {
		t.Errorf("no equivalents in the catalog gave %+v", got)
	}
}

func TestRecommendationWording(t *testing.T) {
	tmpl, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	saving := func(r recommend.Recommendation) recommend.Recommendation {
		r.SavingCO2eKg = labcarbon.Range{Low: 10, Central: 12.5, High: 20}
		r.SavingKWh = labcarbon.Point(60)
		r.SavingCost = 16.8
		return r
	}
	tests := []struct {
		rec         recommend.Recommendation
		title, text string
	}{
		{saving(recommend.Recommendation{Rule: recommend.RuleMemory, Jobs: 40, Figures: map[string]float64{
			"median_mem_efficiency": 0.25, "max_request_gb": 256, "max_peak_gb": 60, "headroom": 0.2, "suggested_mem_gb": 73}}),
			"Request less memory",
			"40 jobs used a median 25% of the memory they requested (up to 256 GB requested for a peak of 60 GB). " +
				"Requesting the peak plus 20%, about 73 GB for the largest, would have saved 12.5 kg CO2e (between 10.0 kg and 20.0 kg) and 60.0 kWh this period, about 17 GBP of electricity."},
		{saving(recommend.Recommendation{Rule: recommend.RuleFailing, Jobs: 9, Figures: map[string]float64{
			"runs": 12, "failed": 5, "pipelines": 3, "out_of_memory": 7}}),
			"Stop repeating failing jobs",
			"12 runs failed in 3 repeated series (7 out of memory: request more memory or test on a small input first). " +
				"Stopping after the first failure of each would have saved 12.5 kg CO2e (between 10.0 kg and 20.0 kg) and 60.0 kWh this period, about 17 GBP of electricity."},
		{saving(recommend.Recommendation{Rule: recommend.RuleTimeShift, Jobs: 300, Figures: map[string]float64{
			"mean_ci_before": 210, "mean_ci_after": 150, "window_days": 7}}),
			"Run flexible jobs in low-carbon hours",
			"300 flexible jobs (array tasks, or jobs that waited in the queue anyway) ran at a mean 210 gCO2e/kWh. " +
				"Starting each at the lowest-carbon hour of its week (150 gCO2e/kWh) would have saved 12.5 kg CO2e (between 10.0 kg and 20.0 kg) and 60.0 kWh this period, about 17 GBP of electricity."},
	}
	for _, tt := range tests {
		r := report.Recommendation{Recommendation: tt.rec, Currency: "GBP"}
		title, err1 := Text(tmpl, "recommendation-title", r)
		text, err2 := Text(tmpl, "recommendation-text", r)
		if err1 != nil || err2 != nil || title != tt.title || text != tt.text {
			t.Errorf("%s:\n title %q (%v)\n  want %q\n text %q (%v)\n  want %q", tt.rec.Rule, title, err1, tt.title, text, err2, tt.text)
		}
	}
}

func TestStatementWording(t *testing.T) {
	tmpl, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := labcarbon.ParsePeriod("2026Q3")
	s := &report.Statement{Lab: "Demo Lab", Period: p, Name: "Zoë Dubois", LabShare: 0.125,
		Totals: report.Totals{Jobs: 12, EnergyKWh: labcarbon.Point(250), CO2eKg: labcarbon.Range{Low: 40, Central: 50, High: 70},
			EmbodiedCO2eKg: labcarbon.Point(9), WastedCO2eKg: 5, MemWasteCO2eKg: 2},
		Equivalents: []report.EquivalentCount{
			{Equivalent: report.Equivalent{Key: "tree_month", Name: "tree-months", GramsPerUnit: 917}, Count: 50000.0 / 917},
			{Equivalent: report.Equivalent{Key: "car_km", Name: "km by car", GramsPerUnit: 175}, Count: 50000.0 / 175},
			{Equivalent: report.Equivalent{Key: "flight_paris_london", Name: "flights Paris-London", GramsPerUnit: 50000}, Count: 1},
		},
		Recommendations: []report.Recommendation{{Title: "Request less memory", Recommendation: recommend.Recommendation{SavingCO2eKg: labcarbon.Point(3)}}},
	}
	got, err := Paragraphs(tmpl, "statement", s)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Dear Zoë Dubois,",
		"In 2026Q3 your 12 jobs on Demo Lab's computing used 250 kWh of electricity and emitted 50.0 kg CO2e (likely between 40.0 kg and 70.0 kg), " +
			"12% of the lab's total: about as much as 54.5 tree-months, 286 km by car or 1.00 flights Paris-London. " +
			"Making the hardware you used accounts for another 9.00 kg.",
		"Jobs that failed, timed out, ran out of memory or were cancelled after they started account for 5.00 kg of it (10%). " +
			"Memory requested beyond what your jobs needed accounts for 2.00 kg.",
		"The changes below would have saved the most; the statement shows the jobs behind each.",
		"- Request less memory: 3.00 kg CO2e.",
		"This statement covers only your own jobs; the lab's report covers everyone's. The figures are estimates with the method of Green Algorithms; the statement's last page says how they were made.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("statement:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	s.Totals = report.Totals{}
	s.Recommendations = nil
	if got, _ := Paragraphs(tmpl, "statement", s); len(got) != 3 || !strings.Contains(got[1], "no jobs") {
		t.Errorf("statement of a quarter without jobs: %q", got)
	}
}
