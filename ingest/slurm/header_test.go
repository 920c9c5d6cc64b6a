package slurm

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestNewSacctReaderRejects checks that input which is not sacct output
// fails at once, with one error that names the file.
func TestNewSacctReaderRejects(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opts  SacctOptions
		want  string
	}{
		{name: "empty", input: "", want: "empty input"},
		{name: "blank lines", input: "\n\n  \n", want: "empty input"},
		{name: "binary", input: "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", want: "binary"},
		{name: "nul bytes", input: "JobID|State\x00|Elapsed\n", want: "binary"},
		{name: "prose", input: "Hello, this is not sacct.\n", want: "not sacct -p/-P output"},
		{name: "no state", input: "JobID|Elapsed|User\n1|00:01:00|a\n", want: "no State column"},
		{name: "no id", input: "User|State|Elapsed\na|COMPLETED|00:01:00\n", want: "no JobID or JobIDRaw"},
		{name: "no run time", input: "JobID|State|User\n1|COMPLETED|a\n", want: "run time is unknown"},
		{name: "noheader without columns", input: "123|123|alice|COMPLETED|3600\n", want: "for a --noheader file give the column list"},
		{name: "wrong delimiter", input: "JobID☃State☃Elapsed\n", opts: SacctOptions{Delimiter: "|"}, want: "not sacct -p/-P output"},
		{name: "bad columns option", input: "1|COMPLETED\n", opts: SacctOptions{Columns: []string{"JobID", "State"}}, want: "columns option"},
		{name: "odd column name", input: "JobID|State|Elapsed|my field\n", want: "is not a sacct field name"},
		{name: "json", input: `{"meta": {}, "jobs": []}`, want: "not sacct -p/-P output"},
		{name: "read error", input: "", want: "read header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tt.input)
			if tt.name == "read error" {
				r = iotest.ErrReader(errors.New("disk on fire"))
			}
			sr, err := NewSacctReader(r, "in.txt", tt.opts)
			if err == nil {
				t.Fatalf("NewSacctReader succeeded (%+v), want error containing %q", sr.lay.names, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "in.txt") {
				t.Errorf("error %q: want it to name in.txt and contain %q", err, tt.want)
			}
		})
	}
}

