package demo

import (
	"strconv"

	"labcarbon"
)

// writeJob writes the current job's line and its step lines, with the
// fields sacct prints for each kind of line and leaves empty on the other
// (print.c: User, UID, Group, Partition, QOS, TimelimitRaw, ReqMem, ReqTRES
// and WorkDir only on the job line; NTasks, MaxRSS and TRESUsageInTot only
// on steps).
func (g *generator) writeJob() error {
	s, j := &g.sub, &g.job
	started := j.start >= 0

	b := g.line[:0]
	b = g.appendJobID(b)
	b = append(b, '|')
	b = strconv.AppendInt(b, j.id, 10)
	b = append(b, '|')
	b = append(b, s.user.Login...)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(s.user.UID), 10)
	b = append(b, '|')
	b = append(b, s.user.Account...) // the lab's Unix groups are its accounts
	b = append(b, '|')
	b = append(b, s.user.Account...)
	b = append(b, '|')
	b = append(b, s.part.Name...)
	b = append(b, '|')
	b = append(b, s.qos...)
	b = append(b, '|')
	b = append(b, ClusterName...)
	b = append(b, '|')
	b = append(b, j.state...)
	if j.state == labcarbon.StateCancelled {
		b = append(b, " by "...)
		b = strconv.AppendInt(b, int64(j.byUID), 10)
	}
	b = append(b, '|')
	b = append(b, j.exit...)
	b = append(b, '|')
	b = g.clk.append(b, s.submit)
	b = append(b, '|')
	switch {
	case started:
		b = g.clk.append(b, j.start)
	case j.state == labcarbon.StatePending:
		b = append(b, "Unknown"...)
	default: // cancelled while pending
		b = append(b, "None"...)
	}
	b = append(b, '|')
	if j.end >= 0 {
		b = g.clk.append(b, j.end)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, '|')
	b = appendElapsed(b, j.elapsed)
	b = append(b, '|')
	b = strconv.AppendInt(b, j.elapsed, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, s.limitMin, 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(s.nnodes), 10)
	b = append(b, '|')
	if started {
		b = strconv.AppendInt(b, int64(s.cpus), 10)
	} else {
		b = append(b, '0') // sacct counts CPUs from AllocTRES, empty here
	}
	b = append(b, "||"...) // NTasks: steps only
	if started {
		b = appendHostlist(b, s.part.NodePrefix, s.part.NodeDigits, j.nodes)
	} else {
		b = append(b, "None assigned"...)
	}
	b = append(b, '|')
	b = appendSize(b, float64(s.reqMemMiB), unitMiB)
	b = append(b, '|')
	b = g.appendTRES(b, true, s.reqCPUs, s.reqMemMiB, s.nnodes, 0, s.typedReq)
	b = append(b, '|')
	if started {
		b = g.appendTRES(b, true, s.cpus, s.memMiB, s.nnodes, j.energyJ, true)
	}
	b = append(b, '|')
	b = appendCPU(b, j.cpuUsec)
	b = append(b, "|||"...) // MaxRSS and TRESUsageInTot: steps only
	b = strconv.AppendInt(b, j.energyJ, 10)
	b = append(b, '|')
	b = g.appendWorkDir(b)
	b = append(b, '|')
	b = append(b, s.name...)
	g.line = b
	if err := g.emit(); err != nil {
		return err
	}

	g.stats.Jobs++
	g.stats.ByState[j.state]++
	if s.gpus > 0 {
		g.stats.GPUJobs++
	}
	if j.energyJ > 0 {
		g.stats.Measured++
	}
	for i := range j.steps {
		if err := g.writeStep(&j.steps[i]); err != nil {
			return err
		}
	}
	return nil
}

// writeStep writes one step line of the current job.
func (g *generator) writeStep(st *step) error {
	s, j := &g.sub, &g.job
	running := st.end < 0
	b := g.line[:0]
	b = g.appendJobID(b)
	b = append(b, '.')
	b = append(b, st.id...)
	b = append(b, '|')
	b = strconv.AppendInt(b, j.id, 10)
	b = append(b, '.')
	b = append(b, st.id...)
	b = append(b, "||||"...) // User, UID, Group: job only
	b = append(b, s.user.Account...)
	b = append(b, "|||"...) // Partition, QOS: job only
	b = append(b, ClusterName...)
	b = append(b, '|')
	b = append(b, st.state...)
	b = append(b, '|')
	b = append(b, st.exit...)
	b = append(b, '|')
	b = g.clk.append(b, st.start) // a step's Submit is its start
	b = append(b, '|')
	b = g.clk.append(b, st.start)
	b = append(b, '|')
	elapsed := st.end - st.start
	if running {
		b = append(b, "Unknown"...)
		elapsed = g.to - st.start
	} else {
		b = g.clk.append(b, st.end)
	}
	b = append(b, '|')
	b = appendElapsed(b, elapsed)
	b = append(b, '|')
	b = strconv.AppendInt(b, elapsed, 10)
	b = append(b, "||"...) // TimelimitRaw: job only
	b = strconv.AppendInt(b, int64(st.nnodes), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(st.ncpus), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, int64(st.ntasks), 10)
	b = append(b, '|')
	if st.allNodes {
		b = appendHostlist(b, s.part.NodePrefix, s.part.NodeDigits, j.nodes)
	} else {
		b = appendHostlist(b, s.part.NodePrefix, s.part.NodeDigits, j.nodes[:1])
	}
	b = append(b, "|||"...) // ReqMem, ReqTRES: job only
	b = g.appendTRES(b, st.billing, st.ncpus, st.memMiB, st.nnodes, 0, true)
	b = append(b, '|')
	b = appendCPU(b, st.cpuUsec)
	b = append(b, '|')
	if !running {
		b = appendSize(b, float64(st.rssKiB)*1024, unitBytes)
		b = append(b, '|')
		b = g.appendUsage(b, st)
	} else {
		b = append(b, '|')
	}
	b = append(b, '|')
	b = strconv.AppendInt(b, st.energyJ, 10)
	b = append(b, "||"...) // WorkDir: job only
	b = append(b, st.name...)
	g.line = b
	g.stats.Steps++
	return g.emit()
}

