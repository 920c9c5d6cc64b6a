package factors

import (
	"io/fs"
	"math"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

func nearF(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func nearR(a, b labcarbon.Range) bool {
	return nearF(a.Low, b.Low) && nearF(a.Central, b.Central) && nearF(a.High, b.High)
}

// perHour turns kg figures into kg per node-hour over the catalog's
// lifetimes: 4 years central, the low over 6 and the high over 3, of 8766 h.
func perHour(low, central, high float64) labcarbon.Range {
	return labcarbon.Range{Low: low / (6 * 8766), Central: central / (4 * 8766), High: high / (3 * 8766)}
}

// The figures of factors/data/embodied.csv: server base 1000 (968–3000),
// extra socket 100 (30–100), memory 1.388 (0.4–1.4) kg per GB beyond 16,
// SSD 100, A100 276 (43.24–318), generic GPU 150 (43–575).
func TestEmbodiedAndNodeSize(t *testing.T) {
	lab := demoLab()
	lab.NodeTypes = append(lab.NodeTypes,
		labcarbon.NodeType{Name: "gpu-mixed", CPUModel: "AMD EPYC 7413", Sockets: 1, CoresPerSocket: 24, GPUs: 2, MemGB: 8},
		labcarbon.NodeType{Name: "gpu-nocount", CPUModel: "AMD EPYC 7413", GPUModel: "h100_sxm"},
	)
	lab.Clusters[0].Partitions = append(lab.Clusters[0].Partitions,
		labcarbon.PartitionRule{Partition: "mixed", NodeType: "gpu-mixed"},
		labcarbon.PartitionRule{Partition: "nocount", NodeType: "gpu-nocount"})
	multi := demoLab()
	multi.Clusters = append(multi.Clusters, labcarbon.Cluster{Name: "other", Site: "hydra-dc", DefaultNodeType: "cpu-std"})

	tests := []struct {
		name      string
		lab       labcarbon.Lab
		u         *labcarbon.Usage
		gpus      int
		memGB     float64
		cores     int
		perHour   labcarbon.Range
		source    string
		gpuSource string
	}{
		{
			// 1000 + 100 × 1 + 1.388 × (512 − 16) + 100 = 1888.448;
			// low 968 + 30 + 0.4 × 496 + 100 = 1296.4;
			// high 3000 + 100 + 1.4 × 496 + 100 = 3894.4.
			name: "CPU node", lab: demoLab(), u: job("hydra", "cpu", "n1"),
			memGB: 512, cores: 128, perHour: perHour(1296.4, 1888.448, 3894.4),
			source: "CCF/Teads server 1000 kg + 1 extra socket × 100 kg + 496 GB × 1.388 kg + 1 SSD 100 kg (assumed), over 4 y",
		},
		{
			// 1000 + 100 + 1.388 × 1008 + 100 + 4 × 276 = 3703.104;
			// low 968 + 30 + 403.2 + 100 + 4 × 43.24 = 1674.16;
			// high 3000 + 100 + 1411.2 + 100 + 4 × 318 = 5883.2.
			name: "GPU node", lab: demoLab(), u: job("hydra", "gpu", "g1"),
			gpus: 4, memGB: 1024, cores: 48, perHour: perHour(1674.16, 3703.104, 5883.2),
			source: "CCF/Teads server 1000 kg + 1 extra socket × 100 kg + 1008 GB × 1.388 kg + 1 SSD 100 kg (assumed) + 4 × A100 276 kg, over 4 y",
		},
		{
			// GPU count from the node type, model from the job's TRES
			// (A100 PCIe → family A100); 8 GB is below the base 16:
			// 1000 + 100 + 2 × 276 = 1652; 968 + 100 + 86.48 = 1154.48;
			// 3000 + 100 + 636 = 3736.
			name: "GPU count from node type, model from the job", lab: lab,
			u:    withGPUs(job("hydra", "mixed", "m1"), 1, "nvidia_a100_80gb_pcie"),
			gpus: 2, memGB: 8, cores: 24, perHour: perHour(1154.48, 1652, 3736),
			source: "CCF/Teads server 1000 kg + 1 SSD 100 kg (assumed) + 2 × A100 276 kg, over 4 y",
		},
		{
			// An unknown GPU type gets the generic GPU: 1100 + 2 × 150 =
			// 1400; 1068 + 86; 3100 + 1150.
			name: "unknown GPU type", lab: lab, u: withGPUs(job("hydra", "mixed", "m1"), 1, "quantumx"),
			gpus: 2, memGB: 8, cores: 24, perHour: perHour(1154, 1400, 4250),
			source: "CCF/Teads server 1000 kg + 1 SSD 100 kg (assumed) + 2 × GPU (generic) 150 kg, over 4 y",
		},
		{
			// GPU model but no count, no sockets, no memory: the base
			// server, 1100 (1068–3100), and the assumptions said.
			name: "node type without GPU count or memory", lab: lab, u: job("hydra", "nocount", "x1"),
			perHour: perHour(1068, 1100, 3100),
			source:  "CCF/Teads server 1000 kg + 1 SSD 100 kg (assumed), over 4 y; sockets not configured: 1 assumed; memory not configured: base 16 GB assumed; GPU count not configured: no GPU counted",
		},
		{
			// The fallback generic node still gets the base server.
			name: "generic node of an unknown cluster", lab: multi, u: job("zeus", "cpu", "z1"),
			perHour: perHour(1068, 1100, 3100),
			source:  "CCF/Teads server 1000 kg + 1 SSD 100 kg (assumed), over 4 y; sockets not configured: 1 assumed; memory not configured: base 16 GB assumed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newResolver(t, tt.lab).Resolve(tt.u)
			if a.NodeGPUs != tt.gpus || a.NodeMemGB != tt.memGB || a.NodeCores != tt.cores {
				t.Errorf("node GPUs %d, memory %g GB, cores %d; want %d, %g, %d", a.NodeGPUs, a.NodeMemGB, a.NodeCores, tt.gpus, tt.memGB, tt.cores)
			}
			if !nearR(a.EmbodiedKgPerNodeHour, tt.perHour) {
				t.Errorf("embodied per node-hour = %+v, want %+v", a.EmbodiedKgPerNodeHour, tt.perHour)
			}
			if a.EmbodiedSource != tt.source {
				t.Errorf("EmbodiedSource =\n %q\nwant\n %q", a.EmbodiedSource, tt.source)
			}
			if r := a.EmbodiedKgPerNodeHour; !(r.Low > 0 && r.Low <= r.Central && r.Central <= r.High) {
				t.Errorf("embodied per node-hour %+v is not a positive ordered range", r)
			}
		})
	}
}

func TestMarketCI(t *testing.T) {
	for _, tt := range []struct {
		name string
		site labcarbon.Site
		want float64
		has  bool
	}{
		{"no market factor", labcarbon.Site{Name: "hydra-dc", Zone: "GB", PUE: 1.3}, 0, false},
		{"supplier mix", labcarbon.Site{Name: "hydra-dc", Zone: "GB", PUE: 1.3, MarketCIgPerKWh: 120.5, HasMarketCI: true}, 120.5, true},
		{"renewable contract", labcarbon.Site{Name: "hydra-dc", Zone: "GB", PUE: 1.3, HasMarketCI: true}, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lab := demoLab()
			lab.Sites = []labcarbon.Site{tt.site}
			a := newResolver(t, lab).Resolve(job("hydra", "cpu", "n1"))
			if a.MarketCIgPerKWh != tt.want || a.HasMarketCI != tt.has {
				t.Errorf("market = %g (%v), want %g (%v)", a.MarketCIgPerKWh, a.HasMarketCI, tt.want, tt.has)
			}
		})
	}
	lab := demoLab()
	lab.Sites[0].MarketCIgPerKWh, lab.Sites[0].HasMarketCI = -1, true
	if _, err := NewResolver(mustLoad(t), lab); err == nil || !strings.Contains(err.Error(), "market-based grid intensity -1") {
		t.Errorf("negative market intensity: err = %v", err)
	}
}

