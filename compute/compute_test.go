package compute

import (
	"math"
	"testing"

	"labcarbon"
)

// assignment builds factors with no spread unless a test sets one.
func assignment(wCore, wGPU, pue, ci float64) labcarbon.Assignment {
	return labcarbon.Assignment{
		CPUWattsPerCore: labcarbon.Point(wCore),
		GPUWatts:        labcarbon.Point(wGPU),
		MemWattsPerGB:   labcarbon.Point(0.3725),
		PUE:             labcarbon.Point(pue),
		CIgPerKWh:       labcarbon.Point(ci),
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// Each want is computed by hand from the Green Algorithms formula; the
// arithmetic is in the comment of each case.
func TestJobGolden(t *testing.T) {
	tests := []struct {
		name       string
		usage      labcarbon.Usage
		assign     labcarbon.Assignment
		wantKWh    float64
		wantKg     float64
		wantSource labcarbon.EnergySource
		wantCPUEff float64
	}{
		{
			// Green Algorithms' worked example (research notes §1.6):
			// (48 h × 6.3 W + 4 h × 32 GB × 0.3725 W/GB) / 1000 × 1.2
			// = (0.3024 + 0.04768) × 1.2 = 0.420096 kWh; × 200 g = 84.0192 g.
			name:       "GA4HPC worked example",
			usage:      labcarbon.Usage{ElapsedSec: 4 * 3600, CPUs: 16, CPUTimeSec: 48 * 3600, MemReqGB: 32},
			assign:     assignment(6.3, 0, 1.2, 200),
			wantKWh:    0.420096,
			wantKg:     0.0840192,
			wantSource: labcarbon.EnergyModelled,
			wantCPUEff: 48.0 / 64,
		},
		{
			// cpu 32 h × 4.375 W = 0.14; gpu 4 h × 2 × 400 W = 3.2;
			// mem 4 h × 128 GB × 0.3725 = 0.19072; sum 3.53072 × PUE 1.3
			// = 4.589936 kWh; × 150 g/kWh = 688.4904 g.
			name:       "A100 job",
			usage:      labcarbon.Usage{ElapsedSec: 4 * 3600, CPUs: 16, CPUTimeSec: 32 * 3600, MemReqGB: 128, GPUs: 2},
			assign:     assignment(4.375, 400, 1.3, 150),
			wantKWh:    4.589936,
			wantKg:     0.6884904,
			wantSource: labcarbon.EnergyModelled,
			wantCPUEff: 0.5,
		},
		{
			// No TotalCPU recorded: all 8 cores busy for 2 h:
			// 16 core-h × 10 W = 0.16 kWh, PUE 1, 100 g → 16 g.
			name:       "no CPU time recorded",
			usage:      labcarbon.Usage{ElapsedSec: 2 * 3600, CPUs: 8},
			assign:     assignment(10, 0, 1, 100),
			wantKWh:    0.16,
			wantKg:     0.016,
			wantSource: labcarbon.EnergyModelled,
		},
		{
			// Measured GPU utilisation 25 %: 10 h × 1 GPU × 300 W × 0.25
			// = 0.75 kWh; cpu 10 h × 1 W = 0.01; total 0.76 × PUE 1.5
			// = 1.14 kWh; × 200 g = 228 g.
			name:       "measured GPU utilisation",
			usage:      labcarbon.Usage{ElapsedSec: 10 * 3600, CPUs: 1, CPUTimeSec: 10 * 3600, GPUs: 1, GPUUtil: 0.25, HasGPUUtil: true},
			assign:     assignment(1, 300, 1.5, 200),
			wantKWh:    1.14,
			wantKg:     0.228,
			wantSource: labcarbon.EnergyModelled,
			wantCPUEff: 1,
		},
		{
			// Slurm measured 7.2 MJ = 2 kWh on a trusted cluster: × PUE 1.2
			// = 2.4 kWh; × 50 g = 120 g. The model is not used.
			name:  "measured energy, trusted",
			usage: labcarbon.Usage{ElapsedSec: 3600, CPUs: 128, NNodes: 1, CPUTimeSec: 3600, EnergyJ: 7.2e6},
			assign: func() labcarbon.Assignment {
				a := assignment(4, 0, 1.2, 50)
				a.TrustMeasured, a.NodeCores = true, 128
				return a
			}(),
			wantKWh:    2.4,
			wantKg:     0.12,
			wantSource: labcarbon.EnergyMeasured,
			wantCPUEff: 1.0 / 128,
		},
		{
			// Same job on a cluster whose energy readings are not trusted
			// (shared nodes): 1 core-h × 4 W = 0.004 kWh × 1.2 = 0.0048 kWh;
			// × 50 g = 0.24 g.
			name:       "measured energy, not trusted",
			usage:      labcarbon.Usage{ElapsedSec: 3600, CPUs: 128, CPUTimeSec: 3600, EnergyJ: 7.2e6},
			assign:     assignment(4, 0, 1.2, 50),
			wantKWh:    0.0048,
			wantKg:     0.00024,
			wantSource: labcarbon.EnergyModelled,
			wantCPUEff: 1.0 / 128,
		},
		{
			// The same reading from a job holding 8 of a 128-core node's
			// cores includes other jobs' energy: the model is used.
			// 8 core-h × 4 W = 0.032 kWh × 1.2 = 0.0384 kWh; × 50 g = 1.92 g.
			name:  "measured energy on a shared node",
			usage: labcarbon.Usage{ElapsedSec: 3600, CPUs: 8, NNodes: 1, CPUTimeSec: 8 * 3600, EnergyJ: 7.2e6},
			assign: func() labcarbon.Assignment {
				a := assignment(4, 0, 1.2, 50)
				a.TrustMeasured, a.NodeCores = true, 128
				return a
			}(),
			wantKWh:    0.0384,
			wantKg:     0.00192,
			wantSource: labcarbon.EnergyModelled,
			wantCPUEff: 1,
		},
		{
			name:       "cancelled before it started",
			usage:      labcarbon.Usage{CPUs: 64, MemReqGB: 256, GPUs: 4},
			assign:     assignment(4, 400, 1.3, 150),
			wantSource: labcarbon.EnergyModelled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Model{}.Job(&tt.usage, &tt.assign)
			if !near(r.EnergyKWh.Central, tt.wantKWh) {
				t.Errorf("energy = %.9g kWh, want %.9g", r.EnergyKWh.Central, tt.wantKWh)
			}
			if !near(r.CO2eKg.Central, tt.wantKg) {
				t.Errorf("CO2e = %.9g kg, want %.9g", r.CO2eKg.Central, tt.wantKg)
			}
			if r.EnergySource != tt.wantSource {
				t.Errorf("energy source = %s, want %s", r.EnergySource, tt.wantSource)
			}
			if !near(r.CPUEfficiency, tt.wantCPUEff) {
				t.Errorf("CPU efficiency = %g, want %g", r.CPUEfficiency, tt.wantCPUEff)
			}
			if r.EnergyKWh.Low != r.EnergyKWh.Central || r.EnergyKWh.High != r.EnergyKWh.Central {
				t.Errorf("point factors gave a range %+v", r.EnergyKWh)
			}
		})
	}
}

func TestJobRange(t *testing.T) {
	// 2 h, 4 CPUs at 100 % (8 core-h), 10 GB.
	u := labcarbon.Usage{ElapsedSec: 2 * 3600, CPUs: 4, CPUTimeSec: 8 * 3600, MemReqGB: 10}
	a := labcarbon.Assignment{
		CPUWattsPerCore: labcarbon.Range{Low: 5, Central: 10, High: 12},
		MemWattsPerGB:   labcarbon.Range{Low: 0.08, Central: 0.3725, High: 0.3725},
		PUE:             labcarbon.Range{Low: 1.1, Central: 1.2, High: 1.5},
		CIgPerKWh:       labcarbon.Range{Low: 100, Central: 200, High: 250},
	}
	r := Model{PricePerKWh: 0.25}.Job(&u, &a)
	// low:     (8 × 5 + 2 × 10 × 0.08) / 1000 × 1.1 = 0.04576 kWh
	// central: (8 × 10 + 2 × 10 × 0.3725) / 1000 × 1.2 = 0.10494 kWh
	// high:    (8 × 12 + 2 × 10 × 0.3725) / 1000 × 1.5 = 0.155175 kWh
	want := labcarbon.Range{Low: 0.04576, Central: 0.10494, High: 0.155175}
	if !near(r.EnergyKWh.Low, want.Low) || !near(r.EnergyKWh.Central, want.Central) || !near(r.EnergyKWh.High, want.High) {
		t.Errorf("energy = %+v, want %+v", r.EnergyKWh, want)
	}
	// CO2e kg: low 0.04576 × 100 / 1000, central × 200, high × 250.
	wantKg := labcarbon.Range{Low: 0.004576, Central: 0.020988, High: 0.03879375}
	if !near(r.CO2eKg.Low, wantKg.Low) || !near(r.CO2eKg.Central, wantKg.Central) || !near(r.CO2eKg.High, wantKg.High) {
		t.Errorf("CO2e = %+v, want %+v", r.CO2eKg, wantKg)
	}
	if !near(r.Cost, 0.10494*0.25) {
		t.Errorf("cost = %g, want %g", r.Cost, 0.10494*0.25)
	}
	if !near(r.CPUkWh, 0.08) || !near(r.MemkWh, 0.00745) || r.GPUkWh != 0 {
		t.Errorf("components cpu %g mem %g gpu %g, want 0.08, 0.00745, 0", r.CPUkWh, r.MemkWh, r.GPUkWh)
	}
}

func TestJobProperties(t *testing.T) {
	base := labcarbon.Usage{ElapsedSec: 5000, CPUs: 12, CPUTimeSec: 30000, MemReqGB: 48, GPUs: 1}
	a := assignment(7.5, 250, 1.3, 180)
	r1 := Model{}.Job(&base, &a)
	a2 := a
	a2.PUE = labcarbon.Point(2.6)
	r2 := Model{}.Job(&base, &a2)
	if !near(r2.EnergyKWh.Central, 2*r1.EnergyKWh.Central) {
		t.Errorf("doubling PUE: energy %g, want %g", r2.EnergyKWh.Central, 2*r1.EnergyKWh.Central)
	}
	if r1.EnergyKWh.Central <= 0 || r1.CO2eKg.Central <= 0 {
		t.Errorf("a job that ran has no energy: %+v", r1)
	}
	sum := (r1.CPUkWh + r1.GPUkWh + r1.MemkWh) * 1.3
	if !near(sum, r1.EnergyKWh.Central) {
		t.Errorf("components × PUE = %g, total %g", sum, r1.EnergyKWh.Central)
	}
}

func BenchmarkJob(b *testing.B) {
	u := labcarbon.Usage{ElapsedSec: 5000, CPUs: 12, CPUTimeSec: 30000, MemReqGB: 48, GPUs: 1}
	a := assignment(7.5, 250, 1.3, 180)
	m := Model{PricePerKWh: 0.3}
	var sink float64
	for b.Loop() {
		sink += m.Job(&u, &a).CO2eKg.Central
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
	_ = sink
}
