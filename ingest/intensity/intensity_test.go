package intensity

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The headers of Electricity Maps' two hourly export formats, written out
// here for the tests (the rows below are made up).
const (
	portalHeader = "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,Data Estimated,Data Estimation Method"
	appHeader    = "Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),Carbon-free energy percentage (CFE%),Renewable energy percentage (RE%),Data source,Data estimated,Data estimation method"
)

// zoneIDs stands for the catalog: a few zones, upper-cased.
func zoneIDs(name string) (string, error) {
	id := strings.ToUpper(name)
	switch id {
	case "GB", "ES", "FR":
		return id, nil
	case "UK":
		return "GB", nil
	}
	return "", fmt.Errorf("zone %q is not in the factor catalog", name)
}

// item is what a Reader yielded for one Scan, for comparison.
type item struct {
	point string // "GB 2023-01-01 00:00 91.5", "+est" when estimated
	bad   string // "line 3: field X: reason"
}

func readAll(t *testing.T, text string, opts Options) ([]item, *Reader) {
	t.Helper()
	if opts.ZoneID == nil {
		opts.ZoneID = zoneIDs
	}
	r, err := NewReader(strings.NewReader(text), "ci.csv", opts)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var items []item
	for r.Scan() {
		p, bad := r.Point()
		if (p == nil) == (bad == nil) {
			t.Fatalf("Point returned %v and %v: want exactly one", p, bad)
		}
		if bad != nil {
			if bad.File != "ci.csv" || len(bad.Raw) > maxRaw {
				t.Errorf("bad row %+v: wrong file or raw too long", bad)
			}
			s := fmt.Sprintf("line %d: %s", bad.Line, bad.Reason)
			if bad.Field != "" {
				s = fmt.Sprintf("line %d: field %s: %s", bad.Line, bad.Field, bad.Reason)
			}
			items = append(items, item{bad: s})
			continue
		}
		s := fmt.Sprintf("%s %s %g", p.Zone, p.Hour.Format(hourLayout), p.GPerKWh)
		if p.Estimated {
			s += " +est"
		}
		if p.Hour.Location() != time.UTC {
			t.Errorf("hour %v is not in UTC", p.Hour)
		}
		items = append(items, item{point: s})
	}
	if err := r.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	return items, r
}

func points(ps ...string) []item {
	out := make([]item, len(ps))
	for i, p := range ps {
		out[i] = item{point: p}
	}
	return out
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		opts   Options
		format Format
		basis  Basis
		want   []item
	}{
		{
			name: "portal export, life-cycle by default",
			text: portalHeader + "\n" +
				"2023-01-01 00:00:00,Spain,Spain,ES,80.5,110.25,84,50,entsoe.eu,false,\n" +
				"2023-01-01 01:00:00,Spain,Spain,ES,81,111,84,50,entsoe.eu,true,TIME_SLICER_AVERAGE\n",
			format: FormatElectricityMaps, basis: Lifecycle,
			want: points("ES 2023-01-01 00:00 110.25", "ES 2023-01-01 01:00 111 +est"),
		},
		{
			name: "newer export, direct on request",
			text: appHeader + "\n" +
				"2023-06-01 12:00:00,Great Britain,Great Britain,GB,62.5,91.25,86,60,elexon.co.uk;  nationalgrideso.com,false,\n",
			opts:   Options{Basis: Direct},
			format: FormatElectricityMaps, basis: Direct,
			want: points("GB 2023-06-01 12:00 62.5"),
		},
		{
			name: "byte-order mark, CRLF, shuffled and re-cased columns",
			text: "\ufeffCARBON INTENSITY GCO2EQ/KWH (LIFE CYCLE),zone ID,datetime (utc)\r\n" +
				"200,gb,2023-02-01T05:00:00Z\r\n",
			format: FormatElectricityMaps, basis: Lifecycle,
			want: points("GB 2023-02-01 05:00 200"),
		},
		{
			name: "plain, RFC 3339 with offsets and UTC date-times",
			text: "timestamp,gco2_per_kwh\n" +
				"2024-03-31T02:00:00+02:00,55.5\n" + // 00:00 UTC
				"2024-03-31 01:00:00,56\n" +
				"2024-03-31T02:00:00.000Z,57\n",
			opts:   Options{Zone: "FR"},
			format: FormatPlain,
			want:   points("FR 2024-03-31 00:00 55.5", "FR 2024-03-31 01:00 56", "FR 2024-03-31 02:00 57"),
		},
		{
			name:   "plain as the design spells it, with a zone column",
			text:   "Timestamp,gCO2e_per_kWh,zone\n2024-01-01 00:00,100,UK\n",
			format: FormatPlain,
			want:   points("GB 2024-01-01 00:00 100"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, r := readAll(t, tt.text, tt.opts)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got\n\t%v\nwant\n\t%v", got, tt.want)
			}
			if r.Format() != tt.format || r.Basis() != tt.basis {
				t.Errorf("format %s, basis %q; want %s, %q", r.Format(), r.Basis(), tt.format, tt.basis)
			}
		})
	}
}

