package slurm

import (
	"fmt"
	"strconv"
	"time"

	"labcarbon"
)

// noVal is where Slurm's "no value" sentinels for 64-bit counters begin
// (NO_VAL64 and INFINITE64 print as 1844674407370955161x): an energy that
// large was never measured.
const noVal = 1 << 63

// fieldError is a value in a column that cannot be read.
type fieldError struct {
	col column
	err error
}

func (e *fieldError) Error() string { return e.err.Error() }

func bad(c column, err error) *fieldError { return &fieldError{col: c, err: err} }

// parseJob reads the current record as a job line into acc, which it
// resets. id is the parsed key column; the JobID column, when the file has
// both, is parsed for display and the parent.
func (r *SacctReader) parseJob(acc *jobAcc, id JobID, line int) *fieldError {
	*acc = jobAcc{}
	u := &acc.u
	u.Source = labcarbon.SourceSacct
	u.SourceFile = r.file
	u.SourceLine = line

	u.JobIDRaw = id.Job
	u.JobID = id.Job
	u.ParentID = id.Parent
	if r.lay.key == colJobIDRaw && r.lay.has(colJobID) {
		shown, err := ParseJobID(r.get(colJobID))
		if err != nil {
			return bad(colJobID, err)
		}
		u.JobID, u.ParentID = shown.Job, shown.Parent
	}

	u.Cluster = r.get(colCluster)
	if u.Cluster == "" {
		u.Cluster = r.opts.Cluster
	}
	u.Name = r.get(colJobName)
	u.User = r.get(colUser)
	u.Group = r.get(colGroup)
	u.Account = r.get(colAccount)
	u.Partition = r.get(colPartition)
	u.QOS = r.get(colQOS)
	u.ExitCode = r.get(colExitCode)
	u.NodeList = nodeList(r.get(colNodeList))

	var err error
	if u.State, err = ParseState(r.get(colState)); err != nil {
		return bad(colState, err)
	}
	if u.Submit, err = ParseTime(r.get(colSubmit), r.opts.Location); err != nil {
		return bad(colSubmit, err)
	}
	if u.Start, err = ParseTime(r.get(colStart), r.opts.Location); err != nil {
		return bad(colStart, err)
	}
	if u.End, err = ParseTime(r.get(colEnd), r.opts.Location); err != nil {
		return bad(colEnd, err)
	}
	if err := checkSpan(u.Start, u.End); err != nil {
		return bad(colEnd, err)
	}
	if fe := r.parseElapsed(u); fe != nil {
		return fe
	}
	// A job that never started shows Start Unknown or None; without a
	// Start column only PENDING says so.
	acc.neverRan = u.State == labcarbon.StatePending || r.lay.has(colStart) && u.Start.IsZero()
	if fe := r.parseTimelimit(u); fe != nil {
		return fe
	}
	if u.NNodes, err = parseCount(r.get(colNNodes)); err != nil {
		return bad(colNNodes, err)
	}
	if u.CPUs, err = parseCount(r.get(colNCPUS)); err != nil {
		return bad(colNCPUS, err)
	}

	alloc, err := ParseTRES(r.get(colAllocTRES))
	if err != nil {
		return bad(colAllocTRES, err)
	}
	u.GPUs, u.GPUModel = alloc.GPUs, alloc.GPUModel
	if u.CPUs == 0 {
		u.CPUs = alloc.CPUs
	}
	if u.NNodes == 0 {
		u.NNodes = alloc.Nodes
	}

	// Requested memory: ReqMem is what the user asked for in either of its
	// forms; ReqTRES says the same from 21.08; the allocation is the last
	// resort, as it is what the job held.
	if s := r.get(colReqMem); s != "" {
		m, err := ParseReqMem(s)
		if err != nil {
			return bad(colReqMem, err)
		}
		u.MemReqGB = m.TotalGB(u.CPUs, u.NNodes)
	} else if req, err := ParseTRES(r.get(colReqTRES)); err != nil {
		return bad(colReqTRES, err)
	} else if req.HasMem {
		u.MemReqGB = req.MemBytes / GiB
	} else if alloc.HasMem {
		u.MemReqGB = alloc.MemBytes / GiB
	}

	cpu, err := ParseDuration(r.get(colTotalCPU))
	if err != nil {
		return bad(colTotalCPU, err)
	}
	acc.lineCPU = cpu.Seconds()
	if acc.lineEnergy, err = parseEnergy(r.get(colConsumedEnergyRaw)); err != nil {
		return bad(colConsumedEnergyRaw, err)
	}
	if acc.lineEnergy == 0 {
		acc.lineEnergy = alloc.EnergyJ
	}
	return nil
}

