package demo

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"labcarbon"
)

// DefaultJobs is the job count of the demo quarter: about 65 a day, what
// a 40-person lab submits.
const DefaultJobs = 6000

// The default period, 2026Q3: [DefaultFrom, DefaultTo).
var (
	DefaultFrom = time.Date(2026, time.July, 1, 0, 0, 0, 0, time.UTC)
	DefaultTo   = time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC)
)

// firstJobID is about where the demo cluster's job ids stand at the start
// of the period: a cluster a few years in service.
const firstJobID = 1_200_000

// Options says what to generate. The zero value is the demo quarter.
type Options struct {
	// Seed makes the output reproducible: the same seed and options give
	// the same bytes.
	Seed int64
	// Jobs is the number of job records (array tasks count one each);
	// 0 means DefaultJobs.
	Jobs int
	// From and To bound the submit times, [From, To); the output is what
	// sacct would print at To, so jobs still running then are RUNNING.
	// Zero values mean 2026Q3.
	From, To time.Time
	// Users is the population size (see Population); 0 means the 40-person
	// roster.
	Users int
}

// Stats counts what Generate wrote, for tests and for the demo's summary.
type Stats struct {
	Jobs       int   // job records, array tasks included
	Steps      int   // step lines
	Lines      int   // all lines, header included
	Bytes      int64 // bytes written
	Arrays     int   // array submissions
	ArrayTasks int   // job records that are array tasks
	GPUJobs    int   // job records that asked for GPUs
	Measured   int   // job records with a measured ConsumedEnergyRaw
	// ByState counts job records by base state (CANCELLED without its
	// "by <uid>").
	ByState map[labcarbon.State]int
}

// Generate writes a demo `sacct -P` dump to w: Header, then each job's line
// followed by its step lines, jobs in submit order, as sacct would print
// them at opts.To. It streams through a buffered writer: memory grows with
// the number of users and the length of the period, never with the number
// of jobs.
func Generate(w io.Writer, opts Options) (Stats, error) {
	g, err := newGenerator(w, opts)
	if err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	if err := g.run(); err != nil {
		return g.stats, fmt.Errorf("demo: write sacct data: %w", err)
	}
	return g.stats, nil
}

// generator holds the state of one Generate call. Everything per job lives
// in reused buffers, which is what keeps memory flat.
type generator struct {
	r     *rand.Rand
	w     *bufio.Writer
	line  []byte
	clk   clock
	stats Stats

	users      []User
	discipline []int       // per user: index into disciplines
	userCum    []float64   // cumulative job shares
	workCum    [][]float64 // per discipline: cumulative workload weights, GPU users
	workCumCPU [][]float64 // the same without GPU workloads
	parts      []Partition
	partsOf    [3][]int     // partition indexes per kind
	partCum    [3][]float64 // their cumulative weights (cores or GPUs)

	from, to int64
	hourCum  []float64 // cumulative submit weight at the start of each hour
	hourPos  int
	u        float64 // last of the sorted uniforms behind submit times
	slots    int     // submit times still to draw
	nextID   int64

	sub submission
	job jobRec
}

func newGenerator(w io.Writer, opts Options) (*generator, error) {
	if opts.Jobs < 0 {
		return nil, fmt.Errorf("jobs %d: must not be negative", opts.Jobs)
	}
	if opts.Users < 0 {
		return nil, fmt.Errorf("users %d: must not be negative", opts.Users)
	}
	if opts.Jobs == 0 {
		opts.Jobs = DefaultJobs
	}
	if opts.From.IsZero() {
		opts.From = DefaultFrom
	}
	if opts.To.IsZero() {
		opts.To = DefaultTo
	}
	from, to := opts.From.Unix(), opts.To.Unix()
	if from < 0 {
		return nil, fmt.Errorf("from %s: before 1970", opts.From.UTC().Format(time.RFC3339))
	}
	if to <= from {
		return nil, fmt.Errorf("period %s..%s: empty", opts.From.UTC().Format(time.RFC3339), opts.To.UTC().Format(time.RFC3339))
	}

	users, groups := Population(opts.Users)
	g := &generator{
		r:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x1abca7b0)),
		w:      bufio.NewWriterSize(w, 256<<10),
		line:   make([]byte, 0, 4096),
		clk:    newClock(),
		stats:  Stats{ByState: make(map[labcarbon.State]int)},
		users:  users,
		parts:  Partitions(opts.Users),
		from:   from,
		to:     to,
		slots:  opts.Jobs,
		nextID: firstJobID,
	}
	g.nextID += int64(g.r.IntN(1000))
	g.job.steps = make([]step, 0, 8)

	groupIndex := make(map[string]int, len(groups))
	for i, gr := range groups {
		groupIndex[gr.Account] = i
	}
	total := 0.0
	for _, u := range users {
		total += u.Profile.JobShare
		g.userCum = append(g.userCum, total)
		g.discipline = append(g.discipline, discipline(groupIndex[u.Account]))
	}
	for _, wls := range disciplines {
		var all, cpu []float64
		ta, tc := 0.0, 0.0
		for _, wl := range wls {
			ta += wl.weight
			if wl.kind != kindGPU {
				tc += wl.weight
			}
			all, cpu = append(all, ta), append(cpu, tc)
		}
		g.workCum = append(g.workCum, all)
		g.workCumCPU = append(g.workCumCPU, cpu)
	}
	for i, p := range g.parts {
		k := kindOf(p)
		// A big centre's partitions take work in proportion to their size.
		size := float64(p.Nodes * p.CPUs())
		if k == kindGPU {
			size = float64(p.Nodes * p.GPUs)
		}
		prev := 0.0
		if n := len(g.partCum[k]); n > 0 {
			prev = g.partCum[k][n-1]
		}
		g.partsOf[k] = append(g.partsOf[k], i)
		g.partCum[k] = append(g.partCum[k], prev+size)
	}
	g.hourCum = submitWeights(from, to)
	return g, nil
}

