package slurm

import (
	"math/bits"
	"strings"
)

// record is one sacct line cut into fields. The cuts are kept as offsets,
// so that a copy of the line (see viewString) takes them over as they are,
// and merging the tail of a shifted line into its last column costs nothing.
type record struct {
	text string
	dlen int   // length of the delimiter
	ends []int // ends[i] is the offset just past field i
}

// split cuts text at every delim.
func (r *record) split(text, delim string) {
	r.text, r.dlen, r.ends = text, len(delim), r.ends[:0]
	if len(delim) == 1 {
		r.ends = appendCuts(r.ends, text, delim[0])
	} else {
		for off := 0; ; {
			i := strings.Index(text[off:], delim)
			if i < 0 {
				break
			}
			r.ends = append(r.ends, off+i)
			off += i + len(delim)
		}
	}
	r.ends = append(r.ends, len(text))
}

// setCuts cuts text at the given positions of a one-byte delimiter, found
// beforehand (see lineReader).
func (r *record) setCuts(text string, cuts []int) {
	r.text, r.dlen = text, 1
	r.ends = append(append(r.ends[:0], cuts...), len(text))
}

// appendCuts appends the position of every byte d in text to cuts. Sacct
// lines are dozens of short fields, for which calling IndexByte once per
// field costs more than the search; this looks at eight bytes at a time
// instead.
func appendCuts(cuts []int, text string, d byte) []int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	pattern := uint64(d) * lo
	i := 0
	for ; i+8 <= len(text); i += 8 {
		w := uint64(text[i]) | uint64(text[i+1])<<8 | uint64(text[i+2])<<16 | uint64(text[i+3])<<24 |
			uint64(text[i+4])<<32 | uint64(text[i+5])<<40 | uint64(text[i+6])<<48 | uint64(text[i+7])<<56
		x := w ^ pattern // zero bytes where text has d
		m := (x - lo) &^ x & hi
		if m == 0 {
			continue
		}
		// The high bit of each zero byte is set in m; borrows can also
		// mark a byte above a real match, so check each candidate.
		for m != 0 {
			j := i + bits.TrailingZeros64(m)/8
			if text[j] == d {
				cuts = append(cuts, j)
			}
			m &= m - 1
		}
	}
	for ; i < len(text); i++ {
		if text[i] == d {
			cuts = append(cuts, i)
		}
	}
	return cuts
}

// n returns the number of fields.
func (r *record) n() int { return len(r.ends) }

// field returns field i.
func (r *record) field(i int) string {
	start := 0
	if i > 0 {
		start = r.ends[i-1] + r.dlen
	}
	return r.text[start:r.ends[i]]
}

// rebase points the record at text, a copy of the text it was cut from.
func (r *record) rebase(text string) { r.text = text }

// joinTail makes field i run to the end of the line, delimiters included.
func (r *record) joinTail(i int) {
	r.ends = r.ends[:i+1]
	r.ends[i] = len(r.text)
}
