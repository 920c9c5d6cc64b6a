package recommend

import (
	"fmt"
	"testing"

	"labcarbon"
	"labcarbon/compute"
)

// Ids are pinned: a change here breaks every past report's uptake.
func TestIDStable(t *testing.T) {
	for _, c := range []struct {
		rule    Rule
		scope   Scope
		subject string
		want    string
	}{
		{RuleMemory, ScopeUser, "alice", "64625bbd2f"},
		{RuleFailing, ScopeLab, "", "fbf663cd1b"},
	} {
		if got := ID(c.rule, c.scope, c.subject); got != c.want {
			t.Errorf("ID(%s, %s, %q) = %s, want %s", c.rule, c.scope, c.subject, got, c.want)
		}
	}
}

func TestIDDistinct(t *testing.T) {
	seen := make(map[string]string)
	rules := []Rule{RuleMemory, RuleCPU, RuleGPUIdle, RuleGPUUnderuse, RuleFailing, RuleTimeShift, RulePartition}
	for _, r := range rules {
		for _, s := range []Scope{ScopeLab, ScopeGroup, ScopeUser} {
			for i := range 2000 {
				subject := fmt.Sprint("user", i)
				if i == 0 {
					subject = "" // the lab's, and a user or group with no name
				}
				id := ID(r, s, subject)
				key := fmt.Sprint(r, "/", s, "/", subject)
				if prev, ok := seen[id]; ok {
					t.Fatalf("%s and %s share id %s", prev, key, id)
				}
				seen[id] = key
			}
		}
	}
	// The same subject as a group and as a researcher gets two ids.
	if ID(RuleMemory, ScopeGroup, "ml") == ID(RuleMemory, ScopeUser, "ml") {
		t.Error("group and researcher of the same name share an id")
	}
}

// Two engines over the same period, as two runs of the report, give the
// same ids.
func TestIDsAcrossRuns(t *testing.T) {
	run := func() []string {
		m := testModel()
		e := New(m, nil, testThresholds(), Options{})
		for i := range 5 {
			u := usage(i)
			overRequest(i, &u)
			e.Add(mkJob(m, u, testAssign()))
		}
		var ids []string
		for _, r := range e.Recommendations() {
			ids = append(ids, r.ID)
		}
		return ids
	}
	a, b := run(), run()
	if fmt.Sprint(a) != fmt.Sprint(b) || len(a) != 3 {
		t.Errorf("ids %v then %v", a, b)
	}
}

func TestRealised(t *testing.T) {
	rec := func(subject string, kg, kwh, cost float64) Recommendation {
		return Recommendation{
			ID: ID(RuleMemory, ScopeUser, subject), Rule: RuleMemory, Scope: ScopeUser, Subject: subject,
			SavingCO2eKg: labcarbon.Range{Low: kg / 2, Central: kg, High: kg * 2},
			SavingKWh:    labcarbon.Point(kwh), SavingCost: cost,
		}
	}
	prev := []Recommendation{rec("alice", 10, 50, 15), rec("bob", 5, 20, 6), rec("carol", 2, 8, 2)}
	cur := []Recommendation{rec("alice", 4, 20, 6), rec("carol", 3, 12, 3), rec("dave", 7, 1, 1)}
	got := Realised(prev, cur)
	want := []struct {
		subject string
		present bool
		kg      labcarbon.Range
		kwh     float64
		cost    float64
	}{
		{"alice", true, labcarbon.Range{Low: 3, Central: 6, High: 12}, 30, 9},  // shrank from 10 to 4
		{"bob", false, labcarbon.Range{Low: 2.5, Central: 5, High: 10}, 20, 6}, // gone: all of it
		{"carol", true, labcarbon.Range{}, 0, 0},                               // grew: nothing realised
	}
	if len(got) != len(want) {
		t.Fatalf("%d uptakes, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Previous.Subject != w.subject || g.Present != w.present || !approxRange(g.RealisedCO2eKg, w.kg) ||
			!approx(g.RealisedKWh.Central, w.kwh) || !approx(g.RealisedCost, w.cost) {
			t.Errorf("%s: %+v", w.subject, g)
		}
	}
	if !approx(got[0].Current.Central, 4) || got[1].Current != (labcarbon.Range{}) {
		t.Errorf("current %v, %v", got[0].Current, got[1].Current)
	}
}

// Nothing panics on empty or odd input.
func TestOddInput(t *testing.T) {
	e := New(compute.Model{}, nil, Thresholds{}, Options{})
	e.Add(nil)
	e.Add(&labcarbon.Job{})
	e.Add(&labcarbon.Job{Usage: labcarbon.Usage{ElapsedSec: 10, Start: t0, State: labcarbon.StateFailed}})
	if recs := e.Recommendations(); len(recs) != 0 {
		t.Errorf("recommendations from nothing: %s", summary(recs))
	}
	if tot := e.Totals(); tot.Jobs != 2 || tot.Ran != 1 { // nil is no job
		t.Errorf("totals %+v", tot)
	}
	if got := Realised(nil, nil); len(got) != 0 {
		t.Errorf("uptake of nothing: %v", got)
	}
}
