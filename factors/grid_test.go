package factors

import (
	"errors"
	"strings"
	"testing"
)

func TestGridLookup(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		zone    string
		year    int
		want    string // Label
		central float64
	}{
		{"GB", 2024, "annual 2024 GB (Ember via OWID, CC BY 4.0)", 210.89},
		{"UK", 2024, "annual 2024 GB (Ember via OWID, CC BY 4.0)", 210.89},
		{"GBR", 2024, "annual 2024 GB (Ember via OWID, CC BY 4.0)", 210.89},
		{"gb", 2023, "annual 2023 GB (Ember via OWID, CC BY 4.0)", 228.25},
		{"FRA", 2024, "annual 2024 FR (Ember via OWID, CC BY 4.0)", 44.18},
		{"DE", 2024, "annual 2024 DE (Ember via OWID, CC BY 4.0)", 344.14},
		{"US-CAL-CISO", 2024, "annual 2024 US-CAL-CISO (Electricity Maps 2024, ODbL 1.0)", 227.14},
		{"us_cal_ciso", 2024, "annual 2024 US-CAL-CISO (Electricity Maps 2024, ODbL 1.0)", 227.14},
		{"CA-QC", 2024, "annual 2024 CA-QC (Electricity Maps 2024, ODbL 1.0)", 35.04},
		{"AU-NSW", 2024, "annual 2024 AU-NSW (Electricity Maps 2024, ODbL 1.0)", 0},
		{"IN-WE", 2024, "annual 2024 IN-WE (Electricity Maps 2024, ODbL 1.0)", 0},
		{"US-VA", 2020, "annual 2020 US-VA (Green Algorithms (carbonfootprint.com), CC BY 4.0)", 308},
		{"WORLD", 2024, "annual 2024 WORLD (Ember via OWID, CC BY 4.0)", 473.01},
		{"gcp:europe-west2", 2024, "annual 2024 gcp:europe-west2 (Google region-carbon-info 2024, Apache-2.0)", 105.94},
		{"aws:us-east-1", 2020, "annual 2020 aws:us-east-1 (CCF (EPA eGRID2020 NERC SERC), Apache-2.0)", 379.07},
		{"Azure:UK South", 2020, "annual 2020 azure:uksouth (CCF (carbonfootprint.com 2021 / EEA), Apache-2.0)", 225},
		{"aws:eu-central-2", 2024, "annual 2024 CH (Ember via OWID, CC BY 4.0) for aws:eu-central-2", 0},
	}
	for _, tt := range tests {
		g, warns, err := c.Grid(tt.zone, tt.year)
		if err != nil {
			t.Errorf("Grid(%q, %d): %v", tt.zone, tt.year, err)
			continue
		}
		if len(warns) != 0 {
			t.Errorf("Grid(%q, %d): unexpected warnings %q", tt.zone, tt.year, warns)
		}
		if g.Label() != tt.want {
			t.Errorf("Grid(%q, %d).Label() = %q, want %q", tt.zone, tt.year, g.Label(), tt.want)
		}
		if tt.central != 0 && g.GPerKWh != tt.central {
			t.Errorf("Grid(%q, %d) = %v, want %v", tt.zone, tt.year, g.GPerKWh, tt.central)
		}
		if g.GPerKWh <= 0 || g.Low > g.GPerKWh || g.High < g.GPerKWh {
			t.Errorf("Grid(%q, %d) range = %v", tt.zone, tt.year, g.Range())
		}
	}
}

// TestGridRangeFromOtherSources checks that the range carries the other
// figures held for the same zone and year: GB 2024 is Ember 210.89 and
// Electricity Maps direct 106.68.
func TestGridRangeFromOtherSources(t *testing.T) {
	c := mustLoad(t)
	g, _, _ := c.Grid("GB", 2024)
	if g.Low != 106.68 || g.High != 210.89 || !strings.Contains(g.RangeReason, "Electricity Maps 2024 direct") {
		t.Errorf("GB 2024 = %v (%q)", g.Range(), g.RangeReason)
	}
}

