package slurm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// liveHelpformat is what Slurm 22.05's sacct --helpformat prints, less
// ConsumedEnergyRaw and NCPUS (to test the intersection and the
// alternatives).
const liveHelpformat = `Account             AdminComment        AllocCPUS           AllocNodes
AllocTRES           AssocID             AveCPU              AveCPUFreq
Cluster             Comment             Elapsed             ElapsedRaw
Eligible            End                 ExitCode            Group
JobID               JobIDRaw            JobName             MaxRSS
NNodes              NodeList            NTasks              Partition
QOS                 ReqMem              ReqTRES             Start
State               Submit              TimelimitRaw        TotalCPU
TRESUsageInTot      UID                 User                WorkDir
`

// liveOutput is -P output for the fields Live asks for given
// liveHelpformat: two jobs, one with steps.
const liveOutput = `JobID|JobIDRaw|User|UID|Group|Account|Partition|QOS|Cluster|State|ExitCode|Submit|Start|End|Elapsed|ElapsedRaw|TimelimitRaw|NNodes|AllocCPUS|NTasks|NodeList|ReqMem|ReqTRES|AllocTRES|TotalCPU|MaxRSS|TRESUsageInTot|WorkDir|JobName
22|22|alice|1001|alice|laba|debug|normal|localcluster|COMPLETED|0:0|2026-11-24T01:28:14|2026-11-24T01:28:15|2026-11-24T01:28:20|00:00:05|5|5|1|1||localhost|1000M|billing=1,cpu=1,mem=1000M,node=1|billing=1,cpu=1,mem=1000M,node=1|00:03.419|||/home/alice|lc-busy1
22.batch|22.batch||||laba|||localcluster|COMPLETED|0:0|2026-11-24T01:28:15|2026-11-24T01:28:15|2026-11-24T01:28:20|00:00:05|5||1|1|1|localhost|||cpu=1,mem=1000M,node=1|00:03.409|744K|cpu=00:00:03,energy=0,fs/disk=15232,mem=744K,pages=2,vmem=1428K||batch
23|23|bob|1002|bob|labb|debug|normal|localcluster|FAILED|1:0|2026-11-24T01:28:14|2026-11-24T01:28:20|2026-11-24T01:28:21|00:00:01|1|5|1|1||localhost|1000M|billing=1,cpu=1,mem=1000M,node=1|billing=1,cpu=1,mem=1000M,node=1|00:00.030|||/home/bob|lc-exit1
`

// liveFakeSacct writes an executable sacct stand-in into a temporary directory
// and returns its path. It answers --helpformat with liveHelpformat, records
// its arguments and environment in args.txt and env.txt next to it, and
// otherwise runs body.
func liveFakeSacct(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake sacct is a shell script")
	}
	dir := t.TempDir()
	script := "#!/bin/sh\n" +
		"dir=$(dirname \"$0\")\n" +
		"if [ \"$1\" = --helpformat ]; then cat \"$dir/helpformat.txt\"; exit 0; fi\n" +
		"printf '%s\\n' \"$@\" >\"$dir/args.txt\"\n" +
		"env >\"$dir/env.txt\"\n" +
		body + "\n"
	files := map[string]string{
		"sacct":          script,
		"helpformat.txt": liveHelpformat,
		"output.txt":     liveOutput,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "sacct")
}

// window is the window the tests ask for.
var (
	liveStart = time.Date(2026, 11, 24, 1, 28, 0, 0, time.UTC)
	liveEnd   = time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
)

// drainLive drains r and returns the job ids read and the number of bad rows.
func drainLive(t *testing.T, r *LiveReader) (ids []string, bad int) {
	t.Helper()
	for r.Scan() {
		u, rowErr := r.Record()
		if rowErr != nil {
			bad++
			continue
		}
		ids = append(ids, u.JobIDRaw)
	}
	return ids, bad
}

