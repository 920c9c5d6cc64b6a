package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"testing"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/report"
)

// recommendationHeader is the header of --by recommendations, in the
// order of the workbook's Recommendations sheet.
var recommendationHeader = []string{"id", "scope", "for", "rule", "title", "jobs",
	"saving_co2e_kg", "saving_co2e_kg_low", "saving_co2e_kg_high", "saving_operational_co2e_kg",
	"saving_embodied_co2e_kg", "saving_kwh", "saving_cost", "currency", "co2e_kg", "text"}

// recommendations are three, one of each scope, largest saving first; the
// group's audience and the researcher's title begin like formulas, and a
// text holds a comma, quotes and a line break.
func recommendations() *report.Data {
	rec := func(scope recommend.Scope, subject, who, title, text string, rule recommend.Rule, jobs int, saving labcarbon.Range, op, emb, kWh, cost, co2e float64) report.Recommendation {
		return report.Recommendation{
			Recommendation: recommend.Recommendation{
				ID: recommend.ID(rule, scope, subject), Rule: rule, Scope: scope, Subject: subject, Jobs: jobs,
				CO2eKg: labcarbon.Point(co2e), SavingKWh: labcarbon.Point(kWh), SavingCO2eKg: saving,
				SavingCost: cost, OperationalCO2eKg: op, EmbodiedCO2eKg: emb,
			},
			Who: who, Currency: "CZK", Title: title, Text: text,
		}
	}
	return &report.Data{Recommendations: []report.Recommendation{
		rec(recommend.ScopeLab, "", "the lab", "Move short jobs to the new partition", "Saves 100 kg, \"about a tenth\",\nover 40 jobs.",
			recommend.RulePartition, 40, labcarbon.Range{Low: 80, Central: 100, High: 130}, 90, 10, 500, 1500, 1000),
		rec(recommend.ScopeGroup, "genomics", "=genomics (PI Jiří Novák (jnovak))", "Request less memory", "Short.",
			recommend.RuleMemory, 12, labcarbon.Range{Low: 20, Central: 25.5, High: 31}, 25, 0.5, 120, 356.25, 300),
		rec(recommend.ScopeUser, "zoe", "zoë", "=HYPERLINK(\"http://example.com\",\"x\")", "-1 core each.",
			recommend.RuleCPU, 3, labcarbon.Range{Low: 2, Central: 2.25, High: 3}, 2.5, -0.25, 9, 37.5, 20),
	}}
}

func TestRowsByRecommendationsCSV(t *testing.T) {
	by, err := ParseBy("recommendations")
	if err != nil {
		t.Fatal(err)
	}
	d := recommendations()
	var b bytes.Buffer
	if err := Rows(&b, CSV, by, d); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || !slices.Equal(recs[0], recommendationHeader) {
		t.Fatalf("%d records, header %q; want 3 rows under %q", len(recs), recs[0], recommendationHeader)
	}
	// gota prints floats to six decimals. Texts that a spreadsheet would
	// run as formulas get an apostrophe; numbers, negative ones too, do not.
	want := [][]string{
		{d.Recommendations[0].ID, "lab", "the lab", "partition", "Move short jobs to the new partition", "40",
			"100.000000", "80.000000", "130.000000", "90.000000", "10.000000", "500.000000", "1500.000000", "CZK", "1000.000000",
			"Saves 100 kg, \"about a tenth\",\nover 40 jobs."},
		{d.Recommendations[1].ID, "group", "'=genomics (PI Jiří Novák (jnovak))", "memory-request", "Request less memory", "12",
			"25.500000", "20.000000", "31.000000", "25.000000", "0.500000", "120.000000", "356.250000", "CZK", "300.000000", "Short."},
		{d.Recommendations[2].ID, "user", "zoë", "cpu-cores", "'=HYPERLINK(\"http://example.com\",\"x\")", "3",
			"2.250000", "2.000000", "3.000000", "2.500000", "-0.250000", "9.000000", "37.500000", "CZK", "20.000000", "'-1 core each."},
	}
	for i, w := range want {
		if !slices.Equal(recs[i+1], w) {
			t.Errorf("row %d = %q\n want %q", i+1, recs[i+1], w)
		}
	}
}

func TestRowsByRecommendationsJSON(t *testing.T) {
	d := recommendations()
	var b bytes.Buffer
	if err := Rows(&b, JSON, ByRecommendations, d); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil || len(got) != 3 {
		t.Fatalf("JSON = %s (%v), want 3 objects", b.String(), err)
	}
	for _, r := range got {
		keys := make([]string, 0, len(r))
		for k := range r {
			keys = append(keys, k)
		}
		if !slices.Equal(slices.Sorted(slices.Values(keys)), slices.Sorted(slices.Values(recommendationHeader))) {
			t.Fatalf("keys %q, want %q", keys, recommendationHeader)
		}
	}
	// Numbers as JSON numbers, at full precision; texts as they are.
	for k, want := range map[string]any{
		"id": d.Recommendations[1].ID, "scope": "group", "for": "=genomics (PI Jiří Novák (jnovak))", "rule": "memory-request",
		"jobs": 12.0, "saving_co2e_kg": 25.5, "saving_co2e_kg_low": 20.0, "saving_co2e_kg_high": 31.0,
		"saving_operational_co2e_kg": 25.0, "saving_embodied_co2e_kg": 0.5, "saving_kwh": 120.0, "saving_cost": 356.25,
		"currency": "CZK", "co2e_kg": 300.0, "text": "Short.",
	} {
		if got[1][k] != want {
			t.Errorf("%s = %#v, want %#v", k, got[1][k], want)
		}
	}
	if got[2]["saving_embodied_co2e_kg"] != -0.25 || got[2]["title"] != "=HYPERLINK(\"http://example.com\",\"x\")" {
		t.Errorf("user row = %v", got[2])
	}
}

func TestRowsByRecommendationsEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := Rows(&b, CSV, ByRecommendations, &report.Data{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(recs) != 1 || !slices.Equal(recs[0], recommendationHeader) {
		t.Errorf("no recommendations: %q (%v), want the header alone", recs, err)
	}
	b.Reset()
	if err := Rows(&b, JSON, ByRecommendations, &report.Data{}); err != nil {
		t.Fatal(err)
	}
	if got := bytes.TrimSpace(b.Bytes()); string(got) != "[]" {
		t.Errorf("no recommendations in JSON: %s, want []", got)
	}
}
