package slurm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"labcarbon"
	"labcarbon/ingest"
)

// RecommendedFields is the sacct field list labcarbon asks for: everything
// the reader uses, and one free-text column, JobName, last, so that a `|`
// typed into a job name is recovered instead of shifting the columns.
var RecommendedFields = []string{
	"JobID", "JobIDRaw", "User", "UID", "Group", "Account", "Partition", "QOS",
	"Cluster", "State", "ExitCode", "Submit", "Start", "End", "Elapsed",
	"ElapsedRaw", "TimelimitRaw", "NNodes", "NCPUS", "NTasks", "NodeList",
	"ReqMem", "ReqTRES", "AllocTRES", "TotalCPU", "MaxRSS", "TRESUsageInTot",
	"ConsumedEnergyRaw", "JobName",
}

// DefaultLiveTimeout bounds a sacct run when LiveOptions.Timeout is 0: a
// month of a busy cluster's accounting takes sacct a few minutes.
const DefaultLiveTimeout = 15 * time.Minute

// liveWaitDelay is how long a killed sacct may keep its output open (a
// child still holding it, say) before the pipe is closed regardless.
const liveWaitDelay = 2 * time.Second

// maxStderr bounds how much of sacct's stderr is kept for messages.
const maxStderr = 8 << 10

// sacctTimeLayout is how --starttime and --endtime are given to sacct.
const sacctTimeLayout = "2006-01-02T15:04:05"

// fieldAlternatives names, for a field some Slurm versions lack, the field
// that carries the same value there; the reader understands both.
var fieldAlternatives = map[string]string{
	"jobidraw":     "JobID",
	"ncpus":        "AllocCPUS",
	"elapsedraw":   "Elapsed",
	"timelimitraw": "Timelimit",
}

// essentialFields are the facts without which a job cannot be accounted
// for: each group is satisfied by any one of its fields.
var essentialFields = [][]string{
	{"JobIDRaw", "JobID"},
	{"State"},
	{"ElapsedRaw", "Elapsed"},
	{"NCPUS", "AllocCPUS", "AllocTRES"},
	{"Submit"},
	{"Start"},
	{"End"},
}

// reservedArgs are sacct options Live sets itself or that change the output
// into something the reader cannot read; LiveOptions.Args may not use them.
var reservedArgs = []string{
	"-S", "--starttime", "-E", "--endtime", "-o", "--format", "-n", "--noheader",
	"-p", "--parsable", "-P", "--parsable2", "--delimiter", "-l", "--long",
	"-e", "--helpformat", "--json", "--yaml", "-c", "--completion",
	"-B", "--batch-script", "--env-vars",
}

// LiveOptions say how Live runs sacct.
type LiveOptions struct {
	// Sacct is the sacct program, a path or a name looked up in PATH;
	// empty means "sacct".
	Sacct string
	// Args are extra sacct arguments, such as "-M", "cluster1" or
	// "--partition=gpu". They go before Live's own; options that set the
	// window, the field list or the output format are refused.
	Args []string
	// Fields is the field list to ask for; nil means RecommendedFields.
	// Fields this sacct does not have (per sacct --helpformat) are left
	// out, or replaced by their older equivalent (AllocCPUS for NCPUS, ...).
	Fields []string
	// Timeout bounds the whole run, from probing sacct's fields to the end
	// of the output; 0 means DefaultLiveTimeout. A consumer that reads
	// slowly spends this time too, since sacct waits for it.
	Timeout time.Duration
	// Cluster names the cluster for output without a Cluster column.
	Cluster string
}

// SacctError is a sacct run that failed: it exited with an error status,
// timed out, or could not be started.
type SacctError struct {
	Command string // the command line, for messages
	Status  int    // exit status, or -1 when sacct did not exit by itself
	Stderr  string // what sacct wrote to stderr, trimmed and bounded
	Err     error  // the cause: *exec.ExitError, context.DeadlineExceeded, ...
}

