package labcarbon

import "time"

// SourceKind names the input format a record came from.
type SourceKind string

// The input formats labcarbon reads.
const (
	SourceSacct     SourceKind = "sacct"
	SourceSacctJSON SourceKind = "sacct-json"
	SourceJobcomp   SourceKind = "jobcomp"
)

// Usage is one job (or, later, one billing line) in canonical form, whatever
// the source. Times are UTC; a zero time means the source did not know it.
// Memory is in GB as Slurm counts them (2^30 bytes).
type Usage struct {
	Source     SourceKind
	SourceFile string
	SourceLine int // line of the job's own record in SourceFile

	Cluster   string
	JobID     string // as users see it: 123, 123_4 (array task), 123+1 (het component)
	JobIDRaw  string // unique numeric id; with Cluster and Submit the natural key
	ParentID  string // array or heterogeneous job this one belongs to, if any
	Name      string
	User      string
	Group     string // unix group
	Account   string // Slurm account: the lab's research group by default
	Partition string
	QOS       string
	State     State
	ExitCode  string

	Submit, Start, End time.Time
	ElapsedSec         int64
	TimelimitSec       int64 // 0 when unlimited or unknown

	NNodes   int
	NodeList string
	CPUs     int
	// CPUTimeSec is the CPU time the job's processes used (TotalCPU), not the
	// allocation (CPUTime); 0 when Slurm did not record it.
	CPUTimeSec float64

	MemReqGB   float64
	MemPeakGB  float64 // peak resident memory over the job's steps
	HasMemPeak bool

	GPUs       int
	GPUModel   string  // from typed TRES (gres/gpu:a100=2), lower case; "" if untyped
	GPUUtil    float64 // mean utilisation of the allocated GPUs, 0..1
	HasGPUUtil bool

	// EnergyJ is the node energy Slurm measured (ConsumedEnergyRaw); 0 when
	// no energy plugin recorded anything.
	EnergyJ float64
}

// Key is the natural key that makes every ingest idempotent: job ids are
// reused across clusters and wrap at MaxJobId, the submit time tells such
// jobs apart.
type Key struct {
	Cluster  string
	JobIDRaw string
	Submit   time.Time
}

// Key returns u's natural key.
func (u *Usage) Key() Key { return Key{Cluster: u.Cluster, JobIDRaw: u.JobIDRaw, Submit: u.Submit} }

// Ran reports whether the job started, and so may have consumed anything.
func (u *Usage) Ran() bool { return !u.Start.IsZero() && u.ElapsedSec > 0 }

// State is a job's base state, without the "by <uid>" suffix Slurm adds to
// CANCELLED.
type State string

// The job states that matter to accounting.
const (
	StatePending     State = "PENDING"
	StateRunning     State = "RUNNING"
	StateCompleted   State = "COMPLETED"
	StateFailed      State = "FAILED"
	StateTimeout     State = "TIMEOUT"
	StateOutOfMemory State = "OUT_OF_MEMORY"
	StateNodeFail    State = "NODE_FAIL"
	StateCancelled   State = "CANCELLED"
	StatePreempted   State = "PREEMPTED"
	StateBootFail    State = "BOOT_FAIL"
	StateDeadline    State = "DEADLINE"
	StateRequeued    State = "REQUEUED"
)

// Final reports whether the record has ended; a job still pending or
// running is stored as it is and completed by a later ingest. A REQUEUED
// record is final: Slurm starts the job again under a new record.
func (s State) Final() bool {
	switch s {
	case StatePending, StateRunning, "SUSPENDED", "RESIZING", "COMPLETING", "CONFIGURING":
		return false
	}
	return true
}

// Wasted reports whether energy spent on a job in this state is counted as
// waste: it ended without the result its owner wanted. A run that was
// preempted or requeued lost its work unless the job checkpointed.
func (s State) Wasted() bool {
	switch s {
	case StateFailed, StateTimeout, StateOutOfMemory, StateNodeFail, StateCancelled, StateBootFail, StateDeadline,
		StatePreempted, StateRequeued:
		return true
	}
	return false
}
