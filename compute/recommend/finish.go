package recommend

import (
	"cmp"
	"slices"
)

type ruleSubject struct {
	rule    Rule
	subject string
}

// Recommendations returns the recommendations for the jobs added so far,
// ranked by central CO2e saving, largest first: for each researcher and
// rule, each group and rule (the sum over its researchers), and the lab's
// LabTop rules (the sum over everyone), each only when it rests on
// MinJobs jobs and saves MinSavingCO2eKg or MinSavingKWh. It may be
// called more than once; the engine is not changed.
func (e *Engine) Recommendations() []Recommendation {
	base := make(map[candKey]*acc, len(e.cands))
	for k, c := range e.cands {
		base[k] = c
	}
	e.failureCands(base)

	// Merge in a fixed order: floating-point sums then come out the same
	// on every run, whatever the maps' order.
	keys := make([]candKey, 0, len(base))
	for k := range base {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b candKey) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.group, b.group), cmp.Compare(a.user, b.user))
	})

	users := make(map[ruleSubject]*acc)
	groups := make(map[ruleSubject]*acc)
	members := make(map[ruleSubject][]Contributor)
	labs := make(map[Rule]*acc)
	var userKeys, groupKeys []ruleSubject
	var rules []Rule
	for _, k := range keys {
		c := base[k]
		uk, gk := ruleSubject{k.rule, k.user}, ruleSubject{k.rule, k.group}
		if users[uk] == nil {
			users[uk] = &acc{}
			userKeys = append(userKeys, uk)
		}
		if groups[gk] == nil {
			groups[gk] = &acc{}
			groupKeys = append(groupKeys, gk)
		}
		if labs[k.rule] == nil {
			labs[k.rule] = &acc{}
			rules = append(rules, k.rule)
		}
		users[uk].merge(c, e.nEx)
		groups[gk].merge(c, e.nEx)
		labs[k.rule].merge(c, e.nEx)
		members[gk] = append(members[gk], Contributor{Subject: k.user, Jobs: c.jobs, SavingCO2eKg: c.save.co2.Central})
	}

	var out []Recommendation
	for _, k := range userKeys {
		if c := users[k]; e.worth(c) {
			out = append(out, e.rec(k.rule, ScopeUser, k.subject, c, nil))
		}
	}
	for _, k := range groupKeys {
		if c := groups[k]; e.worth(c) {
			out = append(out, e.rec(k.rule, ScopeGroup, k.subject, c, members[k]))
		}
	}
	var lab []Recommendation
	for _, r := range rules {
		c := labs[r]
		if !e.worth(c) {
			continue
		}
		var who []Contributor
		for _, k := range userKeys {
			if k.rule == r {
				u := users[k]
				who = append(who, Contributor{Subject: k.subject, Jobs: u.jobs, SavingCO2eKg: u.save.co2.Central})
			}
		}
		lab = append(lab, e.rec(r, ScopeLab, "", c, who))
	}
	slices.SortFunc(lab, recBefore)
	out = append(out, lab[:min(e.labTop, len(lab))]...)
	slices.SortFunc(out, recBefore)
	return out
}

var scopeRank = map[Scope]int{ScopeLab: 0, ScopeGroup: 1, ScopeUser: 2}

// recBefore ranks by central saving, then widest scope, rule and
// subject, so that the order is total.
func recBefore(a, b Recommendation) int {
	return cmp.Or(
		cmp.Compare(b.SavingCO2eKg.Central, a.SavingCO2eKg.Central),
		cmp.Compare(b.SavingKWh.Central, a.SavingKWh.Central),
		cmp.Compare(scopeRank[a.Scope], scopeRank[b.Scope]),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Subject, b.Subject),
	)
}

