package slurm

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"labcarbon/ingest"
)

// drain reads a whole input the way the pipeline does, checking that every
// item is exactly one of a record and a bad row.
func drain(t testing.TB, r ingest.Reader) []goldenItem {
	t.Helper()
	var items []goldenItem
	for r.Scan() {
		u, bad := r.Record()
		if (u == nil) == (bad == nil) {
			t.Fatalf("Record returned %v, %v: want exactly one", u, bad)
		}
		if u != nil {
			c := *u
			items = append(items, goldenItem{Usage: &c})
		} else {
			items = append(items, goldenItem{Bad: bad})
		}
	}
	if err := r.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	return items
}

// checkGolden compares v, as indented JSON, with the golden file path;
// go test -update rewrites the file instead.
func checkGolden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		os.WriteFile(path+".got", got, 0o644)
		t.Errorf("output differs from %s; see %s.got (go test -update accepts it)", path, path)
	}
}

// TestJSONReaderGolden reads every JSON sample: the same jobs in the shape
// of each Slurm release from 21.08 to 24.11 (slurm-*.json), jobs that must
// be quarantined one by one (bad.json), and two sacct runs appended to one
// file (concat.json).
func TestJSONReaderGolden(t *testing.T) {
	paths, _ := filepath.Glob("testdata/json/*.json")
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := NewJSONReader(f, filepath.Base(path), JSONOptions{Cluster: "default"})
			if err != nil {
				t.Fatal(err)
			}
			items := drain(t, r)
			checkGolden(t, strings.TrimSuffix(path, ".json")+".golden", struct {
				Items []goldenItem
				Stats JSONStats
			}{items, r.Stats()})
		})
	}
}

// TestJSONReaderBadJobs pins what bad.json must give, so that a golden file
// accepted with -update cannot quietly change it.
func TestJSONReaderBadJobs(t *testing.T) {
	f, err := os.Open("testdata/json/bad.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewJSONReader(f, "bad.json", JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids, bad []string
	for _, it := range drain(t, r) {
		if it.Usage != nil {
			ids = append(ids, it.Usage.JobID)
		} else {
			bad = append(bad, it.Bad.Field)
		}
	}
	// 9009 is requeued: its second run replaces the first. 9018 is
	// requeued and not run again: it comes at the end, as it is.
	wantIDs := []string{"9001", "9007", "9009", "9014_[1-3,5%2]", "9016", "9017", "9018"}
	wantBad := []string{"user", "time.limit", "time.elapsed", "time.end", "time.total",
		"steps[1].tres.requested.total[0].count", "job_id", "state.current", "exit_code.status",
		"time.submission", "tres.allocated[0].count", "steps"}
	if strings.Join(ids, " ") != strings.Join(wantIDs, " ") {
		t.Errorf("records %v, want %v", ids, wantIDs)
	}
	if strings.Join(bad, " ") != strings.Join(wantBad, " ") {
		t.Errorf("quarantined fields %v, want %v", bad, wantBad)
	}
	if s := r.Stats(); s.Duplicates != 1 || s.Jobs != len(wantIDs) || s.RowErrors != len(wantBad) {
		t.Errorf("stats %+v", s)
	}
}

// TestNewJSONReaderRejects checks that input which is not sacct --json
// output fails at once, with one error that names the file.
func TestNewJSONReaderRejects(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "empty input"},
		{"blank", " \n\t\n", "empty input"},
		{"array", `[{"job_id": 1}]`, "the input is an array"},
		{"string", `"jobs"`, `the input is the string "jobs"`},
		{"number", `42`, "the input is the value 42"},
		{"no jobs", `{"meta": {}, "errors": []}`, `no "jobs" array`},
		{"jobs null", `{"jobs": null}`, `"jobs" is null, not an array`},
		{"jobs object", `{"jobs": {"1": {}}}`, `"jobs" is "{", not an array`},
		{"sacct text", "JobID|State|Elapsed\n1|COMPLETED|00:01:00\n", "not sacct --json output: invalid character"},
		{"cut", `{"meta": {"plugin": `, "ends inside the JSON object"},
		{"sacct errors", `{"errors": [{"description": "Unable to query jobs", "error_number": 7000}], "jobs": []}`, "sacct reported 1 error(s), the first: Unable to query jobs"},
		{"bad syntax", "{\n\"meta\": {,}}", "in.json:2: invalid character"},
		{"read error", "", "disk on fire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in io.Reader = strings.NewReader(tt.input)
			if tt.name == "read error" {
				in = iotest.ErrReader(errors.New("disk on fire"))
			}
			r, err := NewJSONReader(in, "in.json", JSONOptions{})
			if err == nil {
				t.Fatalf("NewJSONReader succeeded (%+v), want error containing %q", r.Stats(), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "in.json") {
				t.Errorf("error %q: want it to name in.json and contain %q", err, tt.want)
			}
		})
	}
}

