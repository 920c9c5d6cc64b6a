package factors

import (
	"strings"
	"testing"
	"time"

	"labcarbon"
)

// demoLab is the lab the demo command ships: it must resolve cleanly.
func demoLab() labcarbon.Lab {
	return labcarbon.Lab{
		Name:  "demo",
		Sites: []labcarbon.Site{{Name: "hydra-dc", Zone: "GB", PUE: 1.3}},
		NodeTypes: []labcarbon.NodeType{
			{Name: "cpu-std", CPUModel: "AMD EPYC 7763", Sockets: 2, CoresPerSocket: 64, MemGB: 512},
			{Name: "gpu-a100", CPUModel: "AMD EPYC 7413", Sockets: 2, CoresPerSocket: 24, GPUModel: "NVIDIA A100 SXM4 80GB", GPUs: 4, MemGB: 1024},
			{Name: "himem", CPUModel: "Intel Xeon Gold 6348", Sockets: 2, CoresPerSocket: 28, MemGB: 4096},
		},
		Clusters: []labcarbon.Cluster{{
			Name: "hydra", Site: "hydra-dc", DefaultNodeType: "cpu-std",
			Partitions: []labcarbon.PartitionRule{
				{Partition: "cpu", NodeType: "cpu-std"},
				{Partition: "gpu", NodeType: "gpu-a100"},
				{Partition: "highmem", NodeType: "himem"},
			},
		}},
	}
}

func newResolver(t testing.TB, lab labcarbon.Lab) *Resolver {
	t.Helper()
	r, err := NewResolver(mustLoad(t), lab)
	if err != nil {
		t.Fatalf("NewResolver: %v", err)
	}
	return r
}

var start2024 = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

func job(cluster, partition, nodes string) *labcarbon.Usage {
	return &labcarbon.Usage{Cluster: cluster, Partition: partition, NodeList: nodes, Start: start2024, ElapsedSec: 3600, CPUs: 8}
}

