package slurm

import "testing"

func TestParseJobID(t *testing.T) {
	tests := []struct {
		in      string
		want    JobID
		wantErr bool
	}{
		{in: "123", want: JobID{Job: "123"}},
		{in: "123.batch", want: JobID{Job: "123", Step: "batch"}},
		{in: "123.extern", want: JobID{Job: "123", Step: "extern"}},
		{in: "123.interactive", want: JobID{Job: "123", Step: "interactive"}},
		{in: "123.0", want: JobID{Job: "123", Step: "0"}},
		{in: "123.12", want: JobID{Job: "123", Step: "12"}},
		{in: "123.0+1", want: JobID{Job: "123", Step: "0+1"}}, // het step component
		{in: "123_4", want: JobID{Job: "123_4", Parent: "123"}},
		{in: "123_4.batch", want: JobID{Job: "123_4", Step: "batch", Parent: "123"}},
		{in: "123_[1-3]", want: JobID{Job: "123_[1-3]", Parent: "123"}},
		{in: "123_[1-3,5,7-9%2]", want: JobID{Job: "123_[1-3,5,7-9%2]", Parent: "123"}},
		{in: "123_[1,2,3...]", want: JobID{Job: "123_[1,2,3...]", Parent: "123"}}, // cut at SLURM_BITSTR_LEN
		{in: "123+1", want: JobID{Job: "123+1", Parent: "123"}},
		{in: "123+0.batch", want: JobID{Job: "123+0", Step: "batch", Parent: "123"}},
		{in: "", wantErr: true},
		{in: "abc", wantErr: true},
		{in: "123.", wantErr: true},
		{in: "123_", wantErr: true},
		{in: "123+", wantErr: true},
		{in: "123_[]", wantErr: true},
		{in: "123_[1-3", wantErr: true},
		{in: "123_[a]", wantErr: true},
		{in: "123.Batch", wantErr: true},
		{in: "123.0+", wantErr: true},
		{in: "123 ", wantErr: true},
		{in: "123_4_5", wantErr: true},
		{in: "123.batch.0", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseJobID(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseJobID(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseJobID(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if got.IsStep() != (tt.want.Step != "") {
			t.Errorf("ParseJobID(%q).IsStep() = %v", tt.in, got.IsStep())
		}
	}
}
