package demo

import (
	"math"

	"labcarbon"
)

// submission is what one sbatch (or srun, or salloc) call fixes: the
// request, shared by every task of an array.
type submission struct {
	user      *User
	wl        *workload
	part      *Partition
	name      string
	submit    int64
	array     bool
	tasks     int
	firstTask int // index of the first array task: 0 or 1
	// broken is the state most tasks of a broken array end in (a bad input
	// or too little memory for all of them), with its exit code; "" when
	// the array is healthy.
	broken     labcarbon.State
	brokenExit string
	// salloc: an interactive job with an .interactive step rather than
	// srun --pty's step 0.
	salloc    bool
	qos       string
	limitMin  int64
	nnodes    int
	reqCPUs   int // what was asked for
	cpus      int // what was allocated: all cores of the nodes when exclusive
	gpus      int
	typedReq  bool // asked for gpu:a100:N rather than gpu:N
	exclusive bool
	reqMemMiB int64
	memMiB    int64   // allocated: the nodes' memory when exclusive
	needMiB   float64 // what the work needs at its peak
	baseSecs  float64 // run time of the first task
	runDir    int     // WorkDir's run folder number; 0 for none
	scratch   bool    // WorkDir is on /scratch rather than /home
}

// jobRec is one job record (an array task or a plain job) being written.
type jobRec struct {
	id      int64 // JobIDRaw
	arrayID int64 // the array's id when this is a task, else 0
	task    int
	state   labcarbon.State
	exit    string
	byUID   int   // who cancelled it, for CANCELLED
	start   int64 // -1 when it never started
	end     int64 // -1 while it has no end (pending, running)
	elapsed int64
	nodes   []int
	eff     float64 // CPU efficiency of its work
	gpuUtil float64
	peakMiB float64
	powerW  float64 // node power while it ran, when measured
	energyJ int64
	cpuUsec int64 // TotalCPU: the sum over its completed steps
	steps   []step
}

// step is one step line.
type step struct {
	id               string // batch, extern, interactive or the srun number
	name             string // JobName column: the program
	start, end       int64  // end -1 while running
	state, exit      string
	nnodes, ncpus    int
	ntasks           int
	allNodes         bool  // NodeList is the job's, else its first node
	memMiB           int64 // allocated memory, for AllocTRES
	billing          bool  // AllocTRES carries the job's billing (extern)
	gresUsage        bool  // TRESUsageInTot carries GPU usage
	cpuUsec          int64
	rssKiB, totKiB   int64 // MaxRSS (largest task) and TRESUsageInTot mem (sum of tasks)
	vmemKiB          int64
	diskBytes, pages int64
	gpuUtilPct       int64 // summed over the job's GPUs, as gres/gpuutil is
	gpuMemKiB        int64
	energyJ          int64
}