// TestJSONReaderStops checks the errors that stop a reader after its
// start: JSON that breaks off or goes wrong midway, and errors sacct
// reported after its jobs. Jobs read before are returned; the pipeline
// drops the input all the same.
func TestJSONReaderStops(t *testing.T) {
	const job = `{"job_id": 1, "state": {"current": "COMPLETED"}, "time": {"start": 10, "end": 70, "elapsed": 60}}`
	tests := []struct {
		name, input, want string
		jobs              int
	}{
		{"cut inside a job", `{"jobs": [` + job + `, {"job_id": 2, "na`, "in.json:1: the input ends inside the JSON object", 1},
		{"cut between jobs", "{\"jobs\": [\n" + job + ",\n", "in.json:3: the input ends inside the JSON object", 1},
		{"bad syntax", "{\"jobs\": [\n" + job + ",\n{\"job_id\": 2,,}]}", "in.json:3: invalid character ','", 1},
		{"errors after jobs", `{"jobs": [` + job + `], "errors": [{"error": "Slurmdbd down"}]}`, "sacct reported 1 error(s), the first: Slurmdbd down", 1},
		{"garbage after", `{"jobs": [` + job + `]} x`, "invalid character 'x'", 1},
		{"array after", `{"jobs": []} []`, "an array after the end of the JSON object", 0},
		{"second without jobs", `{"jobs": [` + job + `]} {"meta": {}}`, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewJSONReader(strings.NewReader(tt.input), "in.json", JSONOptions{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for r.Scan() {
				if u, bad := r.Record(); u == nil {
					t.Fatalf("bad row %v", bad)
				}
				n++
			}
			err = r.Err()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Err() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Err() = %v, want an error containing %q", err, tt.want)
			}
			if n != tt.jobs {
				t.Errorf("%d jobs before the error, want %d", n, tt.jobs)
			}
		})
	}
}

func TestJSONNum(t *testing.T) {
	tests := []struct {
		in   string
		want jsonNum
	}{
		{`42`, jsonNum{v: 42, set: true}},
		{`-2`, jsonNum{v: -2, set: true}},
		{`null`, jsonNum{}},
		{`18446744073709551614`, jsonNum{}}, // NO_VAL64
		{`{"set": true, "infinite": false, "number": 60}`, jsonNum{v: 60, set: true}},
		{`{"set": false, "infinite": false, "number": 0}`, jsonNum{}},
		{`{"set": false, "infinite": true, "number": 0}`, jsonNum{inf: true}},
		{`{"number": 7}`, jsonNum{v: 7, set: true}},
		{`1.5`, jsonNum{bad: "1.5"}},
		{`"60"`, jsonNum{bad: `"60"`}},
		{`{"set": true, "number": "x"}`, jsonNum{bad: `{"set":true,"number":"x"}`}},
		{`[1]`, jsonNum{bad: "[1]"}},
	}
	for _, tt := range tests {
		var n jsonNum
		if err := json.Unmarshal([]byte(tt.in), &n); err != nil || n != tt.want {
			t.Errorf("%s: got %+v, %v; want %+v", tt.in, n, err, tt.want)
		}
	}
}

func TestJSONFlags(t *testing.T) {
	tests := []struct {
		in, state string
		running   bool
	}{
		{`"COMPLETED"`, "COMPLETED", false},
		{`["COMPLETED"]`, "COMPLETED", false},
		{`["RUNNING"]`, "RUNNING", true},
		{`"RUNNING"`, "RUNNING", true},
		{`["RUNNING", "COMPLETING"]`, "COMPLETING", false}, // job_state_string shows the flag
		{`["PENDING", "REQUEUED"]`, "REQUEUED", false},
		{`["FAILED", "LAUNCH_FAILED"]`, "FAILED", false},
		{`null`, "", false},
	}
	for _, tt := range tests {
		var f jsonFlags
		if err := json.Unmarshal([]byte(tt.in), &f); err != nil || f.bad != "" {
			t.Fatalf("%s: %v %q", tt.in, err, f.bad)
		}
		if f.state() != tt.state || f.beforeComplete() != tt.running {
			t.Errorf("%s: state %q before complete %v; want %q %v", tt.in, f.state(), f.beforeComplete(), tt.state, tt.running)
		}
	}
}

