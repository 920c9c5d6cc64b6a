package slurm

import (
	"strings"
	"testing"
)

func TestRecordSplit(t *testing.T) {
	for _, delim := range []string{"|", "☃", "^|^", "\x80"} {
		for _, text := range []string{
			"", "a", "|", "||", "a|b", "|a|", "1001.batch|1001.batch||||laba|||hpc1|COMPLETED|0:0",
			"0123456|89abcdef|", "||||||||||||||||||", "é|ü|☃|x", "\x00\x80|\xff|\x7f\x81",
		} {
			text = strings.ReplaceAll(text, "|", delim)
			var r record
			r.split(text, delim)
			want := strings.Split(text, delim)
			if r.n() != len(want) {
				t.Fatalf("split(%q, %q): %d fields, want %d", text, delim, r.n(), len(want))
			}
			for i := range want {
				if r.field(i) != want[i] {
					t.Errorf("split(%q, %q): field %d = %q, want %q", text, delim, i, r.field(i), want[i])
				}
			}
		}
	}
}

func FuzzRecordSplit(f *testing.F) {
	f.Add("a|b||c|", "|")
	f.Add("x^|^y", "^|^")
	f.Fuzz(func(t *testing.T, text, delim string) {
		if delim == "" {
			return
		}
		var r record
		r.split(text, delim)
		want := strings.Split(text, delim)
		if r.n() != len(want) {
			t.Fatalf("split(%q, %q): %d fields, want %d", text, delim, r.n(), len(want))
		}
		for i := range want {
			if r.field(i) != want[i] {
				t.Fatalf("split(%q, %q): field %d = %q, want %q", text, delim, i, r.field(i), want[i])
			}
		}
	})
}
