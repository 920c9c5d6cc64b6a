package slurm

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// formatDuration prints d the way sacct's TotalCPU does, with nanoseconds,
// so that a parsed duration can be parsed again.
func formatDuration(d time.Duration) string {
	sec := int64(d / time.Second)
	ns := int64(d % time.Second)
	days, h, m, s := sec/86400, sec/3600%24, sec/60%60, sec%60
	out := fmt.Sprintf("%02d:%02d:%02d.%09d", h, m, s, ns)
	if days > 0 {
		out = fmt.Sprintf("%d-%s", days, out)
	}
	return out
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"00:00:00", "1-02:03:04", "451-06:00:24", "31:09.458", "UNLIMITED", "INVALID", "", "99:59:59.999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v < 0", s, d)
		}
		again, err := ParseDuration(formatDuration(d))
		if err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v, but %q parses to %v, %v", s, d, formatDuration(d), again, err)
		}
	})
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"0", "3501608K", "1.50M", "312.50G", "12595200", "2P", "", "1e9"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, bytes bool) {
		base := MiB
		if bytes {
			base = Bytes
		}
		v, err := ParseSize(s, base)
		if err == nil && (v < 0 || math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("ParseSize(%q) = %v", s, v)
		}
		m, err := ParseReqMem(s)
		if err != nil {
			return
		}
		if gb := m.TotalGB(8, 2); gb < 0 || math.IsNaN(gb) || math.IsInf(gb, 0) {
			t.Fatalf("ParseReqMem(%q).TotalGB = %v", s, gb)
		}
	})
}

func FuzzParseTRES(f *testing.F) {
	for _, s := range []string{
		"billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=10G,node=1",
		"cpu=4,gres/gpu:volta=2,node=1",
		"cpu=15:33:58,energy=0,fs/disk=934556828,gres/gpumem=20500736K,gres/gpuutil=90,mem=1294440K,pages=3310,vmem=10379460K",
		"", "=", ",,", "gres/gpu:=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tr, err := ParseTRES(s); err == nil {
			if tr.CPUs < 0 || tr.Nodes < 0 || tr.GPUs < 0 || tr.MemBytes < 0 || tr.EnergyJ < 0 {
				t.Fatalf("ParseTRES(%q) = %+v: negative", s, tr)
			}
			if tr.GPUModel != strings.ToLower(tr.GPUModel) {
				t.Fatalf("ParseTRES(%q): model %q not lower case", s, tr.GPUModel)
			}
			if tr.GPUModel != "" && tr.GPUs == 0 {
				t.Fatalf("ParseTRES(%q): model %q without GPUs", s, tr.GPUModel)
			}
		}
		if u, err := ParseTRESUsage(s); err == nil {
			if u.MemBytes < 0 || u.GPUUtil < 0 || u.GPUMemBytes < 0 || u.EnergyJ < 0 {
				t.Fatalf("ParseTRESUsage(%q) = %+v: negative", s, u)
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-03-02T08:00:05", "2024-02-29 23:59:59", "1767225600", "Unknown", "None", "0", "2026-02-30T00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTime(s, time.UTC)
		if err != nil || v.IsZero() {
			return
		}
		if v.Location() != time.UTC {
			t.Fatalf("ParseTime(%q) = %v: not UTC", s, v)
		}
		if strings.Contains(s, "-") {
			if got := v.Format("2006-01-02T15:04:05"); got != strings.Replace(s, " ", "T", 1) {
				t.Fatalf("ParseTime(%q) = %v, which prints as %q", s, v, got)
			}
		}
	})
}

func FuzzParseJobID(f *testing.F) {
	for _, s := range []string{"123", "123.batch", "123_4.extern", "123_[1-3%2]", "123+1", "123+0.0+1", "123_[1...]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseJobID(s)
		if err != nil {
			return
		}
		back := id.Job
		if id.IsStep() {
			back += "." + id.Step
		}
		if back != s {
			t.Fatalf("ParseJobID(%q) = %+v, which does not add up to the input", s, id)
		}
		if id.Parent != "" && !strings.HasPrefix(id.Job, id.Parent) {
			t.Fatalf("ParseJobID(%q): parent %q is not a prefix of %q", s, id.Parent, id.Job)
		}
	})
}

func FuzzParseState(f *testing.F) {
	for _, s := range []string{"COMPLETED", "CANCELLED by 1001", "OUT_OF_MEMORY", "CANCELLED+", "", "running"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseState(s)
		if err != nil {
			return
		}
		if st == "" || strings.ContainsAny(string(st), " +") || string(st) != strings.ToUpper(string(st)) {
			t.Fatalf("ParseState(%q) = %q", s, st)
		}
		if !strings.HasPrefix(strings.ToUpper(s), string(st)) {
			t.Fatalf("ParseState(%q) = %q, not the first word", s, st)
		}
	})
}