func TestStartIsEligible(t *testing.T) {
	for _, tt := range []struct {
		release, plugin string
		want            bool
	}{
		{"21.08.8", "openapi/dbv0.0.37", true},
		{"22.05.7", "openapi/dbv0.0.38", true},
		{"22.05.8", "openapi/dbv0.0.38", false},
		{"23.02.6", "", false},
		{"", "openapi/dbv0.0.37", true},
		{"", "openapi/dbv0.0.38", false},
		{"", "", false},
	} {
		if got := startIsEligible(tt.release, tt.plugin); got != tt.want {
			t.Errorf("startIsEligible(%q, %q) = %v", tt.release, tt.plugin, got)
		}
	}
}

func TestArrayTasks(t *testing.T) {
	for in, want := range map[string]string{
		"0xE":     "1-3",
		"0x2E":    "1-3,5",
		"0x1":     "0",
		"0x8000":  "15",
		"0xF0F0":  "4-7,12-15",
		"0xfF":    "0-7",
		"1-3":     "1-3", // already translated
		"0x":      "0x",
		"0xZZ":    "0xZZ",
		"0x00000": "",
	} {
		if got := arrayTasks(in, 0); got != want {
			t.Errorf("arrayTasks(%q) = %q, want %q", in, got, want)
		}
	}
	if got := arrayTasks("0x2E", 4); got != "1-3,5%4" {
		t.Errorf("arrayTasks with a limit = %q", got)
	}
}

func TestJSONExitCode(t *testing.T) {
	tests := []struct {
		in, state, want string
	}{
		{`{"status": "SUCCESS", "return_code": 0}`, "COMPLETED", "0:0"},
		{`{"status": "SUCCESS", "return_code": 0}`, "FAILED", ""}, // status lost up to v0.0.39
		{`{"status": "SIGNALED", "signal": {"signal_id": 9, "name": "Killed"}}`, "CANCELLED", "0:9"},
		{`{"status": "SIGNALED", "return_code": -127, "signal": {"signal_id": 125}}`, "OUT_OF_MEMORY", "0:125"},
		{`{"status": "PENDING"}`, "PENDING", ""},
		{`{"status": ["SUCCESS"], "return_code": {"set": true, "infinite": false, "number": 0}}`, "FAILED", "0:0"},
		{`{"status": ["ERROR"], "return_code": {"set": true, "infinite": false, "number": 2}}`, "FAILED", "2:0"},
		{`{"status": ["ERROR"], "return_code": {"set": true, "infinite": false, "number": 137}}`, "FAILED", "9:0"},
		{`{"status": ["SIGNALED"], "signal": {"id": {"set": true, "infinite": false, "number": 15}, "name": "TERM"}}`, "TIMEOUT", "0:15"},
		{`{"status": ["CORE_DUMPED"]}`, "FAILED", ""},
		{`{}`, "COMPLETED", ""},
	}
	for _, tt := range tests {
		var e jsonExit
		if err := json.Unmarshal([]byte(tt.in), &e); err != nil {
			t.Fatal(err)
		}
		st, _ := ParseState(tt.state)
		if got := e.sacct(st); got != tt.want {
			t.Errorf("%s as %s: %q, want %q", tt.in, tt.state, got, tt.want)
		}
	}
}

func TestJSONFieldsInt(t *testing.T) {
	var f jsonFields
	for _, n := range []jsonNum{{v: -2, set: true}, {v: -1, set: true}, {inf: true}, {}} {
		if v := f.int(n, "x"); v != 0 || f.err != nil {
			t.Errorf("int(%+v) = %d, %v; want 0 as no value", n, v, f.err)
		}
	}
	if v := f.count(jsonNum{v: noVal32, set: true}, "x"); v != 0 || f.err != nil {
		t.Errorf("count(NO_VAL) = %d, %v", v, f.err)
	}
	f.step = 3
	if f.int(jsonNum{v: -3, set: true}, "time.elapsed"); f.err == nil || f.field != "steps[3].time.elapsed" {
		t.Errorf("int(-3): field %q, %v; want an error in steps[3].time.elapsed", f.field, f.err)
	}
}
