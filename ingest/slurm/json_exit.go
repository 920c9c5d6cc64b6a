package slurm

import (
	"strconv"

	"labcarbon"
)

// jsonExit is a job's exit_code in sacct --json:
//
//	dbv0.0.37 to v0.0.39  {"status": "SUCCESS", "return_code": 0}
//	                      {"status": "SIGNALED", "signal": {"signal_id": 9, "name": "Killed"}}
//	v0.0.40 and later     {"status": ["ERROR"], "return_code": {"set": true, ..., "number": 1},
//	                       "signal": {"id": {...}, "name": ""}}
type jsonExit struct {
	Status     jsonFlags `json:"status"`
	ReturnCode jsonNum   `json:"return_code"`
	Signal     struct {
		ID       jsonNum `json:"id"`
		SignalID jsonNum `json:"signal_id"`
	} `json:"signal"`
}

// sacct returns the exit code as sacct's ExitCode column prints it
// (status:signal), or "" when the JSON does not tell.
//
// Up to data_parser v0.0.39 Slurm writes "SUCCESS" and return code 0 for
// every process that exited normally, whatever its status (the dump tests
// WIFEXITED, not the status), so a job that exited 1 reads as a success.
// In those versions a normal exit is taken as 0:0 only for a COMPLETED job,
// for which Slurm requires status 0; for any other job the status is
// unknown.
func (e *jsonExit) sacct(state labcarbon.State) string {
	st := &e.Status
	switch {
	case st.has("SIGNALED"):
		sig := e.Signal.ID
		if !sig.set {
			sig = e.Signal.SignalID
		}
		if sig.set && sig.v >= 0 && sig.v < 256 {
			return formatExitCode(0, int(sig.v))
		}
	case st.has("SUCCESS") && !st.list:
		if state == labcarbon.StateCompleted {
			return formatExitCode(0, 0)
		}
	case st.has("SUCCESS"), st.has("ERROR"):
		rc := e.ReturnCode
		if rc.set && rc.v >= 0 && rc.v < 256 {
			return formatExitCode(int(rc.v), 0)
		}
	}
	return ""
}

// check returns the part of the exit code that has none of the shapes
// Slurm writes, and why.
func (e *jsonExit) check() (field string, err error) {
	switch {
	case e.Status.bad != "":
		return "status", errNotNames(e.Status.bad)
	case e.ReturnCode.bad != "":
		return "return_code", errNotNumber(e.ReturnCode.bad)
	case e.Signal.ID.bad != "":
		return "signal.id", errNotNumber(e.Signal.ID.bad)
	case e.Signal.SignalID.bad != "":
		return "signal.signal_id", errNotNumber(e.Signal.SignalID.bad)
	}
	return "", nil
}

// formatExitCode formats an exit status and a signal as sacct's ExitCode
// does, "1:0" or "0:9", including its habit of printing a status of 128
// or more less 128 (a shell reports death by signal n as 128+n), so that
// the JSON and jobcomp readers agree with the text reader on the same job.
func formatExitCode(status, signal int) string {
	if status >= 128 {
		status -= 128
	}
	return strconv.Itoa(status) + ":" + strconv.Itoa(signal)
}
