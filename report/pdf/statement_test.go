package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/report"
)

// handStatement is Jiří's statement, with another researcher's login and
// name in the recommendations it was given, which must not be printed.
func handStatement() *report.Statement {
	q1, _ := labcarbon.ParsePeriod("2026Q1")
	q2, _ := labcarbon.ParsePeriod("2026Q2")
	q3, _ := labcarbon.ParsePeriod("2026Q3")
	totals := report.Totals{
		Jobs: 12, CPUHours: 3456, GPUHours: 7.5,
		EnergyKWh: labcarbon.Range{Low: 80, Central: 100, High: 120},
		CO2eKg:    labcarbon.Range{Low: 20, Central: 25.5, High: 31},
		Cost:      30.25, WastedCO2eKg: 2.55, MemWasteCO2eKg: 1.2, IdleCoreHours: 400, IdleCoreCO2eKg: 3.3,
		EmbodiedCO2eKg: labcarbon.Range{Low: 5, Central: 8, High: 12},
	}
	own := rec("own-mem", recommend.RuleMemory, recommend.ScopeUser, "jnovak", "Jiří Novák", "Request less memory", 3.2, 12.5, 2.5)
	own.Examples = []recommend.Example{{Cluster: "hydra", JobID: "777", User: "jnovak", ElapsedSec: 5400,
		Before: recommend.Setting{Partition: "cpu", MemReqGB: 64}, After: recommend.Setting{Partition: "cpu", MemReqGB: 24}, SavingCO2eKg: 1.75}}
	other := rec("other-gpu", recommend.RuleGPUIdle, recommend.ScopeUser, "aschafer", "Andreas Schäfer", "Do not request GPUs you do not use", 9, 30, 5)
	group := rec("grp", recommend.RuleCPU, recommend.ScopeGroup, "genomics", "genomics (PI Łukasz Nowak)", "Request fewer CPU cores", 40, 100, 20)
	group.Contributors = []recommend.Contributor{{Subject: "aschafer", Jobs: 4, SavingCO2eKg: 30}}
	return &report.Statement{
		Lab: "Institut Zoë Curie", Period: q3, Generated: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), RunID: 7, Version: "test",
		Currency: "GBP", User: "jnovak", Name: "Jiří Novák", Group: "genomics", PI: "Łukasz Nowak",
		Totals: totals, LabShare: 0.0437,
		Trend: []report.Comparison{
			{Period: q1, Totals: report.Totals{Jobs: 3, CO2eKg: labcarbon.Range{Low: 8, Central: 10, High: 12}}},
			{Period: q2},
			{Period: q3, Totals: totals},
		},
		ByPartition: []report.Row{
			{Key: "cpu", Jobs: 10, CPUHours: 3000, EnergyKWh: 70, CO2eKg: labcarbon.Range{Low: 14, Central: 18, High: 22}, Share: 18 / 25.5},
			{Key: "gpu", Jobs: 2, CPUHours: 456, GPUHours: 7.5, EnergyKWh: 30, CO2eKg: labcarbon.Range{Low: 6, Central: 7.5, High: 9}, Share: 7.5 / 25.5},
		},
		TopJobs: []labcarbon.Job{{
			Usage:  labcarbon.Usage{Cluster: "hydra", JobID: "777", Name: "zoë_assembly", User: "jnovak", Partition: "cpu", State: labcarbon.StateCompleted, ElapsedSec: 5400},
			Result: labcarbon.Result{CO2eKg: labcarbon.Point(4.56), CPUEfficiency: 0.834},
		}},
		Recommendations: []report.Recommendation{own, other, group},
		Body:            []string{"Dear Jiří Novák,", "Your jobs this quarter, in a paragraph from the templates."},
	}
}

// statementText renders s and reads its text back.
func statementText(t *testing.T, s *report.Statement) string {
	t.Helper()
	skipWithoutPdftotext(t)
	var buf bytes.Buffer
	if err := WriteStatement(&buf, s); err != nil {
		t.Fatalf("WriteStatement: %v", err)
	}
	return extract(t, buf.Bytes())
}