// worth reports whether a candidate is worth a recommendation: enough
// jobs and a saving that reaches one of the minimums set (any saving
// when neither is set).
func (e *Engine) worth(c *acc) bool {
	if c.jobs < max(e.th.MinJobs, 1) || !c.save.positive() {
		return false
	}
	kg, kwh := e.th.MinSavingCO2eKg, e.th.MinSavingKWh
	if !(kg > 0) && !(kwh > 0) {
		return true
	}
	return kg > 0 && c.save.co2.Central >= kg || kwh > 0 && c.save.kwh.Central >= kwh
}

// rec builds the recommendation of a candidate.
func (e *Engine) rec(rule Rule, scope Scope, subject string, c *acc, who []Contributor) Recommendation {
	r := Recommendation{
		ID: ID(rule, scope, subject), Rule: rule, Scope: scope, Subject: subject,
		Jobs:              c.jobs,
		CO2eKg:            c.co2,
		SavingKWh:         c.save.kwh,
		SavingCO2eKg:      c.save.co2,
		SavingCost:        c.save.cost,
		OperationalCO2eKg: c.save.op,
		EmbodiedCO2eKg:    c.save.emb,
		Figures:           make(map[string]float64),
		Examples:          slices.Clone(c.examples),
	}
	f := r.Figures
	switch rule {
	case RuleMemory:
		f["median_mem_efficiency"] = c.hist.median()
		f["max_request_gb"] = c.maxReq
		f["max_peak_gb"] = c.maxPeak
		f["suggested_mem_gb"] = c.maxPeakSug
		f["requested_gb_hours"] = c.reqGBh
		f["suggested_gb_hours"] = c.sugGBh
		f["headroom"] = max(0, e.th.MemHeadroom)
	case RuleCPU:
		f["median_cpu_efficiency"] = c.hist.median()
		f["max_cpus"] = float64(c.maxUnits)
		f["suggested_cpus"] = float64(c.maxNeeded)
		f["idle_core_hours"] = c.idleCoreH
		f["idle_core_co2e_kg"] = c.idleCoreKg
		f["freed_core_hours"] = c.freedH
	case RuleGPUIdle:
		f["max_gpus"] = float64(c.maxUnits)
		f["freed_gpu_hours"] = c.freedH
	case RuleGPUUnderuse:
		f["median_gpu_util"] = c.hist.median()
		f["max_gpus"] = float64(c.maxUnits)
		f["suggested_gpus"] = float64(c.maxNeeded)
		f["freed_gpu_hours"] = c.freedH
	case RuleFailing:
		f["runs"] = float64(c.runs)
		f["failed"] = float64(c.failed)
		f["out_of_memory"] = float64(c.oom)
		f["timeout"] = float64(c.timeout)
		f["pipelines"] = float64(len(c.pipelines))
		f["wasted_co2e_kg"] = c.wasted
		r.Pipelines = slices.Clone(c.pipelines)
		slices.SortFunc(r.Pipelines, func(a, b Pipeline) int {
			return cmp.Or(cmp.Compare(b.SavingCO2eKg, a.SavingCO2eKg), cmp.Compare(a.User, b.User), cmp.Compare(a.Name, b.Name))
		})
		r.Pipelines = r.Pipelines[:min(e.nContr, len(r.Pipelines))]
	case RuleTimeShift:
		if c.ciKWh > 0 {
			f["mean_ci_before"] = c.ciBefore / c.ciKWh
			f["mean_ci_after"] = c.ciAfter / c.ciKWh
		}
		f["window_days"] = float64(min(e.th.ShiftWindowDays, maxShiftDays))
	default:
		r.Changes = c.sortedChanges(e.nContr)
		f["destinations"] = float64(len(c.changes))
	}
	if len(who) > 0 {
		slices.SortFunc(who, func(a, b Contributor) int {
			return cmp.Or(cmp.Compare(b.SavingCO2eKg, a.SavingCO2eKg), cmp.Compare(a.Subject, b.Subject))
		})
		r.Contributors = who[:min(e.nContr, len(who))]
	}
	return r
}
