package slurm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"labcarbon"
)

// errNoJobID is a job object without a job id, which nothing can key.
var errNoJobID = errors.New("no job id")

// errNotNumber says that a value is not a number in any of the shapes
// Slurm writes one.
func errNotNumber(found string) error {
	return fmt.Errorf("want a number or {\"set\", \"infinite\", \"number\"}, got %s", found)
}

// errNotNames says that a state or status is neither a name nor a list of
// names.
func errNotNames(found string) error {
	return fmt.Errorf("want a name or a list of names, got %s", found)
}

// errRange says that a number is too large to be true.
func errRange(v int64) error { return fmt.Errorf("%d is out of range", v) }

// jsonFields reads the values of one job object into Go values, keeping the
// first error and the field it was found in, so that the mapping reads as
// a plain list of fields and stops being consulted once one is bad.
type jsonFields struct {
	step  int    // the index of the step being read, -1 for the job itself
	field string // where err was found
	err   error
}

// fail records err for field unless an error is recorded already.
func (f *jsonFields) fail(field string, err error) {
	if f.err != nil {
		return
	}
	if f.step >= 0 {
		field = "steps[" + strconv.Itoa(f.step) + "]." + field
	}
	f.field, f.err = field, err
}

// check fails when n was not a number in any of its shapes.
func (f *jsonFields) check(n jsonNum, field string) bool {
	if n.bad != "" {
		f.fail(field, errNotNumber(n.bad))
		return false
	}
	return true
}

// int returns a non-negative number; absent or unlimited is 0, and so are
// -2 and -1, which data_parser v0.0.44 prints for the NO_VAL64 and
// INFINITE64 of a plain 64-bit field (as signed numbers).
func (f *jsonFields) int(n jsonNum, field string) int64 {
	if !f.check(n, field) || !n.set || n.v == -1 || n.v == -2 {
		return 0
	}
	if n.v < 0 {
		f.fail(field, fmt.Errorf("negative value %d", n.v))
		return 0
	}
	return n.v
}

// count is int for a 32-bit field, whose NO_VAL and INFINITE some versions
// print as numbers: those are 0 too.
func (f *jsonFields) count(n jsonNum, field string) int64 {
	if v := f.int(n, field); v < noVal32 {
		return v
	}
	return 0
}

// energy returns joules; Slurm's -2 (NO_VAL as a signed count) is 0, not
// measured, as sacct's text prints it.
func (f *jsonFields) energy(n jsonNum, field string) float64 {
	if !f.check(n, field) || !n.set || n.v < 0 {
		return 0
	}
	return float64(n.v)
}

