package pdf

import (
	"math"
	"testing"

	"labcarbon"
)

func TestScaledUnits(t *testing.T) {
	r := labcarbon.Range{Low: 9800, Central: 12400, High: 15100}
	if got := massUnit(r.Central).with(r.Central); got != "12.4 t" {
		t.Errorf("mass = %q, want 12.4 t", got)
	}
	if got := massUnit(r.Central).span(r); got != "9.8–15.1 t" {
		t.Errorf("span = %q, want 9.8–15.1 t", got)
	}
	if got := massUnit(3.21).with(3.21); got != "3.21 kg" {
		t.Errorf("mass = %q, want 3.21 kg", got)
	}
	if got := energyUnit(23456).with(23456); got != "23.5 MWh" {
		t.Errorf("energy = %q, want 23.5 MWh", got)
	}
	if got := money(4321.5, "EUR"); got != "4,322 EUR" {
		t.Errorf("money = %q, want 4,322 EUR", got)
	}
}

func TestPeriodDates(t *testing.T) {
	q, _ := labcarbon.ParsePeriod("2026Q3")
	if got, want := periodLine(q), "2026Q3 · 1 July 2026 – 30 September 2026 (UTC)"; got != want {
		t.Errorf("periodLine = %q, want %q", got, want)
	}
	day, _ := labcarbon.ParsePeriod("2026-08-14")
	if got, want := periodDates(day), "14 August 2026"; got != want {
		t.Errorf("periodDates(day) = %q, want %q", got, want)
	}
}

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ max, top, step float64 }{
		{0, 1, 0.2},
		{9.3, 10, 2},
		{123, 125, 25},
		{0.042, 0.05, 0.01},
		{1000, 1000, 200},
	} {
		top, step := niceScale(c.max, 5)
		if math.Abs(top-c.top) > 1e-9 || math.Abs(step-c.step) > 1e-9 {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", c.max, top, step, c.top, c.step)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"Jiří Łukasz Zoë": "Jiří Łukasz Zoë",
		"Ngọc":            "Ngoc",
		"a\tb\r\nc":       "a b  c",
		"東京":              "??",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}
