package slurm

import (
	"testing"

	"labcarbon"
)

func TestParseState(t *testing.T) {
	tests := []struct {
		in      string
		want    labcarbon.State
		wantErr bool
	}{
		{in: "COMPLETED", want: labcarbon.StateCompleted},
		{in: "CANCELLED by 1001", want: labcarbon.StateCancelled},
		{in: "CANCELLED by 0", want: labcarbon.StateCancelled},
		{in: "OUT_OF_MEMORY", want: labcarbon.StateOutOfMemory},
		{in: "NODE_FAIL", want: labcarbon.StateNodeFail},
		{in: "RUNNING", want: labcarbon.StateRunning},
		{in: "PENDING", want: labcarbon.StatePending},
		{in: "REQUEUED", want: "REQUEUED"}, // a flag replacing the base state: kept
		{in: "COMPLETING", want: "COMPLETING"},
		{in: "RESIZING", want: "RESIZING"},
		{in: "timeout", want: labcarbon.StateTimeout},
		{in: "", wantErr: true},
		{in: " COMPLETED", wantErr: true},
		{in: "CANCELLED+", wantErr: true}, // fixed-width output
		{in: "2026-01-01T00:00:00", wantErr: true},
		{in: "0:0", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseState(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseState(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseState(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
