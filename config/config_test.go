package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/internal/demo"
)

func TestExampleLoads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "labcarbon.yaml")
	if err := os.WriteFile(path, Example, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	lab := c.LabValues()
	if lab.Name == "" || len(lab.Clusters) != 1 || len(lab.Clusters[0].Partitions) != 3 || len(lab.NodeTypes) != 3 || lab.Sites[0].PUE != 1.3 {
		t.Errorf("example lab = %+v", lab)
	}
	if c.Store.Path != filepath.Join(dir, "labcarbon.db") || c.Ingest.SacctFiles[0] != filepath.Join(dir, "data/*.txt") {
		t.Errorf("paths not resolved against the file: store %s, inputs %v", c.Store.Path, c.Ingest.SacctFiles)
	}
}

func TestBadConfigs(t *testing.T) {
	tests := map[string][]string{
		"unknown-key.bad.yml": {"unknown-key.bad.yml:8: field puee not found"},
		"references.bad.yml": {
			"references.bad.yml:2: lab.name: the lab needs a name",
			"references.bad.yml:5: sites[0].pue: PUE 0.9 is below 1",
			"references.bad.yml:4: sites[0]: site \"s\" needs a grid zone",
			"references.bad.yml:8: clusters[0].site: unknown site \"nowhere\"",
			"references.bad.yml:11: clusters[0].partitions[0].node_type: unknown node type \"gpu-x\"",
			"references.bad.yml:13: node_types[0]: node type \"cpu\" needs cpu_model or cpu_watts_per_core",
			"references.bad.yml:13: node_types[0]: node type \"cpu\" has GPUs but neither gpu_model nor gpu_watts",
			"references.bad.yml:16: reports.formats[1]: unknown format \"docx\"",
			"references.bad.yml:17: reports.periods[0]: period \"2026Q7\"",
			"references.bad.yml:19: schedule.run: not a cron spec",
			"references.bad.yml:21: ingest.timezone: unknown time zone \"Mars/Olympus\"",
			"references.bad.yml:22: ingest.sacct_columns: no State column",
			"references.bad.yml:23: ingest.sacct_delimiter: must not contain a line break",
		},
	}
	for file, wants := range tests {
		_, err := Load(filepath.Join("testdata", file))
		if err == nil {
			t.Errorf("%s: loaded without error", file)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error does not contain %q:\n%v", file, w, err)
			}
		}
	}
	var cerr *Error
	_, err := Load(filepath.Join("testdata", "references.bad.yml"))
	if !errors.As(err, &cerr) || len(cerr.Problems) != 13 {
		t.Errorf("want all 13 problems reported at once, got %v", err)
	}
}

