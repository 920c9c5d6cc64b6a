package slurm

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{in: "00:00:00", want: 0},
		{in: "01:00:00", want: time.Hour},
		{in: "23:59:59", want: 24*time.Hour - time.Second},
		{in: "1-00:00:00", want: 24 * time.Hour},
		{in: "5-03:47:04", want: 5*24*time.Hour + 3*time.Hour + 47*time.Minute + 4*time.Second},
		{in: "451-06:00:24", want: 451*24*time.Hour + 6*time.Hour + 24*time.Second}, // 3-digit days
		{in: "00:46.919", want: 46*time.Second + 919*ms},                            // MM:SS.mmm (TotalCPU under an hour)
		{in: "31:09.458", want: 31*time.Minute + 9*time.Second + 458*ms},
		{in: "23:08.357", want: 23*time.Minute + 8*time.Second + 357*ms},
		{in: "01:02:03.5", want: time.Hour + 2*time.Minute + 3*time.Second + 500*ms},
		{in: "15:33:58", want: 15*time.Hour + 33*time.Minute + 58*time.Second},
		{in: "12:34", want: 12*time.Minute + 34*time.Second},
		{in: "", want: 0},
		{in: "UNLIMITED", want: 0},
		{in: "Partition_Limit", want: 0},
		{in: "INVALID", wantErr: true},
		{in: "1-25:00:00", wantErr: true}, // hours roll into days when days are printed
		{in: "1-00:00", wantErr: true},
		{in: "00:60:00", wantErr: true},
		{in: "00:00:60", wantErr: true},
		{in: "1:2:3:4", wantErr: true},
		{in: "12", wantErr: true},
		{in: "-01:00:00", wantErr: true},
		{in: "01:00:00.", wantErr: true},
		{in: "01:00:00.1234567890", wantErr: true},
		{in: "1e3:00", wantErr: true},
		{in: "999999999-00:00:00", wantErr: true}, // would overflow time.Duration
		{in: "a-00:00:00", wantErr: true},
		{in: "::", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDuration(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
