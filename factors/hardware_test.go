package factors

import (
	"strings"
	"testing"
)

func TestCPULookup(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name, want string
		perCore    float64
	}{
		{"AMD EPYC 7763", "AMD EPYC 7763", 4.375},
		{"AMD EPYC 7763 64-Core Processor", "AMD EPYC 7763", 4.375}, // lscpu
		{"amd epyc 7413", "AMD EPYC 7413", 7.5},
		{"Intel Xeon Gold 6348", "Intel Xeon Gold 6348", 235.0 / 28},
		{"Intel(R) Xeon(R) Gold 6348 CPU @ 2.60GHz", "Intel Xeon Gold 6348", 235.0 / 28}, // /proc/cpuinfo
		{"Intel(R) Xeon(R) CPU E5-2683 v4 @ 2.10GHz", "Intel Xeon E5-2683 v4", 7.5},
		{"Intel(R) Xeon(R) Platinum 8480+", "Intel Xeon Platinum 8480+", 350.0 / 56},
		{"Intel Xeon CPU Max 9480", "Intel Xeon CPU Max 9480", 350.0 / 56},
		{"Xeon 6980P", "Intel Xeon 6980P", 500.0 / 128},
		{"Intel Xeon Platinum 8592+", "Intel Xeon Platinum 8592+", 350.0 / 64},
		{"AMD EPYC 9654", "AMD EPYC 9654", 360.0 / 96},
		{"AMD EPYC 9754", "AMD EPYC 9754", 360.0 / 128},
		{"AMD EPYC 9965", "AMD EPYC 9965", 500.0 / 192},
		{"AMD EPYC 7742", "AMD EPYC 7742", 225.0 / 64},
		{"AMD EPYC 7601", "AMD EPYC 7601", 180.0 / 32},
		{"Ampere Altra Q80-30", "Ampere Altra Q80-30", 210.0 / 80},
		{"AWS Graviton3", "AWS Graviton3", 1.6929615162037035},
		{"graviton 2", "AWS Graviton2", 1.6929615162037035},
	}
	for _, tt := range tests {
		cpu, ok := c.CPU(tt.name)
		if !ok {
			t.Errorf("CPU(%q): not found", tt.name)
			continue
		}
		if cpu.Model != tt.want {
			t.Errorf("CPU(%q) = %q, want %q", tt.name, cpu.Model, tt.want)
		}
		if got := cpu.WattsPerCore().Central; abs(got-tt.perCore) > 1e-4 {
			t.Errorf("CPU(%q) W per core = %v, want %v", tt.name, got, tt.perCore)
		}
	}
	for _, name := range []string{"", "Intel Xeon Gold 9999", "Pentium 4"} {
		if cpu, ok := c.CPU(name); ok {
			t.Errorf("CPU(%q) = %q, want not found", name, cpu.Model)
		}
	}
}

func TestCPUFamiliesCovered(t *testing.T) {
	c := mustLoad(t)
	have := map[string]bool{}
	for _, cpu := range c.CPUs() {
		have[strings.Fields(cpu.Family)[0]] = true
	}
	for _, f := range []string{"Broadwell-EP", "Skylake-SP", "Cascade", "Ice", "Sapphire", "Emerald", "Granite",
		"Naples", "Rome", "Milan", "Genoa", "Bergamo", "Turin", "Altra", "Graviton2", "Graviton3", "Graviton4"} {
		if !have[f] {
			t.Errorf("no CPU of family %s", f)
		}
	}
}

// TestCPURanges checks that configurable TDP shows in the range: EPYC 7763
// runs at 225–280 W.
func TestCPURanges(t *testing.T) {
	c := mustLoad(t)
	cpu := must(c.CPU("AMD EPYC 7763"))
	if r := cpu.WattsPerCore(); r.Low != 225.0/64 || r.High != 280.0/64 || cpu.RangeReason == "" {
		t.Errorf("EPYC 7763 range = %v (%q)", r, cpu.RangeReason)
	}
}

