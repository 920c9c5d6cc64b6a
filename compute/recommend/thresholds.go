package recommend

import (
	"time"

	"labcarbon"
)

// Thresholds decide when a rule fires. The lab configuration sets them;
// DefaultThresholds gives common practice, with its source beside each.
// A ratio threshold of 0 (or NaN) turns its rule off.
type Thresholds struct {
	// MinJobs is the fewest jobs a recommendation must rest on, and
	// MinSavingCO2eKg and MinSavingKWh the saving it must reach (either
	// one suffices: energy is worth saving on a clean grid too), so that
	// every recommendation made is worth reading. They apply at every
	// scope to the scope's total.
	MinJobs         int
	MinSavingCO2eKg float64
	MinSavingKWh    float64

	// MinRuntimeSec is the shortest run whose efficiency figures the
	// memory, CPU and GPU rules trust.
	MinRuntimeSec int64

	// Memory: a job is over-requesting when peak ÷ request is below
	// MemEfficiencyBelow; the request suggested is the peak plus
	// MemHeadroom (a fraction), rounded up to the model's memory
	// granularity as Green Algorithms rounds.
	MemEfficiencyBelow float64
	MemHeadroom        float64

	// CPU: cores are idle when CPU time ÷ (elapsed × cores) is below
	// CPUEfficiencyBelow; the cores suggested are the busy cores plus
	// CPUHeadroom, rounded up.
	CPUEfficiencyBelow float64
	CPUHeadroom        float64

	// GPU, where Slurm measured utilisation: at most GPUIdleAtMost the
	// GPUs were not used at all; below GPUUtilBelow they were under-used,
	// and the GPUs suggested are GPUs × utilisation plus GPUHeadroom,
	// rounded up.
	GPUIdleAtMost float64
	GPUUtilBelow  float64
	GPUHeadroom   float64

	// FailStates are the final states that count as a failed run, and
	// FailMinRuns the failed runs of one pipeline (same user, same job
	// name or array) that make it a failing pipeline.
	FailStates  []labcarbon.State
	FailMinRuns int

	// FlexibleWaitSec is the queue wait (start − submit) beyond which a
	// job is taken to tolerate being run later; array tasks are always
	// taken to. ShiftWindowDays is the window a flexible job may move in:
	// 1 is the calendar day it started on, 7 its week (Monday to
	// Sunday), other values blocks of that many days from its start day.
	FlexibleWaitSec int64
	ShiftWindowDays int
}

// DefaultThresholds returns the thresholds of common practice. The
// sources are the project's research notes (shared/research/slurm.md §7
// and green-algorithms.md §2.6–2.7 and recommendation 8):
//
//   - MinRuntimeSec 300: Princeton jobstats flags nothing on jobs shorter
//     than MIN_RUNTIME_SECONDS, 10 samples of 30 s; their efficiency is
//     noise.
//   - MemEfficiencyBelow 0.70 and MemHeadroom 0.20: jobstats notes memory
//     use below MIN_MEMORY_USAGE 70 % and suggests --mem = ceil(1.2 ×
//     used); the rounding is Green Algorithms' granularity rule.
//   - CPUEfficiencyBelow 0.50: the research notes' recommendation 8
//     ("CPU efficiency < 50 % ⇒ fewer cores"); jobstats' red line is 65 %,
//     which would flag many jobs whose cores are simply memory-bound.
//     CPUHeadroom 0.20 is jobstats' memory margin: no published CPU
//     margin exists.
//   - GPUIdleAtMost 0: jobstats' "did not use the GPU" is a zero duty
//     cycle (Slurm reports whole percents, so under 1 %).
//   - GPUUtilBelow 0.25: jobstats notes GPU utilisation below 25 % (in
//     red at 15 %). GPUHeadroom 0.20 as for CPUs.
//   - FailStates FAILED, OUT_OF_MEMORY, TIMEOUT: the states Green
//     Algorithms counts as wasted that the user can fix (NODE_FAIL is the
//     system's, CANCELLED and PREEMPTED are decisions, not failures) and
//     that reportseff marks red. FailMinRuns 3: one resubmission after a
//     fix is normal; a third failure of the same thing is a pattern. This
//     is a judgement: no tool publishes a number.
//   - FlexibleWaitSec 3600 and ShiftWindowDays 1: a job that waited an
//     hour in the queue did not need its result at once; moving it within
//     its day keeps results by the next morning. Judgements too: the
//     Green Algorithms group's CATS scheduler leaves the window to the
//     user.
//   - MinJobs 5, MinSavingCO2eKg 1, MinSavingKWh 5: a pattern, not an
//     accident, and a saving at least that of 6 km of driving (175 g/km)
//     or about 1.70 GBP of electricity (Green Algorithms' 0.34 GBP/kWh).
func DefaultThresholds() Thresholds {
	return Thresholds{
		MinJobs:            5,
		MinSavingCO2eKg:    1,
		MinSavingKWh:       5,
		MinRuntimeSec:      300,
		MemEfficiencyBelow: 0.70,
		MemHeadroom:        0.20,
		CPUEfficiencyBelow: 0.50,
		CPUHeadroom:        0.20,
		GPUIdleAtMost:      0,
		GPUUtilBelow:       0.25,
		GPUHeadroom:        0.20,
		FailStates:         []labcarbon.State{labcarbon.StateFailed, labcarbon.StateOutOfMemory, labcarbon.StateTimeout},
		FailMinRuns:        3,
		FlexibleWaitSec:    3600,
		ShiftWindowDays:    1,
	}
}

// Options are the lab's facts the rules need besides thresholds.
type Options struct {
	// GroupOf names the research group of a job; nil means its Slurm
	// account, or its Unix group when it has no account.
	GroupOf func(*labcarbon.Usage) string
	// Alternatives maps "cluster/partition" to the partition the lab
	// recommends for the same work: "partition" on the same cluster, or
	// "cluster/partition".
	Alternatives map[string]string
	// Moves are further places work could run instead, each its own
	// rule. This is the extension point for cloud regions and instance
	// families: a Move rewrites the usage and the engine re-resolves and
	// re-runs the model on it. Alternatives is added as RulePartition.
	Moves []Move
	// Location sets the day and week boundaries of time shifting; nil
	// means UTC.
	Location *time.Location
	// Examples is the number of example jobs kept per recommendation
	// (0: 3); Contributors the length of its other lists — researchers
	// named in a group or lab one, pipelines, destinations — (0: 5);
	// LabTop the lab-scope recommendations made (0: 5), the few changes
	// that would save the most.
	Examples, Contributors, LabTop int
}