func TestLiveRunsSacct(t *testing.T) {
	sacct := liveFakeSacct(t, `cat "$dir/output.txt"; echo "sacct: warning: a harmless note" >&2`)
	t.Setenv("TZ", "Europe/Berlin")
	t.Setenv("SLURM_TIME_FORMAT", "%s")
	// A window given in another zone is still passed to sacct in UTC.
	berlin := time.FixedZone("CET", 3600)
	r, err := Live(context.Background(), liveStart.In(berlin), liveEnd, LiveOptions{
		Sacct: sacct,
		Args:  []string{"-M", "localcluster"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ids, bad := drainLive(t, r)
	if err := r.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	if want := []string{"22", "23"}; !slices.Equal(ids, want) || bad != 0 {
		t.Errorf("read %v and %d bad rows, want %v and none", ids, bad, want)
	}
	if got := r.Stderr(); !strings.Contains(got, "harmless note") {
		t.Errorf("Stderr() = %q, want sacct's warning", got)
	}

	dir := filepath.Dir(sacct)
	args, err := os.ReadFile(filepath.Join(dir, "args.txt"))
	if err != nil {
		t.Fatal(err)
	}
	wantFields := strings.Join(RecommendedFields, ",")
	wantFields = strings.Replace(wantFields, "NCPUS", "AllocCPUS", 1)
	wantFields = strings.Replace(wantFields, ",ConsumedEnergyRaw", "", 1)
	wantArgs := []string{"-M", "localcluster", "--allusers", "--duplicates", "--parsable2",
		"--starttime", "2026-11-24T01:28:00", "--endtime", "2026-11-24T02:00:00",
		"--format", wantFields}
	if got := strings.Split(strings.TrimSuffix(string(args), "\n"), "\n"); !slices.Equal(got, wantArgs) {
		t.Errorf("sacct ran with\n%q\nwant\n%q", got, wantArgs)
	}
	env, err := os.ReadFile(filepath.Join(dir, "env.txt"))
	if err != nil {
		t.Fatal(err)
	}
	envLines := strings.Split(string(env), "\n")
	if !slices.Contains(envLines, "TZ=UTC") || slices.Contains(envLines, "TZ=Europe/Berlin") {
		t.Errorf("sacct's environment lacks TZ=UTC or keeps the caller's TZ:\n%s", env)
	}
	if slices.ContainsFunc(envLines, func(s string) bool { return strings.HasPrefix(s, "SLURM_TIME_FORMAT=") }) {
		t.Errorf("sacct's environment keeps SLURM_TIME_FORMAT")
	}
	if got, want := r.Dropped(), []string{"NCPUS", "ConsumedEnergyRaw"}; !slices.Equal(got, want) {
		t.Errorf("Dropped() = %v, want %v", got, want)
	}
	if got := r.Fields(); !slices.Contains(got, "AllocCPUS") || slices.Contains(got, "NCPUS") {
		t.Errorf("Fields() = %v, want AllocCPUS in place of NCPUS", got)
	}
	// After the end, Scan stays false and Close is harmless.
	if r.Scan() {
		t.Error("Scan() true after the end")
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
}

func TestLiveSacctFails(t *testing.T) {
	sacct := liveFakeSacct(t, `echo 'sacct: error: Invalid field requested: "Restarts"' >&2; exit 1`)
	_, err := Live(context.Background(), liveStart, liveEnd, LiveOptions{Sacct: sacct})
	if err == nil {
		t.Fatal("Live succeeded with a failing sacct")
	}
	t.Logf("error: %v", err)
	var se *SacctError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SacctError", err, err)
	}
	if se.Status != 1 || !strings.Contains(se.Stderr, `Invalid field requested: "Restarts"`) {
		t.Errorf("SacctError status %d stderr %q, want 1 and sacct's message", se.Status, se.Stderr)
	}
	for _, want := range []string{"status 1", "Invalid field requested", "--parsable2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestLiveSacctFailsMidway(t *testing.T) {
	// The output is cut after the first job's batch step: sacct's failure
	// must surface in Err, and the job being folded must not be completed
	// from the cut output.
	sacct := liveFakeSacct(t, `head -n 3 "$dir/output.txt"; echo 'sacct: error: slurmdbd: connection lost' >&2; exit 2`)
	r, err := Live(context.Background(), liveStart, liveEnd, LiveOptions{Sacct: sacct})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ids, _ := drainLive(t, r)
	if len(ids) != 0 {
		t.Errorf("read jobs %v from output cut short by a failure", ids)
	}
	var se *SacctError
	if err := r.Err(); !errors.As(err, &se) || se.Status != 2 || !strings.Contains(err.Error(), "connection lost") {
		t.Errorf("Err() = %v, want exit status 2 with sacct's stderr", err)
	}
}

func TestLiveTimeout(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		// sacct hangs before printing anything: Live itself fails.
		{"silent", `exec sleep 30`},
		// sacct prints a header and hangs in a child that keeps its
		// output open after sacct itself is killed.
		{"header", `head -n 1 "$dir/output.txt"; sleep 5; echo done`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sacct := liveFakeSacct(t, tt.body)
			begin := time.Now()
			r, err := Live(context.Background(), liveStart, liveEnd, LiveOptions{Sacct: sacct, Timeout: 300 * time.Millisecond})
			if err == nil {
				drainLive(t, r)
				err = r.Err()
				r.Close()
			}
			if took := time.Since(begin); took > 300*time.Millisecond+liveWaitDelay+2*time.Second {
				t.Errorf("took %s to give up", took)
			}
			t.Logf("error: %v", err)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 300ms") {
				t.Errorf("error %v, want a timeout", err)
			}
		})
	}
}

func TestLiveStreams(t *testing.T) {
	// sacct that never stops: records must arrive while it runs, and
	// Close must stop it.
	sacct := liveFakeSacct(t, `echo 'JobIDRaw|State|ElapsedRaw|NCPUS'; i=0; while :; do i=$((i+1)); echo "$i|COMPLETED|10|1"; done`)
	r, err := Live(context.Background(), liveStart, liveEnd, LiveOptions{
		Sacct:  sacct,
		Fields: []string{"JobIDRaw", "State", "ElapsedRaw", "NCPUS", "Submit", "Start", "End"},
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for n < 500 && r.Scan() {
		if u, rowErr := r.Record(); rowErr != nil {
			t.Fatalf("row error %v", rowErr)
		} else if u.ElapsedSec != 10 {
			t.Fatalf("job %s elapsed %d, want 10", u.JobIDRaw, u.ElapsedSec)
		}
		n++
	}
	if n != 500 {
		t.Fatalf("read %d records, want 500 (Err %v)", n, r.Err())
	}
	done := make(chan error, 1)
	go func() { done <- r.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close() = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop sacct within 10 s")
	}
	if r.Scan() {
		t.Error("Scan() true after Close")
	}
	if err := r.Err(); err != nil {
		t.Errorf("Err() after Close = %v, want nil: stopping sacct was ours", err)
	}
}

func TestLiveRefuses(t *testing.T) {
	sacct := liveFakeSacct(t, `cat "$dir/output.txt"`)
	tests := []struct {
		name  string
		start time.Time
		end   time.Time
		opts  LiveOptions
		want  string
	}{
		{"empty window", liveEnd, liveStart, LiveOptions{Sacct: sacct}, "must be before"},
		{"zero start", time.Time{}, liveEnd, LiveOptions{Sacct: sacct}, "must be before"},
		{"noheader", liveStart, liveEnd, LiveOptions{Sacct: sacct, Args: []string{"--noheader"}}, `"--noheader"`},
		{"format", liveStart, liveEnd, LiveOptions{Sacct: sacct, Args: []string{"--format=JobID"}}, `"--format=JobID"`},
		{"essential missing", liveStart, liveEnd, LiveOptions{Sacct: sacct, Fields: []string{"JobID", "Elapsed"}},
			"essential sacct fields missing"},
		{"no such sacct", liveStart, liveEnd, LiveOptions{Sacct: filepath.Join(t.TempDir(), "nosacct")}, "nosacct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Live(context.Background(), tt.start, tt.end, tt.opts)
			if err == nil {
				r.Close()
				t.Fatal("Live succeeded")
			}
			t.Logf("error: %v", err)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestLiveNotSacct(t *testing.T) {
	// A program that prints something other than sacct output, and one
	// that prints nothing, are refused with the reader's reason.
	for name, body := range map[string]string{
		"prose": `echo 'Usage: sacct [options]'`,
		"empty": `exit 0`,
	} {
		t.Run(name, func(t *testing.T) {
			sacct := liveFakeSacct(t, body)
			r, err := Live(context.Background(), liveStart, liveEnd, LiveOptions{Sacct: sacct})
			if err == nil {
				r.Close()
				t.Fatal("Live succeeded")
			}
			t.Logf("error: %v", err)
			if !strings.Contains(err.Error(), "--parsable2") || !strings.Contains(err.Error(), "header") {
				t.Errorf("error %q names neither the command nor the missing header", err)
			}
		})
	}
}

func TestSelectFieldsEssentials(t *testing.T) {
	have := map[string]string{}
	for _, f := range strings.Fields(liveHelpformat) {
		have[strings.ToLower(f)] = f
	}
	delete(have, "state")
	delete(have, "elapsedraw")
	delete(have, "elapsed")
	_, _, err := selectFields(RecommendedFields, have)
	if err == nil || !strings.Contains(err.Error(), "State") || !strings.Contains(err.Error(), "ElapsedRaw or Elapsed") {
		t.Errorf("selectFields error %v, want State and ElapsedRaw or Elapsed named", err)
	}
}

func TestBoundedBuffer(t *testing.T) {
	w := &boundedBuffer{max: 10}
	for _, s := range []string{"line one\n", "\n", "line two\n"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if got := w.String(); got != "line one\n\n" {
		t.Errorf("String() = %q", got)
	}
	if got := w.Trimmed(); got != "line one ..." {
		t.Errorf("Trimmed() = %q", got)
	}
}
