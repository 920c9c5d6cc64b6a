package pdf

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/report"
)

// flat is text with every run of white space made one space, to find
// prose that wraps.
func flat(text string) string { return strings.Join(strings.Fields(text), " ") }

// rec is a worded recommendation for the fixtures: saving central kg with
// a ±40% range, kWh and cost, split 90% operational, 10% embodied.
func rec(id string, rule recommend.Rule, scope recommend.Scope, subject, who, title string, kg, kwh, cost float64) report.Recommendation {
	return report.Recommendation{
		Recommendation: recommend.Recommendation{
			ID: id, Rule: rule, Scope: scope, Subject: subject, Jobs: 40,
			CO2eKg:            labcarbon.Range{Low: 5 * kg, Central: 10 * kg, High: 15 * kg},
			SavingCO2eKg:      labcarbon.Range{Low: 0.6 * kg, Central: kg, High: 1.4 * kg},
			SavingKWh:         labcarbon.Range{Low: 0.5 * kwh, Central: kwh, High: 1.5 * kwh},
			SavingCost:        cost,
			OperationalCO2eKg: 0.9 * kg, EmbodiedCO2eKg: 0.1 * kg,
		},
		Who: who, Currency: "GBP", Title: title,
		Text: title + ": the text of " + id + ".",
	}
}

// recData is handData with recommendations of every scope, largest saving
// first as the pipeline sorts them, and what became of last period's.
func recData() *report.Data {
	d := handData()
	lab := rec("lab-mem", recommend.RuleMemory, recommend.ScopeLab, "", "the lab", "Request less memory", 500, 2000, 300)
	lab.Examples = []recommend.Example{{
		Cluster: "hydra", JobID: "4242", Name: "secret_job_name", User: "secretlogin", State: labcarbon.StateCompleted,
		ElapsedSec: 7200,
		Before:     recommend.Setting{Cluster: "hydra", Partition: "cpu", CPUs: 8, MemReqGB: 64},
		After:      recommend.Setting{Cluster: "hydra", Partition: "cpu", CPUs: 8, MemReqGB: 16},
		CO2eKg:     12.5, SavingCO2eKg: 3.25, SavingKWh: 14.8,
	}}
	lab.Contributors = []recommend.Contributor{{Subject: "secretlogin", Jobs: 3, SavingCO2eKg: 3.25}}
	d.Recommendations = []report.Recommendation{
		rec("user-part", recommend.RulePartition, recommend.ScopeUser, "secretlogin", "Secret Person", "Move work to a more efficient partition", 1000, 4000, 600),
		lab,
		rec("climate-cpu", recommend.RuleCPU, recommend.ScopeGroup, "climate", "climate (PI Søren)", "Request fewer CPU cores", 400, 1500, 250),
		rec("lab-fail", recommend.RuleFailing, recommend.ScopeLab, "", "the lab", "Stop repeating failing jobs", 300, 1200, 180),
		rec("ml-gpu", recommend.RuleGPUUnderuse, recommend.ScopeGroup, "ml", "ml", "Request fewer GPUs", 200, 900, 120),
		rec("climate-shift", recommend.RuleTimeShift, recommend.ScopeGroup, "climate", "climate (PI Søren)", "Run flexible jobs in low-carbon hours", 100, 0, 0),
	}
	prev := func(id string, rule recommend.Rule, scope recommend.Scope, subject string, kg float64) recommend.Recommendation {
		return recommend.Recommendation{ID: id, Rule: rule, Scope: scope, Subject: subject,
			SavingCO2eKg: labcarbon.Point(kg), SavingKWh: labcarbon.Point(4 * kg)}
	}
	q2, _ := labcarbon.ParsePeriod("2026Q2")
	d.Previous = &report.Comparison{Period: q2, Totals: report.Totals{Jobs: 5000, CO2eKg: labcarbon.Point(5500), EnergyKWh: labcarbon.Point(25040)}}
	d.Uptake = []recommend.Uptake{
		// Made again with a smaller saving: 800 then, 500 now.
		{Previous: prev("lab-mem", recommend.RuleMemory, recommend.ScopeLab, "", 800), Present: true,
			Current: labcarbon.Point(500), RealisedCO2eKg: labcarbon.Point(300), RealisedKWh: labcarbon.Point(1200)},
		// No longer made, and climate ran jobs: taken up.
		{Previous: prev("climate-fail", recommend.RuleFailing, recommend.ScopeGroup, "climate", 120),
			RealisedCO2eKg: labcarbon.Point(120), RealisedKWh: labcarbon.Point(480)},
		// No longer made, but the group ran nothing.
		{Previous: prev("gone-mem", recommend.RuleMemory, recommend.ScopeGroup, "gone", 90),
			RealisedCO2eKg: labcarbon.Point(90), RealisedKWh: labcarbon.Point(360)},
		// Made again with the same saving.
		{Previous: prev("lab-fail", recommend.RuleFailing, recommend.ScopeLab, "", 300), Present: true,
			Current: labcarbon.Point(300)},
	}
	// Worded as last period's report worded them; the one for "gone"
	// without wording, as from an older run.
	d.PreviousRecommendations = []report.Recommendation{
		{Recommendation: d.Uptake[0].Previous, Who: "the lab", Title: "Request less memory"},
		{Recommendation: d.Uptake[1].Previous, Who: "climate (PI Søren)", Title: "Stop repeating failing jobs"},
		{Recommendation: recommend.Recommendation{ID: "other"}},
		{Recommendation: d.Uptake[3].Previous, Who: "the lab", Title: "Stop repeating failing jobs"},
	}
	return d
}