func (e *SacctError) Error() string {
	var b strings.Builder
	b.WriteString("sacct")
	if e.Status >= 0 {
		fmt.Fprintf(&b, " exited with status %d", e.Status)
	} else {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Stderr != "" {
		fmt.Fprintf(&b, ": %s", e.Stderr)
	}
	fmt.Fprintf(&b, " (command: %s)", e.Command)
	return b.String()
}

func (e *SacctError) Unwrap() error { return e.Err }

// LiveReader streams the records of a running sacct into the sacct text
// reader. It implements ingest.Reader; sacct's exit status is known, and
// reported by Err, once Scan has returned false. Drain it or Close it.
type LiveReader struct {
	sr      *SacctReader
	pr      *io.PipeReader
	cancel  context.CancelFunc
	done    chan struct{} // closed when sacct has been waited for
	runErr  error         // sacct's failure; written before done is closed
	stderr  *boundedBuffer
	fields  []string
	dropped []string

	mu       sync.Mutex
	finished bool
	aborted  bool // Close stopped sacct: its failure is ours, not its
	err      error
}

var _ ingest.Reader = (*LiveReader)(nil)

// Live runs sacct for the jobs that were eligible or running between start
// and end, and returns a reader that streams its output into a SacctReader
// as sacct writes it: memory does not grow with the output.
//
// It first asks `sacct --helpformat` which fields this Slurm has, and asks
// for the wanted fields it has; it fails, before querying, when essential
// ones (job id, state, elapsed time, CPUs, submit, start and end) are
// missing. The query is
//
//	TZ=UTC sacct [opts.Args] --allusers --duplicates --parsable2
//	    --starttime S --endtime E --format F
//
// run directly (no shell) with S and E in UTC. An error before the first
// record (sacct missing, failing, timing out, not printing a header) is
// returned here, with sacct's stderr; a failure later is returned by Err
// once Scan has returned false, and then nothing of the output may be
// trusted.
func Live(ctx context.Context, start, end time.Time, opts LiveOptions) (*LiveReader, error) {
	if start.IsZero() || end.IsZero() || !start.Before(end) {
		return nil, fmt.Errorf("sacct window: start %s must be before end %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	if err := checkArgs(opts.Args); err != nil {
		return nil, err
	}
	path := opts.Sacct
	if path == "" {
		path = "sacct"
	}
	want := opts.Fields
	if want == nil {
		want = RecommendedFields
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultLiveTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)

	have, err := helpFormat(ctx, path, timeout)
	if err != nil {
		cancel()
		return nil, err
	}
	fields, dropped, err := selectFields(want, have)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("%s --helpformat: %w", path, err)
	}

	s, e := start.UTC().Format(sacctTimeLayout), end.UTC().Format(sacctTimeLayout)
	args := append(append([]string(nil), opts.Args...),
		"--allusers", "--duplicates", "--parsable2",
		"--starttime", s, "--endtime", e,
		"--format", strings.Join(fields, ","))
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = sacctEnv()
	cmd.WaitDelay = liveWaitDelay
	pr, pw := io.Pipe()
	l := &LiveReader{
		pr:      pr,
		cancel:  cancel,
		done:    make(chan struct{}),
		stderr:  &boundedBuffer{max: maxStderr},
		fields:  fields,
		dropped: dropped,
	}
	cmd.Stdout = pw
	cmd.Stderr = l.stderr
	command := commandLine(path, args)
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, &SacctError{Command: command, Status: -1, Err: err}
	}
	go func() {
		var runErr error
		if err := cmd.Wait(); err != nil {
			runErr = sacctError(ctx, command, timeout, l.stderr, err)
			l.runErr = runErr
		}
		close(l.done)
		// The reader sees sacct's failure as a read error rather than a
		// clean end, so it does not complete the job it was folding from
		// output that may be cut short. done is closed first so that
		// whoever sees the error also sees runErr.
		pw.CloseWithError(runErr)
	}()

	name := fmt.Sprintf("sacct[%s..%s]", s, e)
	sr, err := NewSacctReader(pr, name, SacctOptions{Location: time.UTC, Cluster: opts.Cluster})
	if err != nil {
		select {
		case <-l.done: // sacct has ended: its failure says why
		default:
			l.abort()
		}
		l.cancel()
		if l.runErr != nil && !l.aborted {
			return nil, l.runErr
		}
		return nil, fmt.Errorf("sacct output: %w (command: %s)", err, command)
	}
	l.sr = sr
	return l, nil
}

// Scan advances to the next record or bad row.
func (l *LiveReader) Scan() bool {
	l.mu.Lock()
	finished := l.finished
	l.mu.Unlock()
	if finished {
		return false
	}
	if l.sr.Scan() {
		return true
	}
	l.finish()
	return false
}

// Record returns the current record or bad row; see SacctReader.Record.
func (l *LiveReader) Record() (*labcarbon.Usage, *ingest.RowError) { return l.sr.Record() }

// Err returns why reading stopped early: sacct failed (a *SacctError with
// its exit status and stderr), timed out, or its output could not be read.
// It is nil at a clean end, and nil while records are still coming.
func (l *LiveReader) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close stops sacct if it is still running and releases the reader. It is
// safe to call after the output has been read, and more than once.
func (l *LiveReader) Close() error {
	l.mu.Lock()
	finished := l.finished
	l.mu.Unlock()
	if !finished {
		l.abort()
		l.finish()
	}
	return l.sr.Close()
}

// Stats returns what the sacct reader has counted so far.
func (l *LiveReader) Stats() SacctStats { return l.sr.Stats() }

// Fields returns the fields sacct was asked for.
func (l *LiveReader) Fields() []string { return append([]string(nil), l.fields...) }

// Dropped returns the wanted fields this sacct does not have.
func (l *LiveReader) Dropped() []string { return append([]string(nil), l.dropped...) }

// Stderr returns what sacct has written to stderr (its first 8 KiB), which
// may hold warnings even when it succeeds.
func (l *LiveReader) Stderr() string { return l.stderr.String() }

