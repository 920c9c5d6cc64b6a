package slurm

import "testing"

func TestParseTRES(t *testing.T) {
	tests := []struct {
		in      string
		want    TRES
		wantErr bool
	}{
		{in: "", want: TRES{}},
		{
			in:   "billing=2,cpu=2,mem=2000M,node=1",
			want: TRES{CPUs: 2, MemBytes: 2000 << 20, HasMem: true, Nodes: 1},
		},
		{ // typed and untyped both listed: the untyped count wins
			in:   "billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=10G,node=1",
			want: TRES{CPUs: 8, MemBytes: 10 << 30, HasMem: true, Nodes: 1, GPUs: 2, GPUModel: "a100"},
		},
		{ // typed only (XDMoD sample): the typed counts add up
			in:   "cpu=4,gres/gpu:volta=2,node=1",
			want: TRES{CPUs: 4, Nodes: 1, GPUs: 2, GPUModel: "volta"},
		},
		{ // order varies by version and site
			in:   "mem=1G,node=1,gres/gpu=1",
			want: TRES{MemBytes: 1 << 30, HasMem: true, Nodes: 1, GPUs: 1},
		},
		{ // huge billing is ignored; untyped GPU has no model
			in:   "billing=10485,cpu=12,gres/gpu=1,mem=128G,node=1",
			want: TRES{CPUs: 12, MemBytes: 128 << 30, HasMem: true, Nodes: 1, GPUs: 1},
		},
		{ // gpumem and gpuutil are usage, never GPU counts
			in:   "cpu=8,gres/gpu=1,gres/gpumem=20500736K,gres/gpuutil=90,mem=10G,node=1",
			want: TRES{CPUs: 8, MemBytes: 10 << 30, HasMem: true, Nodes: 1, GPUs: 1},
		},
		{ // several types: the most numerous names the model; lower case
			in:   "cpu=8,gres/gpu:V100=1,gres/gpu:A100=3,node=1",
			want: TRES{CPUs: 8, Nodes: 1, GPUs: 4, GPUModel: "a100"},
		},
		{
			in:   "cpu=64,energy=5400000,mem=312.50G,node=2",
			want: TRES{CPUs: 64, MemBytes: 312.5 * (1 << 30), HasMem: true, Nodes: 2, EnergyJ: 5400000},
		},
		{ // site TRES and licences are skipped
			in:   "cpu=1,license/matlab=1,bb/datawarp=1G,fs/disk=100,gres/shard=4,node=1",
			want: TRES{CPUs: 1, Nodes: 1},
		},
		{in: "cpu=x", wantErr: true},
		{in: "cpu=-1", wantErr: true},
		{in: "cpu", wantErr: true},
		{in: "=4", wantErr: true},
		{in: "mem=lots", wantErr: true},
		{in: "gres/gpu:a100=two", wantErr: true},
		{in: "energy=-5", wantErr: true},
		{in: "COMPLETED", wantErr: true}, // a shifted column
	}
	for _, tt := range tests {
		got, err := ParseTRES(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseTRES(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseTRES(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseTRESUsage(t *testing.T) {
	tests := []struct {
		in      string
		want    TRESUsage
		wantErr bool
	}{
		{in: "", want: TRESUsage{}},
		{
			in:   "cpu=00:00:09,energy=0,fs/disk=1086444801,mem=12300K,pages=3,vmem=221212K",
			want: TRESUsage{MemBytes: 12300 << 10, HasMem: true},
		},
		{
			in: "cpu=15:33:58,energy=0,fs/disk=934556828,gres/gpumem=20500736K,gres/gpuutil=90,mem=1294440K,pages=3310,vmem=10379460K",
			want: TRESUsage{MemBytes: 1294440 << 10, HasMem: true, GPUUtil: 90, HasGPUUtil: true,
				GPUMemBytes: 20500736 << 10, HasGPUMem: true},
		},
		{ // --noconvert: mem in plain bytes
			in:   "cpu=9000,mem=12595200",
			want: TRESUsage{MemBytes: 12595200, HasMem: true},
		},
		{
			in:   "energy=1234,fs/disk=2427",
			want: TRESUsage{EnergyJ: 1234},
		},
		{in: "gres/gpuutil=90.5", want: TRESUsage{GPUUtil: 90.5, HasGPUUtil: true}},
		{in: "gres/gpuutil=-1", wantErr: true},
		{in: "mem=12QB", wantErr: true},
		{in: "gres/gpumem=x", wantErr: true},
		{in: "energy=abc", wantErr: true},
		{in: "cpu=00:00:01,mem", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseTRESUsage(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseTRESUsage(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseTRESUsage(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
