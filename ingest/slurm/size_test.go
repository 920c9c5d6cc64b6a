package slurm

import "testing"

func TestParseSize(t *testing.T) {
	const (
		k = 1 << 10
		m = 1 << 20
		g = 1 << 30
	)
	tests := []struct {
		in      string
		base    Unit
		want    float64
		wantErr bool
	}{
		{in: "", base: Bytes, want: 0},
		{in: "0", base: Bytes, want: 0},
		{in: "0", base: MiB, want: 0},
		{in: "3501608K", base: Bytes, want: 3501608 * k},
		{in: "1.50M", base: Bytes, want: 1.5 * m},
		{in: "9.49M", base: Bytes, want: 9.49 * m},
		{in: "312.50G", base: MiB, want: 312.5 * g},
		{in: "2000M", base: MiB, want: 2000 * m},
		{in: "32G", base: MiB, want: 32 * g},
		{in: "1T", base: MiB, want: 1 << 40},
		{in: "2P", base: Bytes, want: 2 << 50},
		{in: "12595200", base: Bytes, want: 12595200}, // --noconvert: plain bytes
		{in: "1000", base: MiB, want: 1000 * m},       // no suffix: base units
		{in: "512", base: Bytes, want: 512},
		{in: "4k", base: Bytes, want: 4 * k},
		{in: "K", base: Bytes, wantErr: true},
		{in: "-1K", base: Bytes, wantErr: true},
		{in: "1.2.3M", base: Bytes, wantErr: true},
		{in: ".5M", base: Bytes, wantErr: true},
		{in: "5.M", base: Bytes, wantErr: true},
		{in: "12QB", base: Bytes, wantErr: true},
		{in: "1e3", base: Bytes, wantErr: true},
		{in: "NaN", base: Bytes, wantErr: true},
		{in: "Inf", base: Bytes, wantErr: true},
		{in: "0x10", base: Bytes, wantErr: true},
		{in: "1_000", base: Bytes, wantErr: true},
		{in: " 1K", base: Bytes, wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in, tt.base)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseSize(%q, %v) error = %v, want error %v", tt.in, tt.base, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSize(%q, %v) = %v, want %v", tt.in, tt.base, got, tt.want)
		}
	}
}

func TestParseReqMem(t *testing.T) {
	tests := []struct {
		in          string
		cpus, nodes int
		wantPer     MemPer
		wantGB      float64
		wantErr     bool
	}{
		{in: "32G", cpus: 8, nodes: 1, wantPer: PerJob, wantGB: 32},
		{in: "2000M", cpus: 2, nodes: 1, wantPer: PerJob, wantGB: 2000.0 / 1024},
		{in: "125000M", cpus: 1, nodes: 1, wantPer: PerJob, wantGB: 125000.0 / 1024},
		{in: "1G", cpus: 1, nodes: 1, wantPer: PerJob, wantGB: 1},
		{in: "4000Mc", cpus: 4, nodes: 1, wantPer: PerCPU, wantGB: 4 * 4000.0 / 1024},
		{in: "3000Mc", cpus: 256, nodes: 32, wantPer: PerCPU, wantGB: 750},
		{in: "16000Mn", cpus: 24, nodes: 2, wantPer: PerNode, wantGB: 2 * 16000.0 / 1024},
		{in: "100Gn", cpus: 1, nodes: 1, wantPer: PerNode, wantGB: 100},
		{in: "191846Mn", cpus: 1, nodes: 1, wantPer: PerNode, wantGB: 191846.0 / 1024},
		{in: "4000Mc", cpus: 0, nodes: 1, wantPer: PerCPU, wantGB: 0}, // unknown count: 0, not a guess
		{in: "0", cpus: 1, nodes: 1, wantPer: PerJob, wantGB: 0},
		{in: "0n", cpus: 1, nodes: 1, wantPer: PerNode, wantGB: 0},
		{in: "", cpus: 1, nodes: 1, wantPer: PerJob, wantGB: 0},
		{in: "c", wantErr: true},
		{in: "n", wantErr: true},
		{in: "2000Mx", wantErr: true},
		{in: "4000Mcn", wantErr: true},
	}
	for _, tt := range tests {
		m, err := ParseReqMem(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseReqMem(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if m.Per != tt.wantPer {
			t.Errorf("ParseReqMem(%q).Per = %v, want %v", tt.in, m.Per, tt.wantPer)
		}
		if got := m.TotalGB(tt.cpus, tt.nodes); got != tt.wantGB {
			t.Errorf("ParseReqMem(%q).TotalGB(%d, %d) = %v, want %v", tt.in, tt.cpus, tt.nodes, got, tt.wantGB)
		}
	}
}
