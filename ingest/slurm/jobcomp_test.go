package slurm

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"labcarbon"
)

// jobcompCases lists the jobcomp samples and the options they are read
// with; each has a .golden file holding what the reader returns for it.
func jobcompCases(t testing.TB) []struct {
	file string
	opts JobcompOptions
} {
	return []struct {
		file string
		opts JobcompOptions
	}{
		// The jobs of testdata/json, as 23.02 and later log them, in
		// Berlin local time (TestSameJobsEveryFormat compares them).
		{"equiv.log", JobcompOptions{Location: mustZone(t, "Europe/Berlin")}},
		// 22.05: a requeued job logged for each run, a requeued run
		// without a second, OUT_OF_MEMORY,
		// UNLIMITED, a job without user, account, cluster or times, an
		// exit status of 137, the select plugin's text after ExitCode=.
		{"v2205.log", JobcompOptions{Cluster: "default"}},
		// 19.05 and 20.02: Gres= with per-job, per-node and per-task
		// requests, an array task and a het component.
		{"v2002.log", JobcompOptions{Location: mustZone(t, "America/Los_Angeles")}},
		// 17.11 and 18.08: Gres= with the job's total.
		{"v1711.log", JobcompOptions{}},
		// 17.02 and earlier: lines stop after WorkDir=.
		{"v1702.log", JobcompOptions{Cluster: "old"}},
		// Names and work directories with spaces, "=", key names, UTF-8.
		{"names.log", JobcompOptions{}},
		// Lines to quarantine between good ones.
		{"bad.log", JobcompOptions{}},
	}
}

func TestJobcompReaderGolden(t *testing.T) {
	for _, tc := range jobcompCases(t) {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "jobcomp", tc.file)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := NewJobcompReader(f, tc.file, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			items := drain(t, r)
			checkGolden(t, strings.TrimSuffix(path, ".log")+".golden", struct {
				Items []goldenItem
				Stats JobcompStats
			}{items, r.Stats()})
		})
	}
}