// submit draws the next submission: who, what, how big, for how long.
func (g *generator) submit() {
	s := &g.sub
	*s = submission{submit: g.nextSubmit()}
	ui := g.pick(g.userCum)
	s.user = &g.users[ui]
	p := &s.user.Profile
	d := g.discipline[ui]
	cum := g.workCumCPU[d]
	if p.GPU {
		cum = g.workCum[d]
	}
	s.wl = &disciplines[d][g.pick(cum)]
	wl := s.wl
	k := wl.kind
	s.part = &g.parts[g.partsOf[k][g.pick(g.partCum[k])]]
	part := s.part
	s.name = wl.names[g.r.IntN(len(wl.names))]

	s.nnodes = 1
	workCPUs := 0 // the cores the work is sized for, before any habit inflates the request
	switch {
	case k == kindGPU:
		s.gpus = min(wl.gpus[0]+g.r.IntN(wl.gpus[1]-wl.gpus[0]+1), part.GPUs)
		s.reqCPUs = min(s.gpus*g.pickCPUs(wl.cpus[0], wl.cpus[1]), part.CPUs())
		s.typedReq = g.r.IntN(2) == 0
		if g.r.Float64() < wl.exclusive {
			s.exclusive = true
			s.gpus = part.GPUs
			s.reqCPUs = min(s.gpus*wl.cpus[1], part.CPUs())
		}
	case wl.shape == shapeMPI:
		s.nnodes = wl.nodes[0] + g.r.IntN(wl.nodes[1]-wl.nodes[0]+1)
		s.reqCPUs = s.nnodes * part.CPUs()
		s.exclusive = true
	default:
		s.reqCPUs = g.pickCPUs(wl.cpus[0], wl.cpus[1])
		workCPUs = s.reqCPUs
		if p.CPUEfficiency < 0.2 && wl.shape != shapeInteractive {
			// The habit of asking for a node's worth of cores "to be fast".
			s.reqCPUs = max(s.reqCPUs*4, 32)
		}
		s.reqCPUs = min(s.reqCPUs, part.CPUs())
	}
	if workCPUs == 0 {
		workCPUs = s.reqCPUs
	}
	s.cpus = s.reqCPUs
	if s.exclusive {
		s.cpus = s.nnodes * part.CPUs()
	}

	// Memory: what the work needs, then what the user asks for.
	if k == kindHighmem {
		s.needMiB = 1024 * math.Exp(g.uniform(math.Log(wl.memGB[0]), math.Log(wl.memGB[1])))
	} else {
		s.needMiB = 1024 * g.logNormal(wl.memCPU, 0.5) * float64(workCPUs)
		if wl.shape == shapeInteractive {
			s.needMiB /= 4
		}
	}
	nodeMem := int64(part.realMemMiB) * int64(s.nnodes)
	s.needMiB = min(s.needMiB, float64(nodeMem))
	over := g.logNormal(p.MemOverRequest, 0.15)
	s.reqMemMiB = min(g.memRequest(s.needMiB*over, s.reqCPUs), nodeMem)
	if k == kindHighmem {
		// Nobody takes a highmem node for less than half a terabyte, and
		// the scheduler holds requests above 3 TB for days.
		s.reqMemMiB = min(max(s.reqMemMiB, 500<<10), 3000<<10)
	}
	s.memMiB = s.reqMemMiB
	if s.exclusive {
		s.memMiB = nodeMem
	}

	// Run time, and the limit the user sets from their guess of it.
	s.baseSecs = min(max(g.logNormal(wl.hours*3600, wl.sigma), 20), 14*86400)
	guess := g.logNormal(s.baseSecs, 0.5)
	s.limitMin = niceLimit(guess * p.TimeLimitFactor / 60)

	switch {
	case wl.shape == shapeInteractive:
		s.qos = "interactive"
		s.salloc = g.r.IntN(2) == 0
		if s.salloc {
			s.name = "interactive"
		}
	case s.limitMin > 4320:
		s.qos = "long"
	case s.limitMin <= 30 && s.reqCPUs <= 8:
		s.qos = "debug"
	default:
		s.qos = "normal"
	}

	if g.r.Float64() < wl.array {
		s.array = true
		s.tasks = int(math.Exp(g.uniform(math.Log(4), math.Log(61))))
		s.firstTask = g.r.IntN(2)
		if g.r.Float64() < 0.08*p.FailureRate {
			s.broken, s.brokenExit = labcarbon.StateFailed, "1:0"
			if p.MemOverRequest < 1.5 || g.r.IntN(2) == 0 {
				s.broken, s.brokenExit = labcarbon.StateOutOfMemory, "0:125"
			}
		}
	}
	if g.r.IntN(3) > 0 {
		s.runDir = 1 + g.r.IntN(60)
	}
	s.scratch = g.r.IntN(5) == 0
}