// abort kills sacct, unblocks its output and waits for it.
func (l *LiveReader) abort() {
	l.mu.Lock()
	l.aborted = true
	l.mu.Unlock()
	l.cancel()
	l.pr.CloseWithError(errors.New("sacct output abandoned"))
	<-l.done
}

// finish waits for sacct and records how the run ended.
func (l *LiveReader) finish() {
	<-l.done
	l.cancel()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return
	}
	l.finished = true
	switch {
	case l.aborted:
		// Closed early on purpose: the kill is no error.
	case l.runErr != nil:
		l.err = l.runErr
	case l.sr.Err() != nil:
		l.err = l.sr.Err()
	}
}

// sacctError describes a sacct run that ended with err.
func sacctError(ctx context.Context, command string, timeout time.Duration, stderr *boundedBuffer, err error) *SacctError {
	se := &SacctError{Command: command, Status: -1, Stderr: stderr.Trimmed(), Err: err}
	var ee *exec.ExitError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		se.Err = fmt.Errorf("timed out after %s: %w", timeout, context.DeadlineExceeded)
	case ctx.Err() != nil:
		se.Err = fmt.Errorf("stopped: %w", ctx.Err())
	case errors.As(err, &ee) && ee.Exited():
		se.Status = ee.ExitCode()
	}
	return se
}

// helpFormat runs `sacct --helpformat` and returns the fields it lists,
// keyed by their lower-case names.
func helpFormat(ctx context.Context, path string, timeout time.Duration) (map[string]string, error) {
	cmd := exec.CommandContext(ctx, path, "--helpformat")
	cmd.Env = sacctEnv()
	cmd.WaitDelay = liveWaitDelay
	stderr := &boundedBuffer{max: maxStderr}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, sacctError(ctx, commandLine(path, []string{"--helpformat"}), timeout, stderr, err)
	}
	have := make(map[string]string)
	for _, f := range strings.Fields(string(out)) {
		if isFieldName(f) {
			have[strings.ToLower(f)] = f
		}
	}
	if len(have) == 0 {
		return nil, fmt.Errorf("%s --helpformat listed no fields: is it sacct?", path)
	}
	return have, nil
}

// selectFields returns the wanted fields that sacct has (each in the
// spelling asked for), an older equivalent for a missing one where there is
// one, and the wanted fields left out. It fails when an essential field is
// missing from the result.
func selectFields(want []string, have map[string]string) (fields, dropped []string, err error) {
	chosen := make(map[string]bool)
	add := func(f string) {
		if k := strings.ToLower(f); !chosen[k] {
			chosen[k] = true
			fields = append(fields, f)
		}
	}
	for _, f := range want {
		k := strings.ToLower(f)
		if _, ok := have[k]; ok {
			add(f)
			continue
		}
		dropped = append(dropped, f)
		if alt, ok := fieldAlternatives[k]; ok {
			if _, ok := have[strings.ToLower(alt)]; ok {
				add(alt)
			}
		}
	}
	var missing []string
	for _, group := range essentialFields {
		found := false
		for _, f := range group {
			if chosen[strings.ToLower(f)] {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, strings.Join(group, " or "))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("essential sacct fields missing (not asked for, or not in this sacct): %s", strings.Join(missing, "; "))
	}
	return fields, dropped, nil
}

// checkArgs refuses extra arguments that would change the window, the
// fields or the output format.
func checkArgs(args []string) error {
	for _, a := range args {
		name, _, _ := strings.Cut(a, "=")
		for _, r := range reservedArgs {
			if name == r {
				return fmt.Errorf("sacct argument %q: Live sets the window, fields and format itself", a)
			}
		}
	}
	return nil
}

// sacctEnv is the environment for sacct: the caller's, with timestamps in
// UTC and in sacct's standard format.
func sacctEnv() []string {
	env := make([]string, 0, len(os.Environ())+1)
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "TZ", "SLURM_TIME_FORMAT", "SACCT_FORMAT":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TZ=UTC")
}

// commandLine renders a command for messages, quoting arguments that need
// it.
func commandLine(path string, args []string) string {
	parts := make([]string, 0, len(args)+1)
	for _, a := range append([]string{path}, args...) {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\|$&;<>()*?") {
			a = fmt.Sprintf("%q", a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// boundedBuffer keeps the first max bytes written to it and discards the
// rest, so a chatty sacct cannot fill memory through its stderr.
type boundedBuffer struct {
	mu        sync.Mutex
	max       int
	b         []byte
	truncated bool
}

func (w *boundedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	room := w.max - len(w.b)
	if len(p) > room {
		w.truncated = true
	}
	if room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// String returns what was kept.
func (w *boundedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.b)
}

// Trimmed returns what was kept on one line, lines separated by "; ",
// for error messages.
func (w *boundedBuffer) Trimmed() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var lines []string
	for _, line := range strings.Split(strings.ToValidUTF8(string(w.b), "?"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	s := strings.Join(lines, "; ")
	if w.truncated {
		s += " ..."
	}
	return s
}
