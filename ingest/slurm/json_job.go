package slurm

import (
	"strconv"
	"time"

	"labcarbon"
)

// jsonJob is one element of the "jobs" array: the fields labcarbon reads,
// under the names every version from openapi/dbv0.0.37 to
// data_parser/v0.0.44 uses. Fields whose shape changed between versions
// have types that accept every shape.
type jsonJob struct {
	JobID           jsonNum `json:"job_id"` // the unique id, JobIDRaw
	Name            string  `json:"name"`
	User            string  `json:"user"`
	Group           string  `json:"group"`
	Account         string  `json:"account"`
	Partition       string  `json:"partition"`
	Cluster         string  `json:"cluster"`
	QOS             string  `json:"qos"`
	Nodes           string  `json:"nodes"`
	AllocationNodes jsonNum `json:"allocation_nodes"`
	Array           struct {
		JobID  jsonNum `json:"job_id"`
		TaskID jsonNum `json:"task_id"`
		// Task lists the tasks still pending in this record, as the
		// database's hex bitmap (0xE for tasks 1-3).
		Task   string `json:"task"`
		Limits struct {
			Max struct {
				Running struct {
					Tasks jsonNum `json:"tasks"`
				} `json:"running"`
			} `json:"max"`
		} `json:"limits"`
	} `json:"array"`
	Het struct {
		JobID     jsonNum `json:"job_id"`
		JobOffset jsonNum `json:"job_offset"`
	} `json:"het"`
	State struct {
		Current jsonFlags `json:"current"`
	} `json:"state"`
	ExitCode jsonExit `json:"exit_code"`
	Time     struct {
		Submission jsonNum     `json:"submission"`
		Start      jsonNum     `json:"start"`
		End        jsonNum     `json:"end"`
		Elapsed    jsonNum     `json:"elapsed"`
		Suspended  jsonNum     `json:"suspended"`
		Limit      jsonNum     `json:"limit"` // minutes
		Total      jsonCPUTime `json:"total"`
	} `json:"time"`
	Required struct {
		MemoryPerCPU  jsonNum `json:"memory_per_cpu"`  // MiB, data_parser
		MemoryPerNode jsonNum `json:"memory_per_node"` // MiB, data_parser
		Memory        jsonNum `json:"memory"`          // MiB, up to v0.0.39
	} `json:"required"`
	TRES struct {
		Allocated []jsonTRES `json:"allocated"` // mem in MiB
		Requested []jsonTRES `json:"requested"`
	} `json:"tres"`
	Steps []jsonStep `json:"steps"`
}

// jsonStep is one element of a job's "steps".
type jsonStep struct {
	State jsonFlags `json:"state"`
	Time  struct {
		Start   jsonNum     `json:"start"`
		Elapsed jsonNum     `json:"elapsed"`
		Total   jsonCPUTime `json:"total"`
	} `json:"time"`
	Tasks struct {
		Count jsonNum `json:"count"`
	} `json:"tasks"`
	Statistics struct {
		Energy struct {
			Consumed jsonNum `json:"consumed"` // joules
		} `json:"energy"`
	} `json:"statistics"`
	// TRES holds the step's usage. Slurm names TRESUsageIn* "requested"
	// and TRESUsageOut* "consumed"; mem counts bytes here, not MiB.
	TRES struct {
		Requested struct {
			Max     []jsonTRES `json:"max"`     // TRESUsageInMax
			Average []jsonTRES `json:"average"` // TRESUsageInAve
			Total   []jsonTRES `json:"total"`   // TRESUsageInTot
		} `json:"requested"`
	} `json:"tres"`
}

// fill reads j into r.acc as parseJob reads a sacct job line, and folds its
// steps as the text reader folds step lines. It returns the field at fault
// when j cannot be read. A step that cannot be read is quarantined on its
// own, and the job goes on without it.
func (r *JSONReader) fill(j *jsonJob, line int) (string, error) {
	acc := &r.acc
	*acc = jobAcc{}
	u := &acc.u
	u.Source, u.SourceFile, u.SourceLine = labcarbon.SourceSacctJSON, r.file, line
	f := jsonFields{step: -1}

	id := f.count(j.JobID, "job_id")
	if id == 0 && f.err == nil {
		f.fail("job_id", errNoJobID)
	}
	u.JobIDRaw = strconv.FormatInt(id, 10)
	u.JobID, u.ParentID = f.displayID(j, u.JobIDRaw)
	u.Cluster = j.Cluster
	if u.Cluster == "" {
		u.Cluster = r.opts.Cluster
	}
	u.Name, u.User, u.Group, u.Account = j.Name, j.User, j.Group, j.Account
	u.Partition, u.QOS = j.Partition, j.QOS
	u.NodeList = nodeList(j.Nodes)

	f.state(&j.State.Current, "state.current", &u.State)
	if field, err := j.ExitCode.check(); err != nil {
		f.fail("exit_code."+field, err)
	}
	u.ExitCode = j.ExitCode.sacct(u.State)

	u.Submit = f.time(j.Time.Submission, "time.submission")
	u.Start = f.time(j.Time.Start, "time.start")
	u.End = f.time(j.Time.End, "time.end")
	u.ElapsedSec = f.count(j.Time.Elapsed, "time.elapsed")
	if r.startIsEligible {
		u.Start = f.realStart(j, u)
	}
	if err := checkSpan(u.Start, u.End); err != nil {
		f.fail("time.end", err)
	}
	acc.neverRan = u.State == labcarbon.StatePending || u.Start.IsZero()
	if limit := f.count(j.Time.Limit, "time.limit"); limit > maxDays*24*60 {
		f.fail("time.limit", errRange(limit))
	} else {
		u.TimelimitSec = limit * 60
	}

	alloc := f.tres(j.TRES.Allocated, "tres.allocated")
	req := f.tres(j.TRES.Requested, "tres.requested")
	// sacct's NCPUS and NNodes fall back to the request for a job that
	// was allocated nothing (one that never ran).
	shown := alloc
	if len(j.TRES.Allocated) == 0 {
		shown = req
	}
	u.CPUs = shown.CPUs
	if u.NNodes = int(f.count(j.AllocationNodes, "allocation_nodes")); u.NNodes == 0 {
		u.NNodes = shown.Nodes
	}
	u.GPUs, u.GPUModel = alloc.GPUs, alloc.GPUModel
	u.MemReqGB = f.memReq(j, req, alloc, u)
	acc.lineEnergy = alloc.EnergyJ
	// The job's own TotalCPU is 0 in every version so far; sacct's text
	// output shows the sum over the steps that completed instead.
	acc.lineCPU = f.cpuTime(j.Time.Total, "time.total")
	if f.err != nil {
		return f.field, f.err
	}

	var completed float64
	for i := range j.Steps {
		s := &j.Steps[i]
		f.step = i
		var st stepUsage
		f.stepUsage(s, &st)
		if f.err != nil {
			r.badRow(line, f.field, f.err.Error())
			f.err = nil
			continue
		}
		if !s.State.beforeComplete() {
			completed += st.cpu
		}
		acc.fold(&st)
		r.stats.Steps++
	}
	if acc.lineCPU == 0 {
		acc.lineCPU = completed
	}
	return "", nil
}