// instantiate draws task t of n of the current submission (n is 1 for a
// plain job): how it ran, what it used and how it ended, as seen at the end
// of the period.
func (g *generator) instantiate(master int64, t, n int) {
	s, j := &g.sub, &g.job
	p := &s.user.Profile
	*j = jobRec{id: master, nodes: j.nodes[:0], steps: j.steps[:0], start: -1, end: -1}
	if s.array {
		j.arrayID, j.task = master, s.firstTask+t
		// The last task stays in the array's own record and keeps its id;
		// the others were split off with ids of their own.
		if t < n-1 {
			j.id = master + 1 + int64(t)
		}
	}

	runSecs := s.baseSecs
	if t > 0 {
		runSecs = min(g.logNormal(s.baseSecs, 0.3), 14*86400)
	}
	limit := float64(s.limitMin * 60)
	j.peakMiB = s.needMiB * g.logNormal(1, 0.08)

	// How it ends, before the end of the period has its say.
	pendingCancel := false
	fr := p.FailureRate
	switch x := g.r.Float64(); {
	case s.broken != "" && x < 0.85:
		j.state, j.exit = s.broken, s.brokenExit
	case x < 0.015:
		pendingCancel = true
		j.state, j.exit = labcarbon.StateCancelled, "0:0"
	case x < 0.045:
		j.state, j.exit = labcarbon.StateCancelled, "0:0"
	case x < 0.045+0.045*fr:
		j.state = labcarbon.StateFailed
	case x < 0.045+0.057*fr:
		j.state, j.exit = labcarbon.StateOutOfMemory, "0:125"
	case x < 0.048+0.057*fr:
		j.state, j.exit = labcarbon.StateNodeFail, "0:0"
	default:
		j.state, j.exit = labcarbon.StateCompleted, "0:0"
	}
	if j.state == labcarbon.StateCompleted && j.peakMiB > 0.98*float64(s.reqMemMiB) {
		j.state, j.exit = labcarbon.StateOutOfMemory, "0:125"
	}
	if j.state == labcarbon.StateCompleted && runSecs >= limit {
		j.state = labcarbon.StateTimeout
	}
	quickFail := false
	var secs float64
	switch j.state {
	case labcarbon.StateCompleted:
		secs = runSecs
	case labcarbon.StateTimeout:
		secs = limit
	case labcarbon.StateFailed:
		quickFail = g.r.IntN(10) < 3
		if quickFail {
			secs = g.uniform(2, 120)
		} else {
			secs = runSecs * g.uniform(0.02, 0.7)
		}
		if j.exit == "" {
			j.exit = g.failExit(quickFail)
		}
	case labcarbon.StateOutOfMemory:
		secs = runSecs * g.uniform(0.05, 0.9)
	case labcarbon.StateCancelled:
		secs = max(runSecs*g.uniform(0.01, 0.8), 5)
	case labcarbon.StateNodeFail:
		secs = runSecs * g.uniform(0.05, 0.95)
	}
	if j.state != labcarbon.StateTimeout {
		secs = min(max(secs, 1), limit-1)
	}
	j.elapsed = int64(secs)
	if j.state == labcarbon.StateCancelled {
		j.byUID = s.user.UID
		if g.r.IntN(10) == 0 {
			j.byUID = 0 // an administrator, or slurmctld on their behalf
		}
	}

	// What it used.
	j.eff = min(g.r.NormFloat64()*p.CPUEfficiencySpread+p.CPUEfficiency, s.wl.eff*g.logNormal(1, 0.1))
	if quickFail {
		j.eff *= 0.3
	}
	j.eff = min(max(j.eff, 0.005), 0.99)
	if s.gpus > 0 {
		j.gpuUtil = min(max(min(g.logNormal(p.GPUUtilisation, 0.25), s.wl.gpuUtil*g.logNormal(1, 0.1)), 0.005), 0.99)
	}
	switch {
	case j.state == labcarbon.StateOutOfMemory:
		j.peakMiB = float64(s.reqMemMiB) * g.uniform(0.97, 1)
	case quickFail:
		j.peakMiB = min(j.peakMiB, 0.97*float64(s.reqMemMiB)) * g.uniform(0.01, 0.3)
	default:
		j.peakMiB = min(j.peakMiB, 0.97*float64(s.reqMemMiB))
	}

	// When it ran, and what sacct knows of it at the end of the period.
	submit := s.submit
	// Array tasks still pending at the end of the period would be one line
	// for the lot in sacct (4242_[7-9]), not tasks with ids of their own;
	// the demo lets every task start or be cancelled within the period.
	latest := func(at int64) int64 {
		if s.array && at >= g.to {
			return submit + int64(g.r.Float64()*float64(g.to-1-submit))
		}
		return at
	}
	if pendingCancel {
		cancelAt := latest(submit + int64(max(g.logNormal(1800, 1.2), 5)))
		j.elapsed = 0
		if cancelAt < g.to {
			j.end = cancelAt
			return
		}
		j.state, j.exit = labcarbon.StatePending, "0:0"
		return
	}
	start := latest(submit + g.queueWait() + int64(float64(t)*g.uniform(0, 120)))
	if start >= g.to {
		j.state, j.exit, j.elapsed = labcarbon.StatePending, "0:0", 0
		return
	}
	j.start = start
	end := start + j.elapsed
	if end > g.to {
		j.state, j.exit = labcarbon.StateRunning, "0:0"
		j.elapsed = g.to - start
	} else {
		j.end = end
	}
	g.placeNodes()
	if s.exclusive && s.part.MeasuresEnergy {
		part := s.part
		j.powerW = g.logNormal(part.idleW+part.cpuW*j.eff+float64(s.gpus)*part.gpuW*j.gpuUtil, 0.05) * float64(s.nnodes)
		if j.end >= 0 {
			j.energyJ = int64(j.powerW * float64(j.elapsed))
		}
	}
	g.buildSteps(start, end)
}

