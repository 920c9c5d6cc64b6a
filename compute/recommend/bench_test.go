package recommend

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

// templates are jobs of every shape the rules look at, computed once;
// synthetic periods reuse them under other users' names and ids, which
// changes no result.
func templates(m compute.Model) []*labcarbon.Job {
	var out []*labcarbon.Job
	add := func(k int, f func(i int, u *labcarbon.Usage)) {
		for i := range k {
			u := usage(i)
			f(i, &u)
			out = append(out, mkJob(m, u, testAssign()))
		}
	}
	add(4, func(int, *labcarbon.Usage) {}) // efficient
	add(4, overRequest)
	add(4, idleCores)
	add(2, idleGPU)
	add(2, underusedGPU)
	add(4, func(i int, u *labcarbon.Usage) {
		u.State = labcarbon.StateFailed
		u.Submit = u.Submit.Add(time.Duration(i) * time.Minute)
	})
	add(2, func(i int, u *labcarbon.Usage) { u.State = labcarbon.StateOutOfMemory })
	add(4, func(i int, u *labcarbon.Usage) {
		u.Start = time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
		u.Submit, u.ElapsedSec = u.Start, 2*3600
		u.JobID, u.ParentID = fmt.Sprintf("500_%d", i), "500"
		u.MemReqGB, u.MemPeakGB = 64, 10 // and over-requesting: two rules on one job
	})
	add(4, onOld)
	return out
}

// synth returns job i of a synthetic period of users researchers (in 5
// groups) running 10 job names.
func synth(tpl []*labcarbon.Job, users []string, i int) labcarbon.Job {
	j := *tpl[i%len(tpl)]
	k := (i / len(tpl)) % len(users)
	j.User, j.Account = users[k], users[k%5]
	j.Name = names[i%len(names)]
	j.JobIDRaw = strconv.Itoa(i)
	return j
}

var names = []string{"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"}

func userNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint("user", i)
	}
	return out
}

// A million jobs of 100 researchers keep a bounded state: candidates per
// researcher and rule, pipelines per researcher and name, and at most
// Examples examples each.
func TestMemoryBounded(t *testing.T) {
	jobs := 1_000_000
	if testing.Short() {
		jobs = 100_000
	}
	m := hourlyModel()
	tpl := templates(m)
	users := userNames(100)
	e := New(m, partitionResolve(5), testThresholds(), Options{Alternatives: map[string]string{"c1/old": "new"}})
	for i := range jobs {
		j := synth(tpl, users, i)
		e.Add(&j)
	}
	rules := 7
	if len(e.cands) > len(users)*rules {
		t.Errorf("%d candidates for %d researchers and %d rules", len(e.cands), len(users), rules)
	}
	if len(e.pipes) > len(users)*len(names) {
		t.Errorf("%d pipelines for %d researchers and %d names", len(e.pipes), len(users), len(names))
	}
	examples := 0
	for _, c := range e.cands {
		if len(c.examples) > 3 || len(c.changes) > 1 {
			t.Fatalf("candidate keeps %d examples, %d changes", len(c.examples), len(c.changes))
		}
		examples += len(c.examples)
	}
	for _, p := range e.pipes {
		if len(p.examples) > 3 {
			t.Fatalf("pipeline keeps %d examples", len(p.examples))
		}
		examples += len(p.examples)
	}
	if len(e.win.m) > 1 {
		t.Errorf("%d hourly windows cached for one day", len(e.win.m))
	}
	recs := e.Recommendations()
	seen := make(map[Rule]bool)
	for _, r := range recs {
		seen[r.Rule] = true
		checkRec(t, r)
	}
	if len(seen) != rules {
		t.Errorf("rules fired: %v", seen)
	}
	if tot := e.Totals(); tot.Jobs != jobs {
		t.Errorf("totals %+v", tot)
	}
	t.Logf("%d jobs: %d candidates, %d pipelines, %d examples kept, %d recommendations", jobs, len(e.cands), len(e.pipes), examples, len(recs))
}

func BenchmarkAdd(b *testing.B) {
	m := hourlyModel()
	tpl := templates(m)
	users := userNames(100)
	period := make([]labcarbon.Job, 10_000)
	for i := range period {
		period[i] = synth(tpl, users, i)
	}
	e := New(m, partitionResolve(5), testThresholds(), Options{Alternatives: map[string]string{"c1/old": "new"}})
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		e.Add(&period[n%len(period)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "jobs/s")
}

func BenchmarkRecommendations(b *testing.B) {
	m := hourlyModel()
	tpl := templates(m)
	users := userNames(100)
	e := New(m, partitionResolve(5), testThresholds(), Options{Alternatives: map[string]string{"c1/old": "new"}})
	for i := range 100_000 {
		j := synth(tpl, users, i)
		e.Add(&j)
	}
	b.ReportAllocs()
	for b.Loop() {
		e.Recommendations()
	}
}
