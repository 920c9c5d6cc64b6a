package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labcarbon"
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