// failExit draws the exit code of a failed job: mostly a script's exit 1,
// some usage errors, missing commands, and crashes.
func (g *generator) failExit(quick bool) string {
	switch x := g.r.IntN(10); {
	case quick && x < 3:
		return "127:0"
	case x < 7:
		return "1:0"
	case x < 8:
		return "2:0"
	default:
		return "11:0" // srun's exit 139 from a segfault, less 128 as sacct prints it
	}
}

// queueWait draws how long the current submission waits for its nodes:
// seconds for a shell or a small job, hours for whole GPU nodes.
func (g *generator) queueWait() int64 {
	s := &g.sub
	var w float64
	switch {
	case s.wl.shape == shapeInteractive:
		w = g.logNormal(15, 1)
	case s.gpus > 0 && s.exclusive:
		w = g.logNormal(3*3600, 1.2)
	case s.gpus > 0:
		w = g.logNormal(1500, 1.5)
	case kindOf(*s.part) == kindHighmem:
		w = g.logNormal(5400, 1.2)
	case s.nnodes > 1 || s.reqCPUs >= 64:
		w = g.logNormal(2400, 1.3)
	default:
		w = g.logNormal(90, 1.5)
	}
	return int64(min(w, 5*86400))
}

// placeNodes picks the job's nodes: a block of consecutive nodes, now and
// then split in two as a busy cluster leaves them.
func (g *generator) placeNodes() {
	s, j := &g.sub, &g.job
	nn, total := s.nnodes, s.part.Nodes
	first := 1 + g.r.IntN(total-nn+1)
	for i := range nn {
		j.nodes = append(j.nodes, first+i)
	}
	if room := total - (first + nn - 1); nn > 1 && room > 0 && g.r.IntN(5) == 0 {
		gap := 1 + g.r.IntN(room)
		for i := nn / 2; i < nn; i++ {
			j.nodes[i] += gap
		}
	}
}

// stepIDs names srun steps without formatting numbers per job.
var stepIDs = []string{"0", "1", "2", "3"}

