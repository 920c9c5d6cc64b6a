package report

import "testing"

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Number(0, 0), "0"},
		{Number(999, 0), "999"},
		{Number(1234567.891, 2), "1,234,567.89"},
		{Number(-12345, 0), "-12,345"},
		{Mass(0.0421), "42 g"},
		{Mass(3.14), "3.1 kg"},
		{Mass(512.4), "512 kg"},
		{Mass(12345), "12.35 t"},
		{Energy(950.2), "950 kWh"},
		{Energy(123456), "123.46 MWh"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
