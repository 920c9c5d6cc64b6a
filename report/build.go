package report

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"labcarbon"
	"labcarbon/ingest"
)

// Source is what building a report needs from the store.
type Source interface {
	Jobs(ctx context.Context, from, to time.Time, fn func(*labcarbon.Job) error) error
	Quarantined(ctx context.Context) ([]ingest.RowError, error)
}

// Options describe a report beyond its period.
type Options struct {
	Lab      string
	Currency string
	RunID    int64
	Now      time.Time
	// JobUser names a login in the lists of every job (the Jobs sheet, the
	// exports): the login, or a pseudonym when the lab asks for them; nil
	// means the login.
	JobUser func(login string) string
	// UserLabel turns a login into what the report prints for it: the
	// person's name, or a pseudonym when the lab asks for one.
	UserLabel func(login string) string
	// GroupOf returns the research group a job is counted under; nil means
	// its Slurm account.
	GroupOf func(u *labcarbon.Usage) string
	// PIOf returns how a group's PI is printed, "" for none; nil means no
	// group has one.
	PIOf func(group string) string
	// HideJobNames leaves job names, free text typed by users, out of
	// every job the report lists.
	HideJobNames bool
	// Equivalents are the familiar quantities the report expresses the
	// period's CO2e in.
	Equivalents []Equivalent
	// Visit, when set, sees every job the report counts, in the same pass
	// over the store, for work beside the aggregation (recommendations).
	Visit func(*labcarbon.Job)
	// Only, when set, keeps the report to the jobs it accepts, such as one
	// group's for a disclosure.
	Only func(*labcarbon.Usage) bool
	// Catalog and CatalogOverrides name the factors behind the figures.
	Catalog          string
	CatalogOverrides []string
	// SCIUnit is the functional unit of the Software Carbon Intensity per
	// group: job, successful job, GPU-hour or CPU core-hour.
	SCIUnit string
}