// time returns epoch seconds as a UTC time; 0, absent and the 32-bit
// NO_VAL and INFINITE are unknown, the zero time.
func (f *jsonFields) time(n jsonNum, field string) time.Time {
	v := f.int(n, field)
	switch {
	case v == 0 || v == noVal32 || v == noVal32+1:
		return time.Time{}
	case v > maxEpoch:
		f.fail(field, errRange(v))
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

// cpuTime returns a CPU time in seconds.
func (f *jsonFields) cpuTime(c jsonCPUTime, field string) float64 {
	s := f.int(c.Seconds, field+".seconds")
	us := f.int(c.Microseconds, field+".microseconds")
	return float64(s) + float64(us)/1e6
}

// state reads a job or step state into *dst as sacct's State column would
// show it.
func (f *jsonFields) state(fl *jsonFlags, field string, dst *labcarbon.State) {
	if fl.bad != "" {
		f.fail(field, errNotNames(fl.bad))
		return
	}
	st, err := ParseState(fl.state())
	if err != nil {
		f.fail(field, err)
	}
	*dst = st
}

// tres reads an allocation or request TRES list as ParseTRES reads the
// same TRES as a string. Counts Slurm did not record (unset, or -2 for
// an energy never measured) are left out, as sacct leaves them out of
// the string.
func (f *jsonFields) tres(list []jsonTRES, field string) TRES {
	var b tresBuilder
	for i := range list {
		t := &list[i]
		if t.Count.bad != "" {
			f.fail(field+"["+strconv.Itoa(i)+"].count", errNotNumber(t.Count.bad))
			return TRES{}
		}
		if !t.Count.set || t.Count.v < 0 {
			continue
		}
		if err := b.add(t.key(), strconv.FormatInt(t.Count.v, 10)); err != nil {
			f.fail(field, err)
			return TRES{}
		}
	}
	return b.done()
}

// usage reads a step's usage TRES list as ParseTRESUsage reads the same
// usage as a string. The counts are raw: bytes for mem, joules, percent.
func (f *jsonFields) usage(list []jsonTRES, field string) TRESUsage {
	var u TRESUsage
	for i := range list {
		t := &list[i]
		if t.Count.bad != "" {
			f.fail(field+"["+strconv.Itoa(i)+"].count", errNotNumber(t.Count.bad))
			return TRESUsage{}
		}
		if !t.Count.set || t.Count.v < 0 {
			continue
		}
		if err := u.add(t.key(), strconv.FormatInt(t.Count.v, 10)); err != nil {
			f.fail(field, err)
			return TRESUsage{}
		}
	}
	return u
}

// displayID returns the job id as sacct's JobID column prints it, and the
// array or heterogeneous job it belongs to. The order of the cases is
// Slurm's (slurmdb_get_job_id_str): pending array tasks (123_[1-3]), an
// array task (123_4), a het component (123+1), a plain job.
func (f *jsonFields) displayID(j *jsonJob, raw string) (id, parent string) {
	arrayJob := f.count(j.Array.JobID, "array.job_id")
	task := f.int(j.Array.TaskID, "array.task_id")
	hetJob := f.count(j.Het.JobID, "het.job_id")
	switch {
	case arrayJob > 0 && j.Array.Task != "":
		parent = strconv.FormatInt(arrayJob, 10)
		limit := f.count(j.Array.Limits.Max.Running.Tasks, "array.limits.max.running.tasks")
		return parent + "_[" + arrayTasks(j.Array.Task, limit) + "]", parent
	case arrayJob > 0 && j.Array.TaskID.set && task < noVal32:
		parent = strconv.FormatInt(arrayJob, 10)
		return parent + "_" + strconv.FormatInt(task, 10), parent
	case hetJob > 0:
		parent = strconv.FormatInt(hetJob, 10)
		return parent + "+" + strconv.FormatInt(f.count(j.Het.JobOffset, "het.job_offset"), 10), parent
	}
	return raw, ""
}

// maxArrayHex bounds the bitmaps arrayTasks translates: 16384 hex digits
// are 65536 tasks, far beyond any MaxArraySize in use.
const maxArrayHex = 1 << 14

// arrayTasks returns the task list of pending array tasks as sacct prints
// it (1-3,5, and %2 for a limit of two running tasks). The JSON has the
// database's hex bitmap, 0x2E, which sacct translates
// (xlate_array_task_str); anything else is kept as it is. sacct's stepped
// form (1-9:2) and its cut after SLURM_BITSTR_LEN characters are not
// reproduced.
func arrayTasks(s string, limit int64) string {
	hex, ok := strings.CutPrefix(s, "0x")
	if !ok || hex == "" || len(hex) > maxArrayHex {
		return s
	}
	bit := func(i int) bool {
		c := hex[len(hex)-1-i/4]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		}
		return v>>(i%4)&1 == 1
	}
	for i := 0; i < len(hex); i++ {
		if c := hex[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return s
		}
	}
	var b strings.Builder
	first := -1
	for i, n := 0, len(hex)*4; i <= n; i++ {
		switch on := i < n && bit(i); {
		case on && first < 0:
			first = i
		case !on && first >= 0:
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(first))
			if i-1 > first {
				b.WriteByte('-')
				b.WriteString(strconv.Itoa(i - 1))
			}
			first = -1
		}
	}
	if limit > 0 {
		b.WriteString("%" + strconv.FormatInt(limit, 10))
	}
	return b.String()
}