// TestJobcompHandChecked pins values of the samples worked out by hand, so
// that a golden file accepted with -update cannot quietly change them.
func TestJobcompHandChecked(t *testing.T) {
	read := func(file string, opts JobcompOptions) ([]labcarbon.Usage, map[int]string) {
		f, err := os.Open(filepath.Join("testdata", "jobcomp", file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := NewJobcompReader(f, file, opts)
		if err != nil {
			t.Fatal(err)
		}
		var us []labcarbon.Usage
		bad := map[int]string{}
		for _, it := range drain(t, r) {
			if it.Usage != nil {
				us = append(us, *it.Usage)
			} else {
				bad[it.Bad.Line] = it.Bad.Field
			}
		}
		return us, bad
	}

	us, _ := read("names.log", JobcompOptions{})
	for i, want := range []string{"a=b c=d", "  leading and trailing ", "", "résumé ☃ Tres=x"} {
		if us[i].Name != want {
			t.Errorf("names.log job %d: name %q, want %q", i+1, us[i].Name, want)
		}
	}

	us, _ = read("v2205.log", JobcompOptions{Cluster: "default"})
	byLine := map[int]*labcarbon.Usage{}
	for i := range us {
		byLine[us[i].SourceLine] = &us[i]
	}
	// Line 2 is the first run of job 3102, logged as PENDING when it was
	// requeued: line 4, its second run, replaces it. Line 8 is a
	// requeued run without a second: it comes last, as REQUEUED.
	if byLine[2] != nil || byLine[4] == nil || byLine[4].State != labcarbon.StateCompleted {
		t.Errorf("requeued job 3102: %+v, %+v", byLine[2], byLine[4])
	}
	if u := us[len(us)-1]; u.SourceLine != 8 || u.State != "REQUEUED" || u.ElapsedSec != 1800 || u.Start.IsZero() {
		t.Errorf("requeued run not run again: %+v", u)
	}
	// Line 5: nobody's job, never ran, NO_VAL time limit, Cluster=unknown.
	if u := byLine[5]; u.User != "1099" || u.Cluster != "default" || u.TimelimitSec != 0 || !u.Submit.IsZero() || u.CPUs != 1 || u.NNodes != 1 {
		t.Errorf("orphan: %+v", u)
	}
	// Line 6: exit status 137 reads as sacct prints it.
	if u := byLine[6]; u.ExitCode != "9:0" {
		t.Errorf("exit code %q, want 9:0", u.ExitCode)
	}
	if u := byLine[7]; u.ExitCode != "0:0" || u.NNodes != 2 || u.CPUs != 128 {
		t.Errorf("line with select text: %+v", u)
	}

	us, _ = read("v2002.log", JobcompOptions{})
	for i, want := range []struct {
		gpus  int
		model string
		id    string
	}{{4, "v100", "4101"}, {1, "", "4100_7"}, {0, "", "4103+0"}} {
		if us[i].GPUs != want.gpus || us[i].GPUModel != want.model || us[i].JobID != want.id {
			t.Errorf("v2002.log job %d: %d %q %s; want %+v", i+1, us[i].GPUs, us[i].GPUModel, us[i].JobID, want)
		}
	}

	us, _ = read("v1702.log", JobcompOptions{Cluster: "old"})
	if u := us[0]; u.Cluster != "old" || u.CPUs != 64 || u.NNodes != 4 || u.ElapsedSec != 3600 || u.Name != "old job" || u.ExitCode != "" || u.Group != "users" {
		t.Errorf("17.02 line: %+v", u)
	}

	_, bad := read("bad.log", JobcompOptions{})
	for line, field := range map[int]string{3: "EndTime", 4: "JobState", 5: "EndTime", 6: "StartTime", 7: "ExitCode", 8: "Tres", 9: "JobId", 10: "JobId", 11: "NodeCnt"} {
		if got, ok := bad[line]; !ok || got != field {
			t.Errorf("bad.log line %d: quarantined %v for %q, want %q", line, ok, got, field)
		}
	}
}

// TestNewJobcompReaderRejects checks that input which is not a jobcomp log
// fails at once, with one error that names the file.
func TestNewJobcompReaderRejects(t *testing.T) {
	for name, input := range map[string]string{
		"sacct text": "JobID|State|Elapsed\n1|COMPLETED|00:01:00\n",
		"json":       `{"jobs": []}`,
		"binary":     "JobId=\x00\x01",
		"read error": "",
	} {
		t.Run(name, func(t *testing.T) {
			var in io.Reader = strings.NewReader(input)
			want := "not a jobcomp/filetxt log"
			if name == "read error" {
				in, want = iotest.ErrReader(errors.New("disk on fire")), "disk on fire"
			}
			_, err := NewJobcompReader(in, "jobcomp.log", JobcompOptions{})
			if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "jobcomp.log") {
				t.Errorf("NewJobcompReader = %v, want an error naming jobcomp.log and containing %q", err, want)
			}
		})
	}
	r, err := NewJobcompReader(strings.NewReader("\n\n"), "empty.log", JobcompOptions{})
	if err != nil || r.Scan() || r.Err() != nil {
		t.Errorf("an empty log should be no jobs: %v", err)
	}
}

func TestJobcompSplit(t *testing.T) {
	const tail = " JobState=COMPLETED Partition=p TimeLimit=1 StartTime=Unknown EndTime=Unknown NodeList=(null) NodeCnt=0 ProcCnt=0 WorkDir="
	tests := []struct {
		line         string
		name, wd, ec string
		missing      string
	}{
		{line: "JobId=1 UserId=u(1) GroupId=g(1) Name=x" + tail + "/w", name: "x", wd: "/w"},
		{line: "JobId=1 UserId=u(1) GroupId=g(1) Name=" + tail + "/w  ", name: "", wd: "/w"},
		{line: "JobId=1 UserId=u(1) GroupId=g(1) Name=x y=z" + tail + "/a b ReservationName= Tres= Account=a QOS=q WcKey= Cluster=c SubmitTime=Unknown EligibleTime=Unknown DerivedExitCode=0:0 ExitCode=2:0 ", name: "x y=z", wd: "/a b", ec: "2:0"},
		{line: "JobId=1 UserId=u(1) GroupId=g(1) Name=x" + tail + "/w ReservationName= Tres= Account=a Extra=1 QOS=q ExitCode=0:9 Site=x y", name: "x", wd: "/w", ec: "0:9"},
		{line: "JobId=1 UserId=u(1) Name=x" + tail + "/w", missing: "GroupId"},
		{line: "JobID=1 UserId=u(1)", missing: "JobId"},
		{line: "JobId=1 UserId=u(1) GroupId=g(1) Name=x JobState=COMPLETED", missing: "Partition"},
	}
	for _, tt := range tests {
		var l jcLine
		missing, ok := l.split(tt.line)
		if missing != tt.missing || ok != (tt.missing == "") {
			t.Errorf("split(%q) missing %q, want %q", tt.line, missing, tt.missing)
			continue
		}
		if ok && (l.val[jcName] != tt.name || l.val[jcWorkDir] != tt.wd || l.val[jcExitCode] != tt.ec) {
			t.Errorf("split(%q): name %q workdir %q exit %q", tt.line, l.val[jcName], l.val[jcWorkDir], l.val[jcExitCode])
		}
	}
}

func TestParseGres(t *testing.T) {
	tests := []struct {
		in    string
		nodes int
		gpus  int
		model string
	}{
		{"", 1, 0, ""},
		{"NONE", 2, 0, ""},
		{"gpu:4", 2, 4, ""},          // 17.11: the job's total
		{"gpu:4,mic:0", 1, 4, ""},    // other GRES are not GPUs
		{"gpu", 1, 1, ""},            // no count is one
		{"PER_NODE:gpu:2", 3, 6, ""}, // 19.05: per node
		{"PER_NODE:gpu:V100:2", 2, 4, "v100"},
		{"PER_JOB:gpu:a100:3 PER_NODE:gpu:1", 2, 5, "a100"},
		{"PER_TASK:gpu:1", 4, 0, ""},     // per task cannot be counted
		{"PER_JOB:gres:gpu:2", 1, 2, ""}, // with the gres: prefix of later versions
		{"PER_JOB:gpu:tesla", 1, 1, "tesla"},
	}
	for _, tt := range tests {
		gpus, model, err := parseGres(tt.in, tt.nodes)
		if err != nil || gpus != tt.gpus || model != tt.model {
			t.Errorf("parseGres(%q, %d) = %d, %q, %v; want %d, %q", tt.in, tt.nodes, gpus, model, err, tt.gpus, tt.model)
		}
	}
	if _, _, err := parseGres("gpu:99999999999", 1); err == nil {
		t.Error("parseGres accepted a huge count")
	}
}

func TestJobcompScalars(t *testing.T) {
	for in, want := range map[string]string{"alice(1001)": "alice", "(null)(1099)": "1099", "(1099)": "1099", "bob": "bob", "a(b)(7)": "a(b)"} {
		if got := idName(in); got != want {
			t.Errorf("idName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int64{"60": 3600, "UNLIMITED": 0, "Partition_Limit": 0, "4294967294": 0, "": 0} {
		if got, err := timeLimit(in); err != nil || got != want {
			t.Errorf("timeLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "1h", "999999999999"} {
		if _, err := timeLimit(in); err == nil {
			t.Errorf("timeLimit(%q) succeeded", in)
		}
	}
	for in, want := range map[string]string{"0:0": "0:0", "1:0": "1:0", "0:9": "0:9", "137:0": "9:0", "255:0": "127:0"} {
		if got, err := parseExitCode(in); err != nil || got != want {
			t.Errorf("parseExitCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "0:", ":0", "256:0", "a:b", "-1:0"} {
		if _, err := parseExitCode(in); err == nil {
			t.Errorf("parseExitCode(%q) succeeded", in)
		}
	}
	if _, err := (&JobcompReader{opts: JobcompOptions{Location: time.UTC}}).time("unknown"); err != nil {
		t.Errorf("time(unknown): %v", err)
	}
}