func TestCoverComparisons(t *testing.T) {
	d := handData()
	q2, _ := labcarbon.ParsePeriod("2026Q2")
	q3y, _ := labcarbon.ParsePeriod("2025Q3")
	ytd := labcarbon.Period{Label: "2026 to date", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: d.Period.To}
	// 6,600 kg now against 5,500 then; 31,300 kWh against 25,040.
	d.Previous = &report.Comparison{Period: q2, Totals: report.Totals{Jobs: 5000, CO2eKg: labcarbon.Point(5500), EnergyKWh: labcarbon.Point(25040)}}
	d.YearEarlier = &report.Comparison{Period: q3y}
	d.YearToDate = &report.Comparison{Period: ytd, Totals: report.Totals{Jobs: 18000, CO2eKg: labcarbon.Point(20000), EnergyKWh: labcarbon.Point(90000)}}
	cover := strings.Split(layoutText(t, d), "\f")[0]
	contains(t, cover,
		"Against 2026Q2, the period before",
		fmt.Sprintf("+%.1f%% · +%.2f t CO₂e", 100*(6600-5500)/5500.0, (6600-5500)/1000.0),
		fmt.Sprintf("energy +%.1f%% · +%.2f MWh", 100*(31300-25040)/25040.0, (31300-25040)/1000.0),
		"Against 2025Q3, a year earlier", "no data", "no jobs stored for 2025Q3",
		"2026 to date", fmt.Sprintf("%.1f t CO₂e", 20000/1000.0), fmt.Sprintf("%.1f MWh · 18,000 jobs", 90000/1000.0),
	)
	if strings.Contains(cover, "−100") || strings.Contains(cover, "-100") {
		t.Error("a year without data reads as a fall of 100%")
	}

	// A fall prints with a minus sign: 6,600 against 8,250 kg.
	d.Previous.Totals.CO2eKg = labcarbon.Point(8250)
	cover = strings.Split(layoutText(t, d), "\f")[0]
	contains(t, cover, fmt.Sprintf("−%.1f%% · −%.2f t CO₂e", 100*(8250-6600)/8250.0, (8250-6600)/1000.0))
}

// savingText is how the fixtures' savings should read: kg with the range,
// kWh (or MWh) and cost, worked out here with fmt.
func savingText(kg, kwh, cost float64) string {
	energy := fmt.Sprintf("%.0f kWh", kwh)
	if kwh >= 1000 {
		energy = fmt.Sprintf("%.2f MWh", kwh/1000)
	}
	return fmt.Sprintf("%.0f kg CO₂e (%.0f–%.0f kg), %s, %.2f GBP", kg, 0.6*kg, 1.4*kg, energy, cost)
}