// stepUsage reads what a step adds to its job, as parseStep does for a
// step line.
func (f *jsonFields) stepUsage(s *jsonStep, st *stepUsage) {
	st.cpu = f.cpuTime(s.Time.Total, "time.total")
	if s.State.bad != "" {
		f.fail("state", errNotNames(s.State.bad))
	}
	tot := f.usage(s.TRES.Requested.Total, "tres.requested.total")
	// The step's memory peak: the total sums the tasks' peaks (what seff
	// reports); the max, sacct's MaxRSS, is only the largest task's.
	if tot.HasMem {
		st.mem, st.hasMem = tot.MemBytes, true
	} else if most := f.usage(s.TRES.Requested.Max, "tres.requested.max"); most.HasMem {
		st.mem, st.hasMem = most.MemBytes, true
	}
	if tot.HasGPUUtil {
		st.gpuPct, st.hasGPU = tot.GPUUtil, true
	} else if ave := f.usage(s.TRES.Requested.Average, "tres.requested.average"); ave.HasGPUUtil {
		tasks := f.count(s.Tasks.Count, "tasks.count")
		st.gpuPct, st.hasGPU = ave.GPUUtil*float64(max(tasks, 1)), true
	}
	if st.hasGPU {
		st.sec, st.hasSec = float64(f.count(s.Time.Elapsed, "time.elapsed")), s.Time.Elapsed.set
	}
	if st.energy = f.energy(s.Statistics.Energy.Consumed, "statistics.energy.consumed"); st.energy == 0 {
		st.energy = tot.EnergyJ
	}
}

// memReq returns the job's requested memory in GB: the request's mem (MiB,
// what sacct prints as ReqMem since 21.08), else the per-CPU or per-node
// amount times the CPUs or nodes, else the allocation's.
func (f *jsonFields) memReq(j *jsonJob, req, alloc TRES, u *labcarbon.Usage) float64 {
	perCPU := f.count(j.Required.MemoryPerCPU, "required.memory_per_cpu")
	perNode := f.count(j.Required.MemoryPerNode, "required.memory_per_node")
	legacy := j.Required.Memory
	f.check(legacy, "required.memory")
	var m ReqMem
	switch {
	case req.HasMem:
		return req.MemBytes / GiB
	case perCPU > 0:
		m = ReqMem{Bytes: float64(perCPU) * float64(MiB), Per: PerCPU}
	case perNode > 0:
		m = ReqMem{Bytes: float64(perNode) * float64(MiB), Per: PerNode}
	case legacy.set && legacy.v < 0:
		// data_parser v0.0.39 writes the database's value with its
		// per-CPU flag, the top bit, as a negative number.
		m = ReqMem{Bytes: float64(uint64(legacy.v)&^(1<<63)) * float64(MiB), Per: PerCPU}
	case legacy.set && legacy.v > 0:
		// openapi/dbv0.0.37 and .38 cut the value to 32 bits, flag and
		// all: per node is Slurm's default.
		m = ReqMem{Bytes: float64(legacy.v) * float64(MiB), Per: PerNode}
	case alloc.HasMem:
		return alloc.MemBytes / GiB
	}
	return m.TotalGB(u.CPUs, u.NNodes)
}

// realStart returns the start of a job whose time.start holds its eligible
// time (see startIsEligible). A job that never got nodes never started; a
// job that ended started its elapsed and suspended time before the end, as
// the database computes elapsed; a running job started with its first
// step. A running job without steps keeps the eligible time, the nearest
// there is.
func (f *jsonFields) realStart(j *jsonJob, u *labcarbon.Usage) time.Time {
	switch {
	case u.NodeList == "" && u.ElapsedSec == 0:
		return time.Time{}
	case !u.End.IsZero():
		suspended := f.count(j.Time.Suspended, "time.suspended")
		return u.End.Add(-time.Duration(u.ElapsedSec+suspended) * time.Second)
	}
	var first time.Time
	for i := range j.Steps {
		if t := f.time(j.Steps[i].Time.Start, "steps.time.start"); !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if first.IsZero() {
		return u.Start
	}
	return first
}

// jsonField names, in the JSON, the sacct column a check of the folded job
// blames.
func jsonField(c column) string {
	if c == colTotalCPU {
		return "time.total"
	}
	return ""
}
