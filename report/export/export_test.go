package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/report"
)

func sample() *report.Data {
	start := time.Date(2026, 7, 2, 10, 0, 0, 0, time.UTC)
	jobs := []labcarbon.Job{{
		Usage: labcarbon.Usage{
			Cluster: "hydra", JobID: "4242_7", JobIDRaw: "4250", User: "jnovak", Account: "genomics", Partition: "gpu",
			State: labcarbon.StateCompleted, Submit: start.Add(-time.Hour), Start: start, End: start.Add(4 * time.Hour),
			ElapsedSec: 4 * 3600, CPUs: 16, GPUs: 2, CPUTimeSec: 32 * 3600, MemReqGB: 128, MemPeakGB: 40, HasMemPeak: true,
			GPUUtil: 0.75, HasGPUUtil: true,
		},
		Assignment: labcarbon.Assignment{NodeType: "gpu-a100", GPUModel: "NVIDIA A100 SXM4 80GB"},
		Result: labcarbon.Result{
			EnergySource: labcarbon.EnergyModelled, EnergyKWh: labcarbon.Range{Low: 3, Central: 4.589936, High: 6},
			CO2eKg: labcarbon.Range{Low: 0.3, Central: 0.6884904, High: 1.1}, CIgPerKWh: 150, CISource: "annual 2024 GB", PUE: 1.3,
			CPUEfficiency: 0.5, MemEfficiency: 0.3125, Cost: 1.28,
			// The engine's further figures, by hand. Half the run at an
			// hourly intensity; a site buying 50 g/kWh: 4.589936 kWh ×
			// 50 g = 0.2294968 kg. Nodes of 64 cores and 4 GPUs: 16 cores
			// are 1/4 of one, 2 GPUs 1/2, so the job held 0.5 of a node;
			// at 0.03 kg per node-hour for 4 h, 0.06 kg embodied. Peak 40
			// GB rounds up to 41 in 1 GB steps: 87 GB over-requested ×
			// 4 h × 0.3725 W/GB × PUE 1.3 × 150 g/kWh = 0.02527785 kg.
			// 16 cores × 4 h = 64 core-h allocated, 32 used: 32 idle,
			// at 10 W per core × 1.3 × 150 g/kWh = 0.0624 kg.
			CIHourlyShare: 0.5, MarketCO2eKg: labcarbon.Point(0.2294968), HasMarket: true,
			EmbodiedCO2eKg: labcarbon.Range{Low: 0.04, Central: 0.06, High: 0.09}, NodeShare: 0.5,
			MemWasteCO2eKg: labcarbon.Point(0.02527785), IdleCoreHours: 32, IdleCoreCO2eKg: labcarbon.Point(0.0624),
		},
	}, {
		Usage: labcarbon.Usage{
			Cluster: "hydra", JobID: "4300", JobIDRaw: "4300", User: "=cmd|' /C calc'!A0", Account: "ml", Partition: "cpu",
			State: labcarbon.StateCancelled, Submit: start, CPUs: 4,
		},
	}}
	return &report.Data{
		Jobs: func(fn func(*labcarbon.Job) error) error {
			for i := range jobs {
				if err := fn(&jobs[i]); err != nil {
					return err
				}
			}
			return nil
		},
		ByGroup: []report.Row{{Key: "genomics", Jobs: 1, EnergyKWh: 4.589936, CO2eKg: labcarbon.Range{Low: 0.3, Central: 0.6884904, High: 1.1}, Share: 1}},
		ByCluster: []report.Row{{Key: "hydra", Jobs: 2, EnergyKWh: 4.589936, CO2eKg: labcarbon.Range{Low: 0.3, Central: 0.6884904, High: 1.1}, Share: 1,
			EmbodiedCO2eKg: 0.06, MemWasteCO2eKg: 0.02527785, IdleCoreCO2eKg: 0.0624}},
		ByNodeType: []report.Row{
			{Key: "gpu-a100", Jobs: 1, EnergyKWh: 4.589936, CO2eKg: labcarbon.Range{Low: 0.3, Central: 0.6884904, High: 1.1}, Share: 1,
				EmbodiedCO2eKg: 0.06, MemWasteCO2eKg: 0.02527785, IdleCoreCO2eKg: 0.0624},
			{Key: "", Jobs: 1},
		},
	}
}