// parseElapsed sets u.ElapsedSec from ElapsedRaw, else Elapsed, else the
// span from Start to End.
func (r *SacctReader) parseElapsed(u *labcarbon.Usage) *fieldError {
	if s := r.get(colElapsedRaw); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return bad(colElapsedRaw, fmt.Errorf("bad elapsed seconds %q", clip(s)))
		}
		if n < 0 {
			return bad(colElapsedRaw, fmt.Errorf("negative elapsed time %d s", n))
		}
		u.ElapsedSec = n
		return nil
	}
	if s := r.get(colElapsed); s != "" {
		d, err := ParseDuration(s)
		if err != nil {
			return bad(colElapsed, err)
		}
		u.ElapsedSec = int64(d / time.Second)
		return nil
	}
	if !u.Start.IsZero() && !u.End.IsZero() {
		u.ElapsedSec = int64(u.End.Sub(u.Start) / time.Second)
	}
	return nil
}

// parseTimelimit sets u.TimelimitSec from TimelimitRaw (minutes), else
// Timelimit; UNLIMITED and Partition_Limit leave it 0.
func (r *SacctReader) parseTimelimit(u *labcarbon.Usage) *fieldError {
	if s := r.get(colTimelimitRaw); s != "" {
		switch s {
		case "UNLIMITED", "Partition_Limit", "INVALID":
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > maxDays*24*60 {
			return bad(colTimelimitRaw, fmt.Errorf("bad time limit minutes %q", clip(s)))
		}
		u.TimelimitSec = n * 60
		return nil
	}
	d, err := ParseDuration(r.get(colTimelimit))
	if err != nil {
		return bad(colTimelimit, err)
	}
	u.TimelimitSec = int64(d / time.Second)
	return nil
}

// stepUsage is what one step line adds to its job.
type stepUsage struct {
	cpu    float64 // seconds
	mem    float64 // peak bytes
	hasMem bool
	energy float64
	gpuPct float64 // gres/gpuutil summed over the step's tasks
	hasGPU bool
	sec    float64 // the step's elapsed seconds; read only when hasGPU
	hasSec bool
}

// parseStep reads the usage columns of the current record as a step line.
func (r *SacctReader) parseStep(st *stepUsage) *fieldError {
	cpu, err := ParseDuration(r.get(colTotalCPU))
	if err != nil {
		return bad(colTotalCPU, err)
	}
	st.cpu = cpu.Seconds()

	tot, err := ParseTRESUsage(r.get(colTRESUsageInTot))
	if err != nil {
		return bad(colTRESUsageInTot, err)
	}
	// The step's memory peak: TRESUsageInTot mem= sums the tasks' peaks
	// (what seff reports); MaxRSS is only the largest task's.
	if tot.HasMem {
		st.mem, st.hasMem = tot.MemBytes, true
	} else if s := r.get(colMaxRSS); s != "" {
		if st.mem, err = ParseSize(s, Bytes); err != nil {
			return bad(colMaxRSS, err)
		}
		st.hasMem = true
	}

	if tot.HasGPUUtil {
		st.gpuPct, st.hasGPU = tot.GPUUtil, true
	} else if s := r.get(colTRESUsageInAve); s != "" {
		ave, err := ParseTRESUsage(s)
		if err != nil {
			return bad(colTRESUsageInAve, err)
		}
		if ave.HasGPUUtil {
			tasks, err := parseCount(r.get(colNTasks))
			if err != nil {
				return bad(colNTasks, err)
			}
			st.gpuPct, st.hasGPU = ave.GPUUtil*float64(max(tasks, 1)), true
		}
	}
	if st.hasGPU {
		var u labcarbon.Usage
		if fe := r.parseElapsed(&u); fe != nil {
			return fe
		}
		st.sec, st.hasSec = float64(u.ElapsedSec), r.get(colElapsedRaw) != "" || r.get(colElapsed) != ""
	}

	if st.energy, err = parseEnergy(r.get(colConsumedEnergyRaw)); err != nil {
		return bad(colConsumedEnergyRaw, err)
	}
	if st.energy == 0 {
		st.energy = tot.EnergyJ
	}
	return nil
}

// nodeList returns a node list, or "" for the placeholders Slurm writes
// for a job that never got nodes: "None assigned" in sacct, "(null)" in
// jobcomp.
func nodeList(s string) string {
	switch s {
	case "None assigned", "(null)", "None":
		return ""
	}
	return s
}

// checkSpan returns an error when a job ends before it starts; either time
// may be unknown (zero).
func checkSpan(start, end time.Time) error {
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		return fmt.Errorf("end %s is before start %s", end.Format(time.RFC3339), start.Format(time.RFC3339))
	}
	return nil
}

// parseCount parses a non-negative count; empty is 0.
func parseCount(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad count %q", clip(s))
	}
	return n, nil
}

// parseEnergy parses ConsumedEnergyRaw (joules). Empty, 0 and Slurm's
// no-value sentinels all mean not measured and return 0.
func parseEnergy(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	e, ok := parseUnsigned(s)
	if !ok {
		return 0, fmt.Errorf("bad energy %q: want joules", clip(s))
	}
	if e >= noVal {
		return 0, nil
	}
	return e, nil
}