func TestGPULookup(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name, want string
		tdp        float64
		ambiguous  bool
	}{
		{"a100", "NVIDIA A100 SXM4 80GB", 400, true},
		{"A100", "NVIDIA A100 SXM4 80GB", 400, true},
		{"A100-SXM4-80GB", "NVIDIA A100 SXM4 80GB", 400, false},
		{"NVIDIA A100-SXM4-40GB", "NVIDIA A100 SXM4 40GB", 400, false},
		{"nvidia_a100-sxm4-80gb", "NVIDIA A100 SXM4 80GB", 400, false}, // gres.conf AutoDetect
		{"nvidia_a100_80gb_pcie", "NVIDIA A100 PCIe 80GB", 300, false},
		{"NVIDIA A100 80GB PCIe", "NVIDIA A100 PCIe 80GB", 300, false}, // nvidia-smi
		{"NVIDIA A100-PCIE-40GB", "NVIDIA A100 PCIe 40GB", 250, false},
		{"a100_80gb", "NVIDIA A100 SXM4 80GB", 400, true},
		{"a100-40gb", "NVIDIA A100 SXM4 40GB", 400, true},
		{"h100", "NVIDIA H100 SXM5 80GB", 700, true},
		{"NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM5 80GB", 700, false},
		{"nvidia_h100_80gb_hbm3", "NVIDIA H100 SXM5 80GB", 700, false},
		{"NVIDIA H100 PCIe", "NVIDIA H100 PCIe 80GB", 350, false},
		{"h100_nvl", "NVIDIA H100 NVL 94GB", 400, false},
		{"h200", "NVIDIA H200 SXM 141GB", 700, true},
		{"gh200", "NVIDIA GH200 96GB", 1000, false},
		{"b200", "NVIDIA B200", 1000, false},
		{"v100", "NVIDIA V100 SXM2 32GB", 300, true},
		{"Tesla V100-SXM2-32GB", "NVIDIA V100 SXM2 32GB", 300, false},
		{"Tesla V100-PCIE-16GB", "NVIDIA V100 PCIe 16GB", 250, false},
		{"Tesla V100S-PCIE-32GB", "NVIDIA V100S PCIe 32GB", 250, false},
		{"t4", "NVIDIA T4", 70, false},
		{"Tesla T4", "NVIDIA T4", 70, false},
		{"a10", "NVIDIA A10", 150, false},
		{"a30", "NVIDIA A30", 165, false},
		{"a40", "NVIDIA A40", 300, false},
		{"l4", "NVIDIA L4", 72, false},
		{"l40", "NVIDIA L40", 300, false},
		{"l40s", "NVIDIA L40S", 350, false},
		{"NVIDIA RTX A6000", "NVIDIA RTX A6000", 300, false},
		{"rtx_a5000", "NVIDIA RTX A5000", 230, false},
		{"a4000", "NVIDIA RTX A4000", 140, false},
		{"NVIDIA RTX 6000 Ada Generation", "NVIDIA RTX 6000 Ada", 300, false},
		{"rtx6000", "NVIDIA Quadro RTX 6000", 260, true},
		{"Quadro RTX 8000", "NVIDIA Quadro RTX 8000", 260, false},
		{"mi100", "AMD Instinct MI100", 300, false},
		{"AMD Instinct MI210", "AMD Instinct MI210", 300, false},
		{"mi250x", "AMD Instinct MI250X", 500, false},
		{"mi300x", "AMD Instinct MI300X", 750, false},
	}
	for _, tt := range tests {
		g, ok := c.GPU(tt.name)
		if !ok {
			t.Errorf("GPU(%q): not found", tt.name)
			continue
		}
		if g.Model != tt.want || g.TDPW != tt.tdp {
			t.Errorf("GPU(%q) = %q %g W, want %q %g W", tt.name, g.Model, g.TDPW, tt.want, tt.tdp)
		}
		if (g.AliasNote != "") != tt.ambiguous {
			t.Errorf("GPU(%q) AliasNote = %q, want ambiguous=%v", tt.name, g.AliasNote, tt.ambiguous)
		}
	}
	for _, name := range []string{"", "gpu", "a1000", "nvidia_a100_3g.20gb", "h100 pcie 40gb"} {
		if g, ok := c.GPU(name); ok {
			t.Errorf("GPU(%q) = %q, want not found", name, g.Model)
		}
	}
}

// TestGPUAmbiguousRange checks that a short name's range spans the variants
// it may mean: "a100" is 250 W (PCIe 40GB) to 400 W (SXM4).
func TestGPUAmbiguousRange(t *testing.T) {
	c := mustLoad(t)
	g := must(c.GPU("a100"))
	if w := g.Watts(); w.Low != 250 || w.Central != 400 || w.High != 400 {
		t.Errorf("a100 watts = %v, want 250/400/400", w)
	}
	if !strings.Contains(g.AliasNote, "assumed NVIDIA A100 SXM4 80GB") {
		t.Errorf("AliasNote = %q", g.AliasNote)
	}
	// The catalog row itself must not be widened by the lookup.
	if w := must(c.GPU("A100-SXM4-80GB")).Watts(); w.Low != 400 {
		t.Errorf("A100 SXM4 80GB low = %v after an ambiguous lookup", w.Low)
	}
}

func TestGPUCCFCoefficients(t *testing.T) {
	c := mustLoad(t)
	for name, want := range map[string][2]float64{"A100-SXM4-40GB": {46, 407}, "t4": {8, 71}, "a10g": {18, 153}, "v100 sxm2": {35, 306}} {
		g := must(c.GPU(name))
		if g.IdleW != want[0] || g.MaxW != want[1] {
			t.Errorf("GPU(%q) idle/max = %g/%g, want %g/%g", name, g.IdleW, g.MaxW, want[0], want[1])
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
