package report

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"labcarbon"
)

// Statement is one researcher's own figures for a period: what a
// per-researcher statement prints, and nothing of anyone else's.
type Statement struct {
	Lab       string
	Period    labcarbon.Period
	Generated time.Time
	RunID     int64
	Version   string
	Currency  string

	// User is the login; Name how the statement addresses them (their
	// name, or their pseudonym where the lab pseudonymises).
	User, Name string
	// Group is the research group their jobs count under (the one with
	// the most of their CO2e when they ran under several), with its PI.
	Group, PI string

	Totals Totals
	// LabShare is their share of the lab's central CO2e in the period.
	LabShare float64
	// Trend holds their totals in the periods before this one and in this
	// one, oldest first.
	Trend []Comparison
	// ByPartition and ByState break their jobs down as the lab report
	// does.
	ByPartition []Row
	ByState     []Row
	// TopJobs are their jobs with the largest central CO2e, largest first.
	TopJobs []labcarbon.Job
	// Equivalents put their central CO2e in familiar terms.
	Equivalents []EquivalentCount
	// Recommendations are theirs alone, largest saving first.
	Recommendations []Recommendation
	// Body is the text of the statement, paragraph by paragraph, from
	// templates/statement.tmpl; it also serves as the body of a mail.
	Body []string
}

// StatementOptions say what Statements needs beyond Options.
type StatementOptions struct {
	// TopJobs is how many of each researcher's largest jobs a statement
	// lists (0: 10).
	TopJobs int
	// Trend lists the periods before this one whose totals each statement
	// shows, oldest first.
	Trend []labcarbon.Period
	// Name returns how a statement addresses a login: the person's name.
	// Statements go to the person, so they are never pseudonymised.
	Name func(login string) string
}

// Statements aggregates every researcher's own figures for period p in
// one pass over its jobs (and one pass over each trend period), in the
// order of their logins. Memory follows the number of researchers, not of
// jobs: each keeps its aggregates and its few largest jobs.
func Statements(ctx context.Context, src Source, p labcarbon.Period, opts Options, so StatementOptions) ([]*Statement, error) {
	if opts.GroupOf == nil {
		opts.GroupOf = func(u *labcarbon.Usage) string { return u.Account }
	}
	if so.Name == nil {
		so.Name = func(login string) string { return login }
	}
	if so.TopJobs <= 0 {
		so.TopJobs = 10
	}
	people, err := perUser(ctx, src, p, opts, so.TopJobs)
	if err != nil {
		return nil, err
	}
	var labKg float64
	for _, pu := range people {
		labKg += pu.agg.totals.CO2eKg.Central
	}
	trends := make([]map[string]*personAgg, len(so.Trend))
	for i, tp := range so.Trend {
		if trends[i], err = perUser(ctx, src, tp, opts, 0); err != nil {
			return nil, err
		}
	}
	out := make([]*Statement, 0, len(people))
	for _, login := range slices.Sorted(maps.Keys(people)) {
		pu := people[login]
		var d Data
		pu.agg.fill(&d)
		s := &Statement{
			Lab: opts.Lab, Period: p, Generated: opts.Now.UTC(), RunID: opts.RunID, Version: labcarbon.Version,
			Currency: opts.Currency, User: login, Name: so.Name(login),
			Totals: d.Totals, LabShare: share(d.Totals.CO2eKg.Central, labKg),
			ByPartition: d.ByPartition, ByState: d.ByState,
			Equivalents: equivalents(opts.Equivalents, d.Totals.CO2eKg.Central),
			TopJobs:     pu.top.sorted(),
		}
		if len(d.ByGroup) > 0 {
			s.Group = d.ByGroup[0].Key
			if opts.PIOf != nil {
				s.PI = opts.PIOf(s.Group)
			}
		}
		for i, tp := range so.Trend {
			c := Comparison{Period: tp}
			if t := trends[i][login]; t != nil {
				c.Totals = t.agg.totals
			}
			s.Trend = append(s.Trend, c)
		}
		s.Trend = append(s.Trend, Comparison{Period: p, Totals: d.Totals})
		out = append(out, s)
	}
	return out, nil
}

// personAgg is one researcher's aggregation and largest jobs.
type personAgg struct {
	agg *aggregator
	top topJobs
}

// perUser aggregates the jobs of p by user, keeping each one's top largest
// jobs.
func perUser(ctx context.Context, src Source, p labcarbon.Period, opts Options, top int) (map[string]*personAgg, error) {
	people := map[string]*personAgg{}
	err := src.Jobs(ctx, p.From, p.To, func(j *labcarbon.Job) error {
		pu := people[j.User]
		if pu == nil {
			pu = &personAgg{agg: newAggregator(p, opts), top: topJobs{n: top}}
			people[j.User] = pu
		}
		if pu.agg.add(j) {
			pu.top.offer(j, opts.HideJobNames)
			if opts.Visit != nil {
				opts.Visit(j)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read jobs of %s: %w", p.Label, err)
	}
	return people, nil
}

// topJobs keeps the n jobs with the largest central CO2e offered to it, in
// a min-heap so that each offer costs log n.
type topJobs struct {
	n    int
	jobs []labcarbon.Job
}

func (t *topJobs) Len() int { return len(t.jobs) }
func (t *topJobs) Less(i, j int) bool {
	return t.jobs[i].Result.CO2eKg.Central < t.jobs[j].Result.CO2eKg.Central
}
func (t *topJobs) Swap(i, j int) { t.jobs[i], t.jobs[j] = t.jobs[j], t.jobs[i] }
func (t *topJobs) Push(x any)    { t.jobs = append(t.jobs, x.(labcarbon.Job)) }
func (t *topJobs) Pop() any {
	j := t.jobs[len(t.jobs)-1]
	t.jobs = t.jobs[:len(t.jobs)-1]
	return j
}

// offer keeps a copy of j if it is among the n largest so far, without
// its name when names are hidden.
func (t *topJobs) offer(j *labcarbon.Job, hideName bool) {
	switch {
	case t.n == 0:
		return
	case len(t.jobs) < t.n:
		heap.Push(t, *j)
	case j.Result.CO2eKg.Central > t.jobs[0].Result.CO2eKg.Central:
		t.jobs[0] = *j
		heap.Fix(t, 0)
	default:
		return
	}
	if hideName {
		for i := range t.jobs {
			t.jobs[i].Name = ""
		}
	}
}

// sorted returns the jobs kept, largest first.
func (t *topJobs) sorted() []labcarbon.Job {
	out := slices.Clone(t.jobs)
	slices.SortStableFunc(out, func(a, b labcarbon.Job) int {
		return cmp.Compare(b.Result.CO2eKg.Central, a.Result.CO2eKg.Central)
	})
	return out
}
