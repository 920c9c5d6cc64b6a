package pdf

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/report"
)

// handData is a small report whose printed figures are worked out by hand
// in the tests below.
func handData() *report.Data {
	p, err := labcarbon.ParsePeriod("2026Q3")
	if err != nil {
		panic(err)
	}
	eq := func(key, name string, grams float64) report.EquivalentCount {
		return report.EquivalentCount{
			Equivalent: report.Equivalent{Key: key, Name: name, GramsPerUnit: grams, Source: "Green Algorithms"},
			Count:      6600 * 1000 / grams,
		}
	}
	return &report.Data{
		Lab: "Hand Lab", Period: p, Generated: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Currency: "GBP",
		Totals: report.Totals{
			Jobs: 6000, CPUHours: 3689846, GPUHours: 27805,
			EnergyKWh:    labcarbon.Range{Low: 22500, Central: 31300, High: 31800},
			CO2eKg:       labcarbon.Range{Low: 2400, Central: 6600, High: 6710},
			Cost:         8766,
			WastedCO2eKg: 556,
			// The engine's figures.
			EmbodiedCO2eKg: labcarbon.Range{Low: 960, Central: 2440, High: 6020},
			MarketCO2eKg:   labcarbon.Range{Low: 3000, Central: 5100, High: 5500},
			MarketShare:    0.645, HourlyShare: 0.175,
			MemWasteCO2eKg: 971, IdleCoreHours: 1400051, IdleCoreCO2eKg: 1826,
		},
		ByGroup: []report.Row{
			{Key: "climate", PI: "Søren", Jobs: 709, CO2eKg: labcarbon.Point(3579), WastedCO2eKg: 383, MemWasteCO2eKg: 558, IdleCoreCO2eKg: 1384, Share: 3579.0 / 6600},
			{Key: "ml", Jobs: 784, CO2eKg: labcarbon.Point(1115), WastedCO2eKg: 70, MemWasteCO2eKg: 128, IdleCoreCO2eKg: 192, Share: 1115.0 / 6600},
		},
		ByCluster: []report.Row{
			{Key: "hydra", Jobs: 4000, CO2eKg: labcarbon.Point(5000), Share: 5000.0 / 6600},
			{Key: "vega", Jobs: 2000, CO2eKg: labcarbon.Point(1600), Share: 1600.0 / 6600},
		},
		ByNodeType: []report.Row{
			{Key: "gpu-node", Jobs: 100, CPUHours: 1000, GPUHours: 500, EnergyKWh: 20000, CO2eKg: labcarbon.Range{Low: 3000, Central: 4000, High: 4500},
				Share: 4000.0 / 6600, WastedCO2eKg: 300, EmbodiedCO2eKg: 1800, Cost: 5600},
			{Key: "cpu-node", Jobs: 5900, CPUHours: 3688846, GPUHours: 27305, EnergyKWh: 11300, CO2eKg: labcarbon.Range{Low: 2000, Central: 2600, High: 2900},
				Share: 2600.0 / 6600, WastedCO2eKg: 256, EmbodiedCO2eKg: 640, Cost: 3166},
		},
		// In catalog order, as report.Build gives them.
		Equivalents: []report.EquivalentCount{
			eq("tree_month", "tree-months of CO2 uptake", 917),
			eq("car_km", "km by car (EU average)", 175),
			eq("flight_paris_london", "flights Paris-London (one passenger)", 50000),
			eq("flight_nyc_sf", "flights New York-San Francisco (one passenger)", 570000),
			eq("flight_nyc_melbourne", "flights New York-Melbourne (one passenger)", 2310000),
		},
		Factors: []report.Factor{
			{Name: "Embodied emissions, node type gpu-node", Value: "0.1056 kgCO2e per node-hour (0.05–0.2)", Source: "CCF/Teads server 1000 kg + 4 × A100 276 kg, over 4 y", Jobs: 100},
		},
		EmbodiedSources: []string{"CCF/Teads server 1000 kg + 4 × A100 276 kg, over 4 y", "CCF/Teads server 1000 kg, over 4 y"},
	}
}

