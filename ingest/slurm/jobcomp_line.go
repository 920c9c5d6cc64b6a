package slurm

import (
	"fmt"
	"strings"
)

// jcKey is a key of a jobcomp/filetxt line.
type jcKey int

// The keys of a jobcomp/filetxt line, in the order slurmctld writes them
// (src/plugins/jobcomp/filetxt/jobcomp_filetxt.c):
//
//	JobId=%lu UserId=%s(%lu) GroupId=%s(%lu) Name=%s JobState=%s Partition=%s
//	TimeLimit=%s StartTime=%s EndTime=%s NodeList=%s NodeCnt=%u ProcCnt=%u
//	WorkDir=%s ReservationName=%s Tres=%s Account=%s QOS=%s WcKey=%s
//	Cluster=%s SubmitTime=%s EligibleTime=%s[ ArrayJobId=%u ArrayTaskId=%u]
//	[ HetJobId=%u HetJobOffset=%u] DerivedExitCode=%s ExitCode=%s
//
// Slurm 17.11 to 20.02 write Gres= where 20.11 and later write Tres=, and
// 17.02 and earlier stop after WorkDir=.
const (
	jcJobID jcKey = iota
	jcUserID
	jcGroupID
	jcName
	jcJobState
	jcPartition
	jcTimeLimit
	jcStartTime
	jcEndTime
	jcNodeList
	jcNodeCnt
	jcProcCnt
	jcWorkDir
	jcReservationName
	jcTres
	jcGres
	jcAccount
	jcQOS
	jcWcKey
	jcCluster
	jcSubmitTime
	jcEligibleTime
	jcArrayJobID
	jcArrayTaskID
	jcHetJobID
	jcHetJobOffset
	jcDerivedExitCode
	jcExitCode
	numJCKeys
)

// jcKeys describes each key: its name, whether its value is free text that
// may hold spaces and "=" (it then runs to the next known key), and
// whether every line has it (the keys up to WorkDir, which even 17.02
// wrote).
var jcKeys = [numJCKeys]struct {
	name     string
	free     bool
	required bool
}{
	jcJobID:           {name: "JobId", required: true},
	jcUserID:          {name: "UserId", required: true},
	jcGroupID:         {name: "GroupId", required: true},
	jcName:            {name: "Name", free: true, required: true},
	jcJobState:        {name: "JobState", required: true},
	jcPartition:       {name: "Partition", required: true},
	jcTimeLimit:       {name: "TimeLimit", required: true},
	jcStartTime:       {name: "StartTime", required: true},
	jcEndTime:         {name: "EndTime", required: true},
	jcNodeList:        {name: "NodeList", required: true},
	jcNodeCnt:         {name: "NodeCnt", required: true},
	jcProcCnt:         {name: "ProcCnt", required: true},
	jcWorkDir:         {name: "WorkDir", free: true, required: true},
	jcReservationName: {name: "ReservationName"},
	jcTres:            {name: "Tres"},
	// 19.05 and 20.02 write "PER_JOB:gpu:2 PER_NODE:gpu:1": spaces.
	jcGres:            {name: "Gres", free: true},
	jcAccount:         {name: "Account"},
	jcQOS:             {name: "QOS"},
	jcWcKey:           {name: "WcKey"},
	jcCluster:         {name: "Cluster"},
	jcSubmitTime:      {name: "SubmitTime"},
	jcEligibleTime:    {name: "EligibleTime"},
	jcArrayJobID:      {name: "ArrayJobId"},
	jcArrayTaskID:     {name: "ArrayTaskId"},
	jcHetJobID:        {name: "HetJobId"},
	jcHetJobOffset:    {name: "HetJobOffset"},
	jcDerivedExitCode: {name: "DerivedExitCode"},
	jcExitCode:        {name: "ExitCode"},
}

// jcMarkers holds " Key=" for each key: how a key is found in a line.
var jcMarkers = func() (m [numJCKeys]string) {
	for k := range m {
		m[k] = " " + jcKeys[k].name + "="
	}
	return m
}()

// jcLine is a jobcomp line cut into the values of its keys.
type jcLine struct {
	val [numJCKeys]string
	has [numJCKeys]bool
}

// split cuts a jobcomp line by its known key sequence. slurmctld does not
// escape values, so Name= and WorkDir= may hold spaces and "=": each value
// runs to the next known key, found in order, rather than to the next
// space. A value that cannot hold spaces ends at the first one, so keys a
// site's patched Slurm adds are skipped. It returns the first required key
// the line lacks.
func (l *jcLine) split(line string) (missing string, ok bool) {
	*l = jcLine{}
	if !strings.HasPrefix(line, "JobId=") {
		return jcKeys[jcJobID].name, false
	}
	prev, start := jcJobID, len("JobId=")
	for k := jcJobID + 1; k < numJCKeys; k++ {
		i := strings.Index(line[start:], jcMarkers[k])
		if i < 0 {
			if jcKeys[k].required {
				return jcKeys[k].name, false
			}
			continue
		}
		l.set(prev, line[start:start+i])
		prev, start = k, start+i+len(jcMarkers[k])
	}
	// The last value runs to the end of the line, less the space (or,
	// up to 22.05, the select plugin's text) slurmctld writes after it.
	l.set(prev, strings.TrimRight(line[start:], " "))
	return "", true
}

// set stores the value of key k found before the next key: all of it for
// free text, up to the first space otherwise.
func (l *jcLine) set(k jcKey, v string) {
	if !jcKeys[k].free {
		if i := strings.IndexByte(v, ' '); i >= 0 {
			v = v[:i]
		}
	}
	if v == "(null)" { // a NULL string, as glibc's printf writes it
		v = ""
	}
	l.val[k], l.has[k] = v, true
}

// errMissing describes a line that lacks a key every jobcomp line has.
func errMissing(key string) error {
	return fmt.Errorf("no %s= in the line: not a jobcomp/filetxt record", key)
}