// buildSteps lays out the steps of a job that started: the batch script
// and the extern step for the whole allocation, srun steps one after
// another inside it. end is when the job ends or would end, possibly
// after the period; steps still going then are RUNNING, steps not begun
// are not there yet.
func (g *generator) buildSteps(start, end int64) {
	s, j := &g.sub, &g.job
	wl := s.wl
	workState, workExit, batchState, batchExit := stepOutcome(j.state, j.exit)
	perNode := s.cpus / s.nnodes

	if wl.shape != shapeInteractive {
		batch := step{id: "batch", name: "batch", start: start, end: end, nnodes: 1, ncpus: perNode, ntasks: 1,
			memMiB: s.memMiB / int64(s.nnodes), gresUsage: s.gpus > 0}
		batch.state, batch.exit = batchState, batchExit
		if wl.shape == shapeBatch {
			g.work(&batch, 1, true)
		} else {
			g.light(&batch)
		}
		g.addStep(batch)
	}
	ext := step{id: "extern", name: "extern", start: start, end: end, state: "COMPLETED", exit: "0:0",
		nnodes: s.nnodes, ncpus: s.cpus, ntasks: s.nnodes, allNodes: true, memMiB: s.memMiB, billing: true}
	if j.state == labcarbon.StateNodeFail {
		ext.state, ext.exit = "CANCELLED", "0:15"
	}
	ext.cpuUsec = min(int64(g.uniform(1000, 9000)), int64(0.001*float64(j.elapsed*int64(s.cpus))*1e6))
	ext.rssKiB = int64(g.uniform(1000, 2000)) &^ 3
	ext.totKiB, ext.vmemKiB = ext.rssKiB, int64(g.uniform(200_000, 230_000))&^3
	ext.diskBytes = int64(g.uniform(1800, 2400))
	ext.energyJ = int64(j.powerW * float64(end-start))
	g.addStep(ext)

	var n int
	switch wl.shape {
	case shapeBatch:
		return
	case shapeInteractive:
		st := step{id: "0", name: "bash", start: min(start+1, end), end: end, state: workState, exit: workExit,
			nnodes: 1, ncpus: s.cpus, ntasks: 1, memMiB: s.memMiB}
		if s.salloc {
			st.id, st.name = "interactive", "interactive"
		}
		g.work(&st, 1, true)
		g.addStep(st)
		return
	case shapeMPI:
		n = 1
	case shapePipeline:
		n = len(wl.exes)
	}
	if end-start < 60*int64(n) {
		n = 1
	}
	// Lay the srun steps one after another over the job's run time, with
	// a few seconds of script in between.
	t0 := min(start+2+int64(g.r.IntN(12)), end)
	stop := max(end-1-int64(g.r.IntN(3)), t0)
	peakStep := g.r.IntN(n)
	if j.state != labcarbon.StateCompleted {
		peakStep = n - 1 // the step that failed is the one that used most
	}
	var weights [4]float64
	total := 0.0
	for i := range n {
		weights[i] = g.uniform(0.3, 1)
		total += weights[i]
	}
	at := t0
	for i := range n {
		stEnd := stop
		if i < n-1 {
			stEnd = min(at+int64(float64(stop-t0)*weights[i]/total), stop)
		}
		st := step{id: stepIDs[i], name: wl.exes[i%len(wl.exes)], start: at, end: stEnd,
			state: "COMPLETED", exit: "0:0", nnodes: 1, ncpus: s.cpus, ntasks: 1, memMiB: s.memMiB, gresUsage: s.gpus > 0}
		if i == n-1 {
			st.state, st.exit = workState, workExit
		}
		if wl.shape == shapeMPI {
			st.nnodes, st.allNodes = s.nnodes, true
			st.ntasks = s.cpus
			if s.gpus > 0 {
				st.ntasks = s.gpus
			}
		}
		memShare := 1.0
		if i != peakStep {
			memShare = g.uniform(0.2, 0.9)
		}
		// A GPU pipeline's first step prepares input on the CPUs only
		// (alphafold's MSA search).
		usesGPU := !(wl.shape == shapePipeline && i == 0 && n > 1)
		g.work(&st, memShare, usesGPU)
		g.addStep(st)
		at = min(stEnd+1+int64(g.r.IntN(3)), stop)
	}
}

