package labcarbon

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	d := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		in       string
		from, to string
		label    string
	}{
		{"2026Q3", "2026-07-01", "2026-10-01", "2026Q3"},
		{"2026q4", "2026-10-01", "2027-01-01", "2026Q4"},
		{"2026-08", "2026-08-01", "2026-09-01", "2026-08"},
		{"2026-12", "2026-12-01", "2027-01-01", "2026-12"},
		{"2026-08-14", "2026-08-14", "2026-08-15", "2026-08-14"},
		{"2026", "2026-01-01", "2027-01-01", "2026"},
		{"2026-07-01..2026-07-31", "2026-07-01", "2026-08-01", "2026-07-01..2026-07-31"},
		// ISO weeks: 2026-W01 starts Monday 29 December 2025 (1 January 2026
		// is a Thursday); 2026 has 53 weeks, the last ending 3 January 2027.
		{"2026-W01", "2025-12-29", "2026-01-05", "2026-W01"},
		{"2026-w33", "2026-08-10", "2026-08-17", "2026-W33"},
		{"2026-W53", "2026-12-28", "2027-01-04", "2026-W53"},
		{"2027-W01", "2027-01-04", "2027-01-11", "2027-W01"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if !p.From.Equal(d(tt.from)) || !p.To.Equal(d(tt.to)) || p.Label != tt.label {
			t.Errorf("ParsePeriod(%q) = %s [%s, %s), want %s [%s, %s)", tt.in, p.Label, p.From, p.To, tt.label, tt.from, tt.to)
		}
	}
	for _, bad := range []string{"", "2026Q5", "2026Q0", "26Q1", "2026-13", "2026-02-30", "2026-08-14..2026-08-01", "last week", "2026-08..2026-09", "2027-W53", "2026-W00", "2026-W5"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) succeeded, want an error", bad)
		}
	}
}

func TestResolvePeriod(t *testing.T) {
	now := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	tests := map[string]string{
		"today":            "2026-11-24",
		"yesterday":        "2026-11-23",
		"current-month":    "2026-11",
		"previous-month":   "2026-10",
		"current-quarter":  "2026Q4",
		"previous-quarter": "2026Q3",
		"2025Q1":           "2025Q1",
		// Tuesday 24 November 2026 is in ISO week 48.
		"current-week":    "2026-W48",
		"previous-week":   "2026-W47",
		"current-year":    "2026",
		"previous-year":   "2025",
		"month-to-date":   "2026-11-01 to 2026-11-23",
		"quarter-to-date": "2026-10-01 to 2026-11-23",
		"year-to-date":    "2026-01-01 to 2026-11-23",
	}
	for in, want := range tests {
		p, err := ResolvePeriod(in, now)
		if err != nil || p.Label != want {
			t.Errorf("ResolvePeriod(%q) = %q, %v; want %q", in, p.Label, err, want)
		}
	}
	p, _ := ResolvePeriod("previous-quarter", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	if p.Label != "2025Q4" {
		t.Errorf("previous quarter of January = %s, want 2025Q4", p.Label)
	}
	p, _ = ResolvePeriod("yesterday", time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC))
	if p.Label != "2025-12-31" {
		t.Errorf("yesterday of New Year's Day = %s, want 2025-12-31", p.Label)
	}
	p, _ = ResolvePeriod("month-to-date", now)
	if !p.From.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) || !p.To.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month to date = [%s, %s)", p.From, p.To)
	}
	// On the first of a month, "to date" is the whole month before.
	p, _ = ResolvePeriod("month-to-date", time.Date(2026, 12, 1, 2, 30, 0, 0, time.UTC))
	if p.Label != "2026-11" {
		t.Errorf("month to date on 1 December = %s, want 2026-11", p.Label)
	}
	p, _ = ResolvePeriod("year-to-date", time.Date(2027, 1, 1, 2, 30, 0, 0, time.UTC))
	if p.Label != "2026" {
		t.Errorf("year to date on New Year's Day = %s, want 2026", p.Label)
	}
}

func TestPreviousAndYearEarlier(t *testing.T) {
	tests := []struct{ in, previous, yearEarlier string }{
		{"2026Q3", "2026Q2", "2025Q3"},
		{"2026Q1", "2025Q4", "2025Q1"},
		{"2026-03", "2026-02", "2025-03"},
		{"2026", "2025", "2025"},
		{"2026-W01", "2025-W52", "2025-W01"},
		{"2027-W01", "2026-W53", "2026-W01"},
		{"2026-08-14", "2026-08-13", "2025-08-14"},
		{"2026-07-01..2026-07-10", "2026-06-21..2026-06-30", "2025-07-01..2025-07-10"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		prev, year := p.Previous(), p.YearEarlier()
		if prev.Label != tt.previous || year.Label != tt.yearEarlier {
			t.Errorf("%s: previous %s, a year earlier %s; want %s and %s", tt.in, prev.Label, year.Label, tt.previous, tt.yearEarlier)
		}
		if !prev.To.Equal(p.From) {
			t.Errorf("%s: previous %s does not end where it starts", tt.in, prev.Label)
		}
		if back, err := ParsePeriod(prev.Label); err != nil || !back.From.Equal(prev.From) || !back.To.Equal(prev.To) {
			t.Errorf("%s: previous label %q reads back as [%s, %s), want [%s, %s)", tt.in, prev.Label, back.From, back.To, prev.From, prev.To)
		}
	}
}