func TestDemoLabResolvesCleanly(t *testing.T) {
	r := newResolver(t, demoLab())
	gb := labcarbon.Range{Low: 106.68, Central: 210.89, High: 210.89}
	tests := []struct {
		partition string
		want      labcarbon.Assignment
	}{
		{"cpu", labcarbon.Assignment{
			NodeType: "cpu-std", Rule: "hydra/cpu → cpu-std (rule 1)", CPUModel: "AMD EPYC 7763",
			CPUWattsPerCore: labcarbon.Range{Low: 225.0 / 64, Central: 4.375, High: 4.375},
		}},
		{"gpu", labcarbon.Assignment{
			NodeType: "gpu-a100", Rule: "hydra/gpu → gpu-a100 (rule 2)", CPUModel: "AMD EPYC 7413",
			CPUWattsPerCore: labcarbon.Range{Low: 165.0 / 24, Central: 7.5, High: 200.0 / 24},
			GPUModel:        "NVIDIA A100 SXM4 80GB", GPUWatts: labcarbon.Point(400),
		}},
		{"highmem", labcarbon.Assignment{
			NodeType: "himem", Rule: "hydra/highmem → himem (rule 3)", CPUModel: "Intel Xeon Gold 6348",
			CPUWattsPerCore: labcarbon.Point(235.0 / 28),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.partition, func(t *testing.T) {
			a := r.Resolve(job("hydra", tt.partition, "n001"))
			w := tt.want
			w.MemWattsPerGB = labcarbon.Range{Low: 0.08, Central: 0.3725, High: 0.392}
			w.Site, w.PUE, w.Zone = "hydra-dc", labcarbon.Point(1.3), "GB"
			w.CIgPerKWh, w.CISource = gb, "annual 2024 GB (Ember via OWID, CC BY 4.0)"
			if !equalAssignment(a, w) {
				t.Errorf("Resolve(%s) =\n %+v\nwant\n %+v", tt.partition, a, w)
			}
		})
	}
	if ws := r.Warnings(); len(ws) != 0 {
		t.Errorf("Warnings = %+v, want none", ws)
	}
}

func equalAssignment(a, b labcarbon.Assignment) bool {
	return a.NodeType == b.NodeType && a.Rule == b.Rule && a.CPUModel == b.CPUModel &&
		a.CPUWattsPerCore == b.CPUWattsPerCore && a.GPUModel == b.GPUModel && a.GPUWatts == b.GPUWatts &&
		a.MemWattsPerGB == b.MemWattsPerGB && a.Site == b.Site && a.PUE == b.PUE && a.Zone == b.Zone &&
		a.CIgPerKWh == b.CIgPerKWh && a.CISource == b.CISource && a.TrustMeasured == b.TrustMeasured &&
		strings.Join(a.Warnings, "\n") == strings.Join(b.Warnings, "\n")
}

// ruleLab has overlapping rules to pin their order and node patterns.
func ruleLab() labcarbon.Lab {
	lab := demoLab()
	lab.NodeTypes = append(lab.NodeTypes,
		labcarbon.NodeType{Name: "gpu-h100", CPUModel: "Intel Xeon Platinum 8480+", GPUModel: "h100_sxm"},
		labcarbon.NodeType{Name: "old", CPUModel: "Xeon E5-2683 v4"},
		labcarbon.NodeType{Name: "custom", CPUModel: "Homebrew RISC-V", CPUWattsPerCore: 3.5, GPUModel: "Prototype X", GPUWatts: 123},
	)
	lab.Clusters[0].DefaultNodeType = ""
	lab.Clusters[0].Partitions = []labcarbon.PartitionRule{
		{Partition: "gpu", Nodes: "gpu[09-16]", NodeType: "gpu-h100"},
		{Partition: "gpu", NodeType: "gpu-a100"},
		{Partition: "cpu", Nodes: "cn[001-100]", NodeType: "old"},
		{Partition: "cpu", NodeType: "cpu-std"},
		{Partition: "cpu", NodeType: "himem"}, // never reached: rule 4 matches first
		{Partition: "*", Nodes: "proto[1-2]", NodeType: "custom"},
	}
	return lab
}

func TestRuleOrderAndNodePatterns(t *testing.T) {
	r := newResolver(t, ruleLab())
	tests := []struct {
		partition, nodes string
		node, rule       string
	}{
		{"gpu", "gpu10", "gpu-h100", "hydra/gpu [gpu[09-16]] → gpu-h100 (rule 1)"},
		{"gpu", "gpu[09-16]", "gpu-h100", "hydra/gpu [gpu[09-16]] → gpu-h100 (rule 1)"},
		{"gpu", "gpu[08-09]", "gpu-a100", "hydra/gpu → gpu-a100 (rule 2)"}, // not every node is in rule 1
		{"gpu", "gpu03", "gpu-a100", "hydra/gpu → gpu-a100 (rule 2)"},
		{"gpu", "None assigned", "gpu-a100", "hydra/gpu → gpu-a100 (rule 2)"},
		{"cpu", "cn[001-004,099]", "old", "hydra/cpu [cn[001-100]] → old (rule 3)"},
		{"cpu", "cn[099-101]", "cpu-std", "hydra/cpu → cpu-std (rule 4)"},
		{"cpu", "cn0001", "cpu-std", "hydra/cpu → cpu-std (rule 4)"}, // zero padding differs
		{"debug", "proto2", "custom", "hydra/debug [proto[1-2]] → custom (rule 6)"},
		{"cpu", "proto1", "cpu-std", "hydra/cpu → cpu-std (rule 4)"}, // earlier rule wins
	}
	for _, tt := range tests {
		a := r.Resolve(job("hydra", tt.partition, tt.nodes))
		if a.NodeType != tt.node || a.Rule != tt.rule {
			t.Errorf("%s %s: got %s via %q, want %s via %q", tt.partition, tt.nodes, a.NodeType, a.Rule, tt.node, tt.rule)
		}
	}
}

func TestOverrides(t *testing.T) {
	lab := ruleLab()
	lab.Sites = []labcarbon.Site{{Name: "hydra-dc", Zone: "GB", PUE: 1.2, CIgPerKWh: 200}}
	r := newResolver(t, lab)
	a := r.Resolve(job("hydra", "debug", "proto1"))
	if a.CPUWattsPerCore != labcarbon.Point(3.5) || a.CPUModel != "Homebrew RISC-V" {
		t.Errorf("CPU = %s %v, want the override 3.5", a.CPUModel, a.CPUWattsPerCore)
	}
	if a.GPUWatts != labcarbon.Point(123) || a.GPUModel != "Prototype X" {
		t.Errorf("GPU = %s %v, want the override 123", a.GPUModel, a.GPUWatts)
	}
	if a.CIgPerKWh != labcarbon.Point(200) || a.PUE != labcarbon.Point(1.2) || !strings.Contains(a.CISource, "fixed 200") {
		t.Errorf("site = PUE %v CI %v (%s), want fixed 1.2 and 200", a.PUE, a.CIgPerKWh, a.CISource)
	}
	if len(a.Warnings) != 0 {
		t.Errorf("Warnings = %q, want none", a.Warnings)
	}
}

func TestFallbacksWarnAndAreNeverZero(t *testing.T) {
	lab := ruleLab()
	lab.Sites[0].PUE = 0 // default PUE, with its range
	multi := ruleLab()
	multi.Clusters = append(multi.Clusters, labcarbon.Cluster{Name: "other", Site: "hydra-dc", DefaultNodeType: "cpu-std"})

	tests := []struct {
		name  string
		lab   labcarbon.Lab
		u     *labcarbon.Usage
		node  string
		warns []string
	}{
		{"no rule, no default", lab, job("hydra", "debug", "n1"), "generic", []string{
			"site hydra-dc sets no PUE: used the default 1.56 (Uptime Institute Global Data Center Survey 2024 via Green Algorithms), range 1.1–1.67",
			`hydra/debug: no partition rule or default node type matches: used a generic node (12 W per core, Green Algorithms TDP_cpu v3.0 (Any))`,
		}},
		{"unknown cluster, single-cluster lab", ruleLab(), job("hydr", "gpu", "gpu03"), "gpu-a100", []string{
			`cluster "hydr" is not in the lab config: used its only cluster "hydra"`,
		}},
		{"unknown cluster, several clusters", multi, job("zeus", "gpu", "x1"), "generic", []string{
			`cluster "zeus" is not in the lab config: used the fallback site (default PUE 1.56, world-average grid intensity)`,
			`zeus/gpu: no partition rule or default node type matches: used a generic node (12 W per core, Green Algorithms TDP_cpu v3.0 (Any))`,
		}},
		{"GPUs without a model", ruleLab(), withGPUs(job("hydra", "cpu", "c1"), 2, ""), "cpu-std", []string{
			`hydra/cpu → cpu-std (rule 4): node type cpu-std names no GPU and Slurm recorded no GPU type: used a generic GPU (200 W, Green Algorithms TDP_gpu v3.0 (Any))`,
		}},
		{"unknown GPU type", ruleLab(), withGPUs(job("hydra", "cpu", "c1"), 1, "quantumx"), "cpu-std", []string{
			`GPU type "quantumx" (hydra/cpu → cpu-std (rule 4)) is not in the factor catalog: used a generic GPU (200 W, Green Algorithms TDP_gpu v3.0 (Any))`,
		}},
		{"future year", ruleLab(), atYear(job("hydra", "gpu", "g1"), 2031), "gpu-a100", []string{
			"grid intensity GB: no 2031 figure, used 2024 (latest available)",
		}},
		{"no dates", ruleLab(), atYear(job("hydra", "gpu", "g1"), 0), "gpu-a100", []string{
			"job has no start or submit time: used the latest grid intensity for GB (2024)",
		}},
		{"unreadable node list", ruleLab(), job("hydra", "gpu", "gpu[1-"), "gpu-a100", []string{
			`hydra/gpu: node list "gpu[1-" is unreadable (hostlist "gpu[1-": unclosed '[' at offset 3): node-pattern rules skipped`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResolver(t, tt.lab)
			a := r.Resolve(tt.u)
			if a.NodeType != tt.node {
				t.Errorf("NodeType = %q, want %q", a.NodeType, tt.node)
			}
			if got, want := strings.Join(a.Warnings, "\n"), strings.Join(tt.warns, "\n"); got != want {
				t.Errorf("Warnings =\n%s\nwant\n%s", got, want)
			}
			assertNotZero(t, a, tt.u)
		})
	}
}

func withGPUs(u *labcarbon.Usage, n int, model string) *labcarbon.Usage {
	u.GPUs, u.GPUModel = n, model
	return u
}

func atYear(u *labcarbon.Usage, year int) *labcarbon.Usage {
	if year == 0 {
		u.Start, u.Submit = time.Time{}, time.Time{}
		return u
	}
	u.Start = time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC)
	return u
}