// oldJobColumns are the per-job columns before the emissions engine's
// figures were added: they must keep their places.
var oldJobColumns = "cluster,job_id,user,group,partition,state,start,end,elapsed_s,cpus,gpus,cpu_time_s,mem_req_gb,mem_peak_gb,energy_kwh,energy_source,co2e_kg,co2e_kg_low,co2e_kg_high,ci_g_per_kwh,ci_source,pue,job_id_raw,account,submit,node_type,gpu_model,cpu_efficiency,mem_efficiency,cost,energy_kwh_low,energy_kwh_high"

// newJobColumns are the engine's per-job figures, appended.
var newJobColumns = []string{"ci_hourly_share", "market_co2e_kg", "embodied_co2e_kg", "node_share", "mem_waste_co2e_kg", "idle_core_hours", "idle_core_co2e_kg", "gpu_util"}

func TestJobsCSVEngineFigures(t *testing.T) {
	var b bytes.Buffer
	if err := Jobs(&b, CSV, sample()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0][:32], ","); got != oldJobColumns {
		t.Errorf("the first 32 columns moved:\n got %s\nwant %s", got, oldJobColumns)
	}
	if got := recs[0][32:]; !slices.Equal(got, newJobColumns) {
		t.Errorf("appended columns %q, want %q", got, newJobColumns)
	}
	if got, want := recs[1][32:], []string{"0.5", "0.2294968", "0.06", "0.5", "0.02527785", "32", "0.0624", "0.75"}; !slices.Equal(got, want) {
		t.Errorf("job 1 figures %q, want %q", got, want)
	}
	// The cancelled job never ran and its site has no market factor: an
	// empty market-based figure and GPU utilisation, zeros elsewhere.
	if got, want := recs[2][32:], []string{"0", "", "0", "0", "0", "0", "0", ""}; !slices.Equal(got, want) {
		t.Errorf("job 2 figures %q, want %q", got, want)
	}
}

func TestJobsJSONEngineFigures(t *testing.T) {
	var b bytes.Buffer
	if err := Jobs(&b, JSON, sample()); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	for k, want := range map[string]any{
		"ci_hourly_share": 0.5, "market_co2e_kg": 0.2294968, "embodied_co2e_kg": 0.06, "node_share": 0.5,
		"mem_waste_co2e_kg": 0.02527785, "idle_core_hours": 32.0, "idle_core_co2e_kg": 0.0624, "gpu_util": 0.75,
	} {
		if got[0][k] != want {
			t.Errorf("job 1 %s = %v, want %v", k, got[0][k], want)
		}
	}
	if v, ok := got[1]["market_co2e_kg"]; !ok || v != nil {
		t.Errorf("job 2 market_co2e_kg = %v (present %v), want null", v, ok)
	}
}

func TestRowsByClusterAndNodeType(t *testing.T) {
	for _, c := range []struct {
		by   string
		key  string
		rows int
	}{{"cluster", "cluster", 1}, {"nodetype", "node_type", 2}} {
		by, err := ParseBy(c.by)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := Rows(&b, CSV, by, sample()); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := []string{c.key, "jobs", "cpu_hours", "gpu_hours", "energy_kwh", "co2e_kg", "co2e_kg_low", "co2e_kg_high", "cost", "wasted_co2e_kg", "share",
			"embodied_co2e_kg", "mem_waste_co2e_kg", "idle_core_co2e_kg"}
		if len(recs) != c.rows+1 || !slices.Equal(recs[0], want) {
			t.Fatalf("by %s: %d records, header %q; want %d rows under %q", c.by, len(recs), recs[0], c.rows, want)
		}
		// gota prints floats to six decimals.
		if got := recs[1][11:]; !slices.Equal(got, []string{"0.060000", "0.025278", "0.062400"}) {
			t.Errorf("by %s: embodied, memory waste and idle-core figures %q", c.by, got)
		}
	}
	if _, err := ParseBy("site"); err == nil {
		t.Error("ParseBy(site) succeeded")
	}
}