func TestCoverTopRecommendations(t *testing.T) {
	cover := strings.Split(layoutText(t, recData()), "\f")[0]
	contains(t, cover, "The largest savings recommended",
		// The two lab-scope ones, then the group's largest.
		"Request less memory — the lab: "+savingText(500, 2000, 300),
		"Stop repeating failing jobs — the lab: "+savingText(300, 1200, 180),
		"Request fewer CPU cores — climate (PI Søren): "+savingText(400, 1500, 250),
	)
	for _, no := range []string{"Request fewer GPUs", "Move work to a more efficient partition"} {
		if strings.Contains(cover, no) {
			t.Errorf("the cover shows %q, not among its three", no)
		}
	}
}

func TestRecommendationsSection(t *testing.T) {
	text := layoutText(t, recData())
	contains(t, text, "Recommendations", "For the lab", "For the research groups", "climate (PI Søren)",
		"Request less memory: the text of lab-mem.", "Stop repeating failing jobs: the text of lab-fail.",
		"Request fewer CPU cores: the text of climate-cpu.", "Run flexible jobs in low-carbon hours: the text of climate-shift.",
		// 500 kg split 90/10.
	)
	contains(t, flat(text),
		fmt.Sprintf("of which %.0f kg operational and %.1f kg embodied CO₂e", 0.9*500, 0.1*500),
		// The jobs concerned emitted 10 × 500 kg.
		"The 40 jobs it concerns emitted 5,000 kg CO₂e",
	)
	// The evidence: 7,200 s is 2.0 h; memory 64 → 16 GB.
	rowLike(t, text, "hydra", "4242", "cpu", "COMPLETED", fmt.Sprintf("%.1f", 7200/3600.0), "memory 64 → 16 GB", "12.5", "3.25", "14.8")
	for _, no := range []string{"secretlogin", "Secret Person", "secret_job_name", "Move work to a more efficient partition"} {
		if strings.Contains(text, no) {
			t.Errorf("the lab's report shows %q: a login, a researcher's own recommendation or a job name", no)
		}
	}
}

func TestUptake(t *testing.T) {
	text := layoutText(t, recData())
	contains(t, text, "Last period's recommendations")
	contains(t, flat(text), "Of the 4 recommendations made to the lab and its groups for 2026Q2: 1 taken up, 1 partly taken up, 1 still open, 1 no jobs this period.")
	// 800 then, 500 now: 300 kg and 1,200 kWh realised.
	rowLike(t, text, "Request less memory", "the lab", "800", "500", "partly taken up", "300", "1,200")
	rowLike(t, text, "Stop repeating failing jobs", "climate (PI Søren)", "120", "0", "taken up", "120", "480")
	rowLike(t, text, "memory-request", "gone", "90.0", "0", "no jobs this period", "–", "–")
	rowLike(t, text, "Stop repeating failing jobs", "the lab", "300", "300", "still open", "0", "0")

	d := recData()
	d.Previous.Totals.Jobs, d.Uptake = 0, nil
	contains(t, layoutText(t, d), "No data for 2026Q2: the store holds no jobs for it")
	d.Previous.Totals.Jobs = 10
	contains(t, layoutText(t, d), "The report for 2026Q2 made no recommendations to the lab or its groups.")
}

func TestSettingChange(t *testing.T) {
	at := time.Date(2026, 8, 3, 14, 0, 0, 0, time.UTC)
	b := recommend.Setting{Cluster: "hydra", Partition: "gpu", CPUs: 16, GPUs: 4, MemReqGB: 120, Start: at}
	for _, c := range []struct {
		after recommend.Setting
		want  string
	}{
		{recommend.Setting{}, "not run again"},
		{b, "as run"},
		{recommend.Setting{Cluster: "hydra", Partition: "cpu", CPUs: 16, GPUs: 0, MemReqGB: 120, Start: at}, "partition gpu → cpu; GPUs 4 → 0"},
		{recommend.Setting{Cluster: "vega", Partition: "gpu", CPUs: 4, GPUs: 4, MemReqGB: 12.5, Start: at}, "partition hydra/gpu → vega/gpu; cores 16 → 4; memory 120 → 12.5 GB"},
		{recommend.Setting{Cluster: "hydra", Partition: "gpu", CPUs: 16, GPUs: 4, MemReqGB: 120, Start: at.Add(13 * time.Hour)}, "start 3 Aug 14:00 → 4 Aug 03:00 UTC"},
	} {
		if got := settingChange(b, c.after); got != c.want {
			t.Errorf("settingChange(%+v) = %q, want %q", c.after, got, c.want)
		}
	}
}
