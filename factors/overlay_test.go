package factors

import (
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func mustLoadWith(t *testing.T, overlay fs.FS) *Catalog {
	t.Helper()
	c, err := LoadWith(overlay)
	if err != nil {
		t.Fatalf("LoadWith: %v", err)
	}
	return c
}

// TestOverlayRows loads each fixture overlay and checks the rows it changes
// are what lookups return, with the overlay's provenance, and that
// Overridden lists them.
func TestOverlayRows(t *testing.T) {
	tests := []struct {
		dir        string
		check      func(t *testing.T, c *Catalog)
		overridden []string
	}{
		{
			dir: "overlay-cpu",
			check: func(t *testing.T, c *Catalog) {
				cpu, ok := c.CPU("AMD EPYC 7763 64-Core Processor")
				if !ok {
					t.Fatal("EPYC 7763 not found")
				}
				// 240 W cTDP over 64 cores, the overlay's columns being in
				// another order than the embedded table's.
				if w := cpu.WattsPerCore(); w.Central != 240.0/64 || w.Low != 225.0/64 || w.High != 280.0/64 {
					t.Errorf("WattsPerCore = %+v, want 3.75 (3.515625–4.375)", w)
				}
				if cpu.Source != "Example Lab BIOS settings (cTDP 240 W)" || cpu.Licence != "CC BY 4.0" || cpu.Year != 2021 {
					t.Errorf("provenance = %+v, want the overlay's", cpu.Provenance)
				}
				added, ok := c.CPU("EPYC 4564P")
				if !ok || added.Cores != 16 || added.TDPW != 170 {
					t.Errorf("CPU(EPYC 4564P) = %+v, %v", added, ok)
				}
				cpus := c.CPUs()
				if !slices.IsSortedFunc(cpus, func(a, b CPU) int {
					if a.Vendor != b.Vendor {
						return strings.Compare(a.Vendor, b.Vendor)
					}
					return strings.Compare(a.Model, b.Model)
				}) {
					t.Error("CPUs() is not sorted by vendor and model after an added row")
				}
				if n := len(cpus); n != len(mustLoad(t).CPUs())+1 {
					t.Errorf("%d CPUs, want one more than embedded", n)
				}
			},
			overridden: []string{"cpus.csv: AMD EPYC 7763 (replaced)", "cpus.csv: AMD EPYC 4564P (added)"},
		},
		{
			dir: "overlay-gpu",
			check: func(t *testing.T, c *Catalog) {
				for _, name := range []string{"NVIDIA H20 96GB", "nvidia_h20_96gb", "h20", "H20"} {
					g, ok := c.GPU(name)
					if !ok || g.Model != "NVIDIA H20 96GB" || g.TDPW != 400 || g.AliasNote != "" {
						t.Errorf("GPU(%q) = %+v, %v", name, g, ok)
					}
				}
				if g, _ := c.GPU("h20"); g.Source != "Example Lab procurement datasheet" {
					t.Errorf("provenance = %+v, want the overlay's", g.Provenance)
				}
				// A family with no embodied figure of its own gets the
				// generic one, as an embedded GPU would.
				if e := c.EmbodiedGPU("h20"); e.Key != "gpu.default" {
					t.Errorf("EmbodiedGPU(h20) = %s, want gpu.default", e.Key)
				}
				if g, ok := c.GPU("a100"); !ok || g.AliasNote == "" {
					t.Errorf("embedded alias a100 lost: %+v, %v", g, ok)
				}
			},
			overridden: []string{"gpu_aliases.csv: h20 (added)", "gpus.csv: NVIDIA H20 96GB (added)"},
		},
		{
			dir: "overlay-grid",
			check: func(t *testing.T, c *Catalog) {
				g, warn, err := c.Grid("UK", 2026)
				if err != nil || len(warn) != 0 {
					t.Fatalf("Grid(UK, 2026) = %v, %v; want the overlay's row without a warning", warn, err)
				}
				if g.Year != 2026 || g.GPerKWh != 150 || g.Low != 120 || g.High != 180 || g.Source != "NESO carbon intensity forecast 2026" {
					t.Errorf("Grid(UK, 2026) = %+v", g)
				}
				// The embedded years stay.
				if g, warn, _ := c.Grid("GB", 2024); g.GPerKWh != 210.89 || len(warn) != 0 {
					t.Errorf("Grid(GB, 2024) = %v, %v", g.GPerKWh, warn)
				}
				// A year between the embedded 2024 and the lab's 2026 is a
				// gap now, not "latest available".
				if _, warn, _ := c.Grid("GB", 2025); len(warn) != 1 || !strings.Contains(warn[0], "nearest available") {
					t.Errorf("Grid(GB, 2025) warnings = %q", warn)
				}
				g, warn, err = c.Grid("example-campus", 2025)
				if err != nil || len(warn) != 0 || g.Zone != "GB-LAB" || g.GPerKWh != 35 {
					t.Errorf("Grid(example-campus, 2025) = %+v, %v, %v", g, warn, err)
				}
			},
			overridden: []string{"grid.csv: GB 2026 (added)", "grid.csv: GB-LAB 2025 (added)", "zones.csv: GB-LAB (added)"},
		},
		{
			dir: "overlay-memory",
			check: func(t *testing.T, c *Catalog) {
				m := c.MemoryWattsPerGB()
				if m.Value != 0.2 || m.Low != 0.08 || m.High != 0.392 || m.Source != "Example Lab RAPL measurement 2025" {
					t.Errorf("MemoryWattsPerGB = %+v", m)
				}
				if f, ok := c.Memory("ccf"); !ok || f.Value != 0.392 {
					t.Errorf("Memory(ccf) = %+v, %v; the row the overlay leaves alone must stay", f, ok)
				}
			},
			overridden: []string{"memory.csv: default (replaced)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			c := mustLoadWith(t, os.DirFS("testdata/"+tt.dir))
			tt.check(t, c)
			if got := c.Overridden(); !slices.Equal(got, tt.overridden) {
				t.Errorf("Overridden() = %q, want %q", got, tt.overridden)
			}
		})
	}
}

// TestOverlayLeavesLoadAlone checks that merging an overlay does not
// change the embedded catalog other callers share.
func TestOverlayLeavesLoadAlone(t *testing.T) {
	mustLoadWith(t, os.DirFS("testdata/overlay-cpu"))
	c := mustLoad(t)
	if cpu, _ := c.CPU("AMD EPYC 7763"); cpu.TDPW != 280 {
		t.Errorf("embedded EPYC 7763 TDP = %g after an overlay, want 280", cpu.TDPW)
	}
	if _, ok := c.CPU("AMD EPYC 4564P"); ok {
		t.Error("embedded catalog has the overlay's added CPU")
	}
	if got := c.Overridden(); len(got) != 0 {
		t.Errorf("embedded Overridden() = %q", got)
	}
}

// TestOverlayErrors checks that a bad overlay fails with the overlay's
// file, line and column, rather than loading zeros or being ignored.
func TestOverlayErrors(t *testing.T) {
	const (
		cpuHeader  = "model,vendor,family,year,cores,threads,tdp_w,tdp_low_w,tdp_high_w,aliases,range_reason,source,source_ref,licence\n"
		cpuRow     = "AMD EPYC 7763,AMD,Milan (Zen 3),2021,64,128,240,225,280,,,Lab,https://example.org,CC BY 4.0\n"
		gpuHeader  = "model,vendor,family,architecture,form_factor,memory_gb,year,tdp_w,tdp_low_w,tdp_high_w,idle_w,max_w,range_reason,source,source_ref,licence\n"
		gridHeader = "zone,year,g_per_kwh,low,high,basis,range_reason,source,source_ref,licence\n"
	)
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		overlay fs.FS
		want    []string // all must be in the error
	}{
		{"unknown file", os.DirFS("testdata/overlay-typo"), []string{"cpu.csv", "not a catalog table"}},
		{"row missing source", os.DirFS("testdata/overlay-nosource"), []string{"pue.csv (overlay) line 2", "column source: empty"}},
		{"bad number", os.DirFS("testdata/overlay-badnumber"), []string{"cpus.csv (overlay) line 3", "column tdp_w", "2x0"}},
		{"missing column", fstest.MapFS{"cpus.csv": file(strings.Replace(cpuHeader, ",licence", "", 1))},
			[]string{"cpus.csv (overlay)", `missing column "licence"`}},
		{"unknown column", fstest.MapFS{"cpus.csv": file(strings.Replace(cpuHeader, "\n", ",tdp_watts\n", 1) + strings.Replace(cpuRow, "\n", ",1\n", 1))},
			[]string{"cpus.csv (overlay)", `unknown column "tdp_watts"`}},
		{"row given twice", fstest.MapFS{"cpus.csv": file(cpuHeader + cpuRow + strings.Replace(cpuRow, "AMD EPYC", "AMD  EPYC", 1))},
			[]string{"cpus.csv (overlay) line 3", "column model", "also on line 2"}},
		{"model respelt", fstest.MapFS{"gpus.csv": file(gpuHeader + "A100 SXM4 80GB,NVIDIA,A100,Ampere,SXM4,80,2020,350,350,400,,,,Lab,https://example.org,CC BY 4.0\n")},
			[]string{"gpus.csv (overlay) line 2", `"A100 SXM4 80GB" matches the catalog's "NVIDIA A100 SXM4 80GB"`}},
		{"bounds out of order", fstest.MapFS{"grid.csv": file(gridHeader + "GB,2026,150,160,180,lifecycle,,Lab,https://example.org,CC BY 4.0\n")},
			[]string{"grid.csv (overlay) line 2", "column g_per_kwh"}},
		{"grid zone unknown", fstest.MapFS{"grid.csv": file(gridHeader + "XX-LAB,2026,150,150,150,lifecycle,,Lab,https://example.org,CC BY 4.0\n")},
			[]string{"zone XX-LAB is not in zones.csv"}},
		{"alias to unknown model", fstest.MapFS{"gpu_aliases.csv": file("alias,model,ambiguous_with,note,year,source,source_ref,licence\nh20,NVIDIA H20 96GB,,,2024,Lab,https://example.org,CC BY 4.0\n")},
			[]string{"gpu_aliases.csv (overlay) line 2", `unknown model "NVIDIA H20 96GB"`}},
		{"directory", fstest.MapFS{"lab/cpus.csv": file(cpuHeader + cpuRow)}, []string{"lab", "not a catalog table"}},
		{"empty file", fstest.MapFS{"memory.csv": file("")}, []string{"memory.csv (overlay)", "no header"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadWith(tt.overlay)
			if err == nil {
				t.Fatalf("LoadWith succeeded (version %s), want an error mentioning %q", c.Version(), tt.want)
			}
			t.Log(err) // go test -v shows what a lab would read
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant one mentioning %q", err, w)
				}
			}
		})
	}
}

