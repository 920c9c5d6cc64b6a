package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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
		},
		Assignment: labcarbon.Assignment{NodeType: "gpu-a100", GPUModel: "NVIDIA A100 SXM4 80GB"},
		Result: labcarbon.Result{
			EnergySource: labcarbon.EnergyModelled, EnergyKWh: labcarbon.Range{Low: 3, Central: 4.589936, High: 6},
			CO2eKg: labcarbon.Range{Low: 0.3, Central: 0.6884904, High: 1.1}, CIgPerKWh: 150, CISource: "annual 2024 GB", PUE: 1.3,
			CPUEfficiency: 0.5, MemEfficiency: 0.3125, Cost: 1.28,
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
	}
}

func TestJobsCSV(t *testing.T) {
	var b bytes.Buffer
	if err := Jobs(&b, CSV, sample(), func(u *labcarbon.Usage) string { return u.Account }); err != nil {
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
	if err := Jobs(&b, JSON, sample(), func(u *labcarbon.Usage) string { return u.Account }); err != nil {
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