func TestGridYearFallback(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		zone     string
		year     int
		wantYear int
		warn     string
	}{
		{"GB", 2024, 2024, ""},
		{"GB", 2026, 2024, "grid intensity GB: no 2026 figure, used 2024 (latest available)"},
		{"GB", 1999, 2015, "grid intensity GB: no 1999 figure, used 2015 (earliest available)"},
		{"US-CAL-CISO", 2021, 2024, "grid intensity US-CAL-CISO: no 2021 figure, used 2024 (earliest available)"},
		{"CA-QC", 2021, 2019, "grid intensity CA-QC: no 2021 figure, used 2019 (nearest available)"},
		{"CA-QC", 2022, 2024, "grid intensity CA-QC: no 2022 figure, used 2024 (nearest available)"},
		{"aws:us-east-1", 2025, 2020, "grid intensity aws:us-east-1: no 2025 figure, used 2020 (latest available)"},
	}
	for _, tt := range tests {
		g, warns, err := c.Grid(tt.zone, tt.year)
		if err != nil {
			t.Fatalf("Grid(%q, %d): %v", tt.zone, tt.year, err)
		}
		if g.Year != tt.wantYear {
			t.Errorf("Grid(%q, %d).Year = %d, want %d", tt.zone, tt.year, g.Year, tt.wantYear)
		}
		got := strings.Join(warns, "; ")
		if got != tt.warn {
			t.Errorf("Grid(%q, %d) warnings = %q, want %q", tt.zone, tt.year, got, tt.warn)
		}
	}
}

func TestGridUnknownZone(t *testing.T) {
	c := mustLoad(t)
	for _, z := range []string{"", "XX", "aws:mars-north-1", "gcp:"} {
		if _, _, err := c.Grid(z, 2024); !errors.Is(err, ErrUnknownZone) {
			t.Errorf("Grid(%q): err = %v, want ErrUnknownZone", z, err)
		}
	}
}

// TestEveryCloudRegionResolves checks that each AWS, GCP and Azure region in
// the tables yields a positive intensity for a recent year.
func TestEveryCloudRegionResolves(t *testing.T) {
	c := mustLoad(t)
	per := map[string]int{}
	for _, z := range c.Zones() {
		if z.Kind != "cloud" {
			continue
		}
		provider, _, _ := strings.Cut(z.ID, ":")
		per[provider]++
		g, _, err := c.Grid(z.ID, 2024)
		if err != nil {
			t.Errorf("Grid(%q): %v", z.ID, err)
			continue
		}
		// Montréal's Google figure is a true zero in 2021-2022; 2024 is not.
		if g.GPerKWh <= 0 {
			t.Errorf("Grid(%q, 2024) = %v (%s)", z.ID, g.GPerKWh, g.Label())
		}
	}
	for provider, min := range map[string]int{"aws": 35, "gcp": 40, "azure": 100} {
		if per[provider] < min {
			t.Errorf("%s: %d regions, want at least %d", provider, per[provider], min)
		}
	}
	for _, z := range []string{"aws:us-east-1", "aws:eu-west-2", "aws:ap-southeast-4", "gcp:us-central1", "gcp:europe-west4",
		"gcp:northamerica-northeast1", "azure:westeurope", "azure:eastus", "azure:swedencentral", "azure:polandcentral"} {
		if _, ok := c.Zone(z); !ok {
			t.Errorf("Zone(%q): not found", z)
		}
	}
}

// TestEveryCountryHasRecentYears checks that country zones carry several
// recent years, so jobs from past years get their own year's figure.
func TestEveryCountryHasRecentYears(t *testing.T) {
	c := mustLoad(t)
	for _, z := range c.Zones() {
		if z.Kind != "country" {
			continue
		}
		if n := len(c.grid[z.ID]); n < 1 {
			t.Errorf("country %s has no figures", z.ID)
		}
	}
	for _, cc := range []string{"GB", "FR", "DE", "US", "CN", "IN", "BR", "ZA", "AU", "JP"} {
		if n := len(c.grid[cc]); n < 8 {
			t.Errorf("country %s: %d years, want at least 8", cc, n)
		}
	}
}
