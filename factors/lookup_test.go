package factors

import (
	"slices"
	"testing"
)

func TestMatchedNames(t *testing.T) {
	c := mustLoad(t)
	cpu, ok := c.CPU("amd 7552")
	if !ok {
		t.Fatal(`CPU("amd 7552") not found`)
	}
	if got := cpu.MatchedName("amd 7552"); got != "AMD 7552" {
		t.Errorf("EPYC 7552 matched by alias: MatchedName = %q, want the alias AMD 7552", got)
	}
	if got := cpu.MatchedName("Intel(R) Xeon(R) Gold 6348 CPU @ 2.60GHz"); got != "" {
		t.Errorf("EPYC 7552 MatchedName of another model = %q, want empty", got)
	}
	if cpu, _ := c.CPU("AMD EPYC 7763 64-Core Processor"); cpu.MatchedName("AMD EPYC 7763 64-Core Processor") != "AMD EPYC 7763" {
		t.Errorf("EPYC 7763 by its lscpu name should match the model name")
	}

	gb, _ := c.Zone("uk")
	if got := gb.MatchedName("uk"); got != "UK" {
		t.Errorf("GB by uk: MatchedName = %q, want the alias UK", got)
	}
	if got := gb.MatchedName("GBR"); got != "GBR" {
		t.Errorf("GB by GBR: MatchedName = %q, want the ISO3 code", got)
	}
}

func TestGPUAlias(t *testing.T) {
	c := mustLoad(t)
	a, ok := c.GPUAlias("A100")
	if !ok {
		t.Fatal(`GPUAlias("A100") not found`)
	}
	g, _ := c.GPU("A100")
	if a.Model != g.Model || a.Source == "" || g.AliasNote == "" {
		t.Errorf(`GPUAlias("A100") = %+v; GPU("A100") is %s`, a, g.Model)
	}
	if _, ok := c.GPUAlias("NVIDIA A100 SXM4 80GB"); ok {
		t.Error("a model's own name is reported as an alias")
	}
}

func TestGridYears(t *testing.T) {
	c := mustLoad(t)
	gb := c.GridYears("uk")
	if len(gb) == 0 || gb[0].Zone != "GB" || gb[0].Via != "" {
		t.Fatalf("GridYears(uk) = %d rows, first %+v", len(gb), gb[0])
	}
	if !slices.IsSortedFunc(gb, func(a, b Grid) int { return a.Year - b.Year }) {
		t.Error("GridYears(uk) is not sorted by year")
	}
	// A cloud region without figures of its own borrows its grid zone's,
	// as Grid does.
	zurich := c.GridYears("aws:eu-central-2")
	want, _, _ := c.Grid("aws:eu-central-2", zurich[len(zurich)-1].Year)
	if got := zurich[len(zurich)-1]; got.Zone != "CH" || got.Via != "aws:eu-central-2" || got != want {
		t.Errorf("GridYears(aws:eu-central-2) latest = %+v, Grid gives %+v", got, want)
	}
	if c.GridYears("atlantis") != nil {
		t.Error("GridYears of an unknown zone is not nil")
	}
}

func TestSearch(t *testing.T) {
	c := mustLoad(t)
	if got := c.Search("epyc 77", 3); len(got) != 3 {
		t.Errorf(`Search("epyc 77", 3) = %q, want 3 names`, got)
	}
	if got := c.Search("united kingdom", 5); !slices.Contains(got, "GB") {
		t.Errorf(`Search("united kingdom") = %q, want GB among them`, got)
	}
	if got := c.Search("zzzz", 5); got != nil {
		t.Errorf(`Search("zzzz") = %q, want nothing`, got)
	}
}

func TestMemoryFactors(t *testing.T) {
	c := mustLoad(t)
	ms := c.MemoryFactors()
	if len(ms) < 2 || ms[0] != c.MemoryWattsPerGB() {
		t.Errorf("MemoryFactors = %+v; want the default first, then ccf", ms)
	}
}
