package slurm

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
)

// noVal32 is where Slurm's 32-bit sentinels begin: NO_VAL (0xfffffffe) and
// INFINITE (0xffffffff). openapi/dbv0.0.37 and .38 print them as null, but
// the data_parser plugins print some 32-bit fields (array task ids, job
// ids of steps) as plain numbers, sentinels included.
const noVal32 = 0xfffffffe

// jsonNum is a number as any version of sacct --json writes it: a plain
// number, null, or (data_parser v0.0.39 and later) an object
// {"set": bool, "infinite": bool, "number": n}. Decoding never fails: a
// value of another shape is kept in bad, so that the job it belongs to is
// quarantined with the field's name rather than the whole input stopped.
type jsonNum struct {
	v   int64
	set bool   // a number was given: not null, not {"set": false}, not a 64-bit sentinel
	inf bool   // {"infinite": true}: unlimited
	bad string // the value found instead of a number
}

// UnmarshalJSON accepts the three shapes; see jsonNum.
func (n *jsonNum) UnmarshalJSON(b []byte) error {
	*n = jsonNum{}
	switch {
	case len(b) == 0:
	case b[0] == 'n': // null
	case b[0] == '{':
		var w struct {
			Set      *bool
			Infinite bool
			Number   jsonNum
		}
		if err := json.Unmarshal(b, &w); err != nil || w.Number.bad != "" {
			n.bad = describeJSON(b)
			return nil
		}
		switch {
		case w.Infinite:
			n.inf = true
		case w.Set == nil || *w.Set:
			*n = w.Number
		}
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		v, err := strconv.ParseInt(string(b), 10, 64)
		switch {
		case err == nil:
			n.v, n.set = v, true
		case b[0] != '-' && isDigits(b):
			// Above 2^63: NO_VAL64, INFINITE64 and their kin, which
			// mean no value.
		default:
			n.bad = describeJSON(b) // a fraction or an exponent
		}
	default:
		n.bad = describeJSON(b)
	}
	return nil
}

// describeJSON returns a JSON value on one line and cut short, for an error
// message.
func describeJSON(b []byte) string {
	var c bytes.Buffer
	if json.Compact(&c, b) == nil {
		b = c.Bytes()
	}
	return clip(string(b))
}

// isDigits reports whether b is a non-empty run of ASCII digits.
func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// jsonFlags is a list of flag names that older versions write as one
// string: a job state ("COMPLETED" up to data_parser v0.0.39,
// ["COMPLETED"] or ["RUNNING", "COMPLETING"] from v0.0.40) or an exit
// status.
type jsonFlags struct {
	names []string
	list  bool   // written as a list (data_parser v0.0.40 and later)
	bad   string // the value found instead
}

// UnmarshalJSON accepts a string, a list of strings or null.
func (f *jsonFlags) UnmarshalJSON(b []byte) error {
	*f = jsonFlags{}
	switch {
	case len(b) == 0 || b[0] == 'n':
	case b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			f.bad = describeJSON(b)
			return nil
		}
		f.names = []string{s}
	case b[0] == '[':
		if json.Unmarshal(b, &f.names) != nil {
			f.names, f.bad = nil, describeJSON(b)
			return nil
		}
		f.list = true
	default:
		f.bad = describeJSON(b)
	}
	return nil
}

// has reports whether name is among the flags.
func (f *jsonFlags) has(name string) bool { return slices.Contains(f.names, name) }

// stateFlagOrder lists the state flags that Slurm's job_state_string
// prints instead of the base state, in the order it tests them: sacct's
// State column shows the first one set, and the list form must read the
// same.
var stateFlagOrder = []string{
	"COMPLETING", "STAGE_OUT", "CONFIGURING", "RESIZING", "REQUEUED",
	"REQUEUE_FED", "REQUEUE_HOLD", "SPECIAL_EXIT", "STOPPED", "REVOKED",
	"RESV_DEL_HOLD", "SIGNALING",
}

// state returns the state as sacct's State column would print it. A list
// has the base state first and flags after it (data_parser lists the
// base states before the flags).
func (f *jsonFlags) state() string {
	if len(f.names) > 1 {
		for _, flag := range stateFlagOrder {
			if f.has(flag) {
				return flag
			}
		}
	}
	if len(f.names) == 0 {
		return ""
	}
	return f.names[0]
}

// beforeComplete reports whether a step state is below JOB_COMPLETE, as
// sacct tests it when it adds the steps' CPU time to the job's TotalCPU:
// a base state of PENDING, RUNNING or SUSPENDED with no flag set.
func (f *jsonFlags) beforeComplete() bool {
	for _, s := range f.names {
		switch s {
		case "PENDING", "RUNNING", "SUSPENDED":
		default:
			return false
		}
	}
	return len(f.names) > 0
}

// jsonTRES is one entry of a TRES list: {"type": "gres", "name":
// "gpu:a100", "id": 1002, "count": 2}. Usage lists (a step's
// tres.requested.max, ...) add "node" and "task", which are not read.
type jsonTRES struct {
	Type  string  `json:"type"`
	Name  string  `json:"name"`
	Count jsonNum `json:"count"`
}

// key returns the entry's name as a TRES string writes it: cpu, mem,
// gres/gpu:a100, fs/disk.
func (t *jsonTRES) key() string {
	if t.Name == "" {
		return t.Type
	}
	return t.Type + "/" + t.Name
}

// jsonCPUTime is a CPU time: {"seconds": s, "microseconds": us}.
type jsonCPUTime struct {
	Seconds      jsonNum `json:"seconds"`
	Microseconds jsonNum `json:"microseconds"`
}
