package compute

import (
	"math"
	"slices"
	"testing"
	"time"

	"labcarbon"
)

func TestHourlyTable(t *testing.T) {
	h := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewHourlyTable()
	bad := []struct {
		name string
		zone string
		hour time.Time
		v    float64
	}{
		{"no zone", "", h, 1},
		{"mid-hour", "GB", h.Add(30 * time.Minute), 1},
		{"a nanosecond past", "GB", h.Add(1), 1},
		{"zero time", "GB", time.Time{}, 1},
		{"negative", "GB", h, -1},
		{"NaN", "GB", h, math.NaN()},
		{"infinite", "GB", h, math.Inf(1)},
	}
	for _, tt := range bad {
		if err := s.Add(tt.zone, tt.hour, tt.v); err == nil {
			t.Errorf("Add %s: want an error", tt.name)
		}
	}
	if s.Len() != 0 {
		t.Fatalf("rejected points were kept: Len %d", s.Len())
	}

	// A time in another location is the same instant; before 1970 too.
	paris := time.FixedZone("CET", 3600)
	pre1970 := time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)
	for _, p := range []struct {
		zone string
		hour time.Time
		v    float64
	}{
		{"GB", h, 120}, {"GB", h.Add(time.Hour), 0}, {"GB", h, 130}, {"FR", h.In(paris), 40}, {"GB", pre1970, 500},
	} {
		if err := s.Add(p.zone, p.hour, p.v); err != nil {
			t.Fatalf("Add(%s, %s): %v", p.zone, p.hour, err)
		}
	}
	if s.Len() != 4 {
		t.Errorf("Len = %d, want 4 (adding an hour again replaces it)", s.Len())
	}
	if got := s.Zones(); !slices.Equal(got, []string{"FR", "GB"}) {
		t.Errorf("Zones = %q", got)
	}
	for _, c := range []struct {
		zone string
		at   time.Time
		v    float64
		ok   bool
	}{
		{"GB", h, 130, true},
		{"GB", h.Add(59 * time.Minute), 130, true}, // the hour containing it
		{"GB", h.Add(time.Hour), 0, true},          // a real 0
		{"GB", h.Add(2 * time.Hour), 0, false},
		{"FR", h, 40, true},
		{"DE", h, 0, false},
		{"GB", pre1970.Add(30 * time.Minute), 500, true},
		{"GB", pre1970.Add(-30 * time.Minute), 0, false},
	} {
		v, ok := s.At(c.zone, c.at)
		if v != c.v || ok != c.ok {
			t.Errorf("At(%s, %s) = %g, %v; want %g, %v", c.zone, c.at, v, ok, c.v, c.ok)
		}
	}

	var nilTable *HourlyTable
	if v, ok := nilTable.At("GB", h); ok || v != 0 || nilTable.Len() != 0 || nilTable.Zones() != nil {
		t.Error("a nil table has hours")
	}
	var zero HourlyTable // the zero value is usable too
	if err := zero.Add("GB", h, 1); err != nil || zero.Len() != 1 {
		t.Errorf("zero table: %v, Len %d", err, zero.Len())
	}
}

// A typed nil table in Model.Hourly must behave as no series.
func TestNilHourlyTableInModel(t *testing.T) {
	var s *HourlyTable
	u := goldenJobAt(goldenHour, 3600)
	a := goldenAssignment()
	r := Model{Hourly: s}.Job(&u, &a)
	if r.CIHourlyShare != 0 || r.CISource != annualGB {
		t.Errorf("typed nil table: share %g, %q", r.CIHourlyShare, r.CISource)
	}
}

// goldenJobAt is one core busy from start for secs seconds.
func goldenJobAt(start time.Time, secs int64) labcarbon.Usage {
	return labcarbon.Usage{Start: start, ElapsedSec: secs, CPUs: 1, CPUTimeSec: float64(secs)}
}