// catalogWith returns the embedded catalog with extra grid.csv rows.
func catalogWith(t *testing.T, gridRows ...string) *Catalog {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(dataFS, "data", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(dataFS, path)
		if err != nil {
			return err
		}
		if path == "data/grid.csv" {
			b = append(b, strings.Join(gridRows, "\n")+"\n"...)
		}
		m[path] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := load(m)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return c
}

func spanning(start time.Time, hours int64) *labcarbon.Usage {
	u := job("hydra", "cpu", "n1")
	u.Start, u.ElapsedSec = start, hours*3600
	return u
}

// TestYearBoundary pins the grid intensity of jobs that ran over new year:
// the mean of each year's figure weighted by the run time in it. GB in
// factors/data/grid.csv: 2023 228.25 (point), 2024 210.89 (106.68–
// 210.89); no 2025 yet, so a test catalog adds GB 2025 = 150 (100–150).
func TestYearBoundary(t *testing.T) {
	const (
		gb2023 = "annual 2023 GB (Ember via OWID, CC BY 4.0)"
		gb2024 = "annual 2024 GB (Ember via OWID, CC BY 4.0)"
		gb2025 = "annual 2025 GB (Test figure, CC BY 4.0)"
	)
	embedded := newResolver(t, demoLab())
	with2025, err := NewResolver(catalogWith(t, "GB,2025,150,100,150,lifecycle,test row,Test figure,none,CC BY 4.0"), demoLab())
	if err != nil {
		t.Fatal(err)
	}
	nye := func(y, hour int) time.Time { return time.Date(y, 12, 31, hour, 0, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		r      *Resolver
		u      *labcarbon.Usage
		ci     labcarbon.Range
		source string
		warns  []string
	}{
		{
			// 2 h in each: (210.89 + 150) / 2 = 180.445; low (106.68 +
			// 100) / 2 = 103.34.
			name: "2024-12-31 22:00 to 2025-01-01 02:00", r: with2025, u: spanning(nye(2024, 22), 4),
			ci:     labcarbon.Range{Low: 103.34, Central: 180.445, High: 180.445},
			source: "run-time-weighted mean: 50% " + gb2024 + " + 50% " + gb2025,
		},
		{
			// 1 h in 2024, 3 in 2025: 0.25 × 210.89 + 0.75 × 150 =
			// 165.2225; low 0.25 × 106.68 + 0.75 × 100 = 101.67.
			name: "one hour before, three after", r: with2025, u: spanning(nye(2024, 23), 4),
			ci:     labcarbon.Range{Low: 101.67, Central: 165.2225, High: 165.2225},
			source: "run-time-weighted mean: 25% " + gb2024 + " + 75% " + gb2025,
		},
		{
			// (228.25 + 210.89) / 2 = 219.57; low (228.25 + 106.68) / 2
			// = 167.465.
			name: "2023 to 2024, embedded catalog", r: embedded, u: spanning(nye(2023, 22), 4),
			ci:     labcarbon.Range{Low: 167.465, Central: 219.57, High: 219.57},
			source: "run-time-weighted mean: 50% " + gb2023 + " + 50% " + gb2024,
		},
		{
			// The embedded catalog has no 2025: those hours take 2024's
			// figure, so the mix is 2024's, with the warning.
			name: "2024 to 2025, embedded catalog", r: embedded, u: spanning(nye(2024, 22), 4),
			ci: labcarbon.Range{Low: 106.68, Central: 210.89, High: 210.89}, source: gb2024,
			warns: []string{"grid intensity GB: no 2025 figure, used 2024 (latest available)"},
		},
		{
			// Ends at midnight exactly: all of it in 2023.
			name: "ends on the stroke of midnight", r: embedded, u: spanning(nye(2023, 22), 2),
			ci: labcarbon.Point(228.25), source: gb2023,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.r.Resolve(tt.u)
			if !nearR(a.CIgPerKWh, tt.ci) || a.CISource != tt.source {
				t.Errorf("CI = %+v (%q)\nwant %+v (%q)", a.CIgPerKWh, a.CISource, tt.ci, tt.source)
			}
			if got, want := strings.Join(a.Warnings, "\n"), strings.Join(tt.warns, "\n"); got != want {
				t.Errorf("Warnings = %q, want %q", got, want)
			}
		})
	}

	// The mix is not cached: a job of 2024 alone still gets 2024's figure,
	// and the 2025 warning was counted once, for the one job it touched.
	if a := embedded.Resolve(job("hydra", "cpu", "n1")); a.CISource != gb2024 || len(a.Warnings) != 0 {
		t.Errorf("plain 2024 job after a mixed one: %q %q", a.CISource, a.Warnings)
	}
	ws := embedded.Warnings()
	if len(ws) != 1 || ws[0].Jobs != 1 || !strings.Contains(ws[0].Warning, "no 2025 figure") {
		t.Errorf("Warnings() = %+v, want the 2025 warning for 1 job", ws)
	}
}

// TestYearBoundaryHostileElapsed checks an absurd run time neither loops
// for ever nor leaves the catalog's range.
func TestYearBoundaryHostileElapsed(t *testing.T) {
	r := newResolver(t, demoLab())
	u := job("hydra", "cpu", "n1")
	u.Start, u.ElapsedSec = time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64
	done := make(chan labcarbon.Assignment)
	go func() { done <- r.Resolve(u) }()
	select {
	case a := <-done:
		c := a.CIgPerKWh
		if !(c.Low > 0 && c.Low <= c.Central && c.Central <= c.High && c.High < 1000) {
			t.Errorf("CI = %+v", c)
		}
		if !strings.Contains(a.CISource, "2019 GB") || !strings.Contains(a.CISource, "2024 GB") {
			t.Errorf("CISource = %q, want the years 2019 to 2024", a.CISource)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Resolve did not return")
	}
}

// TestFixedCIAcrossYears: a site's fixed intensity stays fixed over new
// year, and compute recognises it as fixed (it must not be replaced by an
// hourly series); a catalog figure is not.
func TestFixedCIAcrossYears(t *testing.T) {
	lab := demoLab()
	lab.Sites[0].CIgPerKWh = 200
	a := newResolver(t, lab).Resolve(spanning(time.Date(2023, 12, 31, 22, 0, 0, 0, time.UTC), 4))
	if a.CIgPerKWh != labcarbon.Point(200) || !compute.FixedCI(&a) {
		t.Errorf("fixed site over new year: %+v %q (FixedCI %v)", a.CIgPerKWh, a.CISource, compute.FixedCI(&a))
	}
	b := newResolver(t, demoLab()).Resolve(job("hydra", "cpu", "n1"))
	if compute.FixedCI(&b) {
		t.Errorf("FixedCI(%q) = true for a catalog figure", b.CISource)
	}
}

// TestResolveAfterMixStaysAllocationFree: a job over new year allocates
// (it is rare) but a plain job stays allocation-free afterwards.
func TestResolveAfterMixStaysAllocationFree(t *testing.T) {
	r := newResolver(t, demoLab())
	plain := job("hydra", "cpu", "n1")
	r.Resolve(plain)
	r.Resolve(spanning(time.Date(2023, 12, 31, 22, 0, 0, 0, time.UTC), 4))
	if allocs := testing.AllocsPerRun(100, func() { r.Resolve(plain) }); allocs != 0 {
		t.Errorf("%v allocations per plain Resolve, want 0", allocs)
	}
}