// submitWeights returns the cumulative submit weight at the start of every
// hour of [from, to) and at its end. People submit in office hours on
// weekdays, less in the evening, little at night and at weekends, and less
// in the first weeks of August.
func submitWeights(from, to int64) []float64 {
	cum := []float64{0}
	for t := from; t < to; t += 3600 {
		tm := time.Unix(t, 0).UTC()
		w := 0.12
		switch h := tm.Hour(); {
		case h >= 9 && h < 18:
			w = 1
		case h >= 7 && h < 9, h >= 18 && h < 23:
			w = 0.45
		}
		if wd := tm.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.3
		}
		if tm.Month() == time.August && tm.Day() <= 21 {
			w *= 0.7
		}
		span := min(3600, to-t)
		cum = append(cum, cum[len(cum)-1]+w*float64(span)/3600)
	}
	return cum
}

// nextSubmit returns the next submit time. The times are the order
// statistics of g.slots draws from the weekly submit pattern, produced in
// ascending order one at a time (each is the smallest of the draws still to
// come), so the output is sorted without holding the times in memory.
func (g *generator) nextSubmit() int64 {
	g.u = 1 - (1-g.u)*math.Pow(1-g.r.Float64(), 1/float64(g.slots))
	g.slots--
	target := g.u * g.hourCum[len(g.hourCum)-1]
	for g.hourPos < len(g.hourCum)-2 && g.hourCum[g.hourPos+1] <= target {
		g.hourPos++
	}
	lo, hi := g.hourCum[g.hourPos], g.hourCum[g.hourPos+1]
	hourStart := g.from + int64(g.hourPos)*3600
	span := min(3600, g.to-hourStart)
	frac := min(max((target-lo)/(hi-lo), 0), 1)
	return min(hourStart+int64(frac*float64(span)), g.to-1)
}

func (g *generator) run() error {
	g.line = append(g.line[:0], Header...)
	if err := g.emit(); err != nil {
		return err
	}
	for left := g.slots; left > 0; {
		g.submit()
		n := 1
		if g.sub.array {
			n = min(g.sub.tasks, left)
			g.stats.Arrays++
			g.stats.ArrayTasks += n
			// The tasks share one submit time; their slots are used up so
			// that later submissions keep their place in the pattern.
			for range n - 1 {
				g.nextSubmit()
			}
		}
		master := g.nextID
		g.nextID += int64(n)
		if g.r.IntN(50) == 0 {
			// Ids taken by jobs no window shows: held, rejected, or
			// submitted to another period's sacct query.
			g.nextID += int64(1 + g.r.IntN(4))
		}
		for t := range n {
			g.instantiate(master, t, n)
			if err := g.writeJob(); err != nil {
				return err
			}
		}
		left -= n
	}
	return g.w.Flush()
}

// emit writes the line buffer as one line.
func (g *generator) emit() error {
	g.line = append(g.line, '\n')
	n, err := g.w.Write(g.line)
	g.stats.Lines++
	g.stats.Bytes += int64(n)
	return err
}

// pick returns the index of the first cumulative weight above a uniform
// draw: a draw from the weights the cumulative sums were built from.
func (g *generator) pick(cum []float64) int {
	x := g.r.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	if i < len(cum) && cum[i] == x {
		i++
	}
	return min(i, len(cum)-1)
}

// logNormal returns median × e^(sigma·Z).
func (g *generator) logNormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*g.r.NormFloat64())
}

// uniform returns a draw from [lo, hi).
func (g *generator) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

// niceCPUs are the core counts people ask for.
var niceCPUs = []int{1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 56, 64, 96, 128}

// pickCPUs draws a core count between lo and hi, log-uniformly and rounded
// to what people type.
func (g *generator) pickCPUs(lo, hi int) int {
	x := math.Exp(g.uniform(math.Log(float64(lo)), math.Log(float64(hi)+0.999)))
	c := lo
	for _, n := range niceCPUs {
		if float64(n) <= x && n >= lo && n <= hi {
			c = n
		}
	}
	return c
}

// niceMemMiB are the totals people pass to --mem, in MiB.
var niceMemMiB = []int64{
	1000, 2000, 4000, 4 << 10, 8 << 10, 16 << 10, 32 << 10, 48 << 10, 64 << 10,
	96 << 10, 128 << 10, 192 << 10, 256 << 10, 384 << 10, 500 << 10, 750 << 10,
	1000 << 10, 1500 << 10, 2000 << 10, 2500 << 10, 3000 << 10, 3500 << 10,
}

// memRequest turns the memory a user thinks a job needs into what they
// type: often a round total, sometimes --mem-per-cpu times the cores (which
// gives the odd totals real sacct shows, such as 62.50G).
func (g *generator) memRequest(wantMiB float64, cpus int) int64 {
	if g.r.IntN(10) < 4 {
		for _, per := range []int64{1000, 2000, 4000, 8000, 16000} {
			if float64(per*int64(cpus)) >= wantMiB {
				return per * int64(cpus)
			}
		}
	}
	for _, m := range niceMemMiB {
		if float64(m) >= wantMiB {
			return m
		}
	}
	return niceMemMiB[len(niceMemMiB)-1]
}

// niceLimits are the time limits people ask for, in minutes, up to the
// partitions' maximum of 7 days.
var niceLimits = []int64{15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 5760, 7200, 10080}

func niceLimit(minutes float64) int64 {
	for _, l := range niceLimits {
		if float64(l) >= minutes {
			return l
		}
	}
	return niceLimits[len(niceLimits)-1]
}
