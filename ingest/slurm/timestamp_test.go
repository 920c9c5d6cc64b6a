package slurm

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		in      string
		loc     *time.Location
		want    time.Time
		wantErr bool
	}{
		{in: "2026-03-02T08:00:05", want: utc("2026-03-02T08:00:05Z")},
		{in: "2026-03-02T08:00:05", loc: time.UTC, want: utc("2026-03-02T08:00:05Z")},
		{in: "2026-03-02 08:00:05", want: utc("2026-03-02T08:00:05Z")},
		{in: "2026-01-15T12:00:00", loc: berlin, want: utc("2026-01-15T11:00:00Z")}, // CET
		{in: "2026-07-15T12:00:00", loc: berlin, want: utc("2026-07-15T10:00:00Z")}, // CEST
		{in: "2024-02-29T00:00:00", want: utc("2024-02-29T00:00:00Z")},
		{in: "1767225600", want: utc("2026-01-01T00:00:00Z")}, // SLURM_TIME_FORMAT=%s
		{in: "1767225600", loc: berlin, want: utc("2026-01-01T00:00:00Z")},
		{in: "Unknown"},
		{in: "None"},
		{in: ""},
		{in: "0"},
		{in: "2026-02-30T00:00:00", wantErr: true},
		{in: "2025-02-29T00:00:00", wantErr: true},
		{in: "2026-13-01T00:00:00", wantErr: true},
		{in: "2026-01-01T24:00:00", wantErr: true},
		{in: "2026-01-01T00:60:00", wantErr: true},
		{in: "2026-01-01T00:00", wantErr: true},
		{in: "2026-01-01", wantErr: true},
		{in: "2026-01-01T00:00:00Z", wantErr: true},
		{in: "-1", wantErr: true},
		{in: "99999999999999", wantErr: true},
		{in: "today", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in, tt.loc)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseTime(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC && !got.IsZero() {
			t.Errorf("ParseTime(%q, %v) = %v, want %v in UTC", tt.in, tt.loc, got, tt.want)
		}
	}
}
