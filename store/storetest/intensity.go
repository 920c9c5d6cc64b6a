package storetest

import (
	"context"
	"errors"
	"iter"
	"slices"
	"testing"
	"time"

	"labcarbon/store"
)

// testIntensity checks the hourly intensity series: each subtest keeps to
// its own zone, so they can share one store.
func testIntensity(t *testing.T, st store.Store) {
	t.Run("RoundTrip", func(t *testing.T) { testIntensityRoundTrip(t, st) })
	t.Run("Overlap", func(t *testing.T) { testIntensityOverlap(t, st) })
	t.Run("Idempotent", func(t *testing.T) { testIntensityIdempotent(t, st) })
	t.Run("FailureStoresNothing", func(t *testing.T) { testIntensityFailure(t, st) })
	t.Run("CancelledContext", func(t *testing.T) { testIntensityCancelled(t, st) })
}

// hours returns n consecutive hours of zone from start, valued base,
// base+1, ...
func hours(zone string, start time.Time, n int, base float64, source string) []store.IntensityPoint {
	out := make([]store.IntensityPoint, n)
	for i := range out {
		out[i] = store.IntensityPoint{Zone: zone, Hour: start.Add(time.Duration(i) * time.Hour), GPerKWh: base + float64(i), Source: source}
	}
	return out
}

// seq yields points, then err if it is not nil.
func seq(points []store.IntensityPoint, err error) iter.Seq2[store.IntensityPoint, error] {
	return func(yield func(store.IntensityPoint, error) bool) {
		for _, p := range points {
			if !yield(p, nil) {
				return
			}
		}
		if err != nil {
			yield(store.IntensityPoint{}, err)
		}
	}
}

func putIntensity(t *testing.T, st store.Store, points []store.IntensityPoint) store.IntensityChanges {
	t.Helper()
	ch, err := st.PutIntensity(t.Context(), newRun(t, st), seq(points, nil))
	if err != nil {
		t.Fatalf("PutIntensity: %v", err)
	}
	return ch
}

func intensity(t *testing.T, st store.Store, zone string, from, to time.Time) []store.IntensityPoint {
	t.Helper()
	got, err := st.Intensity(t.Context(), zone, from, to)
	if err != nil {
		t.Fatalf("Intensity(%s, %v, %v): %v", zone, from, to, err)
	}
	return got
}

func equalPoints(a, b []store.IntensityPoint) bool {
	return slices.EqualFunc(a, b, func(p, q store.IntensityPoint) bool {
		return p.Zone == q.Zone && p.Hour.Equal(q.Hour) && p.Hour.Location() == q.Hour.Location() &&
			p.GPerKWh == q.GPerKWh && p.Source == q.Source
	})
}

func testIntensityRoundTrip(t *testing.T, st store.Store) {
	start := date(3, 29, 0) // a day the clocks change in Europe: UTC has no gap
	gb := hours("GB", start, 24, 100.125, "Electricity Maps hourly, life-cycle, GB_2026.csv")
	// Given in another zone, stored as the same instants and returned in UTC.
	prague := time.FixedZone("CET", 60*60)
	given := slices.Clone(gb)
	for i := range given {
		given[i].Hour = given[i].Hour.In(prague)
	}
	fr := hours("FR", start, 24, 20, "plain CSV fr.csv")
	if ch := putIntensity(t, st, append(given, fr...)); ch != (store.IntensityChanges{Added: 48}) {
		t.Errorf("first import: %+v, want 48 added", ch)
	}
	if got := intensity(t, st, "GB", allFrom, allTo); !equalPoints(got, gb) {
		t.Errorf("GB series:\n\t%+v\nwant\n\t%+v", got, gb)
	}
	if got := intensity(t, st, "FR", allFrom, allTo); !equalPoints(got, fr) {
		t.Errorf("FR series:\n\t%+v\nwant\n\t%+v", got, fr)
	}
	if got := intensity(t, st, "DE", allFrom, allTo); len(got) != 0 {
		t.Errorf("DE was never imported, got %d hours", len(got))
	}
}

