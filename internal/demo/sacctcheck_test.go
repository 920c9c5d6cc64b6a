package demo

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is a small, independent reader of `sacct -P` output, written
// from the research notes rather than from the generator, so that the tests
// check what the generator writes against what sacct is known to print.

// sacctSummary is what checkSacct saw.
type sacctSummary struct {
	jobs, steps, lines int
	states             map[string]int // job lines by base state
	cancelledPending   int            // CANCELLED with Start None
	cancelledRunning   int            // CANCELLED after start
	arrays             map[string]int // array id → tasks
	masterTasks        int            // array tasks whose JobIDRaw is the array id
	typedGPU           int            // jobs whose AllocTRES names the GPU model
	gpuUtil            int            // steps with gres/gpuutil
	measured           int            // jobs with ConsumedEnergyRaw > 0
	multiNode          int
	noBatch            int // started jobs without a .batch step
	srunSteps          int
	nonASCIINames      int
	spacedNames        int
	oomNearRequest     int // OUT_OF_MEMORY jobs whose peak is at least 95% of ReqMem
	users, partitions  map[string]bool
	exitCodes          map[string]int
}

// sacctTime parses sacct's timestamps; ok is false for None and Unknown.
func sacctTime(s string) (t time.Time, ok bool, err error) {
	if s == "None" || s == "Unknown" {
		return time.Time{}, false, nil
	}
	t, err = time.Parse("2006-01-02T15:04:05", s)
	return t, err == nil, err
}

// sacctDuration parses [D-]HH:MM:SS and MM:SS.mmm into microseconds.
func sacctDuration(s string) (int64, error) {
	var days int64
	if d, rest, ok := strings.Cut(s, "-"); ok {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q: days: %w", s, err)
		}
		days, s = n, rest
	}
	var usec int64
	if whole, frac, ok := strings.Cut(s, "."); ok {
		if len(frac) != 3 {
			return 0, fmt.Errorf("duration %q: want 3 digits of milliseconds", s)
		}
		ms, err := strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q: %w", s, err)
		}
		usec, s = ms*1000, whole
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("duration %q: want 2 or 3 colon groups", s)
	}
	var secs int64
	for _, p := range parts {
		if len(p) != 2 {
			return 0, fmt.Errorf("duration %q: group %q is not 2 digits", s, p)
		}
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q: %w", s, err)
		}
		secs = secs*60 + n
	}
	return (days*86400+secs)*1e6 + usec, nil
}

// sacctSize parses a size such as 3501608K, 1.50M or 0 into bytes. Only a
// size without a unit depends on the field's base unit; the demo prints
// those only for 0.
func sacctSize(s string) (float64, error) {
	if s == "0" {
		return 0, nil
	}
	mult := 1.0
	if i := strings.IndexAny(s, "KMGTP"); i >= 0 {
		if i != len(s)-1 {
			return 0, fmt.Errorf("size %q: unit not last", s)
		}
		mult = float64(int64(1) << (10 * (1 + strings.IndexByte("KMGTP", s[i]))))
		s = s[:i]
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q: %w", s, err)
	}
	return v * mult, nil
}

// tres reads a TRES list into a map.
func tres(s string) (map[string]string, error) {
	m := map[string]string{}
	if s == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("TRES %q: bad entry %q", s, kv)
		}
		m[k] = v
	}
	return m, nil
}

// sacctJob is the job line being checked with what its steps must agree
// with.
type sacctJob struct {
	jobID, raw       string
	start, end       time.Time
	started, ended   bool
	state            string
	cpuSum, totalCPU int64
	reqMemBytes      float64
	peakBytes        float64
	hasBatch         bool
	stepsSeen        int
	line             int
}

