package hostlist

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"None assigned", nil},
		{"(null)", nil},
		{"  node01  ", []string{"node01"}},
		{"node[01-04,07]", []string{"node01", "node02", "node03", "node04", "node07"}},
		{"d09n04s[01-02],d09n05s02,d13n[03,05,07-08,16]", []string{
			"d09n04s01", "d09n04s02", "d09n05s02", "d13n03", "d13n05", "d13n07", "d13n08", "d13n16"}},
		{"gpu[8-10]", []string{"gpu8", "gpu9", "gpu10"}},
		{"gpu[08-10]", []string{"gpu08", "gpu09", "gpu10"}},
		{"cn[098-101]", []string{"cn098", "cn099", "cn100", "cn101"}},
		{"r[1-2]n[01-02]", []string{"r1n01", "r1n02", "r2n01", "r2n02"}},
		{"n[1-2]-ib", []string{"n1-ib", "n2-ib"}},
		{"a,b,c", []string{"a", "b", "c"}},
		{"[1-3]", []string{"1", "2", "3"}},
		{"node[0]", []string{"node0"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Expand(tt.in)
			if err != nil {
				t.Fatalf("Expand(%q): %v", tt.in, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Expand(%q) = %q, want %q", tt.in, got, tt.want)
			}
			p, _ := Parse(tt.in)
			if p.Count() != len(tt.want) {
				t.Errorf("Count = %d, want %d", p.Count(), len(tt.want))
			}
			for _, h := range tt.want {
				if !p.Contains(h) {
					t.Errorf("Contains(%q) = false", h)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		"node[01-04", "node01-04]", "node[]", "node[a-b]", "node[04-01]", "node[1-]", "node[-1]",
		"node[[1]]", "a,,b", ",a", "a,", "node 01", "node[1,]", "node[0000000000000000001-2]",
	} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q): want error", in)
		}
	}
}

func TestContains(t *testing.T) {
	p, err := Parse("gpu[01-16],cn[0001-9999],n[1-2]0,login")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want bool
	}{
		{"gpu01", true}, {"gpu16", true}, {"gpu17", false}, {"gpu1", false}, {"gpu001", false},
		{"gpu00", false}, {"cn0001", true}, {"cn9999", true}, {"cn10000", false}, {"cn1", false},
		{"n10", true}, {"n20", true}, {"n30", false}, {"n1", false}, {"login", true}, {"login1", false},
		{"", false}, {"gpu", false},
	}
	for _, tt := range tests {
		if got := p.Contains(tt.host); got != tt.want {
			t.Errorf("Contains(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestContainsHugeRangeWithoutExpanding(t *testing.T) {
	p, err := Parse("cn[000000000000000001-999999999999999999]")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Contains("cn000000000123456789") {
		t.Error("Contains: want true")
	}
	if p.Count() <= MaxExpand {
		t.Errorf("Count = %d, want saturated", p.Count())
	}
	if _, err := Expand(p.String()); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Expand: err = %v, want ErrTooLarge", err)
	}
}

func TestContainsAll(t *testing.T) {
	rule, _ := Parse("gpu[01-16]")
	tests := []struct {
		job  string
		want bool
	}{
		{"gpu03", true},
		{"gpu[01-16]", true},
		{"gpu[15-17]", false},
		{"gpu[01-02],cpu01", false},
		{"None assigned", true}, // vacuous: callers check Empty
	}
	for _, tt := range tests {
		q, err := Parse(tt.job)
		if err != nil {
			t.Fatal(err)
		}
		if got := rule.ContainsAll(q); got != tt.want {
			t.Errorf("ContainsAll(%q) = %v, want %v", tt.job, got, tt.want)
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	in := "d09n04s[01-02],d09n05s02,d13n[03,05,07-08,16],gpu[8-10]"
	p, _ := Parse(in)
	if p.String() != in {
		t.Errorf("String = %q, want %q", p.String(), in)
	}
}

// FuzzParse checks that Parse never panics and that every list it accepts
// contains what it expands to and survives a round trip through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"node[01-04,07]", "d09n04s[01-02],d09n05s02,d13n[03,05,07-08,16]", "None assigned", "(null)",
		"r[1-2]n[01-04]", "n[1-2]0", "a,b", "x[", "x]", "[]", "gpu[8-10]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if p.Count() > 2000 {
			return
		}
		hosts, err := Expand(s)
		if err != nil {
			t.Fatalf("Expand(%q) after Parse succeeded: %v", s, err)
		}
		for _, h := range hosts {
			if !p.Contains(h) {
				t.Fatalf("Parse(%q).Contains(%q) = false", s, h)
			}
		}
		again, err := Expand(p.String())
		if err != nil {
			t.Fatalf("Expand(String()=%q): %v", p.String(), err)
		}
		if !slices.Equal(hosts, again) {
			t.Fatalf("round trip of %q via %q: %q != %q", s, p.String(), hosts, again)
		}
		if strings.TrimSpace(s) != "" && len(hosts) == 0 && !p.Empty() {
			t.Fatalf("non-empty pattern %q expands to nothing", s)
		}
	})
}

// TestContainsLongHost covers host names of 64 bytes and more, which take
// the general (slice-backed) matching path.
func TestContainsLongHost(t *testing.T) {
	long := strings.Repeat("rack", 20) + "-node"
	p, err := Parse(long + "[001-128]")
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{long + "007": true, long + "128": true, long + "129": false, long + "7": false, long: false} {
		if got := p.Contains(host); got != want {
			t.Errorf("Contains(%q) = %v, want %v", host, got, want)
		}
	}
}