// layoutText renders d and extracts its text with the layout kept, so a
// table row reads as one line.
func layoutText(t *testing.T, d *report.Data) string {
	t.Helper()
	skipWithoutPdftotext(t)
	return extract(t, render(t, d))
}

// skipWithoutPdftotext skips a test that reads text back from a PDF where
// poppler is not installed.
func skipWithoutPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not on PATH (apt-get install poppler-utils); skipping the text extraction check")
	}
}

// extract reads the text of a PDF back with the layout kept; pages are
// separated by form feeds.
func extract(t *testing.T, doc []byte) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(doc)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// contains checks that text has every string of want.
func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("extracted text lacks %q", w)
		}
	}
}

// rowLike checks that some line of text has the cells, in order, separated
// by space.
func rowLike(t *testing.T, text string, cells ...string) {
	t.Helper()
	quoted := make([]string, len(cells))
	for i, c := range cells {
		quoted[i] = regexp.QuoteMeta(c)
	}
	re := regexp.MustCompile(`(?m)^\s*` + strings.Join(quoted, `\s+`) + `(\s|$)`)
	if !re.MatchString(text) {
		t.Errorf("no line reads %q", strings.Join(cells, " "))
	}
}

func TestCoverFigures(t *testing.T) {
	text := layoutText(t, handData())
	contains(t, text,
		"6.60 t CO₂e",
		// Embodied, and the total with it: 6,600 + 2,440 = 9,040 kg, its
		// range 2,400 + 960 = 3,360 to 6,710 + 6,020 = 12,730 kg.
		"2.44 t CO₂e", "range 0.96–6.02 t",
		"Total including embodied", "9.04 t CO₂e", "range 3.36–12.73 t",
		// Market-based beside location-based, with what it covers.
		"Market-based, Scope 2 · covers 64.5% of the energy", "5.10 t CO₂e", "range 3.00–5.50 t",
		"17.5% of the energy at hourly grid intensity, the rest at annual averages.",
		"energy-weighted, 17.5% hourly",
		// 6,600 kg is over half a New York–Melbourne flight (1,155 kg):
		// 6,600,000 g ÷ 917 = 7,197.4 tree-months, ÷ 175 = 37,714.3 km,
		// ÷ 2,310,000 = 2.857 flights.
		"The operational emissions are about as much as",
		"flights New York-Melbourne", "one passenger · 2,310,000 g CO₂e each",
	)
	rowLike(t, text, "7,197", "37,714", "2.86")
	if strings.Contains(text, "Paris-London") {
		t.Error("the cover names the Paris–London flight for 6.6 t, want New York–Melbourne only")
	}
}

func TestEfficiencyFigures(t *testing.T) {
	text := layoutText(t, handData())
	contains(t, text, "Efficiency and waste", "beside the total, not in it")
	// Share of the operational 6,600 kg: 556 → 8.4%, 971 → 14.7%,
	// 1,826 → 27.7%; 1,400,051 of 3,689,846 core-hours idle → 37.9%.
	rowLike(t, text, "Failed jobs", "556", "8.4")
	rowLike(t, text, "Memory requested beyond need", "971", "14.7")
	rowLike(t, text, "Idle allocated cores", "1,400,051 core-h", "1,826", "27.7", "beside the total, not in it: 37.9% of the allocated")
	// Per group: 383 of 3,579 kg failed = 10.7%; 70 of 1,115 = 6.3%.
	rowLike(t, text, "climate · PI Søren", "709", "3,579", "383", "10.7", "558", "1,384")
	rowLike(t, text, "ml", "784", "1,115", "70", "6.3", "128", "192")
	rowLike(t, text, "All", "6,000", "6,600", "556", "8.4", "971", "1,826")
}