func assertNotZero(t *testing.T, a labcarbon.Assignment, u *labcarbon.Usage) {
	t.Helper()
	for name, r := range map[string]labcarbon.Range{
		"CPUWattsPerCore": a.CPUWattsPerCore, "MemWattsPerGB": a.MemWattsPerGB, "PUE": a.PUE, "CIgPerKWh": a.CIgPerKWh,
	} {
		if r.Low <= 0 || r.Central < r.Low || r.High < r.Central {
			t.Errorf("%s = %v, want a positive ordered range", name, r)
		}
	}
	if u.GPUs > 0 && a.GPUWatts.Central <= 0 {
		t.Errorf("GPUWatts = %v for a job with %d GPUs", a.GPUWatts, u.GPUs)
	}
	if a.NodeType == "" || a.Rule == "" || a.CPUModel == "" || a.Site == "" || a.CISource == "" {
		t.Errorf("empty field in %+v", a)
	}
}

func TestGPUFromJobTRES(t *testing.T) {
	lab := demoLab()
	lab.NodeTypes = append(lab.NodeTypes, labcarbon.NodeType{Name: "gpu-mixed", CPUModel: "AMD EPYC 7413"})
	lab.Clusters[0].Partitions = append(lab.Clusters[0].Partitions, labcarbon.PartitionRule{Partition: "mixed", NodeType: "gpu-mixed"})
	r := newResolver(t, lab)

	a := r.Resolve(withGPUs(job("hydra", "mixed", "m1"), 2, "nvidia_a100_80gb_pcie"))
	if a.GPUModel != "NVIDIA A100 PCIe 80GB" || a.GPUWatts != labcarbon.Point(300) || len(a.Warnings) != 0 {
		t.Errorf("typed TRES: %s %v %q", a.GPUModel, a.GPUWatts, a.Warnings)
	}
	a = r.Resolve(withGPUs(job("hydra", "mixed", "m1"), 2, "a100"))
	if a.GPUModel != "NVIDIA A100 SXM4 80GB" || a.GPUWatts.Low != 250 || len(a.Warnings) != 1 ||
		!strings.Contains(a.Warnings[0], `GPU type "a100" may be`) {
		t.Errorf("ambiguous TRES: %s %v %q", a.GPUModel, a.GPUWatts, a.Warnings)
	}
	// The node type's GPU wins over the job's TRES type.
	a = r.Resolve(withGPUs(job("hydra", "gpu", "g1"), 1, "h100"))
	if a.GPUModel != "NVIDIA A100 SXM4 80GB" || a.GPUWatts != labcarbon.Point(400) {
		t.Errorf("node type GPU: %s %v", a.GPUModel, a.GPUWatts)
	}
	// A CPU job on a node type without GPUs has no GPU and no warning.
	a = r.Resolve(job("hydra", "mixed", "m1"))
	if a.GPUModel != "" || a.GPUWatts != (labcarbon.Range{}) || len(a.Warnings) != 0 {
		t.Errorf("CPU job: %s %v %q", a.GPUModel, a.GPUWatts, a.Warnings)
	}
}

