package slurm

import (
	"fmt"
	"time"

	"labcarbon"
)

// jobAcc is a job being folded: its job line, and what its steps add.
type jobAcc struct {
	active    bool
	synthetic bool   // rebuilt from steps; no job line was read
	key       string // the key column's job part: steps with it belong here
	raw       string // the job line, kept for a RowError found at the end
	u         labcarbon.Usage

	lineCPU    float64 // TotalCPU of the job line (0 with -X or while running)
	lineEnergy float64
	stepCPU    float64
	peak       float64
	hasPeak    bool
	stepEnergy float64 // the largest of the steps'
	gpuPctSec  float64 // Σ gres/gpuutil percent × step seconds
	gpuPctMax  float64
	gpuSteps   int
	gpuNoTime  bool // a step with gres/gpuutil had no elapsed time
	batchSeen  bool // for a synthetic job: the state came from .batch
	neverRan   bool // pending, or cancelled before it started
}

// fold adds a step's usage to the job.
func (a *jobAcc) fold(st *stepUsage) {
	a.stepCPU += st.cpu
	if st.hasMem {
		a.hasPeak = true
		a.peak = max(a.peak, st.mem)
	}
	a.stepEnergy = max(a.stepEnergy, st.energy)
	if st.hasGPU {
		a.gpuSteps++
		a.gpuPctMax = max(a.gpuPctMax, st.gpuPct)
		a.gpuPctSec += st.gpuPct * st.sec
		if !st.hasSec {
			a.gpuNoTime = true
		}
	}
}

// complete derives the job's usage from its line and its steps.
func (a *jobAcc) complete() {
	u := &a.u
	if a.neverRan {
		// Never started (pending, or cancelled while pending): it used
		// nothing, whatever else the line says.
		u.ElapsedSec, u.CPUTimeSec, u.EnergyJ = 0, 0, 0
		u.MemPeakGB, u.HasMemPeak = 0, false
		u.GPUUtil, u.HasGPUUtil = 0, false
		return
	}
	// The job line's TotalCPU is sacct's own sum over completed steps;
	// it is 0 with -X or while the job runs, when the steps' sum is all
	// there is.
	u.CPUTimeSec = a.lineCPU
	if u.CPUTimeSec == 0 {
		u.CPUTimeSec = a.stepCPU
	}
	// A peak of 0 is a step killed before it was sampled (OUT_OF_MEMORY
	// often shows MaxRSS 0), not a job that used no memory.
	if a.hasPeak && a.peak > 0 {
		u.MemPeakGB, u.HasMemPeak = a.peak/GiB, true
	}
	// A job killed for running out of memory reached its request, whatever
	// the last samples say (the killed step often shows 0 and .extern a
	// few kilobytes).
	if u.State == labcarbon.StateOutOfMemory && u.MemReqGB > u.MemPeakGB {
		u.MemPeakGB, u.HasMemPeak = u.MemReqGB, true
	}
	// The job's energy is on its line; if not, the largest step's: the
	// steps overlap (.extern spans the whole allocation), so a sum would
	// count the same joules twice.
	u.EnergyJ = a.lineEnergy
	if u.EnergyJ == 0 {
		u.EnergyJ = a.stepEnergy
	}
	if a.gpuSteps > 0 && u.GPUs > 0 {
		// gres/gpuutil is a percentage summed over GPUs, per step. The
		// GPUs are held for the whole job, so the mean is the steps'
		// percent-seconds over the job's GPU-seconds; without step times,
		// the busiest step stands for the job.
		var pct float64
		if a.gpuNoTime || u.ElapsedSec == 0 {
			pct = a.gpuPctMax
		} else {
			pct = a.gpuPctSec / float64(u.ElapsedSec)
		}
		u.GPUUtil = min(max(pct/(100*float64(u.GPUs)), 0), 1)
		u.HasGPUUtil = true
	}
}

// cpuSlack is the CPU time, per CPU, that rounding may add beyond the
// allocation: elapsed time is whole seconds, TotalCPU has milliseconds.
const cpuSlack = 2 * time.Second

// check returns the column and reason that make a completed job impossible,
// or "" if it is plausible.
func (a *jobAcc) check() (column, string) {
	u := &a.u
	if u.CPUs > 0 && u.CPUTimeSec > 0 {
		limit := float64(u.ElapsedSec)*float64(u.CPUs)*1.05 + cpuSlack.Seconds()*float64(u.CPUs)
		if u.CPUTimeSec > limit {
			return colTotalCPU, fmt.Sprintf("CPU time used %.0f s exceeds elapsed %d s × %d CPUs (with sacct -T the elapsed time is cut to the window but TotalCPU is not)",
				u.CPUTimeSec, u.ElapsedSec, u.CPUs)
		}
	}
	return 0, ""
}