// FuzzSacctReader feeds whole files to the reader: it must never panic,
// must return exactly one of record and bad row, and what it returns must
// satisfy the invariants the pipeline relies on.
func FuzzSacctReader(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
	// Small seeds reach the corners faster than whole sample files.
	for _, seed := range []string{
		"JobID|State|Elapsed|JobName\n1|COMPLETED|00:01:00|a|b\n1.batch|COMPLETED|00:01:00|x\n",
		"JobID|JobIDRaw|State|Start|End|ElapsedRaw|NCPUS|TotalCPU|MaxRSS|AllocTRES|TRESUsageInTot|JobName|\n5_1|6|COMPLETED|2026-01-01T00:00:00|2026-01-01T01:00:00|3600|2|01:00:00||billing=2,cpu=2,gres/gpu:a100=1,mem=1G,node=1||a|\n5_1.batch|6.batch|COMPLETED|2026-01-01T00:00:00|2026-01-01T01:00:00|3600|2|01:00:00|1G|gres/gpuutil=50,mem=1G|batch|\n",
		"JobIDRaw|User|Account|State|Start|End|ElapsedRaw|NCPUS|TotalCPU\n7.0|u|a|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:01:00|60|1|00:30.000\n7.1|u|a|COMPLETED|2026-01-01T00:01:00|2026-01-01T00:02:00|60|1|00:30.000\n8|u|a|PENDING|None|Unknown|0|1|00:00:00\n",
		"JobID^|^State^|^Elapsed^|^Comment^|^\n9^|^REQUEUED^|^1-00:00:00^|^x\ny^|^\n9^|^COMPLETED^|^00:00:01^|^^|^\n",
		"9|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:01|1|1|00:00:01|0|billing=1|cpu=1|x\n",
	} {
		f.Add([]byte(seed), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		var opts SacctOptions
		switch mode % 4 {
		case 1:
			opts.Delimiter = "^|^"
		case 2:
			opts.Columns = []string{"JobID", "JobIDRaw", "State", "Start", "End", "ElapsedRaw", "NCPUS", "TotalCPU", "MaxRSS", "AllocTRES", "TRESUsageInTot", "JobName"}
		case 3:
			opts.Location = time.FixedZone("X", 3600)
		}
		r, err := NewSacctReader(bytes.NewReader(data), "fuzz", opts)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		// The same input cut by the parser itself, not by the line
		// reader, must read the same.
		plain, err := NewSacctReader(bytes.NewReader(data), "fuzz", opts)
		if err != nil {
			t.Fatalf("the second reader of the same input: %v", err)
		}
		plain.lr.delim = 0
		defer plain.Close()
		lines := bytes.Count(data, []byte("\n")) + 1
		items := 0
		for r.Scan() {
			items++
			u, bad := r.Record()
			if (u == nil) == (bad == nil) {
				t.Fatalf("Record() = %v, %v: want exactly one", u, bad)
			}
			if !plain.Scan() {
				t.Fatalf("item %d: the input cut by the parser ends here", items)
			}
			if pu, pbad := plain.Record(); !reflect.DeepEqual(pu, u) || !reflect.DeepEqual(pbad, bad) {
				t.Fatalf("item %d: %+v %+v, cut by the parser %+v %+v", items, u, bad, pu, pbad)
			}
			if bad != nil {
				if bad.Line < 1 || bad.Line > lines || len(bad.Raw) > maxRaw || !utf8.ValidString(bad.Raw) && utf8.Valid(data) || bad.Reason == "" {
					t.Fatalf("bad row %+v (input has %d lines)", bad, lines)
				}
				continue
			}
			if u.SourceLine < 1 || u.SourceLine > lines || u.JobID == "" || u.JobIDRaw == "" {
				t.Fatalf("record %+v: bad identity", u)
			}
			if u.ElapsedSec < 0 || u.CPUTimeSec < 0 || u.CPUs < 0 || u.NNodes < 0 || u.GPUs < 0 || u.MemReqGB < 0 || u.MemPeakGB < 0 || u.EnergyJ < 0 {
				t.Fatalf("record %+v: negative quantity", u)
			}
			if u.GPUUtil < 0 || u.GPUUtil > 1 || math.IsNaN(u.GPUUtil) || u.HasGPUUtil && u.GPUs == 0 {
				t.Fatalf("record %+v: GPU utilisation", u)
			}
			if !u.Start.IsZero() && !u.End.IsZero() && u.End.Before(u.Start) {
				t.Fatalf("record %+v: ends before it starts", u)
			}
			if u.CPUs > 0 && u.CPUTimeSec > float64(u.ElapsedSec)*float64(u.CPUs)*1.05+cpuSlack.Seconds()*float64(u.CPUs) {
				t.Fatalf("record %+v: more CPU time than the allocation", u)
			}
			if u.State == "" || u.Source != "sacct" {
				t.Fatalf("record %+v: no state or source", u)
			}
		}
		if r.Err() != nil {
			t.Fatalf("Err() = %v reading from memory", r.Err())
		}
		if plain.Scan() {
			t.Fatalf("the input cut by the parser has more than %d items", items)
		}
		if s := r.Stats(); s.Jobs+s.RowErrors != items {
			t.Fatalf("stats %+v, but %d items", s, items)
		}
	})
}
