package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// estimateOutput is what estimate --format json prints, as far as the tests
// read it.
type estimateOutput struct {
	EnergyKWh jsonRange `json:"energy_kwh"`
	CO2eKg    jsonRange `json:"co2e_kg"`
	SplitKWh  struct {
		CPU         float64 `json:"cpu"`
		GPU         float64 `json:"gpu"`
		Memory      float64 `json:"memory"`
		PUEOverhead float64 `json:"pue_overhead"`
	} `json:"energy_split_kwh"`
	Factors []struct {
		Name  string    `json:"name"`
		Value jsonRange `json:"value"`
	} `json:"factors"`
	Equivalents []struct {
		Key   string  `json:"key"`
		Count float64 `json:"count"`
	} `json:"equivalents"`
	Warnings []string `json:"warnings"`
}

func estimateJSON(t *testing.T, args ...string) estimateOutput {
	t.Helper()
	args = append([]string{"estimate", "--format", "json"}, args...)
	code, out, errOut := call(t, args...)
	if code != exitOK {
		t.Fatalf("labcarbon %s: status %d\n%s", strings.Join(args, " "), code, errOut)
	}
	var e estimateOutput
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("labcarbon %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return e
}

func nearRange(got, want jsonRange) bool {
	return near(got.Low, want.Low) && near(got.Central, want.Central) && near(got.High, want.High)
}

// TestEstimateByHand checks estimate against values computed by hand from
// Green Algorithms' formula and the catalog's figures:
//
//	E = PUE × hours × runs × (cores × usage × W/core + GPUs × GPU usage × W/GPU + GB × W/GB) / 1000
//
// each bound from the factors' bounds.
func TestEstimateByHand(t *testing.T) {
	fixClock(t)
	tests := []struct {
		name      string
		args      []string
		energy    jsonRange // kWh
		co2e      jsonRange // kg
		split     [4]float64
		treeMonth float64
		carKm     float64
		warnings  int
	}{
		{
			// Green Algorithms' calculator as it opens: 12 h, 12 cores of a
			// Xeon E5-2683 v4 (120 W ÷ 16 cores = 7.5 W/core), one Tesla
			// V100 (300 W; 250 W for the PCIe board), 64 GB, PUE unknown
			// (1.56; 1.1–1.67), Canada/Ontario (30 g/kWh, GA's CA-ON, 2019).
			//   central  1.56 × 12 × (12×7.5 + 300 + 64×0.3725) / 1000 = 1.56 × 12 × 413.84 / 1000 = 7.7470848 kWh
			//   low      1.10 × 12 × (90 + 250 + 64×0.08)   / 1000 = 1.10 × 12 × 345.12 / 1000 = 4.555584 kWh
			//   high     1.67 × 12 × (90 + 300 + 64×0.392)  / 1000 = 1.67 × 12 × 415.088 / 1000 = 8.31836352 kWh
			//   CO2e     × 30 g/kWh: 232.412544 g (136.66752 to 249.5509056 g)
			name: "Green Algorithms calculator default",
			args: []string{"--cpu", "Xeon E5-2683 v4", "--cores", "12", "--gpu", "Tesla V100", "--gpus", "1",
				"--memory", "64", "--hours", "12", "--zone", "CA-ON", "--year", "2019"},
			energy: jsonRange{4.555584, 7.7470848, 8.31836352},
			co2e:   jsonRange{0.13666752, 0.232412544, 0.2495509056},
			// 12 h × 90 W, 12 h × 300 W, 12 h × 23.84 W; overhead 0.56 × 12 × 413.84 W
			split:     [4]float64{1.08, 3.6, 0.28608, 2.7810048},
			treeMonth: 232.412544 / 917,
			carKm:     232.412544 / 175,
			warnings:  1, // "Tesla V100" may be any of four boards
		},
		{
			// research/green-algorithms.md §1.6: 16 CPUs at 6.3 W/core, 4 h
			// elapsed, TotalCPU 48 h (so usage 48 ÷ (16 × 4) = 0.75),
			// 32 GB, PUE 1.2, 200 g/kWh.
			//   CPU  16 × 0.75 × 4 h × 6.3 W = 302.4 Wh = 0.3024 kWh
			//   mem  4 h × 32 GB × 0.3725 W  = 47.68 Wh = 0.04768 kWh (0.08: 0.01024; 0.392: 0.050176)
			//   E    (0.3024 + 0.04768) × 1.2 = 0.420096 kWh (0.375168 to 0.4230912)
			//   CO2e 0.420096 × 200 = 84.0192 g; tree-months 84.0192 ÷ 917 = 0.09162; car 84.0192 ÷ 175 = 0.4801 km
			name:      "Green Algorithms worked example",
			args:      []string{"--cpu-watts", "6.3", "--cores", "16", "--usage", "0.75", "--hours", "4", "--memory", "32", "--pue", "1.2", "--ci", "200"},
			energy:    jsonRange{0.375168, 0.420096, 0.4230912},
			co2e:      jsonRange{0.0750336, 0.0840192, 0.08461824},
			split:     [4]float64{0.3024, 0, 0.04768, 0.420096 - 0.3024 - 0.04768},
			treeMonth: 84.0192 / 917,
			carKm:     84.0192 / 175,
		},
		{
			// The same job run 3 times for 1 h 20 min each: 4 h in all,
			// so the same energy.
			name:      "runs and minutes",
			args:      []string{"--cpu-watts", "6.3", "--cores", "16", "--usage", "0.75", "--hours", "1", "--minutes", "20", "--runs", "3", "--memory", "32", "--pue", "1.2", "--ci", "200"},
			energy:    jsonRange{0.375168, 0.420096, 0.4230912},
			co2e:      jsonRange{0.0750336, 0.0840192, 0.08461824},
			split:     [4]float64{0.3024, 0, 0.04768, 0.420096 - 0.3024 - 0.04768},
			treeMonth: 84.0192 / 917,
			carKm:     84.0192 / 175,
		},
		{
			// GPUs only: 2 × 300 W at half load for 10 h, PUE 1, 100 g/kWh:
			// 10 × 2 × 300 × 0.5 / 1000 = 3 kWh, 300 g.
			name:      "GPU utilisation",
			args:      []string{"--gpu-watts", "300", "--gpus", "2", "--gpu-usage", "0.5", "--hours", "10", "--pue", "1", "--ci", "100"},
			energy:    jsonRange{3, 3, 3},
			co2e:      jsonRange{0.3, 0.3, 0.3},
			split:     [4]float64{0, 3, 0, 0},
			treeMonth: 300.0 / 917,
			carKm:     300.0 / 175,
		},
		{
			// An unknown CPU ("any": 12 W/core, 4.375–15) for one hour on
			// the default zone, WORLD, in 2026: the 2024 figure (473.01 g,
			// Ember), with a warning. PUE 1.
			//   E = 4 × 12 / 1000 = 0.048 kWh (0.0175 to 0.06); CO2e × 473.01
			name:      "defaults: unknown CPU, world average, this year",
			args:      []string{"--cpu", "any", "--cores", "4", "--hours", "1", "--pue", "1"},
			energy:    jsonRange{0.0175, 0.048, 0.06},
			co2e:      jsonRange{0.0175 * 0.47301, 0.048 * 0.47301, 0.06 * 0.47301},
			split:     [4]float64{0.048, 0, 0, 0},
			treeMonth: 48 * 0.47301 / 917,
			carKm:     48 * 0.47301 / 175,
			warnings:  1, // no 2026 figure for WORLD
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := estimateJSON(t, tt.args...)
			if !nearRange(e.EnergyKWh, tt.energy) {
				t.Errorf("energy %+v kWh, by hand %+v", e.EnergyKWh, tt.energy)
			}
			if !nearRange(e.CO2eKg, tt.co2e) {
				t.Errorf("CO2e %+v kg, by hand %+v", e.CO2eKg, tt.co2e)
			}
			s := e.SplitKWh
			if got := [4]float64{s.CPU, s.GPU, s.Memory, s.PUEOverhead}; !near(got[0], tt.split[0]) || !near(got[1], tt.split[1]) ||
				!near(got[2], tt.split[2]) || !near(got[3], tt.split[3]) {
				t.Errorf("split CPU, GPU, memory, PUE overhead = %v kWh, by hand %v", got, tt.split)
			}
			if len(e.Equivalents) < 2 || e.Equivalents[0].Key != "tree_month" || !near(e.Equivalents[0].Count, tt.treeMonth) ||
				e.Equivalents[1].Key != "car_km" || !near(e.Equivalents[1].Count, tt.carKm) {
				t.Errorf("equivalents %+v, want %g tree-months and %g car km", e.Equivalents, tt.treeMonth, tt.carKm)
			}
			if len(e.Warnings) != tt.warnings {
				t.Errorf("warnings %q, want %d", e.Warnings, tt.warnings)
			}
		})
	}
}