// TestOverlayVersion checks that a report can tell which catalog it used:
// the version changes with an overlay, depends only on the overlay's
// content, and is the embedded one without.
func TestOverlayVersion(t *testing.T) {
	embedded := mustLoad(t).Version()
	cpuDir := os.DirFS("testdata/overlay-cpu")
	cpuData, err := fs.ReadFile(cpuDir, "cpus.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		overlay fs.FS
		same    string // the fixture whose version this must equal; "" for the embedded
	}{
		{"nil", nil, ""},
		{"empty", fstest.MapFS{}, ""},
		{"dir", cpuDir, "overlay-cpu"},
		{"same bytes elsewhere", fstest.MapFS{"cpus.csv": &fstest.MapFile{Data: cpuData}}, "overlay-cpu"},
	}
	cpuVersion := mustLoadWith(t, cpuDir).Version()
	if !strings.HasPrefix(cpuVersion, embedded+"+lab.") || len(cpuVersion) != len(embedded)+len("+lab.")+12 {
		t.Errorf("overlay version %q, want %s+lab.<12 hex digits>", cpuVersion, embedded)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := embedded
			if tt.same != "" {
				want = cpuVersion
			}
			if got := mustLoadWith(t, tt.overlay).Version(); got != want {
				t.Errorf("Version() = %q, want %q", got, want)
			}
		})
	}
	if nilCat, base := mustLoadWith(t, nil), mustLoad(t); nilCat != base {
		t.Error("LoadWith(nil) is not the cached Load() catalog")
	}
	// Any change to the overlay, even one byte, is a different catalog.
	seen := map[string]string{cpuVersion: "overlay-cpu"}
	changed := strings.Replace(string(cpuData), "240,225", "241,225", 1)
	for name, o := range map[string]fs.FS{
		"overlay-gpu":    os.DirFS("testdata/overlay-gpu"),
		"overlay-grid":   os.DirFS("testdata/overlay-grid"),
		"overlay-memory": os.DirFS("testdata/overlay-memory"),
		"cpu 241 W":      fstest.MapFS{"cpus.csv": &fstest.MapFile{Data: []byte(changed)}},
	} {
		v := mustLoadWith(t, o).Version()
		if prev, dup := seen[v]; dup {
			t.Errorf("%s and %s have the same version %s", name, prev, v)
		}
		seen[v] = name
	}
}

// TestOverlaySpreadsheetCSV checks that a file saved by a spreadsheet, with
// a byte-order mark and CRLF line ends, reads like any other.
func TestOverlaySpreadsheetCSV(t *testing.T) {
	b, err := os.ReadFile("testdata/overlay-memory/memory.csv")
	if err != nil {
		t.Fatal(err)
	}
	data := "\ufeff" + strings.ReplaceAll(string(b), "\n", "\r\n")
	c := mustLoadWith(t, fstest.MapFS{"memory.csv": &fstest.MapFile{Data: []byte(data)}})
	if m := c.MemoryWattsPerGB(); m.Value != 0.2 {
		t.Errorf("MemoryWattsPerGB = %g, want the overlay's 0.2", m.Value)
	}
}
