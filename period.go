package labcarbon

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a half-open UTC time range [From, To) with the label a person
// typed for it.
type Period struct {
	Label    string
	From, To time.Time
}

// ParsePeriod reads a period as the command line takes it: a quarter
// (2026Q3), a month (2026-08), an ISO week (2026-W33, Monday to Sunday), a
// day (2026-08-14), a year (2026) or a range of dates FROM..TO, both
// included.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if from, to, ok := strings.Cut(s, ".."); ok {
		f, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return Period{}, fmt.Errorf("period %q: start: want YYYY-MM-DD", s)
		}
		t, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return Period{}, fmt.Errorf("period %q: end: want YYYY-MM-DD", s)
		}
		if t.Before(f) {
			return Period{}, fmt.Errorf("period %q: end before start", s)
		}
		return Period{Label: s, From: f, To: t.AddDate(0, 0, 1)}, nil
	}
	if y, w, ok := strings.Cut(strings.ToUpper(s), "-W"); ok {
		year, err1 := strconv.Atoi(y)
		n, err2 := strconv.Atoi(w)
		if err1 != nil || err2 != nil || len(y) != 4 || len(w) != 2 || n < 1 || n > isoWeeks(year) {
			return Period{}, fmt.Errorf("period %q: want an ISO week like 2026-W33", s)
		}
		from := isoWeekStart(year).AddDate(0, 0, 7*(n-1))
		return Period{Label: fmt.Sprintf("%d-W%02d", year, n), From: from, To: from.AddDate(0, 0, 7)}, nil
	}
	if y, q, ok := strings.Cut(strings.ToUpper(s), "Q"); ok {
		year, err1 := strconv.Atoi(y)
		n, err2 := strconv.Atoi(q)
		if err1 != nil || err2 != nil || n < 1 || n > 4 || len(y) != 4 {
			return Period{}, fmt.Errorf("period %q: want a quarter like 2026Q3", s)
		}
		from := time.Date(year, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return Period{Label: fmt.Sprintf("%dQ%d", year, n), From: from, To: from.AddDate(0, 3, 0)}, nil
	}
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{time.DateOnly, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if len(s) != len(f.layout) {
			continue
		}
		if t, err := time.Parse(f.layout, s); err == nil {
			return Period{Label: s, From: t, To: f.next(t)}, nil
		}
	}
	return Period{}, fmt.Errorf("period %q: want 2026Q3, 2026-08, 2026-W33, 2026-08-14, 2026 or FROM..TO", s)
}

// isoWeekStart returns the Monday of ISO week 1 of year: the week with the
// year's first Thursday.
func isoWeekStart(year int) time.Time {
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
	return jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
}

