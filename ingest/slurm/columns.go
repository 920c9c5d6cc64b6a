package slurm

import (
	"fmt"
	"strings"
)

// column is a sacct field the reader uses.
type column int

// The sacct fields the reader uses. Any other column is skipped.
const (
	colJobID column = iota
	colJobIDRaw
	colJobName
	colUser
	colGroup
	colAccount
	colPartition
	colQOS
	colCluster
	colState
	colExitCode
	colSubmit
	colStart
	colEnd
	colElapsed
	colElapsedRaw
	colTimelimit
	colTimelimitRaw
	colNNodes
	colNCPUS
	colNTasks
	colNodeList
	colReqMem
	colReqTRES
	colAllocTRES
	colTotalCPU
	colMaxRSS
	colTRESUsageInTot
	colTRESUsageInAve
	colConsumedEnergyRaw
	numColumns
)

// columnByName maps lower-case sacct field names to the columns the reader
// uses. sacct's header prints canonical names (JobIDRaw, NCPUS, ...), but
// hand-written column lists for --noheader files may be in any case.
var columnByName = map[string]column{
	"jobid":             colJobID,
	"jobidraw":          colJobIDRaw,
	"jobname":           colJobName,
	"user":              colUser,
	"group":             colGroup,
	"account":           colAccount,
	"partition":         colPartition,
	"qos":               colQOS,
	"cluster":           colCluster,
	"state":             colState,
	"exitcode":          colExitCode,
	"submit":            colSubmit,
	"start":             colStart,
	"end":               colEnd,
	"elapsed":           colElapsed,
	"elapsedraw":        colElapsedRaw,
	"timelimit":         colTimelimit,
	"timelimitraw":      colTimelimitRaw,
	"nnodes":            colNNodes,
	"ncpus":             colNCPUS,
	"alloccpus":         colNCPUS, // the same field under its other name
	"ntasks":            colNTasks,
	"nodelist":          colNodeList,
	"reqmem":            colReqMem,
	"reqtres":           colReqTRES,
	"alloctres":         colAllocTRES,
	"totalcpu":          colTotalCPU,
	"maxrss":            colMaxRSS,
	"tresusageintot":    colTRESUsageInTot,
	"tresusageinave":    colTRESUsageInAve,
	"consumedenergyraw": colConsumedEnergyRaw,
}

// freeText lists the sacct fields whose values users or admins choose, and
// so may contain the delimiter: sacct never quotes or escapes.
var freeText = map[string]bool{
	"jobname":       true,
	"workdir":       true,
	"comment":       true,
	"admincomment":  true,
	"systemcomment": true,
	"submitline":    true,
	"constraints":   true,
	"container":     true,
	"extra":         true,
	"stdout":        true,
	"stderr":        true,
	"stdin":         true,
	"wckey":         true,
	"reservation":   true,
}

// layout is where the columns are in a file's records.
type layout struct {
	names []string        // column names as the header spells them
	idx   [numColumns]int // position of each column, -1 if absent
	key   column          // JobIDRaw if present, else JobID: groups steps with their job
	// repair is the position of the last column when it is the only
	// free-text one: extra fields in a record then belong to it. It is -1
	// when a delimiter inside a value cannot be placed with certainty.
	repair int
	// firstFree is the position of the first free-text column (len(names)
	// if none): fields before it are in place even in a shifted record.
	firstFree int
}

// newLayout maps column names to positions. It returns an error when the
// names do not look like sacct output; the caller adds the file name.
// CheckColumns reports whether names, the column list of a --noheader
// file, says enough to read jobs from: a job id, the state and the run
// time, each a sacct field name. Configuration checks it up front, so a
// typo fails the config rather than every file.
func CheckColumns(names []string) error {
	_, err := newLayout(names)
	return err
}

func newLayout(names []string) (layout, error) {
	l := layout{names: names, repair: -1, firstFree: len(names)}
	for i := range l.idx {
		l.idx[i] = -1
	}
	nFree := 0
	for i, name := range names {
		lower := strings.ToLower(name)
		if j := strings.IndexByte(lower, '%'); j > 0 {
			lower = lower[:j] // a width from a --format list: jobname%30
		}
		if !isFieldName(lower) {
			return layout{}, fmt.Errorf("column %d %q is not a sacct field name", i+1, clip(name))
		}
		if c, ok := columnByName[lower]; ok && l.idx[c] < 0 {
			l.idx[c] = i
		}
		if freeText[lower] {
			nFree++
			if i < l.firstFree {
				l.firstFree = i
			}
		}
	}
	if nFree == 1 && l.firstFree == len(names)-1 {
		l.repair = l.firstFree
	}
	switch {
	case l.idx[colJobIDRaw] >= 0:
		l.key = colJobIDRaw
	case l.idx[colJobID] >= 0:
		l.key = colJobID
	default:
		return layout{}, fmt.Errorf("no JobID or JobIDRaw column")
	}
	if l.idx[colState] < 0 {
		return layout{}, fmt.Errorf("no State column")
	}
	if l.idx[colElapsedRaw] < 0 && l.idx[colElapsed] < 0 && (l.idx[colStart] < 0 || l.idx[colEnd] < 0) {
		return layout{}, fmt.Errorf("no ElapsedRaw, Elapsed or Start and End columns: the run time is unknown")
	}
	return l, nil
}

// has reports whether the file has column c.
func (l *layout) has(c column) bool { return l.idx[c] >= 0 }

// name returns the header's spelling of column c, for error reports.
func (l *layout) name(c column) string {
	if i := l.idx[c]; i >= 0 {
		return l.names[i]
	}
	return ""
}

// isFieldName reports whether s can be a sacct field name: ASCII letters,
// digits and underscores. Binary data, prose and CSV fail it.
func isFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// detectDelimiter returns the delimiter of a header line: the run of
// characters after the first field name. sacct's header consists of field
// names, so whatever separates the first two is the --delimiter. It returns
// "|" when the header has a single column.
func detectDelimiter(header string) string {
	i := 0
	for i < len(header) && isFieldName(header[i:i+1]) {
		i++
	}
	j := i
	for j < len(header) && !isFieldName(header[j:j+1]) {
		j++
	}
	if i == 0 || i == j {
		return "|"
	}
	return header[i:j]
}