// TestSacctReaderHeaders checks the header forms that must be accepted.
func TestSacctReaderHeaders(t *testing.T) {
	const row = "7|COMPLETED|00:01:00|2"
	tests := []struct {
		name  string
		input string
		opts  SacctOptions
	}{
		{name: "parsable2", input: "JobID|State|Elapsed|NCPUS\n" + row + "\n"},
		{name: "parsable", input: "JobID|State|Elapsed|NCPUS|\n" + row + "|\n"},
		{name: "any case and order", input: "elapsed|ncpus|STATE|jobid\n00:01:00|2|COMPLETED|7\n"},
		{name: "alloccpus alias", input: "JobID|State|Elapsed|AllocCPUS\n" + row + "\n"},
		{name: "unknown columns", input: "Planned|JobID|FooBar|State|Elapsed|NCPUS|QOSREQ\nx|7|y|COMPLETED|00:01:00|2|z\n"},
		{name: "crlf", input: "JobID|State|Elapsed|NCPUS\r\n" + row + "\r\n"},
		{name: "bom", input: "\xef\xbb\xbfJobID|State|Elapsed|NCPUS\n" + row + "\n"},
		{name: "no final newline", input: "JobID|State|Elapsed|NCPUS\n" + row},
		{name: "snowman detected", input: "JobID☃State☃Elapsed☃NCPUS\n7☃COMPLETED☃00:01:00☃2\n"},
		{name: "caret detected", input: "JobID^|^State^|^Elapsed^|^NCPUS^|^\n7^|^COMPLETED^|^00:01:00^|^2^|^\n"},
		{name: "comma", input: "JobID,State,Elapsed,NCPUS\n7,COMPLETED,00:01:00,2\n"},
		{name: "columns", input: row + "\n", opts: SacctOptions{Columns: []string{"JobID", "State", "Elapsed", "NCPUS"}}},
		{name: "columns with widths", input: row + "\n", opts: SacctOptions{Columns: []string{"jobid%20", "state", "elapsed", "ncpus"}}},
		{name: "columns, header present", input: "JobID|State|Elapsed|NCPUS\n" + row + "\n", opts: SacctOptions{Columns: []string{"jobid", "state", "elapsed", "ncpus"}}},
		{name: "columns, -p", input: row + "|\n", opts: SacctOptions{Columns: []string{"JobID", "State", "Elapsed", "NCPUS"}}},
		{name: "columns, snowman", input: "7☃COMPLETED☃00:01:00☃2☃\n", opts: SacctOptions{Delimiter: "☃", Columns: []string{"JobID", "State", "Elapsed", "NCPUS"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := readAll(t, "in.txt", []byte(tt.input), tt.opts)
			if len(g.Items) != 1 || g.Items[0].Usage == nil {
				t.Fatalf("got %+v, want one record", g.Items)
			}
			u := g.Items[0].Usage
			if u.JobID != "7" || u.State != "COMPLETED" || u.ElapsedSec != 60 || u.CPUs != 2 {
				t.Errorf("got %+v", u)
			}
		})
	}
}

// TestSacctReaderReadError checks that an I/O error in the middle stops
// the reader with an error naming the file, after what came before.
func TestSacctReaderReadError(t *testing.T) {
	in := "JobID|State|Elapsed\n1|COMPLETED|00:01:00\n2|COMPLETED|00:01:00\n"
	r := io.MultiReader(strings.NewReader(in), iotest.ErrReader(errors.New("disk on fire")))
	sr, err := NewSacctReader(r, "in.txt", SacctOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for sr.Scan() {
		n++
	}
	if err := sr.Err(); err == nil || !strings.Contains(err.Error(), "in.txt") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Err() = %v, want the read error naming in.txt", err)
	}
	// Job 2 may still have steps coming when the input breaks, so only
	// job 1 is complete.
	if n != 1 {
		t.Errorf("got %d records before the error, want 1", n)
	}
}

// TestSacctReaderLongLine checks that a line too long to be sacct output
// is quarantined and skipped without holding it all.
func TestSacctReaderLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("JobID|State|Elapsed|JobName\n1|COMPLETED|00:01:00|")
	b.WriteString(strings.Repeat("x", maxRecord+10))
	b.WriteString("\n2|COMPLETED|00:02:00|ok\n")
	g := readAll(t, "in.txt", []byte(b.String()), SacctOptions{})
	if len(g.Items) != 2 || g.Items[0].Bad == nil || g.Items[1].Usage == nil {
		t.Fatalf("got %d items, want a bad row then a record", len(g.Items))
	}
	if bad := g.Items[0].Bad; bad.Line != 2 || len(bad.Raw) > maxRaw || !strings.Contains(bad.Reason, "longer") {
		t.Errorf("bad row = line %d, reason %q, raw %d bytes", bad.Line, bad.Reason, len(bad.Raw))
	}
	if u := g.Items[1].Usage; u.JobID != "2" || u.SourceLine != 3 {
		t.Errorf("record = %s at line %d, want 2 at line 3", u.JobID, u.SourceLine)
	}
}

// TestSacctReaderLongLineOK checks that lines longer than the read buffer
// but within bounds (a NodeList of thousands of nodes) read normally.
func TestSacctReaderLongLineOK(t *testing.T) {
	nodes := strings.Repeat("node0001,", 100000) + "node9999"
	in := "JobID|State|Elapsed|NodeList\n1|COMPLETED|00:01:00|" + nodes + "\n"
	g := readAll(t, "in.txt", []byte(in), SacctOptions{})
	if len(g.Items) != 1 || g.Items[0].Usage == nil || g.Items[0].Usage.NodeList != nodes {
		t.Fatalf("long NodeList not read back intact")
	}
}
