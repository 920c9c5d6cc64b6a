package slurm

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"labcarbon"
	"labcarbon/ingest"
)

// insane returns what is wrong with a record the pipeline would store, or
// "" when it satisfies the invariants every reader guarantees.
func insane(u *labcarbon.Usage, source labcarbon.SourceKind, lines int) string {
	switch {
	case u.Source != source || u.State == "":
		return "no state or the wrong source"
	case u.SourceLine < 1 || u.SourceLine > lines:
		return fmt.Sprintf("line %d of %d", u.SourceLine, lines)
	case u.JobID == "" || u.JobIDRaw == "" || strings.Trim(u.JobIDRaw, "0123456789") != "":
		return "bad identity"
	case u.ElapsedSec < 0 || u.TimelimitSec < 0 || u.CPUTimeSec < 0 || u.CPUs < 0 || u.NNodes < 0 || u.GPUs < 0 ||
		u.MemReqGB < 0 || u.MemPeakGB < 0 || u.EnergyJ < 0:
		return "negative quantity"
	case math.IsNaN(u.CPUTimeSec) || math.IsInf(u.MemReqGB, 0) || math.IsNaN(u.MemReqGB) || math.IsInf(u.EnergyJ, 0):
		return "not a number"
	case u.GPUUtil < 0 || u.GPUUtil > 1 || math.IsNaN(u.GPUUtil) || u.HasGPUUtil && u.GPUs == 0:
		return "GPU utilisation"
	case !u.Start.IsZero() && !u.End.IsZero() && u.End.Before(u.Start):
		return "ends before it starts"
	case u.CPUs > 0 && u.CPUTimeSec > float64(u.ElapsedSec)*float64(u.CPUs)*1.05+cpuSlack.Seconds()*float64(u.CPUs):
		return "more CPU time than the allocation"
	case u.Start.IsZero() && (u.CPUTimeSec != 0 || u.HasMemPeak || u.EnergyJ != 0):
		return "usage for a job that never started"
	}
	return ""
}

// badRowInsane returns what is wrong with a quarantined row, or "".
func badRowInsane(bad *ingest.RowError, data []byte, lines int) string {
	switch {
	case bad.Line < 1 || bad.Line > lines:
		return fmt.Sprintf("line %d of %d", bad.Line, lines)
	case bad.Reason == "" || len(bad.Raw) > maxRaw:
		return "no reason, or too much raw text"
	case !utf8.ValidString(bad.Raw) && utf8.Valid(data):
		return "raw text cut inside a character"
	}
	return ""
}

// FuzzJSONReader feeds whole inputs to the JSON reader: it must never
// panic, must return exactly one of record and bad row, and what it
// returns must satisfy the invariants the pipeline relies on.
func FuzzJSONReader(f *testing.F) {
	if data, err := os.ReadFile("testdata/json/concat.json"); err == nil {
		f.Add(data)
	}
	for _, seed := range []string{
		`{"jobs": [{"job_id": 7, "state": {"current": "COMPLETED"}, "time": {"start": 100, "end": 160, "elapsed": 60, "limit": 5}, "tres": {"allocated": [{"type": "cpu", "count": 2}, {"type": "gres", "name": "gpu:a100", "count": 1}]}, "steps": [{"state": "COMPLETED", "time": {"elapsed": 60, "total": {"seconds": 50, "microseconds": 5}}, "tres": {"requested": {"total": [{"type": "mem", "count": 1048576}, {"type": "gres", "name": "gpuutil", "count": 80}]}}}]}]}`,
		`{"meta": {"plugin": {"type": "openapi/dbv0.0.37"}, "Slurm": {"release": "21.08.8"}}, "jobs": [{"job_id": 8, "nodes": "n1", "array": {"job_id": 7, "task_id": 3}, "state": {"current": "RUNNING"}, "exit_code": {"status": "SUCCESS", "return_code": 0}, "time": {"start": 90, "elapsed": 30}, "steps": [{"time": {"start": 100}}]}]}`,
		`{"jobs": [{"job_id": {"set": true, "infinite": false, "number": 9}, "het": {"job_id": 9, "job_offset": {"set": true, "number": 1}}, "state": {"current": ["PENDING", "REQUEUED"]}, "exit_code": {"status": ["ERROR"], "return_code": {"set": true, "number": 2}}, "time": {"limit": {"infinite": true}}, "required": {"memory_per_cpu": {"set": true, "number": 100}, "memory": -9223372036854774808}, "array": {"job_id": 9, "task": "0x2E"}}], "errors": []}`,
		`{"jobs": [], "errors": [{"description": "x"}]}`,
		`{"jobs": [{"job_id": 1}, {"job_id": 1}, {"job_id": "2"}]} {"jobs": []}`,
		`[1, 2]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewJSONReader(bytes.NewReader(data), "fuzz.json", JSONOptions{})
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		items := 0
		for r.Scan() {
			items++
			u, bad := r.Record()
			if (u == nil) == (bad == nil) {
				t.Fatalf("Record() = %v, %v: want exactly one", u, bad)
			}
			if bad != nil {
				if why := badRowInsane(bad, data, lines); why != "" {
					t.Fatalf("bad row %+v: %s", bad, why)
				}
				continue
			}
			if why := insane(u, labcarbon.SourceSacctJSON, lines); why != "" {
				t.Fatalf("record %+v: %s", u, why)
			}
		}
		if err := r.Err(); err != nil && !strings.Contains(err.Error(), "fuzz.json:") {
			t.Fatalf("error %q does not name the file and line", err)
		}
		if s := r.Stats(); s.Jobs+s.RowErrors != items {
			t.Fatalf("stats %+v, but %d items", s, items)
		}
	})
}
