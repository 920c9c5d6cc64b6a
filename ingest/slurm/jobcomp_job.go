package slurm

import (
	"fmt"
	"strings"
	"time"

	"labcarbon"
	"labcarbon/ingest"
)

// parse reads one jobcomp line into a record, or a bad row.
func (r *JobcompReader) parse(text string, n int) item {
	if key, ok := r.line.split(text); !ok {
		return item{bad: r.rowError(n, text, key, errMissing(key).Error())}
	}
	var u labcarbon.Usage
	if k, err := r.fill(&u, n); err != nil {
		return item{bad: r.rowError(n, text, jcKeys[k].name, err.Error())}
	}
	return item{u: u}
}

// fill reads the values of the current line into u, the way the text
// reader reads the same job's sacct line. It returns the key at fault.
func (r *JobcompReader) fill(u *labcarbon.Usage, n int) (jcKey, error) {
	v, has := &r.line.val, &r.line.has
	u.Source, u.SourceFile, u.SourceLine = labcarbon.SourceJobcomp, r.file, n

	if _, ok := atoiDigits(v[jcJobID]); !ok {
		return jcJobID, fmt.Errorf("bad job id %q", clip(v[jcJobID]))
	}
	u.JobIDRaw, u.JobID = v[jcJobID], v[jcJobID]
	switch {
	case has[jcArrayJobID]:
		if k, err := digits(v, jcArrayJobID, jcArrayTaskID); err != nil {
			return k, err
		}
		u.JobID, u.ParentID = v[jcArrayJobID]+"_"+v[jcArrayTaskID], v[jcArrayJobID]
	case has[jcHetJobID]:
		if k, err := digits(v, jcHetJobID, jcHetJobOffset); err != nil {
			return k, err
		}
		u.JobID, u.ParentID = v[jcHetJobID]+"+"+v[jcHetJobOffset], v[jcHetJobID]
	}
	u.User, u.Group = idName(v[jcUserID]), idName(v[jcGroupID])
	u.Name, u.Partition, u.Account, u.QOS = v[jcName], v[jcPartition], v[jcAccount], v[jcQOS]
	u.Cluster = v[jcCluster]
	if u.Cluster == "" || u.Cluster == "unknown" {
		u.Cluster = r.opts.Cluster
	}
	u.NodeList = nodeList(v[jcNodeList])

	var err error
	if u.State, err = ParseState(v[jcJobState]); err != nil {
		return jcJobState, err
	}
	for _, t := range []struct {
		k   jcKey
		dst *time.Time
	}{{jcSubmitTime, &u.Submit}, {jcStartTime, &u.Start}, {jcEndTime, &u.End}} {
		if *t.dst, err = r.time(v[t.k]); err != nil {
			return t.k, err
		}
	}
	if u.TimelimitSec, err = timeLimit(v[jcTimeLimit]); err != nil {
		return jcTimeLimit, err
	}
	nodes, err := parseCount(v[jcNodeCnt])
	if err != nil {
		return jcNodeCnt, err
	}
	cpus, err := parseCount(v[jcProcCnt])
	if err != nil {
		return jcProcCnt, err
	}
	req, err := ParseTRES(v[jcTres])
	if err != nil {
		return jcTres, err
	}
	// ProcCnt and NodeCnt are the allocation, 0 for a job that never ran;
	// sacct's NCPUS and NNodes fall back to the request then, and so does
	// this.
	u.CPUs, u.NNodes = cpus, nodes
	if u.CPUs == 0 {
		u.CPUs = req.CPUs
	}
	if u.NNodes == 0 {
		u.NNodes = req.Nodes
	}
	u.GPUs, u.GPUModel = req.GPUs, req.GPUModel
	if has[jcGres] {
		if u.GPUs, u.GPUModel, err = parseGres(v[jcGres], nodes); err != nil {
			return jcGres, err
		}
	}
	if req.HasMem {
		u.MemReqGB = req.MemBytes / GiB
	}

	// A job that never got nodes never started, whatever StartTime says
	// (slurmctld stamps a job cancelled while pending with the cancel
	// time); sacct shows no start for it. A job that had nodes and is
	// PENDING again was requeued, and this line is the run that ended
	// then: sacct shows it as REQUEUED.
	ran := nodes > 0 || u.NodeList != ""
	if ran && u.State == labcarbon.StatePending {
		u.State = labcarbon.StateRequeued
	}
	if !ran || u.State == labcarbon.StatePending {
		u.Start = time.Time{}
	}
	if err := checkSpan(u.Start, u.End); err != nil {
		return jcEndTime, err
	}
	if !u.Start.IsZero() && !u.End.IsZero() {
		u.ElapsedSec = int64(u.End.Sub(u.Start) / time.Second)
	}
	if has[jcExitCode] {
		if u.ExitCode, err = parseExitCode(v[jcExitCode]); err != nil {
			return jcExitCode, err
		}
	}
	return 0, nil
}