func TestBadRows(t *testing.T) {
	text := portalHeader + "\n" +
		"2023-01-01 00:00:00,Spain,Spain,ES,80,110,84,50,entsoe.eu,false,\n" + // 2
		"2023-01-01 01:30:00,Spain,Spain,ES,80,110,84,50,entsoe.eu,false,\n" + // 3
		"01/01/2023 02:00,Spain,Spain,ES,80,110,84,50,entsoe.eu,false,\n" + // 4
		"2023-01-01 03:00:00,Spain,Spain,ES,80,,84,50,entsoe.eu,false,\n" + // 5
		"2023-01-01 04:00:00,Spain,Spain,ES,80,n/a,84,50,entsoe.eu,false,\n" + // 6
		"2023-01-01 05:00:00,Spain,Spain,ES,80,-3,84,50,entsoe.eu,false,\n" + // 7
		"2023-01-01 06:00:00,Spain,Spain,ES,80,110000,84,50,entsoe.eu,false,\n" + // 8
		"2023-01-01 07:00:00,Spain,Spain,XX,80,110,84,50,entsoe.eu,false,\n" + // 9
		"2023-01-01 00:00:00,Spain,Spain,ES,80,120,84,50,entsoe.eu,false,\n" + // 10
		"2023-01-01 08:00:00,Spain,Spain,ES,80,110\n" + // 11
		"2023-01-01 09:00:00,Spain,Sp\"ain,ES,80,110,84,50,entsoe.eu,false,\n" + // 12
		"2023-01-01 10:00:00,Spain,Spain,ES,80,NaN,84,50,entsoe.eu,false,\n" + // 13
		"2023-01-01 11:00:00,Spain,Spain,ES,80,113,84,50,entsoe.eu,false,\n" // 14
	const lca = "field Carbon Intensity gCO₂eq/kWh (LCA)"
	want := []item{
		{point: "ES 2023-01-01 00:00 110"},
		{bad: "line 3: field Datetime (UTC): 2023-01-01 01:30:00 is not the beginning of an hour: the series must be hourly"},
		{bad: `line 4: field Datetime (UTC): "01/01/2023 02:00" is not a time (want RFC 3339 or YYYY-MM-DD HH:MM:SS in UTC)`},
		{bad: "line 5: " + lca + ": no intensity"},
		{bad: `line 6: ` + lca + `: "n/a" is not a number`},
		{bad: "line 7: " + lca + ": negative intensity -3"},
		{bad: "line 8: " + lca + ": 110000 gCO2e/kWh is implausible (a unit mistake?)"},
		{bad: `line 9: field Zone Id: zone "XX" is not in the factor catalog`},
		{bad: "line 10: field Datetime (UTC): ES 2023-01-01 00:00 is already given on line 2"},
		{bad: "line 11: 6 fields, the header has 11"},
		{bad: `line 12: bare " in non-quoted-field`},
		{bad: `line 13: ` + lca + `: "NaN" is not a number`},
		{point: "ES 2023-01-01 11:00 113"},
	}
	got, r := readAll(t, text, Options{})
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d:\n%v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d:\n\tgot  %+v\n\twant %+v", i, got[i], want[i])
		}
	}
	// The hours read are the good rows only: 00:00 and 11:00, with ten
	// hours missing between them.
	cov := r.Coverage()
	if len(cov) != 1 || cov[0].Hours != 2 || cov[0].Missing() != 10 || len(cov[0].Gaps) != 1 {
		t.Errorf("coverage %+v, want 2 hours of ES and one gap of 10", cov)
	}
}