// checkSacct reads sacct -P output with the demo's header and checks its
// structure and invariants, returning the first violation as an error.
func checkSacct(r io.Reader) (sacctSummary, error) {
	sum := sacctSummary{
		states: map[string]int{}, arrays: map[string]int{}, users: map[string]bool{},
		partitions: map[string]bool{}, exitCodes: map[string]int{},
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() {
		return sum, fmt.Errorf("no header")
	}
	header := strings.Split(sc.Text(), "|")
	if sc.Text() != Header {
		return sum, fmt.Errorf("header %q", sc.Text())
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	sum.lines = 1
	var job *sacctJob
	seenRaw := map[string]bool{}
	var lastSubmit time.Time
	var lastID int64

	finish := func() error {
		if job == nil {
			return nil
		}
		// Each printed value is truncated (to the millisecond, or to the
		// second from an hour on), so the sums may differ by that much a
		// step.
		tolerance := int64(job.stepsSeen) * 1000
		if job.totalCPU >= 3600e6 {
			tolerance *= 1000
		}
		if d := job.totalCPU - job.cpuSum; d < -tolerance || d > tolerance {
			return fmt.Errorf("line %d: job %s: TotalCPU %d µs, steps' completed TotalCPU sum %d µs", job.line, job.jobID, job.totalCPU, job.cpuSum)
		}
		if job.started && job.stepsSeen == 0 {
			return fmt.Errorf("line %d: job %s started but has no steps", job.line, job.jobID)
		}
		if job.started && !job.hasBatch {
			sum.noBatch++
		}
		if job.state == "OUT_OF_MEMORY" && job.peakBytes >= 0.95*job.reqMemBytes {
			sum.oomNearRequest++
		}
		return nil
	}

	for sc.Scan() {
		sum.lines++
		line := sc.Text()
		f := strings.Split(line, "|")
		if len(f) != len(header) {
			return sum, fmt.Errorf("line %d: %d fields, header has %d: %q", sum.lines, len(f), len(header), line)
		}
		get := func(name string) string { return f[col[name]] }
		fail := func(format string, args ...any) (sacctSummary, error) {
			return sum, fmt.Errorf("line %d (%s): %s", sum.lines, get("JobID"), fmt.Sprintf(format, args...))
		}
		if !utf8.ValidString(line) {
			return fail("not UTF-8")
		}
		submit, ok, err := sacctTime(get("Submit"))
		if err != nil || !ok {
			return fail("Submit %q", get("Submit"))
		}
		start, started, err := sacctTime(get("Start"))
		if err != nil {
			return fail("Start: %v", err)
		}
		end, ended, err := sacctTime(get("End"))
		if err != nil {
			return fail("End: %v", err)
		}
		elapsed, err := sacctDuration(get("Elapsed"))
		if err != nil {
			return fail("Elapsed: %v", err)
		}
		elapsedRaw, err := strconv.ParseInt(get("ElapsedRaw"), 10, 64)
		if err != nil || elapsed != elapsedRaw*1e6 {
			return fail("Elapsed %q and ElapsedRaw %q disagree", get("Elapsed"), get("ElapsedRaw"))
		}
		totalCPU, err := sacctDuration(get("TotalCPU"))
		if err != nil {
			return fail("TotalCPU: %v", err)
		}
		ncpus, err := strconv.ParseInt(get("NCPUS"), 10, 64)
		if err != nil {
			return fail("NCPUS %q", get("NCPUS"))
		}
		if totalCPU > elapsedRaw*ncpus*1e6 {
			return fail("TotalCPU %s exceeds Elapsed %s × NCPUS %d", get("TotalCPU"), get("Elapsed"), ncpus)
		}
		if started && start.Before(submit) {
			return fail("Start before Submit")
		}
		if started && ended && end.Before(start) {
			return fail("End before Start")
		}
		if started && ended && int64(end.Sub(start).Seconds()) != elapsedRaw {
			return fail("ElapsedRaw %d is not End - Start", elapsedRaw)
		}
		if _, err := tres(get("AllocTRES")); err != nil {
			return fail("%v", err)
		}
		energy, err := strconv.ParseInt(get("ConsumedEnergyRaw"), 10, 64)
		if err != nil {
			return fail("ConsumedEnergyRaw %q", get("ConsumedEnergyRaw"))
		}
		state := get("State")
		base, by, _ := strings.Cut(state, " by ")
		if by != "" {
			if _, err := strconv.Atoi(by); err != nil || base != "CANCELLED" {
				return fail("State %q", state)
			}
		}

		jobID, raw := get("JobID"), get("JobIDRaw")
		if seenRaw[raw] {
			return fail("JobIDRaw %s repeated", raw)
		}
		seenRaw[raw] = true

		if id, stepID, isStep := strings.Cut(jobID, "."); isStep {
			sum.steps++
			if job == nil || id != job.jobID {
				return fail("step line without its job line")
			}
			if raw != job.raw+"."+stepID {
				return fail("JobIDRaw %s, want %s.%s", raw, job.raw, stepID)
			}
			if get("User") != "" || get("Partition") != "" || get("ReqMem") != "" || get("WorkDir") != "" {
				return fail("step line with job-only fields")
			}
			if !started || start.Before(job.start) {
				return fail("step starts before its job")
			}
			if ended && job.ended && end.After(job.end) {
				return fail("step ends after its job")
			}
			if !ended && base != "RUNNING" {
				return fail("step %s without End", state)
			}
			if base == "RUNNING" && (ended || job.state != "RUNNING") {
				return fail("RUNNING step of a %s job, End %q", job.state, get("End"))
			}
			switch {
			case stepID == "batch":
				if job.stepsSeen != 0 {
					return fail(".batch is not the first step")
				}
				job.hasBatch = true
			case stepID == "extern":
			case stepID == "interactive":
				sum.srunSteps++
			default:
				if _, err := strconv.Atoi(stepID); err != nil {
					return fail("step id %q", stepID)
				}
				sum.srunSteps++
			}
			job.stepsSeen++
			if base != "RUNNING" {
				job.cpuSum += totalCPU
				maxRSS, err := sacctSize(get("MaxRSS"))
				if err != nil {
					return fail("MaxRSS: %v", err)
				}
				usage, err := tres(get("TRESUsageInTot"))
				if err != nil {
					return fail("%v", err)
				}
				mem, err := sacctSize(usage["mem"])
				if err != nil {
					return fail("TRESUsageInTot mem: %v", err)
				}
				if mem < maxRSS {
					return fail("TRESUsageInTot mem %s below MaxRSS %s", usage["mem"], get("MaxRSS"))
				}
				job.peakBytes = max(job.peakBytes, mem)
				if cpu, err := sacctDuration(usage["cpu"]); err != nil || cpu/1e6 != totalCPU/1e6 {
					return fail("TRESUsageInTot cpu %q, TotalCPU %q", usage["cpu"], get("TotalCPU"))
				}
				if _, ok := usage["gres/gpuutil"]; ok {
					sum.gpuUtil++
				}
			}
			continue
		}

		// A job line.
		if err := finish(); err != nil {
			return sum, err
		}
		sum.jobs++
		sum.states[base]++
		sum.exitCodes[get("ExitCode")]++
		sum.users[get("User")] = true
		sum.partitions[get("Partition")] = true
		reqMem, err := sacctSize(get("ReqMem"))
		if err != nil {
			return fail("ReqMem: %v", err)
		}
		req, err := tres(get("ReqTRES"))
		if err != nil {
			return fail("%v", err)
		}
		if req["mem"] != get("ReqMem") {
			return fail("ReqMem %q, ReqTRES mem %q", get("ReqMem"), req["mem"])
		}
		job = &sacctJob{jobID: jobID, raw: raw, start: start, end: end, started: started, ended: ended,
			state: base, totalCPU: totalCPU, reqMemBytes: reqMem, line: sum.lines}

		// Ids increase with submit time; array tasks share the array's.
		order := raw
		if arrayID, task, isTask := strings.Cut(jobID, "_"); isTask {
			if _, err := strconv.Atoi(task); err != nil {
				return fail("array task %q", task)
			}
			order = arrayID
			sum.arrays[arrayID]++
			if raw == arrayID {
				sum.masterTasks++
			}
		} else if jobID != raw {
			return fail("JobID %s, JobIDRaw %s", jobID, raw)
		}
		id, err := strconv.ParseInt(order, 10, 64)
		if err != nil {
			return fail("id %q", order)
		}
		if id < lastID || submit.Before(lastSubmit) {
			return fail("out of submit order")
		}
		lastID, lastSubmit = id, submit

		switch {
		case base == "RUNNING":
			if !started || get("End") != "Unknown" {
				return fail("RUNNING with Start %q End %q", get("Start"), get("End"))
			}
		case base == "PENDING":
			if get("Start") != "Unknown" || get("End") != "Unknown" {
				return fail("PENDING with Start %q End %q", get("Start"), get("End"))
			}
		case !ended:
			return fail("%s without End", base)
		}
		if !started {
			if elapsedRaw != 0 || get("NodeList") != "None assigned" || get("AllocTRES") != "" || ncpus != 0 {
				return fail("never started, but Elapsed %d NodeList %q AllocTRES %q NCPUS %d",
					elapsedRaw, get("NodeList"), get("AllocTRES"), ncpus)
			}
			if base == "CANCELLED" {
				if get("Start") != "None" {
					return fail("cancelled while pending with Start %q", get("Start"))
				}
				sum.cancelledPending++
			}
		} else {
			alloc, _ := tres(get("AllocTRES"))
			if alloc["cpu"] != get("NCPUS") || alloc["node"] != get("NNodes") {
				return fail("AllocTRES %q disagrees with NCPUS %s NNodes %s", get("AllocTRES"), get("NCPUS"), get("NNodes"))
			}
			if base == "CANCELLED" {
				sum.cancelledRunning++
			}
			for k := range alloc {
				if strings.HasPrefix(k, "gres/gpu:") {
					sum.typedGPU++
				}
			}
			if get("NNodes") != "1" {
				sum.multiNode++
			}
		}
		if base == "TIMEOUT" {
			limit, err := strconv.ParseInt(get("TimelimitRaw"), 10, 64)
			if err != nil || elapsedRaw != limit*60 {
				return fail("TIMEOUT after %d s, limit %s min", elapsedRaw, get("TimelimitRaw"))
			}
		}
		if energy > 0 {
			sum.measured++
		}
		name := get("JobName")
		if name == "" {
			return fail("no JobName")
		}
		for _, c := range name {
			if c >= utf8.RuneSelf {
				sum.nonASCIINames++
				break
			}
		}
		if strings.Contains(name, " ") {
			sum.spacedNames++
		}
	}
	if err := sc.Err(); err != nil {
		return sum, fmt.Errorf("read: %w", err)
	}
	return sum, finish()
}