// Build aggregates the jobs of period p into the Data every renderer prints.
// A job is counted in proportion to the part of its run time that falls in
// the period (and in each time bucket), so adjacent periods add up to their
// union without double counting.
func Build(ctx context.Context, src Source, p labcarbon.Period, opts Options) (*Data, error) {
	if opts.UserLabel == nil {
		opts.UserLabel = func(login string) string { return login }
	}
	if opts.GroupOf == nil {
		opts.GroupOf = func(u *labcarbon.Usage) string { return u.Account }
	}
	d := &Data{
		Lab:       opts.Lab,
		Period:    p,
		Generated: opts.Now.UTC(),
		RunID:     opts.RunID,
		Version:   labcarbon.Version,
		Currency:  opts.Currency,

		Catalog:          opts.Catalog,
		CatalogOverrides: opts.CatalogOverrides,
		SCIUnit:          opts.SCIUnit,
	}
	a := newAggregator(p, opts)
	if err := src.Jobs(ctx, p.From, p.To, func(j *labcarbon.Job) error {
		if opts.Only != nil && !opts.Only(&j.Usage) {
			return nil
		}
		if a.add(j) && opts.Visit != nil {
			opts.Visit(j)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read jobs of %s: %w", p.Label, err)
	}
	bad, err := src.Quarantined(ctx)
	if err != nil {
		return nil, fmt.Errorf("read quarantined rows: %w", err)
	}
	for _, r := range bad {
		d.Exclusions = append(d.Exclusions, Exclusion{File: r.File, Line: r.Line, Field: r.Field, Reason: r.Reason})
	}
	a.fill(d)
	d.Equivalents = equivalents(opts.Equivalents, d.Totals.CO2eKg.Central)
	if opts.PIOf != nil {
		for i := range d.ByGroup {
			d.ByGroup[i].PI = opts.PIOf(d.ByGroup[i].Key)
		}
	}
	d.GroupOf, d.JobUser = opts.GroupOf, opts.JobUser
	d.Jobs = func(fn func(*labcarbon.Job) error) error {
		return src.Jobs(ctx, p.From, p.To, func(j *labcarbon.Job) error {
			if opts.Only != nil && !opts.Only(&j.Usage) {
				return nil
			}
			if _, counted := periodShare(p, &j.Usage); !counted {
				return nil // as Visit sees them: the jobs the figures count
			}
			if opts.HideJobNames {
				j.Name = ""
			}
			return fn(j)
		})
	}
	return d, nil
}

// aggregator accumulates one pass over the jobs in plain Go: this is the hot
// path of every report, run over up to millions of jobs.
type aggregator struct {
	p       labcarbon.Period
	opts    Options
	buckets []time.Time // bucket starts; the last bucket ends at p.To
	bucket  Bucket
	months  []time.Time // the same for calendar months
	totals  Totals
	over    []*Row
	month   []*Row
	group   map[string]*Row
	part    map[string]*Row // by "cluster/partition"
	user    map[string]*Row
	state   map[string]*Row
	cluster map[string]*Row
	node    map[string]*Row
	// marketKWh and hourlyKWh are the central energy a market factor and
	// an hourly series covered, for the shares in Totals.
	marketKWh, hourlyKWh float64
	// gridKgPerKWh is the CO2e the jobs' energy would have emitted at the
	// annual average of their zones, for the intensity they ran under
	// against the grid's average.
	gridKgPerKWh float64
	// overGroup holds each group's time buckets, for the chart over time
	// stacked by group.
	overGroup map[string][]*Row
	// effBins and sizeBins are the distributions of CPU efficiency and job
	// size, by EfficiencyBins and SizeBins.
	effBins, sizeBins []Bin
	factors           map[string]*Factor
	// embodiedSources are the distinct EmbodiedSource strings of the jobs'
	// assignments, for the methodology to name.
	embodiedSources map[string]bool
	// partOf finds a job's row of part by cluster, then partition, without
	// building its key for every job.
	partOf map[string]map[string]*Row
	// factorsOf memoises the factors an assignment counts for, since
	// formatting them takes far longer than counting and a period's jobs
	// share a few assignments.
	factorsOf map[factorKey][]*Factor
}

// factorKey is what of a job decides the factors it counts for: the parts
// of its assignment that addFactors prints, and whether it had GPUs.
type factorKey struct {
	nodeType, rule, cpuModel, gpuModel, site, zone, ciSource string
	cpuW, gpuW, memW, pue, ci                                labcarbon.Range
	gpus                                                     bool
	embodied                                                 labcarbon.Range
	embodiedSource                                           string
	marketCI                                                 float64
	hasMarketCI                                              bool
}

func newAggregator(p labcarbon.Period, opts Options) *aggregator {
	a := &aggregator{
		p: p, opts: opts,
		group: map[string]*Row{}, part: map[string]*Row{}, user: map[string]*Row{}, state: map[string]*Row{},
		cluster: map[string]*Row{}, node: map[string]*Row{}, overGroup: map[string][]*Row{},
		factors: map[string]*Factor{}, embodiedSources: map[string]bool{}, partOf: map[string]map[string]*Row{}, factorsOf: map[factorKey][]*Factor{},
	}
	for _, b := range EfficiencyBins {
		a.effBins = append(a.effBins, Bin{Label: b.Label})
	}
	for _, b := range SizeBins {
		a.sizeBins = append(a.sizeBins, Bin{Label: b.Label})
	}
	a.buckets, a.bucket = Buckets(p)
	for _, b := range a.buckets {
		a.over = append(a.over, &Row{Key: b.Format(time.DateOnly)})
	}
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(p.To); m = m.AddDate(0, 1, 0) {
		a.months = append(a.months, m)
		a.month = append(a.month, &Row{Key: m.Format("2006-01")})
	}
	return a
}

// Buckets splits a period into the time buckets its charts use and says
// their size: days for a month or less, weeks (from the period's start) up
// to a quarter, months beyond; the last bucket ends at the period's end.
func Buckets(p labcarbon.Period) ([]time.Time, Bucket) {
	size, step := Month, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	switch days := p.To.Sub(p.From).Hours() / 24; {
	case days <= 31:
		size, step = Day, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	case days <= 92:
		size, step = Week, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	}
	var out []time.Time
	for t := p.From; t.Before(p.To); t = step(t) {
		out = append(out, t)
	}
	// A stub bucket of a day or two at the end would look like a dip in the
	// chart: fold it into the one before.
	if n := len(out); n > 1 && p.To.Sub(out[n-1]) < step(out[n-1]).Sub(out[n-1])/2 {
		out = out[:n-1]
	}
	return out, size
}

// span returns when the job ran; a running job is taken to run until its
// start plus the elapsed time sacct reported.
func span(u *labcarbon.Usage) (time.Time, time.Time) {
	end := u.End
	if end.IsZero() || !u.State.Final() {
		end = u.Start.Add(time.Duration(u.ElapsedSec) * time.Second)
	}
	return u.Start, end
}

// overlap returns the fraction of [start, end) that lies in [from, to).
func overlap(start, end, from, to time.Time) float64 {
	if !end.After(start) {
		if !start.Before(from) && start.Before(to) {
			return 1
		}
		return 0
	}
	s, e := start, end
	if s.Before(from) {
		s = from
	}
	if e.After(to) {
		e = to
	}
	if !e.After(s) {
		return 0
	}
	return float64(e.Sub(s)) / float64(end.Sub(start))
}

// periodShare returns the part of u that period p counts: for a job that ran, the
// fraction of its run time in p; for one that never ran, 0, with counted
// true if it was submitted in p.
func periodShare(p labcarbon.Period, u *labcarbon.Usage) (f float64, counted bool) {
	if !u.Ran() {
		return 0, p.Contains(u.Submit)
	}
	start, end := span(u)
	f = overlap(start, end, p.From, p.To)
	return f, f > 0
}

// add counts j in the period, in proportion to the part of its run time
// in it, and reports whether it counted at all.
func (a *aggregator) add(j *labcarbon.Job) bool {
	u, r := &j.Usage, &j.Result
	f, counted := periodShare(a.p, u)
	if !counted {
		return false
	}
	if u.Ran() {
		start, end := span(u)
		if end.After(a.p.To) {
			a.totals.RunningAtEnd++
		}
		a.spread(a.buckets, a.over, start, end, u, r)
		a.spread(a.months, a.month, start, end, u, r)
		a.spread(a.buckets, a.groupOver(a.opts.GroupOf(u)), start, end, u, r)
	}
	if u.Ran() {
		a.effBins[effBin(r.CPUEfficiency)].add(f * r.CO2eKg.Central)
		a.sizeBins[sizeBin(u.CPUs)].add(f * r.CO2eKg.Central)
		a.gridKgPerKWh += f * r.EnergyKWh.Central * j.Assignment.CIgPerKWh.Central / 1000
	}

	a.totals.Jobs++
	a.totals.CPUHours += f * cpuHours(u)
	a.totals.GPUHours += f * gpuHours(u)
	a.totals.EnergyKWh = a.totals.EnergyKWh.Add(r.EnergyKWh.Scale(f))
	a.totals.CO2eKg = a.totals.CO2eKg.Add(r.CO2eKg.Scale(f))
	a.totals.Cost += f * r.Cost
	if u.Ran() && u.State.Wasted() {
		a.totals.WastedCO2eKg += f * r.CO2eKg.Central
	}
	if r.EnergySource == labcarbon.EnergyMeasured {
		a.totals.MeasuredJobs++
	}
	a.totals.EmbodiedCO2eKg = a.totals.EmbodiedCO2eKg.Add(r.EmbodiedCO2eKg.Scale(f))
	if r.HasMarket {
		a.totals.MarketCO2eKg = a.totals.MarketCO2eKg.Add(r.MarketCO2eKg.Scale(f))
		a.marketKWh += f * r.EnergyKWh.Central
	} else {
		a.totals.MarketCO2eKg = a.totals.MarketCO2eKg.Add(r.CO2eKg.Scale(f))
	}
	a.hourlyKWh += f * r.CIHourlyShare * r.EnergyKWh.Central
	a.totals.MemWasteCO2eKg += f * r.MemWasteCO2eKg.Central
	a.totals.IdleCoreHours += f * r.IdleCoreHours
	a.totals.IdleCoreCO2eKg += f * r.IdleCoreCO2eKg.Central
	row(a.group, a.opts.GroupOf(u)).add(u, r, f)
	a.partRow(u).add(u, r, f)
	row(a.user, u.User).add(u, r, f)
	row(a.state, string(u.State)).add(u, r, f)
	row(a.cluster, u.Cluster).add(u, r, f)
	row(a.node, j.Assignment.NodeType).add(u, r, f)
	if u.Ran() {
		a.addFactors(j)
	}
	return true
}

// partRow returns the row of u's cluster and partition.
func (a *aggregator) partRow(u *labcarbon.Usage) *Row {
	parts := a.partOf[u.Cluster]
	if parts == nil {
		parts = map[string]*Row{}
		a.partOf[u.Cluster] = parts
	}
	r := parts[u.Partition]
	if r == nil {
		r = row(a.part, u.Cluster+"/"+u.Partition)
		parts[u.Partition] = r
	}
	return r
}

// spread adds a job to each time bucket in proportion to its run time
// there, and counts it in the first of them, so that buckets add up to the
// period's jobs. Buckets are clipped to the period. Only the buckets from the first
// that ends after the job starts to the last that begins before it ends
// can get a share, so the others are not looked at.
func (a *aggregator) spread(starts []time.Time, rows []*Row, start, end time.Time, u *labcarbon.Usage, r *labcarbon.Result) {
	first := sort.Search(len(starts), func(i int) bool { return i+1 == len(starts) || starts[i+1].After(start) })
	counted := false
	for i := first; i < len(starts); i++ {
		b := starts[i]
		bEnd := a.p.To
		if i+1 < len(starts) {
			bEnd = starts[i+1]
		}
		if b.Before(a.p.From) {
			b = a.p.From
		}
		if !b.Before(end) && b.After(start) {
			break // this bucket and the later ones begin after the job
		}
		if f := overlap(start, end, b, bEnd); f > 0 {
			rows[i].addShare(u, r, f)
			if !counted {
				rows[i].Jobs++
				counted = true
			}
		}
	}
}

// addFactors counts the job for each factor of its assignment.
func (a *aggregator) addFactors(j *labcarbon.Job) {
	as := &j.Assignment
	k := factorKey{
		nodeType: as.NodeType, rule: as.Rule, cpuModel: as.CPUModel, gpuModel: as.GPUModel,
		site: as.Site, zone: as.Zone, ciSource: as.CISource,
		cpuW: as.CPUWattsPerCore, gpuW: as.GPUWatts, memW: as.MemWattsPerGB, pue: as.PUE, ci: as.CIgPerKWh,
		gpus:     j.GPUs > 0,
		embodied: as.EmbodiedKgPerNodeHour, embodiedSource: as.EmbodiedSource,
		marketCI: as.MarketCIgPerKWh, hasMarketCI: as.HasMarketCI,
	}
	fs, ok := a.factorsOf[k]
	if !ok {
		fs = a.newFactors(as, k.gpus)
		// A NaN makes a key unequal to itself and so to every key in the
		// map: memoising it would add an entry per job.
		if k == k {
			a.factorsOf[k] = fs
		}
	}
	for _, f := range fs {
		f.Jobs++
	}
}

// newFactors returns the factors an assignment counts for, adding those
// not yet met to a.factors.
func (a *aggregator) newFactors(as *labcarbon.Assignment, gpus bool) []*Factor {
	var fs []*Factor
	count := func(name, value, source string) {
		k := name + "\x00" + value + "\x00" + source
		f := a.factors[k]
		if f == nil {
			f = &Factor{Name: name, Value: value, Source: source}
			a.factors[k] = f
		}
		fs = append(fs, f)
	}
	hw := fmt.Sprintf("node type %s", as.NodeType)
	count("CPU power per core, "+hw, withModel(formatRange(as.CPUWattsPerCore, "W"), as.CPUModel), as.Rule)
	if gpus {
		count("GPU power, "+hw, withModel(formatRange(as.GPUWatts, "W"), as.GPUModel), as.Rule)
	}
	count("Memory power per GB", formatRange(as.MemWattsPerGB, "W"), "Green Algorithms (Lannelongue et al. 2021)")
	count("PUE, site "+as.Site, formatRange(as.PUE, ""), "lab configuration")
	count("Grid carbon intensity, "+as.Zone, formatRange(as.CIgPerKWh, "gCO2e/kWh"), as.CISource)
	// An empty source means the engine found no embodied figure for the
	// node type: nothing was counted, so there is no factor to cite.
	if as.EmbodiedSource != "" {
		count("Embodied emissions, "+hw, formatRange(as.EmbodiedKgPerNodeHour, "kgCO2e per node-hour"), as.EmbodiedSource)
		a.embodiedSources[as.EmbodiedSource] = true
	}
	if as.HasMarketCI {
		count("Market-based intensity, site "+as.Site, formatRange(labcarbon.Point(as.MarketCIgPerKWh), "gCO2e/kWh"), "lab configuration")
	}
	return fs
}

func withModel(v, model string) string {
	if model == "" {
		return v
	}
	return v + " (" + model + ")"
}

func formatRange(r labcarbon.Range, unit string) string {
	s := fmt.Sprintf("%.4g", r.Central)
	if unit != "" {
		s += " " + unit
	}
	if r.Low != r.Central || r.High != r.Central {
		s += fmt.Sprintf(" (%.4g–%.4g)", r.Low, r.High)
	}
	return s
}

func cpuHours(u *labcarbon.Usage) float64 { return float64(u.ElapsedSec) * float64(u.CPUs) / 3600 }
func gpuHours(u *labcarbon.Usage) float64 { return float64(u.ElapsedSec) * float64(u.GPUs) / 3600 }

func row(m map[string]*Row, key string) *Row {
	r := m[key]
	if r == nil {
		r = &Row{Key: key}
		m[key] = r
	}
	return r
}

func (row *Row) add(u *labcarbon.Usage, r *labcarbon.Result, f float64) {
	row.Jobs++
	if u.State == labcarbon.StateCompleted {
		row.Completed++
	}
	row.addShare(u, r, f)
}

// addShare adds fraction f of a job's figures without counting the job, for
// time buckets a job straddles.
func (row *Row) addShare(u *labcarbon.Usage, r *labcarbon.Result, f float64) {
	row.CPUHours += f * cpuHours(u)
	row.GPUHours += f * gpuHours(u)
	row.EnergyKWh += f * r.EnergyKWh.Central
	row.CO2eKg = row.CO2eKg.Add(r.CO2eKg.Scale(f))
	row.Cost += f * r.Cost
	if u.Ran() && u.State.Wasted() {
		row.WastedCO2eKg += f * r.CO2eKg.Central
	}
	row.EmbodiedCO2eKg += f * r.EmbodiedCO2eKg.Central
	row.MemWasteCO2eKg += f * r.MemWasteCO2eKg.Central
	row.IdleCoreCO2eKg += f * r.IdleCoreCO2eKg.Central
}

// groupOver returns the time buckets of group.
func (a *aggregator) groupOver(group string) []*Row {
	rows := a.overGroup[group]
	if rows == nil {
		rows = make([]*Row, len(a.buckets))
		for i := range rows {
			rows[i] = &Row{Key: a.over[i].Key}
		}
		a.overGroup[group] = rows
	}
	return rows
}

// maxSeries is how many groups the chart over time stacks; the rest are one
// "other" layer.
const maxSeries = 5

// series returns the groups' CO2e over time, the largest maxSeries groups
// first and the rest as one "other" series.
func (a *aggregator) series(byGroup []Row) []Series {
	var out []Series
	var other *Series
	for i, g := range byGroup {
		rows := a.overGroup[g.Key]
		if rows == nil {
			continue
		}
		if i >= maxSeries {
			if other == nil {
				out = append(out, Series{Key: "other", CO2eKg: make([]float64, len(a.buckets))})
				other = &out[len(out)-1]
			}
			for k, r := range rows {
				other.CO2eKg[k] += r.CO2eKg.Central
			}
			continue
		}
		s := Series{Key: g.Key, CO2eKg: make([]float64, len(rows))}
		for k, r := range rows {
			s.CO2eKg[k] = r.CO2eKg.Central
		}
		out = append(out, s)
	}
	return out
}

func (a *aggregator) fill(d *Data) {
	a.totals.MarketShare = share(a.marketKWh, a.totals.EnergyKWh.Central)
	a.totals.HourlyShare = share(a.hourlyKWh, a.totals.EnergyKWh.Central)
	a.totals.GridCO2eKg = a.gridKgPerKWh
	d.Totals = a.totals
	d.Bucket = a.bucket
	total := a.totals.CO2eKg.Central
	for _, r := range a.over {
		r.Share = share(r.CO2eKg.Central, total)
		d.OverTime = append(d.OverTime, *r)
	}
	for _, r := range a.month {
		r.Share = share(r.CO2eKg.Central, total)
		d.ByMonth = append(d.ByMonth, *r)
	}
	d.ByGroup = ranked(a.group, total, nil)
	d.ByPartition = ranked(a.part, total, nil)
	d.ByUser = ranked(a.user, total, a.opts.UserLabel)
	d.ByState = ranked(a.state, total, nil)
	d.ByCluster = ranked(a.cluster, total, nil)
	d.ByNodeType = ranked(a.node, total, nil)
	d.OverTimeByGroup = a.series(d.ByGroup)
	d.CPUEfficiency, d.JobSizes = a.effBins, a.sizeBins
	for _, f := range a.factors {
		d.Factors = append(d.Factors, *f)
	}
	for src := range a.embodiedSources {
		d.EmbodiedSources = append(d.EmbodiedSources, src)
	}
	sort.Strings(d.EmbodiedSources)
	sort.Slice(d.Factors, func(i, j int) bool {
		if d.Factors[i].Name != d.Factors[j].Name {
			return d.Factors[i].Name < d.Factors[j].Name
		}
		return d.Factors[i].Value < d.Factors[j].Value
	})
}

// equivalents counts each of eqs in kg of CO2e.
func equivalents(eqs []Equivalent, kg float64) []EquivalentCount {
	var out []EquivalentCount
	for _, e := range eqs {
		if e.GramsPerUnit > 0 {
			out = append(out, EquivalentCount{Equivalent: e, Count: kg * 1000 / e.GramsPerUnit})
		}
	}
	return out
}

func share(part, total float64) float64 {
	if total == 0 {
		return 0
	}
	return part / total
}

// ranked orders rows by central CO2e, largest first, ties by key so the
// order is stable from run to run.
func ranked(m map[string]*Row, total float64, label func(string) string) []Row {
	out := make([]Row, 0, len(m))
	for _, r := range m {
		r.Share = share(r.CO2eKg.Central, total)
		if label != nil {
			r.Key = label(r.Key)
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CO2eKg.Central != out[j].CO2eKg.Central {
			return out[i].CO2eKg.Central > out[j].CO2eKg.Central
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Bin is one bar of a distribution: the jobs that fall in it and their
// central CO2e.
type Bin struct {
	Label  string
	Jobs   int
	CO2eKg float64
}

func (b *Bin) add(kg float64) { b.Jobs++; b.CO2eKg += kg }

// binEdge is a bin's label and its upper bound (exclusive).
type binEdge struct {
	Label string
	Below float64
}

// EfficiencyBins are the bins of the CPU efficiency distribution, tenths
// from 0 to 100 %, then jobs whose CPU time Slurm did not record.
var EfficiencyBins = []binEdge{
	{"0–10%", 0.1}, {"10–20%", 0.2}, {"20–30%", 0.3}, {"30–40%", 0.4}, {"40–50%", 0.5},
	{"50–60%", 0.6}, {"60–70%", 0.7}, {"70–80%", 0.8}, {"80–90%", 0.9}, {"90–100%", math.Inf(1)},
	{"not recorded", math.NaN()},
}

// effBin is the index in EfficiencyBins of a CPU efficiency, 0 meaning
// not recorded.
func effBin(e float64) int {
	if e <= 0 || math.IsNaN(e) {
		return len(EfficiencyBins) - 1
	}
	for i, b := range EfficiencyBins[:len(EfficiencyBins)-1] {
		if e < b.Below {
			return i
		}
	}
	return len(EfficiencyBins) - 2
}

// SizeBins are the bins of the job size distribution, by allocated cores.
var SizeBins = []binEdge{
	{"1 core", 2}, {"2–4", 5}, {"5–16", 17}, {"17–64", 65}, {"65–256", 257}, {"257–1,024", 1025}, {"over 1,024", math.Inf(1)},
}

func sizeBin(cpus int) int {
	for i, b := range SizeBins {
		if float64(cpus) < b.Below {
			return i
		}
	}
	return len(SizeBins) - 1
}