func TestEstimateGolden(t *testing.T) {
	fixClock(t)
	for _, tc := range []goldenCase{
		{"estimate-ga-default", []string{"estimate", "--cpu", "Xeon E5-2683 v4", "--cores", "12", "--gpu", "Tesla V100", "--gpus", "1",
			"--memory", "64", "--hours", "12", "--zone", "CA-ON", "--year", "2019"}},
		{"estimate-ga-worked-example", []string{"estimate", "--cpu-watts", "6.3", "--cores", "16", "--usage", "0.75", "--hours", "4",
			"--memory", "32", "--pue", "1.2", "--ci", "200"}},
		{"estimate-ga-worked-example-json", []string{"estimate", "--cpu-watts", "6.3", "--cores", "16", "--usage", "0.75", "--hours", "4",
			"--memory", "32", "--pue", "1.2", "--ci", "200", "--format", "json"}},
		{"estimate-a100", []string{"estimate", "--cpu", "AMD EPYC 7413", "--cores", "8", "--gpu", "a100", "--gpus", "1", "--memory", "64",
			"--hours", "10", "--zone", "GB", "--pue", "1.3"}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, "", tc) })
	}
}

func TestEstimateUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		message string
	}{
		{[]string{"--hours", "1"}, "nothing to estimate"},
		{[]string{"--cpu", "any", "--hours", "1"}, "need --cores N"},
		{[]string{"--cores", "4", "--hours", "1"}, "--cores needs --cpu MODEL or --cpu-watts W"},
		{[]string{"--gpus", "1", "--hours", "1"}, "--gpus needs --gpu MODEL"},
		{[]string{"--gpu", "a100", "--hours", "1"}, "need --gpus N"},
		{[]string{"--cpu", "any", "--cpu-watts", "5", "--cores", "1", "--hours", "1"}, "not both"},
		{[]string{"--cpu-watts", "0", "--cores", "1", "--hours", "1"}, "must be above 0"},
		{[]string{"--cpu", "Pentium 4", "--cores", "1", "--hours", "1"}, `CPU model "Pentium 4" is not in the factor catalog`},
		{[]string{"--cpu", "epyc 776", "--cores", "1", "--hours", "1"}, "names containing it: AMD EPYC 7763"},
		{[]string{"--gpu", "voodoo", "--gpus", "1", "--hours", "1"}, `GPU model "voodoo"`},
		{[]string{"--cpu", "any", "--cores", "1"}, "want a run time"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "-1"}, "must not be negative"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--usage", "0"}, "--usage 0"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--usage", "1.5"}, "--usage 1.5"},
		{[]string{"--gpu", "any", "--gpus", "1", "--hours", "1", "--gpu-usage", "2"}, "--gpu-usage 2"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--pue", "0.9"}, "at least 1"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--ci", "-5"}, "--ci -5"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--runs", "0"}, "--runs 0"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--zone", "Atlantis"}, "unknown grid zone"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--year", "1066"}, "--year 1066"},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "--format", "yaml"}, `--format "yaml"`},
		{[]string{"--cpu", "any", "--cores", "1", "--hours", "1", "extra"}, "takes no arguments"},
	}
	for _, tt := range tests {
		args := append([]string{"estimate"}, tt.args...)
		code, out, errOut := call(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tt.message) {
			t.Errorf("labcarbon %s: status %d, stdout %q, stderr %q; want status 2 and %q",
				strings.Join(args, " "), code, out, errOut, tt.message)
		}
	}
}
