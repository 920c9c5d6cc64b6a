package report

import (
	"math"
	"testing"
)

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Number(0, 0), "0"},
		{Number(999, 0), "999"},
		{Number(1234567.891, 2), "1,234,567.89"},
		{Number(-12345, 0), "-12,345"},
		{Number(-0.04, 1), "0.0"},
		{Number(math.NaN(), 1), "–"},
		{Number(math.Inf(1), 0), "–"},
		{Mass(0.0421), "42.1 g"},
		{Mass(3.14159), "3.14 kg"},
		{Mass(512.4), "512 kg"},
		{Mass(12345), "12.3 t"},
		{Mass(6602.6), "6.60 t"},
		{Energy(950.2), "950 kWh"},
		{Energy(31308.3), "31.3 MWh"},
		{Energy(123456), "123 MWh"},
		{Percent(0.0837), "8%"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
