package slurm

import (
	"bytes"
	"fmt"
	"io"
	"slices"
)

// maxJSONJob bounds one job object: the decoder holds a job whole, steps
// included, so memory is bounded by the largest job rather than by the
// input. A job of a million steps fits; anything larger is not sacct output.
const maxJSONJob = 256 << 20

// errJobTooLarge stops a decoder that has read maxJSONJob bytes past the
// start of the current job.
var errJobTooLarge = fmt.Errorf("a job object longer than %d MiB: not sacct --json output", maxJSONJob>>20)

// lineIndex passes the input on to the JSON decoder and notes where its
// newlines are, so that a job can be reported by line although the decoder
// only knows byte offsets. Offsets are asked for in increasing order, one
// per job, so newlines before the last offset asked for are forgotten: the
// index holds no more than the decoder's own buffer.
type lineIndex struct {
	r    io.Reader
	read int64   // bytes passed on
	nl   []int64 // offsets of the newlines at or after mark
	line int     // newlines before mark
	mark int64   // the last offset asked for: where the current job starts
}

// Read reads from the input, noting newlines. It fails with errJobTooLarge
// once the decoder has read maxJSONJob bytes past the current job's start.
func (l *lineIndex) Read(p []byte) (int, error) {
	if l.read-l.mark > maxJSONJob {
		return 0, errJobTooLarge
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\n')
		if j < 0 {
			break
		}
		l.nl = append(l.nl, l.read+int64(i+j))
		i += j + 1
	}
	l.read += int64(n)
	return n, err
}

// lineAt returns the line, counted from 1, of the byte at offset off. off
// must not be below an offset asked for before.
func (l *lineIndex) lineAt(off int64) int {
	i, _ := slices.BinarySearch(l.nl, off)
	l.line += i
	l.nl = l.nl[i:]
	l.mark = off
	return l.line + 1
}