func TestJobsCSV(t *testing.T) {
	var b bytes.Buffer
	if err := Jobs(&b, CSV, sample()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	contract := "cluster,job_id,user,group,partition,state,start,end,elapsed_s,cpus,gpus,cpu_time_s,mem_req_gb,mem_peak_gb,energy_kwh,energy_source,co2e_kg,co2e_kg_low,co2e_kg_high,ci_g_per_kwh,ci_source,pue"
	if got := strings.Join(recs[0][:22], ","); got != contract {
		t.Errorf("header = %s\nwant %s", got, contract)
	}
	want := "hydra,4242_7,jnovak,genomics,gpu,COMPLETED,2026-07-02T10:00:00Z,2026-07-02T14:00:00Z,14400,16,2,115200,128,40,4.589936,modelled,0.6884904,0.3,1.1,150,annual 2024 GB,1.3"
	if got := strings.Join(recs[1][:22], ","); got != want {
		t.Errorf("row = %s\nwant %s", got, want)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want header + 2 jobs", len(recs))
	}
	if recs[2][6] != "" || recs[2][7] != "" {
		t.Errorf("a job that never started has start %q end %q, want both empty", recs[2][6], recs[2][7])
	}
}

func TestJobsJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Jobs(&b, JSON, sample()); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b.String())
	}
	if len(got) != 2 || got[0]["co2e_kg"] != 0.6884904 || got[0]["job_id"] != "4242_7" || got[1]["user"] != "=cmd|' /C calc'!A0" {
		t.Errorf("JSON = %v", got)
	}
}

func TestRows(t *testing.T) {
	var b bytes.Buffer
	if err := Rows(&b, CSV, ByGroup, sample()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "group" || recs[1][0] != "genomics" || recs[0][5] != "co2e_kg" || recs[1][5] != "0.688490" {
		t.Errorf("rows = %v", recs)
	}
	b.Reset()
	if err := Rows(&b, JSON, ByGroup, sample()); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil || len(got) != 1 || got[0]["co2e_kg"] != 0.6884904 {
		t.Errorf("JSON rows = %s (%v)", b.String(), err)
	}
}

func TestJobsCountedUnderTheReportsGroup(t *testing.T) {
	d := sample()
	d.GroupOf = func(u *labcarbon.Usage) string { return "lab of " + u.User }
	var b bytes.Buffer
	if err := Jobs(&b, CSV, d); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][3] != "lab of jnovak" || recs[1][23] != "genomics" {
		t.Errorf("group %q, account %q; want the report's group beside the Slurm account", recs[1][3], recs[1][23])
	}
}

func TestCSVText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"genomics", "genomics"},
		{"", ""},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-cmd", "'-cmd"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
	} {
		if got := csvText(c.in); got != c.want {
			t.Errorf("csvText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestJobsCSVTextIsNotAFormula checks that a group named like a formula
// is written as text, and the job's numbers as they are.
func TestJobsCSVTextIsNotAFormula(t *testing.T) {
	d := sample()
	d.GroupOf = func(*labcarbon.Usage) string { return "=cmd|' /C calc'!A0" }
	var b bytes.Buffer
	if err := Jobs(&b, CSV, d); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][3] != "'=cmd|' /C calc'!A0" || recs[1][9] != "16" {
		t.Errorf("group %q, cpus %q; want the group as text and 16", recs[1][3], recs[1][9])
	}
}