// time parses a jobcomp time: local time, Unknown for none, or unknown
// (lower case) for a submit or eligible time the job lacks.
func (r *JobcompReader) time(s string) (time.Time, error) {
	if s == "unknown" {
		return time.Time{}, nil
	}
	return ParseTime(s, r.opts.Location)
}

// rowError describes a quarantined line.
func (r *JobcompReader) rowError(line int, raw, key, reason string) *ingest.RowError {
	return &ingest.RowError{File: r.file, Line: line, Field: key, Reason: reason, Raw: truncateUTF8(raw, maxRaw)}
}

// digits checks that the values of keys are job ids, returning the first
// that is not.
func digits(v *[numJCKeys]string, keys ...jcKey) (jcKey, error) {
	for _, k := range keys {
		if _, ok := atoiDigits(v[k]); !ok {
			return k, fmt.Errorf("bad %s %q: want a number", jcKeys[k].name, clip(v[k]))
		}
	}
	return 0, nil
}

// idName returns the name of UserId=alice(1001) or GroupId=..., or the
// number when slurmctld could not resolve it.
func idName(s string) string {
	i := strings.LastIndexByte(s, '(')
	if i < 0 || !strings.HasSuffix(s, ")") {
		return s
	}
	if name := s[:i]; name != "" && name != "(null)" {
		return name
	}
	return s[i+1 : len(s)-1]
}

// timeLimit returns TimeLimit= (minutes) in seconds; UNLIMITED is 0, as is
// a NO_VAL slurmctld prints as a number when neither the job nor its
// partition had a limit.
func timeLimit(s string) (int64, error) {
	switch s {
	case "", "UNLIMITED", "Partition_Limit":
		return 0, nil
	}
	n, ok := atoiDigits(s)
	switch {
	case !ok:
		return 0, fmt.Errorf("bad time limit %q: want minutes or UNLIMITED", clip(s))
	case n == noVal32 || n == noVal32+1: // NO_VAL, INFINITE
		return 0, nil
	case n > maxDays*24*60:
		return 0, fmt.Errorf("time limit %d minutes out of range", n)
	}
	return n * 60, nil
}

// parseExitCode parses an exit code as jobcomp writes it, status:signal,
// and returns it as sacct prints it (see formatExitCode).
func parseExitCode(s string) (string, error) {
	st, sig, ok := strings.Cut(s, ":")
	status, ok1 := atoiDigits(st)
	signal, ok2 := atoiDigits(sig)
	if !ok || !ok1 || !ok2 || status > 255 || signal > 255 {
		return "", fmt.Errorf("bad exit code %q: want status:signal such as 0:0", clip(s))
	}
	return formatExitCode(int(status), int(signal)), nil
}

// maxGPUs bounds a GPU count in a Gres= string; anything larger is corrupt.
const maxGPUs = 1 << 20

// parseGres returns the GPUs a Gres= value of Slurm 17.11 to 20.02 asks
// for, and their type. 17.11 and 18.08 write the job's total per GRES name
// ("gpu:4,mic:0"); 19.05 and 20.02 write the job's requests by scope
// ("PER_JOB:gpu:4", "PER_NODE:gpu:v100:2"), of which per-node counts are
// multiplied by the job's nodes and per-socket and per-task ones, which
// cannot be counted here, are left out. "NONE" and "" ask for none.
func parseGres(s string, nodes int) (int, string, error) {
	gpus, best, model := 0, 0, ""
	for group := range strings.FieldsSeq(s) {
		perNode := false
		if scope, rest, ok := strings.Cut(group, ":"); ok && strings.HasPrefix(scope, "PER_") {
			switch scope {
			case "PER_JOB":
			case "PER_NODE":
				perNode = true
			default:
				continue
			}
			group = rest
		}
		for item := range strings.SplitSeq(group, ",") {
			name, rest, _ := strings.Cut(strings.TrimPrefix(item, "gres:"), ":")
			if name != "gpu" {
				continue
			}
			// gpu, gpu:4, gpu:v100 or gpu:v100:4.
			typ, num, count := "", rest, int64(1)
			if i := strings.LastIndexByte(rest, ':'); i >= 0 {
				typ, num = rest[:i], rest[i+1:]
			}
			if c, ok := atoiDigits(num); ok {
				count = c
			} else {
				typ = rest
			}
			if count > maxGPUs {
				return 0, "", fmt.Errorf("bad GPU count in %q", clip(item))
			}
			n := int(count)
			if perNode {
				n *= nodes
			}
			gpus += n
			if typ != "" && n > best {
				best, model = n, strings.ToLower(typ)
			}
		}
	}
	return gpus, model, nil
}