// appendJobID appends the job's JobID: its own id, or <array>_<task>.
func (g *generator) appendJobID(b []byte) []byte {
	j := &g.job
	if j.arrayID == 0 {
		return strconv.AppendInt(b, j.id, 10)
	}
	b = strconv.AppendInt(b, j.arrayID, 10)
	b = append(b, '_')
	return strconv.AppendInt(b, int64(j.task), 10)
}

// appendTRES appends a TRES list in the order sacct prints it:
// billing (on job and extern lines), cpu, energy (when measured), the GPUs
// typed and untyped, mem, node. typed false leaves out the typed GPU
// entry, as in the ReqTRES of a job that asked for gpu:N.
func (g *generator) appendTRES(b []byte, billing bool, cpus int, memMiB int64, nodes int, energyJ int64, typed bool) []byte {
	s := &g.sub
	if billing {
		b = append(b, "billing="...)
		b = strconv.AppendInt(b, g.billing(cpus, memMiB), 10)
		b = append(b, ',')
	}
	b = append(b, "cpu="...)
	b = strconv.AppendInt(b, int64(cpus), 10)
	if energyJ > 0 {
		b = append(b, ",energy="...)
		b = strconv.AppendInt(b, energyJ, 10)
	}
	if s.gpus > 0 {
		if typed {
			b = append(b, ",gres/gpu:"...)
			b = append(b, s.part.GPUType...)
			b = append(b, '=')
			b = strconv.AppendInt(b, int64(s.gpus), 10)
		}
		b = append(b, ",gres/gpu="...)
		b = strconv.AppendInt(b, int64(s.gpus), 10)
	}
	b = append(b, ",mem="...)
	b = appendSize(b, float64(memMiB), unitMiB)
	b = append(b, ",node="...)
	return strconv.AppendInt(b, int64(nodes), 10)
}

// billing is the demo cluster's TRESBillingWeights: a core counts 1, a GPU
// 12 (A100) or 24 (H100), and on highmem nodes every 16 GB counts too.
func (g *generator) billing(cpus int, memMiB int64) int64 {
	s := &g.sub
	bill := int64(cpus)
	switch {
	case s.part.GPUType == "h100":
		bill += 24 * int64(s.gpus)
	case s.gpus > 0:
		bill += 12 * int64(s.gpus)
	case kindOf(*s.part) == kindHighmem:
		bill += memMiB / (16 << 10)
	}
	return bill
}

// appendUsage appends a finished step's TRESUsageInTot, keys in sacct's
// order: cpu (as a duration), energy, fs/disk (bytes), the GPU usage for
// steps that hold GPUs, mem and vmem (sizes), pages.
func (g *generator) appendUsage(b []byte, st *step) []byte {
	b = append(b, "cpu="...)
	b = appendElapsed(b, st.cpuUsec/1e6)
	b = append(b, ",energy=0,fs/disk="...)
	b = strconv.AppendInt(b, st.diskBytes, 10)
	if st.gresUsage {
		b = append(b, ",gres/gpumem="...)
		b = appendSize(b, float64(st.gpuMemKiB)*1024, unitBytes)
		b = append(b, ",gres/gpuutil="...)
		b = strconv.AppendInt(b, st.gpuUtilPct, 10)
	}
	b = append(b, ",mem="...)
	b = appendSize(b, float64(st.totKiB)*1024, unitBytes)
	b = append(b, ",pages="...)
	b = strconv.AppendInt(b, st.pages, 10)
	b = append(b, ",vmem="...)
	return appendSize(b, float64(st.vmemKiB)*1024, unitBytes)
}

// appendWorkDir appends the job's working directory: a project folder in
// the user's home, or on scratch, often a numbered run inside it.
func (g *generator) appendWorkDir(b []byte) []byte {
	s := &g.sub
	if s.scratch {
		b = append(b, "/scratch/"...)
		b = append(b, s.user.Login...)
		b = append(b, '/')
	} else {
		b = append(b, "/home/"...)
		b = append(b, s.user.Login...)
		b = append(b, "/projects/"...)
	}
	b = append(b, s.wl.project...)
	if s.runDir > 0 {
		b = append(b, "/run"...)
		b = appendPadded(b, s.runDir, 2)
	}
	return b
}
