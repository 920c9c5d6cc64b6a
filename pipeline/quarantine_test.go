package pipeline

import (
	"testing"

	"labcarbon/ingest"
)

func TestQuarantineTally(t *testing.T) {
	rows := []ingest.RowError{
		{File: "a.txt", Line: 5, Reason: `31 fields, the header has 30: the delimiter "|" occurs inside a value`},
		{File: "a.txt", Line: 3, Reason: "step of job 1200824: its job line 2 was quarantined"},
		{File: "a.txt", Line: 2, Field: "ReqMem", Reason: `bad ReqMem "12X": want e.g. 32G`},
		{File: "a.txt", Line: 9, Reason: `29 fields, the header has 30: the delimiter "|" occurs inside a value`},
		{File: "a.txt", Line: 11, Field: "ReqMem", Reason: `bad ReqMem "1.5.5G": want e.g. 32G`},
		{File: "a.txt", Line: 12, Field: "Start", Reason: `bad ReqMem "1.5.5G": want e.g. 32G`},
	}
	var first, second quarantineTally
	for _, r := range rows[:3] {
		first.add(&r)
	}
	for _, r := range rows[3:] {
		second.add(&r)
	}
	got := second.mergeInto(first.mergeInto(nil))
	want := []struct {
		field string
		rows  int
		line  int // of the first row of the kind
	}{
		{"", 2, 5}, {"ReqMem", 2, 2}, {"", 1, 3}, {"Start", 1, 12},
	}
	if len(got) != len(want) {
		t.Fatalf("tally = %+v, want %d kinds", got, len(want))
	}
	for i, w := range want {
		if got[i].Field != w.field || got[i].Rows != w.rows || got[i].Example.Line != w.line {
			t.Errorf("kind %d = %s: %d rows, first line %d; want %s: %d rows, first line %d",
				i, got[i].Field, got[i].Rows, got[i].Example.Line, w.field, w.rows, w.line)
		}
	}
}

func TestReasonKind(t *testing.T) {
	for reason, want := range map[string]string{
		`bad size "12X"`:                     `bad size ""`,
		`31 fields, the header has 30`:       `# fields, the header has #`,
		`end 2026-07-01T10:00:00Z is before`: `end #-#-#T#:#:#Z is before`,
		`unterminated "quote`:                `unterminated ""`,
		``:                                   ``,
	} {
		if got := reasonKind(reason); got != want {
			t.Errorf("reasonKind(%q) = %q, want %q", reason, got, want)
		}
	}
}