// isoWeeks returns how many ISO weeks year has, 52 or 53.
func isoWeeks(year int) int {
	_, w := time.Date(year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Hours is the length of the period in hours.
func (p Period) Hours() float64 { return p.To.Sub(p.From).Hours() }

// ResolvePeriod reads a period that may be relative to now, as schedules and
// configs name them: today, yesterday, current-week, previous-week,
// current-month, previous-month, current-quarter, previous-quarter,
// current-year, previous-year, and month-to-date, quarter-to-date and
// year-to-date (up to the end of yesterday, the last whole day); anything
// else as ParsePeriod.
func ResolvePeriod(s string, now time.Time) (Period, error) {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	quarter := time.Date(now.Year(), time.Month(3*((int(now.Month())-1)/3)+1), 1, 0, 0, 0, 0, time.UTC)
	quarterLabel := func(t time.Time) string { return fmt.Sprintf("%dQ%d", t.Year(), (int(t.Month())-1)/3+1) }
	week := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	weekLabel := func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) }
	toDate := func(label string, from time.Time) (Period, error) {
		if !from.Before(day) {
			// The first day of a month has nothing to date yet: the
			// period is the previous one in full.
			return ResolvePeriod("previous-"+strings.TrimSuffix(label, "-to-date"), now)
		}
		return Period{Label: fmt.Sprintf("%s to %s", from.Format(time.DateOnly), day.AddDate(0, 0, -1).Format(time.DateOnly)), From: from, To: day}, nil
	}
	switch s {
	case "current-week":
		return ParsePeriod(weekLabel(week))
	case "previous-week":
		return ParsePeriod(weekLabel(week.AddDate(0, 0, -7)))
	case "current-year":
		return ParsePeriod(day.Format("2006"))
	case "previous-year":
		return ParsePeriod(day.AddDate(-1, 0, 0).Format("2006"))
	case "month-to-date":
		return toDate("month-to-date", month)
	case "quarter-to-date":
		return toDate("quarter-to-date", quarter)
	case "year-to-date":
		return toDate("year-to-date", time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	case "today":
		return ParsePeriod(day.Format(time.DateOnly))
	case "yesterday":
		return ParsePeriod(day.AddDate(0, 0, -1).Format(time.DateOnly))
	case "current-month":
		return ParsePeriod(month.Format("2006-01"))
	case "previous-month":
		return ParsePeriod(month.AddDate(0, -1, 0).Format("2006-01"))
	case "current-quarter":
		return ParsePeriod(quarterLabel(quarter))
	case "previous-quarter":
		return ParsePeriod(quarterLabel(quarter.AddDate(0, -3, 0)))
	}
	return ParsePeriod(s)
}

// Previous returns the period of the same kind just before p: the quarter
// before a quarter, the month before a month, the year before a year, and
// for other periods the same number of days before.
func (p Period) Previous() Period { return p.shift(-1, 0) }

// YearEarlier returns p a year earlier: the same quarter, month or days of
// the year before.
func (p Period) YearEarlier() Period { return p.shift(0, -1) }

// shift moves p by n of its own lengths and by years.
func (p Period) shift(n, years int) Period {
	if months, ok := p.months(); ok {
		from := p.From.AddDate(years, n*months, 0)
		q := Period{From: from, To: from.AddDate(0, months, 0)}
		switch months {
		case 1:
			q.Label = from.Format("2006-01")
		case 3:
			q.Label = fmt.Sprintf("%dQ%d", from.Year(), (int(from.Month())-1)/3+1)
		case 12:
			q.Label = from.Format("2006")
		default:
			q.Label = rangeLabel(q)
		}
		return q
	}
	days := int(p.To.Sub(p.From).Hours() / 24)
	if y, w := p.From.ISOWeek(); days == 7 && p.Label == fmt.Sprintf("%d-W%02d", y, w) {
		// A week a year earlier is the same ISO week number (or the last
		// week of a year without a 53rd).
		y += years
		w = min(w, isoWeeks(y))
		from := isoWeekStart(y).AddDate(0, 0, 7*(w-1)+7*n)
		y, w = from.ISOWeek()
		return Period{Label: fmt.Sprintf("%d-W%02d", y, w), From: from, To: from.AddDate(0, 0, 7)}
	}
	q := Period{From: p.From.AddDate(years, 0, n*days), To: p.To.AddDate(years, 0, n*days)}
	if days == 1 {
		q.Label = q.From.Format(time.DateOnly)
	} else {
		q.Label = rangeLabel(q)
	}
	return q
}

// months reports whether p is a whole number of calendar months from the
// first of a month, and how many.
func (p Period) months() (int, bool) {
	if p.From.Day() != 1 || p.To.Day() != 1 || p.From.Hour() != 0 || p.To.Hour() != 0 {
		return 0, false
	}
	n := (p.To.Year()-p.From.Year())*12 + int(p.To.Month()) - int(p.From.Month())
	return n, n > 0
}

// rangeLabel names p as the dates it covers, both included.
func rangeLabel(p Period) string {
	return p.From.Format(time.DateOnly) + ".." + p.To.AddDate(0, 0, -1).Format(time.DateOnly)
}
