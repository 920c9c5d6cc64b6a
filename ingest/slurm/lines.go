package slurm

import (
	"bufio"
	"bytes"
	"io"
)

// maxRecord bounds one line: NodeList, AdminComment or SubmitLine can make
// lines long, but a line of megabytes is not sacct output, and memory must
// stay bounded whatever the input.
const maxRecord = 16 << 20

// lineReader reads physical lines of any length up to maxRecord.
type lineReader struct {
	br   *bufio.Reader
	long []byte // a line that did not fit the bufio buffer
	n    int    // physical lines read
}

// next returns the next line without its line ending; it is valid until the
// next call. For a line longer than maxRecord it returns the line's start
// and tooLong, having skipped the rest. At the end of the input it returns
// io.EOF; a last line without a newline is returned first.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	if cap(lr.long) > 1<<20 {
		lr.long = nil // don't keep a huge buffer for one odd line
	}
	lr.long = lr.long[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(lr.long)+len(chunk) <= maxRecord {
				lr.long = append(lr.long, chunk...)
			} else {
				tooLong = true
			}
			continue
		}
		if err != nil && err != io.EOF {
			return nil, false, err
		}
		if err == io.EOF && len(chunk) == 0 && len(lr.long) == 0 && !tooLong {
			return nil, false, io.EOF
		}
		lr.n++
		line = chunk
		if len(lr.long) > 0 || tooLong {
			if len(lr.long)+len(chunk) > maxRecord+2 { // +2: the line ending
				tooLong = true
			}
			if !tooLong {
				lr.long = append(lr.long, chunk...)
			}
			line = lr.long
		}
		line = bytes.TrimSuffix(line, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		return line, tooLong, nil
	}
}