func TestEmptyAndMissing(t *testing.T) {
	if _, err := Parse([]byte("lab: [unclosed\n"), "syntax.yaml"); err == nil || !strings.HasPrefix(err.Error(), "syntax.yaml:") {
		t.Errorf("syntax error: %v", err)
	}
	if _, err := Parse([]byte("\n# nothing\n"), "empty.yaml"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := Parse([]byte("lab:\n  name: x\n  pseudonymise_users: true\n"), "old.yaml"); err == nil || !strings.Contains(err.Error(), "old.yaml:3: field pseudonymise_users not found in type config.LabSection: it moved to privacy.pseudonymise_users") {
		t.Errorf("a key that moved: %v", err)
	}
	fixed := "lab: {name: x}\nsites:\n  - name: s\n    ci_g_per_kwh: 100\n    hourly_intensity: [\"gb-[.csv\"]\nclusters: [{name: c, site: s}]\n"
	if _, err := Parse([]byte(fixed), "hourly.yaml"); err == nil ||
		!strings.Contains(err.Error(), "hourly.yaml:5: sites[0].hourly_intensity: needs the site's zone, and no fixed ci_g_per_kwh") ||
		!strings.Contains(err.Error(), "hourly.yaml:5: sites[0].hourly_intensity[0]: bad pattern") {
		t.Errorf("hourly intensity on a site with a fixed intensity: %v", err)
	}
	if _, err := Load("testdata/does-not-exist.yaml"); err == nil {
		t.Error("missing file loaded")
	}
}

func TestExampleNamesTheDemoRoster(t *testing.T) {
	c, err := Parse(Example, "example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	roster := demo.Roster()
	if len(c.Users) != len(roster) {
		t.Errorf("example config names %d users, the demo roster has %d", len(c.Users), len(roster))
	}
	for _, u := range roster {
		if c.Users[u.Login].Name != u.Name {
			t.Errorf("user %s: config name %q, roster %q", u.Login, c.Users[u.Login].Name, u.Name)
		}
	}
	groups := demo.Groups()
	if len(c.Groups) != len(groups) {
		t.Errorf("example config names %d groups, the demo lab has %d", len(c.Groups), len(groups))
	}
	for i, g := range groups {
		if i < len(c.Groups) && (c.Groups[i].Name != g.Account || c.Groups[i].PI != g.PI) {
			t.Errorf("group %d: config %+v, demo %s led by %s", i, c.Groups[i], g.Account, g.PI)
		}
	}
	if c.Clusters[0].Name != demo.ClusterName {
		t.Errorf("example cluster %q, demo cluster %q", c.Clusters[0].Name, demo.ClusterName)
	}
	for _, p := range demo.Partitions(len(roster)) {
		found := false
		for _, rule := range c.Clusters[0].Partitions {
			found = found || rule.Name == p.Name
		}
		if !found {
			t.Errorf("demo partition %s has no rule in the example config", p.Name)
		}
	}
}

func TestCatalogOverrides(t *testing.T) {
	dir := t.TempDir()
	over := filepath.Join(dir, "factors")
	os.MkdirAll(over, 0o755)
	os.WriteFile(filepath.Join(over, "cpus.csv"), []byte(`model,vendor,family,year,cores,threads,tdp_w,tdp_low_w,tdp_high_w,aliases,range_reason,source,source_ref,licence
AMD EPYC 7763,AMD,Milan (Zen 3),2021,64,128,240,240,240,,measured at the wall,Lab measurement 2026,lab wiki,internal
`), 0o644)
	path := filepath.Join(dir, "labcarbon.yaml")
	os.WriteFile(path, Example, 0o644)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c.Factors.Overrides = over
	cat, err := c.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	cpu, ok := cat.CPU("AMD EPYC 7763")
	if w := cpu.WattsPerCore(); !ok || w.Central != 240.0/64 || w.Low != 240.0/64 {
		t.Errorf("EPYC 7763 with the lab's figure: %g W per core, want %g", w.Central, 240.0/64)
	}
	if len(cat.Overridden()) != 1 || !strings.Contains(cat.Version(), "+lab.") {
		t.Errorf("overridden %v, version %s", cat.Overridden(), cat.Version())
	}

	c.Factors.Overrides = filepath.Join(dir, "missing")
	if _, err := c.Catalog(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "factors.overrides") {
		t.Errorf("a missing overrides directory: %v", err)
	}
	os.WriteFile(filepath.Join(over, "cpu.csv"), []byte("model\n"), 0o644)
	c.Factors.Overrides = over
	if _, err := c.Catalog(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cpu.csv") {
		t.Errorf("an overlay file with a misspelt name: %v", err)
	}
}

func TestRecommendationThresholds(t *testing.T) {
	c, err := Parse([]byte(`lab: {name: x}
sites: [{name: s, zone: GB}]
clusters: [{name: c, site: s}]
recommendations:
  memory_efficiency_below: 0.5
  min_runtime_minutes: 10
  fail_states: [failed, out_of_memory]
  flexible_wait_hours: 2
  alternatives: {c/gpu-old: gpu-new}
`), "rec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	th := c.Thresholds()
	def := recommend.DefaultThresholds()
	if th.MemEfficiencyBelow != 0.5 || th.MinRuntimeSec != 600 || th.FlexibleWaitSec != 7200 ||
		len(th.FailStates) != 2 || th.FailStates[1] != labcarbon.StateOutOfMemory ||
		th.CPUEfficiencyBelow != def.CPUEfficiencyBelow || th.MinJobs != def.MinJobs {
		t.Errorf("thresholds = %+v", th)
	}
	_, err = Parse([]byte(`lab: {name: x}
sites: [{name: s, zone: GB}]
clusters: [{name: c, site: s}]
recommendations:
  cpu_efficiency_below: 50
  fail_states: [COMPLETED]
  min_jobs: 0
  timezone: Mars/Olympus
  alternatives: {gpu-old: gpu-new}
`), "bad.yaml")
	for _, want := range []string{
		"bad.yaml:5: recommendations.cpu_efficiency_below: 50 is not a fraction",
		`bad.yaml:6: recommendations.fail_states[0]: "COMPLETED" is not a state a job fails in`,
		"bad.yaml:7: recommendations.min_jobs: must be at least 1",
		`bad.yaml:8: recommendations.timezone: unknown time zone "Mars/Olympus"`,
		"recommendations.alternatives.gpu-old: want cluster/partition",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
}