func TestYearFromSubmitWhenNeverStarted(t *testing.T) {
	r := newResolver(t, demoLab())
	u := job("hydra", "cpu", "")
	u.Start = time.Time{}
	u.Submit = time.Date(2021, 12, 31, 23, 0, 0, 0, time.UTC)
	a := r.Resolve(u)
	if a.CISource != "annual 2021 GB (Ember via OWID, CC BY 4.0)" {
		t.Errorf("CISource = %q, want the 2021 figure", a.CISource)
	}
}

func TestTrustMeasuredFromCluster(t *testing.T) {
	lab := demoLab()
	lab.Clusters[0].TrustMeasuredEnergy = true
	r := newResolver(t, lab)
	if a := r.Resolve(job("hydra", "cpu", "")); !a.TrustMeasured {
		t.Error("TrustMeasured = false, want the cluster's true")
	}
}

func TestWarningCounts(t *testing.T) {
	r := newResolver(t, ruleLab())
	for i := 0; i < 5; i++ {
		r.Resolve(job("hydra", "debug", "n1"))
	}
	for i := 0; i < 3; i++ {
		r.Resolve(atYear(job("hydra", "debug", "n2"), 2030))
	}
	r.Resolve(job("hydra", "gpu", "g1")) // clean
	got := r.Warnings()
	want := []WarningCount{
		{`hydra/debug: no partition rule or default node type matches: used a generic node (12 W per core, Green Algorithms TDP_cpu v3.0 (Any))`, 8},
		{"grid intensity GB: no 2030 figure, used 2024 (latest available)", 3},
	}
	if len(got) != len(want) {
		t.Fatalf("Warnings = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Warnings[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestWarningCountsSurviveEviction fills a node-pattern partition's cache
// past its bound and checks no warning count is lost.
func TestWarningCountsSurviveEviction(t *testing.T) {
	lab := ruleLab()
	r := newResolver(t, lab)
	r.nodeListCap = 100
	n := 3*r.nodeListCap + 10
	for i := 0; i < n; i++ {
		u := withGPUs(job("hydra", "cpu", "x"+itoa(i)), 1, "mystery")
		r.Resolve(u)
	}
	ws := r.Warnings()
	if len(ws) != 1 || ws[0].Jobs != n {
		t.Errorf("Warnings = %+v, want one warning for %d jobs", ws, n)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestNewResolverErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*labcarbon.Lab)
		want []string
	}{
		{"unknown CPU model", func(l *labcarbon.Lab) { l.NodeTypes[0].CPUModel = "AMD EPYC 1234" },
			[]string{`node type "cpu-std": CPU model "AMD EPYC 1234" is not in the factor catalog and no cpu_watts_per_core is given`}},
		{"unknown GPU model", func(l *labcarbon.Lab) { l.NodeTypes[1].GPUModel = "Voodoo 5" },
			[]string{`node type "gpu-a100": GPU model "Voodoo 5" is not in the factor catalog and no gpu_watts is given`}},
		{"no CPU at all", func(l *labcarbon.Lab) { l.NodeTypes[2].CPUModel = "" },
			[]string{`node type "himem": names no CPU model and gives no cpu_watts_per_core`}},
		{"unknown site", func(l *labcarbon.Lab) { l.Clusters[0].Site = "nowhere" },
			[]string{`cluster "hydra": unknown site "nowhere"`}},
		{"unknown node type", func(l *labcarbon.Lab) { l.Clusters[0].Partitions[1].NodeType = "gpu-x" },
			[]string{`cluster "hydra" partition rule 2 (gpu): unknown node type "gpu-x"`}},
		{"unknown default", func(l *labcarbon.Lab) { l.Clusters[0].DefaultNodeType = "big" },
			[]string{`cluster "hydra": unknown default node type "big"`}},
		{"unknown zone", func(l *labcarbon.Lab) { l.Sites[0].Zone = "Atlantis" },
			[]string{`site "hydra-dc": grid zone "Atlantis" is not in the factor catalog`}},
		{"bad PUE", func(l *labcarbon.Lab) { l.Sites[0].PUE = 0.9 }, []string{`site "hydra-dc": PUE 0.9 is below 1`}},
		{"bad nodes", func(l *labcarbon.Lab) { l.Clusters[0].Partitions[0].Nodes = "cn[1-" },
			[]string{`cluster "hydra" partition rule 1 (cpu): nodes: hostlist "cn[1-"`}},
		{"several at once", func(l *labcarbon.Lab) {
			l.NodeTypes[0].CPUModel = "Mystery"
			l.Clusters[0].Site = "nowhere"
		}, []string{`CPU model "Mystery"`, `unknown site "nowhere"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lab := demoLab()
			tt.edit(&lab)
			_, err := NewResolver(mustLoad(t), lab)
			if err == nil {
				t.Fatal("NewResolver: want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestResolveNilAndEmpty(t *testing.T) {
	r := newResolver(t, demoLab())
	a := r.Resolve(nil)
	assertNotZero(t, a, &labcarbon.Usage{})
	if !strings.Contains(a.Rule, "(cluster default)") {
		t.Errorf("Rule = %q, want the cluster default via the only cluster", a.Rule)
	}
}

// TestResolveCacheHitAllocatesNothing pins the hot path: a record like one
// already seen costs no allocation.
func TestResolveCacheHitAllocatesNothing(t *testing.T) {
	r := newResolver(t, ruleLab())
	jobs := []*labcarbon.Usage{job("hydra", "gpu", "gpu10"), job("hydra", "cpu", "cn001"), withGPUs(job("hydra", "cpu", "c1"), 1, "a100")}
	for _, u := range jobs {
		r.Resolve(u)
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, u := range jobs {
			r.Resolve(u)
		}
	})
	if allocs != 0 {
		t.Errorf("Resolve on cache hits: %v allocations per run, want 0", allocs)
	}
}

func TestResolveConcurrent(t *testing.T) {
	r := newResolver(t, ruleLab())
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 1000; i++ {
				r.Resolve(job("hydra", "debug", "n"+itoa(i%7)))
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	if ws := r.Warnings(); len(ws) != 1 || ws[0].Jobs != 4000 {
		t.Errorf("Warnings = %+v, want one for 4000 jobs", ws)
	}
}