// stepOutcome maps a job's end to the state and exit code of an srun step
// doing its work and of the batch script, which passes on the exit status
// of what it ran.
func stepOutcome(state labcarbon.State, exit string) (work, workExit, batch, batchExit string) {
	switch state {
	case labcarbon.StateFailed:
		if exit == "11:0" {
			// The srun step died of the signal; the script passed on its
			// exit status 139.
			return "FAILED", "0:11", "FAILED", exit
		}
		return "FAILED", exit, "FAILED", exit
	case labcarbon.StateOutOfMemory:
		return "OUT_OF_MEMORY", "0:125", "OUT_OF_MEMORY", "0:125"
	case labcarbon.StateTimeout, labcarbon.StateCancelled, labcarbon.StateNodeFail:
		return "CANCELLED", "0:15", "CANCELLED", "0:15"
	default:
		return "COMPLETED", "0:0", "COMPLETED", "0:0"
	}
}

// work fills in the usage of a step that does the job's work: CPU time at
// the job's efficiency, memory at memShare of the job's peak spread over
// its tasks, and the GPUs' use.
func (g *generator) work(st *step, memShare float64, usesGPU bool) {
	s, j := &g.sub, &g.job
	secs := float64(st.end - st.start)
	eff := min(j.eff*g.logNormal(1, 0.05), 0.99)
	st.cpuUsec = int64(eff * secs * float64(st.ncpus) * 1e6)
	tot := max(int64(j.peakMiB*memShare*1024)&^3, 4)
	st.totKiB = tot
	st.rssKiB = max(int64(float64(tot)/float64(st.ntasks)*g.uniform(1, 1.25))&^3, 4)
	st.rssKiB = min(st.rssKiB, tot)
	st.vmemKiB = int64(float64(tot)*g.uniform(1.3, 3)+200_000) &^ 3
	st.diskBytes = int64(g.logNormal(2e8, 1.5) * math.Sqrt(secs/3600+0.01))
	if g.r.IntN(10) == 0 {
		st.pages = int64(g.r.IntN(5000))
	}
	if s.gpus > 0 && usesGPU {
		st.gpuUtilPct = int64(math.Round(j.gpuUtil * 100 * float64(s.gpus)))
		st.gpuMemKiB = int64(float64(s.gpus)*g.uniform(2, 78)*(1<<20)*math.Sqrt(j.gpuUtil)) &^ 3
	}
	if j.powerW > 0 {
		st.energyJ = int64(j.powerW * secs)
	}
}

// light fills in the usage of a batch script that only launches srun
// steps: a second or two of CPU and a few megabytes.
func (g *generator) light(st *step) {
	j := &g.job
	st.cpuUsec = min(int64(g.uniform(0.05, 3)*1e6), int64(0.004*float64(j.elapsed*int64(st.ncpus))*1e6))
	st.rssKiB = int64(g.uniform(4000, 40000)) &^ 3
	st.totKiB = st.rssKiB
	st.vmemKiB = int64(g.uniform(200_000, 400_000)) &^ 3
	st.diskBytes = int64(g.uniform(1e4, 1e6))
	if j.powerW > 0 {
		st.energyJ = int64(j.powerW * float64(st.end-st.start))
	}
}

// addStep records a step as sacct sees it at the end of the period: not
// begun steps are absent, steps still going are RUNNING with no usage
// yet, and only completed steps add to the job's TotalCPU.
func (g *generator) addStep(st step) {
	j := &g.job
	if st.start >= g.to {
		return
	}
	if st.end > g.to {
		st.end = -1
		st.state, st.exit = "RUNNING", "0:0"
		st.cpuUsec, st.energyJ = 0, 0
	} else {
		j.cpuUsec += st.cpuUsec
	}
	j.steps = append(j.steps, st)
}