func TestBreakdownsByClusterAndNodeType(t *testing.T) {
	d := handData()
	text := layoutText(t, d)
	contains(t, text, "By cluster", "By node type", "Embodied")
	// Node types with their embodied CO₂e, beside the operational figures;
	// the total row's embodied is the period's, 2,440 kg.
	rowLike(t, text, "gpu-node", "100", "1,000", "500", "20,000", "4,000", "3,000 – 4,500", "60.6", "300", "1,800", "5,600.00")
	rowLike(t, text, "cpu-node", "5,900", "3,688,846", "27,305", "11,300", "2,600", "2,000 – 2,900", "39.4", "256", "640", "3,166.00")
	rowLike(t, text, "All", "6,000", "3,689,846", "27,805", "31,300", "6,600", "2,400 – 6,710", "100.0", "556", "2,440", "8,766.00")

	// One cluster would only repeat the totals.
	d.ByCluster = d.ByCluster[:1]
	if text := layoutText(t, d); strings.Contains(text, "By cluster") {
		t.Error("a single cluster has a breakdown of its own")
	}
}

func TestMethodology(t *testing.T) {
	d := handData()
	text := layoutText(t, d)
	contains(t, text,
		"Embodied emissions (Scope 3) follow Cloud Carbon Footprint's method",
		"• CCF/Teads server 1000 kg + 4 × A100 276 kg, over 4 y",
		"• CCF/Teads server 1000 kg, over 4 y",
		"market-based factors covered 64.5% of the energy",
		"Memory waste follows Green Algorithms",
		"Idle allocated cores are elapsed time × allocated cores − CPU time used",
	)
	// The factor's name wraps in its cell.
	rowLike(t, text, "Embodied emissions, node type gpu-", "0.1056 kgCO2e per node-", "CCF/Teads server 1000 kg + 4 × A100 276 kg, over 4 y", "100")
}

// TestNoMarketFactor checks that without any market factor no
// market-based figure is printed, since it would repeat the
// location-based one, and that annual-only intensity says so.
func TestNoMarketFactor(t *testing.T) {
	d := handData()
	d.Totals.MarketShare, d.Totals.MarketCO2eKg, d.Totals.HourlyShare = 0, d.Totals.CO2eKg, 0
	text := layoutText(t, d)
	for _, s := range []string{"Market-based, Scope 2", "Market-based Scope 2 counts"} {
		if strings.Contains(text, s) {
			t.Errorf("text has %q though no site has a market factor", s)
		}
	}
	contains(t, text, "No site had a market-based factor in this period",
		"Grid intensity: annual averages throughout; no hourly series covered these jobs.")
}

// TestFlightChoice checks the cover names the small-trip flight for a
// small footprint: 100 kg is below half a New York–San Francisco flight.
func TestFlightChoice(t *testing.T) {
	d := handData()
	for i := range d.Equivalents {
		d.Equivalents[i].Count = 100 * 1000 / d.Equivalents[i].GramsPerUnit
	}
	text := layoutText(t, d)
	// 100,000 g ÷ 50,000 = 2 flights; ÷ 917 = 109 tree-months; ÷ 175 = 571 km.
	contains(t, text, "flights Paris-London", "one passenger · 50,000 g CO₂e each")
	rowLike(t, text, "109", "571", "2.00")
}

func TestAuditAppendix(t *testing.T) {
	d := handData()
	d.Catalog = "8c02d3f0af45+lab.0123456789ab"
	d.CatalogOverrides = []string{"cpus.csv: AMD EPYC 7763 (replaced)"}
	d.Inputs = []report.Input{{Name: "/var/lib/labcarbon/data/sacct-2026Q3.txt", Format: "sacct", Jobs: 1234, Bad: 2,
		SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", RunID: 42}}
	text := layoutText(t, d)
	contains(t, text, "Factor catalog version", "8c02d3f0af45+lab.0123456789ab", "cpus.csv: AMD EPYC 7763 (replaced)")
	rowLike(t, text, "/var/lib/labcarbon/data/sacct-2026Q3.txt", "sacct", "1,234", "2", "0123456789abcdef…", "42")
}
