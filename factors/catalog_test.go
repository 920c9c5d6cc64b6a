package factors

import (
	"io/fs"
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func checkProvenance(t *testing.T, what string, p Provenance) {
	t.Helper()
	if p.Source == "" || p.SourceRef == "" || p.Licence == "" || p.Year < 1990 || p.Year > 2100 {
		t.Errorf("%s: incomplete provenance %+v", what, p)
	}
}

// TestEveryRowParsesWithProvenance loads the embedded tables (Load fails on
// any row that does not parse) and checks every row of every table carries
// a source, a reference, a licence and a year.
func TestEveryRowParsesWithProvenance(t *testing.T) {
	c := mustLoad(t)
	for _, x := range c.CPUs() {
		checkProvenance(t, "cpu "+x.Model, x.Provenance)
		if x.WattsPerCore().Central <= 0 {
			t.Errorf("cpu %s: W per core %v", x.Model, x.WattsPerCore())
		}
	}
	for _, x := range c.GPUs() {
		checkProvenance(t, "gpu "+x.Model, x.Provenance)
	}
	for _, a := range c.gpuAliases {
		checkProvenance(t, "gpu alias", a.Provenance)
	}
	for _, x := range c.Grids() {
		checkProvenance(t, "grid "+x.Zone, x.Provenance)
	}
	for _, x := range c.Zones() {
		checkProvenance(t, "zone "+x.ID, x.Provenance)
	}
	for _, x := range c.PUEs() {
		checkProvenance(t, "pue "+x.Key, x.Provenance)
	}
	for _, x := range c.memory {
		checkProvenance(t, "memory "+x.Key, x.Provenance)
	}
	for _, x := range c.EmbodiedFactors() {
		checkProvenance(t, "embodied "+x.Key, x.Provenance)
	}
	for _, x := range c.Equivalents() {
		checkProvenance(t, "equivalent "+x.Key, x.Provenance)
	}
	checkProvenance(t, "generic cpu", c.GenericCPUWattsPerCore().Provenance)
	checkProvenance(t, "generic gpu", c.GenericGPUWatts().Provenance)
}

func TestCatalogSizes(t *testing.T) {
	c := mustLoad(t)
	countries := 0
	for _, z := range c.Zones() {
		if z.Kind == "country" {
			countries++
		}
	}
	for _, tt := range []struct {
		what     string
		got, min int
	}{
		{"cpus", len(c.CPUs()), 150},
		{"gpus", len(c.GPUs()), 30},
		{"grid rows", len(c.Grids()), 2000},
		{"country zones", countries, 200},
		{"equivalents", len(c.Equivalents()), 8},
	} {
		if tt.got < tt.min {
			t.Errorf("%s: %d rows, want at least %d", tt.what, tt.got, tt.min)
		}
	}
}

// TestGreenAlgorithmsCPUs pins the central W per core of models Green
// Algorithms lists (TDP_cpu.csv v3.0) to GA's TDP ÷ cores, unrounded, so
// GA4HPC comparisons hold.
func TestGreenAlgorithmsCPUs(t *testing.T) {
	c := mustLoad(t)
	for _, tt := range []struct {
		name       string
		tdp, cores float64
	}{
		{"AMD EPYC 7763", 280, 64}, // 4.375, GA's table prints 4.4
		{"AMD 7552", 200, 48},
		{"AMD EPYC 7H12", 280, 64},
		{"AMD EPYC 7V73X", 280, 64},
		{"Xeon Gold 6248", 150, 20},
		{"Xeon Gold 6142", 150, 16}, // 9.375, GA prints 9.4
		{"Xeon Gold 6252", 150, 24}, // 6.25, GA prints 6.3
		{"Xeon E5-2683 v4", 120, 16},
		{"Xeon E5-2680 v3", 120, 12},
		{"Xeon Platinum 8260", 165, 24},
		{"Xeon Platinum 9282", 400, 56},
		{"Xeon Phi 5110P", 225, 60},
	} {
		cpu, ok := c.CPU(tt.name)
		if !ok {
			t.Errorf("CPU(%q): not found", tt.name)
			continue
		}
		if got, want := cpu.WattsPerCore().Central, tt.tdp/tt.cores; got != want {
			t.Errorf("CPU(%q) W per core = %v, want %v", tt.name, got, want)
		}
	}
	if got := must(c.CPU("AMD EPYC 7763")).WattsPerCore().Central; got != 4.375 {
		t.Errorf("EPYC 7763 W per core = %v, want 4.375", got)
	}
}

func must[T any](v T, ok bool) T {
	if !ok {
		panic("not found")
	}
	return v
}

func TestGreenAlgorithmsGPUs(t *testing.T) {
	c := mustLoad(t)
	for _, tt := range []struct {
		name string
		tdp  float64
	}{
		{"NVIDIA A100 40GB PCIe", 250}, {"NVIDIA A100 80GB PCIe", 300}, {"NVIDIA Tesla V100", 300},
		{"NVIDIA Tesla V100S", 250}, {"NVIDIA Tesla T4", 70}, {"NVIDIA Tesla P100 PCIe", 250},
		{"NVIDIA Tesla K80", 300}, {"NVIDIA Tesla P4", 75}, {"NVIDIA Titan V", 250},
		{"NVIDIA GTX 1080 Ti", 250}, {"NVIDIA RTX 2080 Ti", 250}, {"NVIDIA H100 PCIe", 350},
		{"NVIDIA Quadro RTX 6000", 260},
	} {
		g, ok := c.GPU(tt.name)
		if !ok {
			t.Errorf("GPU(%q): not found", tt.name)
			continue
		}
		if g.TDPW != tt.tdp {
			t.Errorf("GPU(%q) = %s %g W, want %g W", tt.name, g.Model, g.TDPW, tt.tdp)
		}
	}
}

func TestDefaults(t *testing.T) {
	c := mustLoad(t)
	if p := c.DefaultPUE(); p.Value != 1.56 || p.Low >= 1.56 || p.High <= 1.56 {
		t.Errorf("DefaultPUE = %+v, want 1.56 with a range", p)
	}
	for _, tt := range []struct {
		key  string
		want float64
	}{{"aws", 1.135}, {"GCP", 1.1}, {"azure", 1.185}, {"gcp:us-east4", 1.08}, {"gcp:asia-south1", 1.1}} {
		p, ok := c.PUE(tt.key)
		if !ok || p.Value != tt.want {
			t.Errorf("PUE(%q) = %v, %v; want %v", tt.key, p.Value, ok, tt.want)
		}
	}
	if _, ok := c.PUE("nosuchcloud"); ok {
		t.Error("PUE(nosuchcloud): want not found")
	}
	if m := c.MemoryWattsPerGB(); m.Value != 0.3725 || m.Low != 0.08 {
		t.Errorf("MemoryWattsPerGB = %+v", m)
	}
	if f := c.GenericCPUWattsPerCore(); f.Value != 12 {
		t.Errorf("GenericCPUWattsPerCore = %v, want 12", f.Value)
	}
	if f := c.GenericGPUWatts(); f.Value != 200 {
		t.Errorf("GenericGPUWatts = %v, want 200", f.Value)
	}
}

func TestEmbodied(t *testing.T) {
	c := mustLoad(t)
	s := c.EmbodiedServer()
	if s.Base.Value != 1000 || s.ExtraSocket.Value != 100 || s.LifetimeYears.Value != 4 {
		t.Errorf("EmbodiedServer = %+v", s)
	}
	if got := s.MemoryPerGB.Value; math.Abs(got-533.0/384) > 0.001 {
		t.Errorf("MemoryPerGB = %v, want 533/384", got)
	}
	for _, tt := range []struct {
		model string
		want  float64
	}{{"a100", 276}, {"H100 SXM5 80GB", 575}, {"l4", 114}, {"NVIDIA L40S", 150}, {"no such gpu", 150}} {
		if got := c.EmbodiedGPU(tt.model).Value; got != tt.want {
			t.Errorf("EmbodiedGPU(%q) = %v, want %v", tt.model, got, tt.want)
		}
	}
}

func TestEquivalents(t *testing.T) {
	c := mustLoad(t)
	for key, want := range map[string]float64{
		"tree_month": 917, "car_km": 175, "flight_paris_london": 50000, "flight_nyc_sf": 570000, "flight_nyc_melbourne": 2310000,
	} {
		e, ok := c.Equivalent(key)
		if !ok || e.Value != want {
			t.Errorf("Equivalent(%q) = %v, %v; want %v", key, e.Value, ok, want)
		}
	}
	e, _ := c.Equivalent("tree_month")
	if got := e.Count(84.0192); math.Abs(got-0.0916240) > 1e-6 { // Green Algorithms worked example
		t.Errorf("tree-months of 84.0192 g = %v", got)
	}
}

func TestVersionStable(t *testing.T) {
	a, err := load(dataFS)
	if err != nil {
		t.Fatal(err)
	}
	b := mustLoad(t)
	if a.Version() != b.Version() || len(a.Version()) != 12 {
		t.Errorf("Version %q vs %q", a.Version(), b.Version())
	}
}

// TestLoadReportsBadRows checks that a damaged table fails Load with the
// file, line and column, rather than loading zeros.
func TestLoadReportsBadRows(t *testing.T) {
	tests := []struct {
		file, find, replace, want string
	}{
		{"data/cpus.csv", "AMD EPYC 7763,AMD,Milan (Zen 3),2021,64,128,280", "AMD EPYC 7763,AMD,Milan (Zen 3),2021,64,128,lots", "cpus.csv line"},
		{"data/gpus.csv", "Hopper,SXM5,80,2022,700,700,700", "Hopper,SXM5,80,2022,700,800,700", "tdp_w"},
		{"data/pue.csv", "Green Algorithms defaults_PUE v3.0 (nutanix.dev 2023),GreenAlgorithms", ",GreenAlgorithms", "column source: empty"},
		{"data/grid.csv", "FR,2024,44.18", "FR,1066,44.18", "plausible year"},
		{"data/memory.csv", "default,0.3725", "ccf,0.3725", "duplicate key"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := fstest.MapFS{}
			err := fs.WalkDir(dataFS, "data", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := fs.ReadFile(dataFS, p)
				if p == tt.file {
					if !strings.Contains(string(b), tt.find) {
						t.Fatalf("%s does not contain %q", p, tt.find)
					}
					b = []byte(strings.Replace(string(b), tt.find, tt.replace, 1))
				}
				m[p] = &fstest.MapFile{Data: b}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = load(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("load: err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