func testIntensityOverlap(t *testing.T, st store.Store) {
	start := date(8, 14, 0)
	es := hours("ES", start, 6, 150, "es.csv") // 00:00 .. 05:00
	putIntensity(t, st, es)
	at := func(h, m int) time.Time { return start.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	tests := []struct {
		name     string
		from, to time.Time
		want     []store.IntensityPoint
	}{
		{"whole hours", at(1, 0), at(3, 0), es[1:3]},
		{"parts of hours", at(1, 30), at(3, 1), es[1:4]},
		{"inside one hour", at(2, 10), at(2, 20), es[2:3]},
		{"before the series", at(-5, 0), at(0, 0), nil},
		{"past the end", at(5, 59), at(9, 0), es[5:6]},
		{"empty period", at(2, 0), at(2, 0), nil},
		{"reversed period", at(3, 0), at(2, 0), nil},
	}
	for _, tt := range tests {
		if got := intensity(t, st, "ES", tt.from, tt.to); !equalPoints(got, tt.want) {
			t.Errorf("%s [%s, %s): got %d hours %+v, want %+v", tt.name, tt.from.Format(time.TimeOnly), tt.to.Format(time.TimeOnly), len(got), got, tt.want)
		}
	}
}

func testIntensityIdempotent(t *testing.T, st store.Store) {
	start := date(1, 1, 0)
	de := hours("DE", start, 10, 300, "de.csv")
	putIntensity(t, st, de)
	if ch := putIntensity(t, st, de); ch != (store.IntensityChanges{Unchanged: 10}) {
		t.Errorf("the same series again: %+v, want 10 unchanged", ch)
	}

	// An overlapping, revised series: hours 8 and 9 again (9 revised), 10
	// and 11 new.
	next := hours("DE", start.Add(8*time.Hour), 4, 308, "de.csv")
	next[1].GPerKWh = 999
	if ch := putIntensity(t, st, next); ch != (store.IntensityChanges{Added: 2, Changed: 1, Unchanged: 1}) {
		t.Errorf("overlapping series: %+v, want 2 added, 1 changed, 1 unchanged", ch)
	}
	// The same figures from another source replace the old source.
	relabelled := slices.Clone(next[:1])
	relabelled[0].Source = "de-revised.csv"
	if ch := putIntensity(t, st, relabelled); ch != (store.IntensityChanges{Changed: 1}) {
		t.Errorf("same value, new source: %+v, want 1 changed", ch)
	}
	want := append(slices.Clone(de[:8]), relabelled[0], next[1], next[2], next[3])
	if got := intensity(t, st, "DE", allFrom, allTo); !equalPoints(got, want) {
		t.Errorf("DE series:\n\t%+v\nwant\n\t%+v", got, want)
	}
}

func testIntensityFailure(t *testing.T, st store.Store) {
	start := date(6, 1, 0)
	good := hours("IT", start, 5, 250, "it.csv")
	errBroken := errors.New("file broken at line 7")
	bad := func(mutate func(*store.IntensityPoint)) []store.IntensityPoint {
		ps := slices.Clone(good)
		mutate(&ps[3])
		return ps
	}
	tests := []struct {
		name   string
		points iter.Seq2[store.IntensityPoint, error]
		is     error // the error must wrap this, when set
	}{
		{"the input fails", seq(good, errBroken), errBroken},
		{"not on the hour", seq(bad(func(p *store.IntensityPoint) { p.Hour = p.Hour.Add(30 * time.Minute) }), nil), nil},
		{"no zone", seq(bad(func(p *store.IntensityPoint) { p.Zone = "" }), nil), nil},
		{"negative", seq(bad(func(p *store.IntensityPoint) { p.GPerKWh = -1 }), nil), nil},
	}
	runID := newRun(t, st)
	for _, tt := range tests {
		ch, err := st.PutIntensity(t.Context(), runID, tt.points)
		if err == nil || tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: error %v, want one (wrapping %v)", tt.name, err, tt.is)
		}
		if ch != (store.IntensityChanges{}) {
			t.Errorf("%s: reported %+v for a failed import", tt.name, ch)
		}
		if got := intensity(t, st, "IT", allFrom, allTo); len(got) != 0 {
			t.Errorf("%s: %d hours stored by a failed import", tt.name, len(got))
		}
	}
	if _, err := st.PutIntensity(t.Context(), runID+1000, seq(good, nil)); err == nil {
		t.Error("PutIntensity for a run that does not exist succeeded")
	}
	if got := intensity(t, st, "IT", allFrom, allTo); len(got) != 0 {
		t.Errorf("%d hours stored for a run that does not exist", len(got))
	}
}

func testIntensityCancelled(t *testing.T, st store.Store) {
	runID := newRun(t, st)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := st.PutIntensity(ctx, runID, seq(hours("PL", date(2, 1, 0), 3, 600, "pl.csv"), nil)); !errors.Is(err, context.Canceled) {
		t.Errorf("PutIntensity with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := st.Intensity(ctx, "PL", allFrom, allTo); !errors.Is(err, context.Canceled) {
		t.Errorf("Intensity with a cancelled context: %v, want context.Canceled", err)
	}
}