func TestZones(t *testing.T) {
	text := appHeader + "\n" +
		"2023-01-01 00:00:00,Great Britain,Great Britain,GB,60,90,86,60,x,false,\n" +
		"2023-01-01 00:00:00,France,France,FR,20,40,95,30,x,false,\n" +
		"2023-01-01 01:00:00,Great Britain,Great Britain,UK,60,91,86,60,x,false,\n"
	t.Run("zones from the file", func(t *testing.T) {
		got, r := readAll(t, text, Options{})
		want := points("GB 2023-01-01 00:00 90", "FR 2023-01-01 00:00 40", "GB 2023-01-01 01:00 91")
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if cov := r.Coverage(); len(cov) != 2 || cov[0].Zone != "FR" || cov[1].Zone != "GB" || cov[1].Hours != 2 {
			t.Errorf("coverage %+v, want FR then GB with 2 hours", cov)
		}
	})
	t.Run("the zone given must be the file's", func(t *testing.T) {
		got, _ := readAll(t, text, Options{Zone: "uk"})
		want := []item{
			{point: "GB 2023-01-01 00:00 90"},
			{bad: "line 3: field Zone id: zone FR, but the series is imported for GB"},
			{point: "GB 2023-01-01 01:00 91"},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func TestCoverageGaps(t *testing.T) {
	var b strings.Builder
	b.WriteString("timestamp,gco2_per_kwh\n")
	start := time.Date(2023, 12, 31, 20, 0, 0, 0, time.UTC)
	for h := range 12 {
		if h == 2 || h == 5 || h == 6 || h == 7 {
			continue // 22:00, and 01:00 to 03:00 across the new year
		}
		fmt.Fprintf(&b, "%s,%d\n", start.Add(time.Duration(h)*time.Hour).Format(time.RFC3339), 100+h)
	}
	_, r := readAll(t, b.String(), Options{Zone: "ES"})
	cov := r.Coverage()
	if len(cov) != 1 {
		t.Fatalf("coverage %+v, want one zone", cov)
	}
	c := cov[0]
	want := Coverage{
		Zone: "ES", First: start, Last: start.Add(11 * time.Hour), Hours: 8,
		Gaps: []Gap{{From: start.Add(2 * time.Hour), Hours: 1}, {From: start.Add(5 * time.Hour), Hours: 3}},
	}
	if fmt.Sprint(c) != fmt.Sprint(want) || c.Missing() != 4 {
		t.Errorf("coverage\n\t%+v\nwant\n\t%+v (4 missing)", c, want)
	}
}

func TestNotASeries(t *testing.T) {
	tests := []struct {
		name, text string
		opts       Options
		message    string
	}{
		{"empty", "", Options{Zone: "GB"}, "empty"},
		{"sacct output", "JobID|User|State\n1|alice|COMPLETED\n", Options{Zone: "GB"}, "no intensity column"},
		{"no time column", "zone,gco2_per_kwh\nGB,100\n", Options{}, "no time column"},
		{"twice the same column", "timestamp,gco2_per_kwh,g_per_kwh\n", Options{Zone: "GB"}, "mean the same"},
		{"no zone anywhere", "timestamp,gco2_per_kwh\n2024-01-01 00:00:00,100\n", Options{}, "no zone column and no zone was given"},
		{"unknown zone given", "timestamp,gco2_per_kwh\n", Options{Zone: "Atlantis"}, "not in the factor catalog"},
		{"basis the export lacks", "Datetime (UTC),Zone Id,Carbon Intensity gCO₂eq/kWh (direct)\n", Options{}, "no lifecycle intensity column"},
		{"binary", "\x1f\x8b\x08\x00\x00\x00\x00\x00", Options{Zone: "GB"}, "not a carbon-intensity series"},
	}
	for _, tt := range tests {
		opts := tt.opts
		opts.ZoneID = zoneIDs
		_, err := NewReader(strings.NewReader(tt.text), "ci.csv", opts)
		if err == nil || !strings.Contains(err.Error(), tt.message) || !strings.Contains(err.Error(), "ci.csv") {
			t.Errorf("%s: error %v, want it to name ci.csv and say %q", tt.name, err, tt.message)
		}
	}
}

func TestIOErrorStops(t *testing.T) {
	broken := errors.New("disk on fire")
	text := "timestamp,gco2_per_kwh\n2024-01-01 00:00:00,100\n"
	r, err := NewReader(&failingReader{text: text, err: broken}, "ci.csv", Options{Zone: "GB", ZoneID: zoneIDs})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r.Scan() {
		n++
	}
	if n != 1 || !errors.Is(r.Err(), broken) {
		t.Errorf("%d items, Err %v; want 1 item, then the I/O error", n, r.Err())
	}
}

// failingReader returns text, then err.
type failingReader struct {
	text string
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.text == "" {
		return 0, f.err
	}
	n := copy(p, f.text)
	f.text = f.text[n:]
	return n, nil
}

func TestParseBasis(t *testing.T) {
	for in, want := range map[string]Basis{"lifecycle": Lifecycle, "Life-cycle": Lifecycle, "LCA": Lifecycle, "direct": Direct} {
		if got, err := ParseBasis(in); got != want || err != nil {
			t.Errorf("ParseBasis(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseBasis("market"); err == nil {
		t.Error(`ParseBasis("market") succeeded`)
	}
}

// FuzzReader checks that no input panics the reader and that every item it
// yields is either a valid hour or a bad row with a line and a reason.
func FuzzReader(f *testing.F) {
	f.Add(portalHeader + "\n2023-01-01 00:00:00,Spain,Spain,ES,80,110,84,50,entsoe.eu,false,\n")
	f.Add(appHeader + "\n2023-01-01 00:00:00,GB,GB,GB,60,\"9\"1,86,60,x,false,\n2023-01-01 00:00:00,GB,GB,GB\n")
	f.Add("timestamp,gco2_per_kwh,zone\n2024-01-01T00:00:00+05:30,1e3,fr\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := NewReader(strings.NewReader(text), "fuzz.csv", Options{ZoneID: zoneIDs})
		if err != nil {
			return
		}
		for r.Scan() {
			p, bad := r.Point()
			switch {
			case bad != nil:
				if bad.Line < 1 || bad.Reason == "" || len(bad.Raw) > maxRaw {
					t.Errorf("bad row %+v", bad)
				}
			case p.Zone == "" || !p.Hour.Truncate(time.Hour).Equal(p.Hour) || p.GPerKWh < 0 || p.GPerKWh > maxGPerKWh:
				t.Errorf("invalid point %+v", p)
			}
		}
		_ = r.Coverage()
	})
}
