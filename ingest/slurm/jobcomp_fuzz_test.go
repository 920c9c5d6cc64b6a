package slurm

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labcarbon"
)

// FuzzJobcompReader feeds whole logs to the jobcomp reader: it must never
// panic, must return exactly one of record and bad row, and what it
// returns must satisfy the invariants the pipeline relies on.
func FuzzJobcompReader(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "jobcomp", "*.log"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
	f.Add([]byte("JobId=1 UserId=u(1) GroupId=g(2) Name=n JobState=COMPLETED Partition=p TimeLimit=1 StartTime=1 EndTime=2 NodeList=n NodeCnt=1 ProcCnt=1 WorkDir=w Gres=PER_NODE:gpu:k80:2 ArrayJobId=1 ArrayTaskId=2 ExitCode=1:2"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		opts := JobcompOptions{Cluster: "c"}
		if mode%2 == 1 {
			opts.Location = time.FixedZone("X", -5*3600)
		}
		r, err := NewJobcompReader(bytes.NewReader(data), "fuzz.log", opts)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.log") {
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
			if why := insane(u, labcarbon.SourceJobcomp, lines); why != "" {
				t.Fatalf("record %+v: %s", u, why)
			}
			if u.CPUTimeSec != 0 || u.HasMemPeak || u.HasGPUUtil || u.EnergyJ != 0 {
				t.Fatalf("record %+v: a jobcomp line has no usage", u)
			}
		}
		if r.Err() != nil {
			t.Fatalf("Err() = %v reading from memory", r.Err())
		}
		if s := r.Stats(); s.Jobs+s.RowErrors != items {
			t.Fatalf("stats %+v, but %d items", s, items)
		}
	})
}