func TestStatementFigures(t *testing.T) {
	s := handStatement()
	text := statementText(t, s)
	contains(t, text,
		"PERSONAL COMPUTING CARBON STATEMENT", "Jiří Novák", "Institut Zoë Curie", "Research group genomics · PI Łukasz Nowak",
		"Dear Jiří Novák,", "Your jobs this quarter, in a paragraph from the templates.",
		fmt.Sprintf("%.1f kg CO₂e", 25.5), fmt.Sprintf("range %.1f–%.1f kg CO₂e", 20.0, 31.0),
		// Embodied, and the total with it: 25.5 + 8 = 33.5 kg.
		fmt.Sprintf("%.2f kg CO₂e", 8.0), fmt.Sprintf("%.1f kg CO₂e", 25.5+8),
		fmt.Sprintf("%.1f%%", 100*0.0437),
		fmt.Sprintf("%.0f kWh", 100.0), fmt.Sprintf("range %.0f–%.0f kWh", 80.0, 120.0),
		fmt.Sprintf("%.2f GBP", 30.25), "3,456 core-h", fmt.Sprintf("%.2f GPU-h", 7.5),
		// Waste: 2.55 of 25.5 kg is 10%; memory 1.2 kg is 4.7%.
		fmt.Sprintf("%.2f kg CO₂e", 2.55), fmt.Sprintf("%.1f%% of the total", 100*2.55/25.5),
		fmt.Sprintf("%.2f kg CO₂e", 1.2), fmt.Sprintf("%.1f%% of the total, in it", 100*1.2/25.5),
		"400 core-h", fmt.Sprintf("%.2f kg CO₂e at full load", 3.3),
		// The trend, its empty quarter said so.
		"Your emissions over recent periods", "2026Q1", "2026Q2", "A period without a bar had no jobs of yours.",
		"By partition", "Your largest jobs", "What you could change", "How these figures were made",
	)
	// Each column to the precision of its largest value: GPU-h 7.5, kWh 70.
	rowLike(t, text, "cpu", "10", "3,000", "0.0", "70.0", "18.0", "14.0 – 22.0", fmt.Sprintf("%.1f", 100*18/25.5))
	// 5,400 s is 1.5 h; 83.4% of the cores busy, memory use not recorded.
	rowLike(t, text, "777", "hydra", "zoë_assembly", "cpu", "COMPLETED", fmt.Sprintf("%.1f", 5400/3600.0), "4.56", fmt.Sprintf("%.0f", 83.4), "–")
	contains(t, flat(text), "Request less memory", "Request less memory: the text of own-mem.",
		"Saving "+fmt.Sprintf("%.2f kg CO₂e (%.2f–%.2f kg), %.1f kWh, %.2f GBP", 3.2, 0.6*3.2, 1.4*3.2, 12.5, 2.5),
		"hydra 777 (memory 64 → 24 GB: saves 1.75 kg CO₂e)")
}

func TestStatementShowsNoOneElse(t *testing.T) {
	text := statementText(t, handStatement())
	for _, no := range []string{"aschafer", "Andreas", "Schäfer", "Do not request GPUs", "Request fewer CPU cores"} {
		if strings.Contains(text, no) {
			t.Errorf("Jiří's statement shows %q, from someone else's or the group's recommendations", no)
		}
	}
}

func TestStatementWithoutJobs(t *testing.T) {
	q3, _ := labcarbon.ParsePeriod("2026Q3")
	s := &report.Statement{Lab: "Institut Zoë Curie", Period: q3, User: "zdubois", Name: "Zoë Dubois"}
	text := statementText(t, s)
	contains(t, text, "Zoë Dubois", "No jobs of yours ran in 2026Q3: there was nothing to account for this period.")
	if strings.Contains(text, "By partition") || strings.Contains(text, "Your emissions over recent periods") {
		t.Error("a statement without jobs prints empty tables or charts")
	}
}

func TestWriteStatementNil(t *testing.T) {
	if err := WriteStatement(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteStatement(nil) succeeded, want an error")
	}
}

func TestStatementIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteStatement(&a, handStatement()); err != nil {
		t.Fatal(err)
	}
	if err := WriteStatement(&b, handStatement()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings of the same statement differ")
	}
}

// TestNamesBeyondTheGoFonts: Vietnamese names, whose letters the Go fonts
// lack, are set in the fallback font rather than stripped of their marks.
func TestNamesBeyondTheGoFonts(t *testing.T) {
	q3, _ := labcarbon.ParsePeriod("2026Q3")
	s := &report.Statement{Lab: "Viện Tin học", Period: q3, User: "atran", Name: "Ngọc Anh Trần",
		Body: []string{"Dear Ngọc Anh Trần,"}}
	text := statementText(t, s)
	contains(t, text, "Ngọc Anh Trần", "Dear Ngọc Anh Trần,")
	if strings.Contains(text, "Ngoc Anh Tran") {
		t.Error("the name lost its diacritics")
	}
}
