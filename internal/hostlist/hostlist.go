// Package hostlist reads Slurm hostlist expressions such as
// "node[01-04,07]" or "d09n04s[01-02],d09n05s02,d13n[03,05,07-08,16]".
//
// Slurm prints a job's nodes (sacct NodeList) and a lab writes its node
// groups (partition rules) in this compressed form. A Pattern answers
// "is this host in the list" without expanding the ranges, so that a rule
// such as "cn[00001-99999]" costs no more to test than "cn01". Expand is for
// the cases that really need every name, and refuses lists larger than
// MaxExpand.
//
// The syntax follows Slurm: comma-separated host expressions at the top
// level; in each, literal text and bracketed sets of decimal numbers and
// ranges ("[1-3,7]"), several brackets allowed ("r[1-2]n[01-04]"). The
// width of a range's lower bound sets its zero padding: "[01-10]" means 01,
// 02, …, 10 and "[8-10]" means 8, 9, 10. "None assigned" and "(null)",
// which sacct prints for jobs that never got nodes, are the empty list.
package hostlist

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxExpand is the most host names Expand and Pattern.ContainsAll will
// enumerate. It bounds memory and time on hostile or mistyped input; no real
// allocation comes near it.
const MaxExpand = 1 << 20

// ErrTooLarge is returned by Expand when a list names more than MaxExpand
// hosts.
var ErrTooLarge = errors.New("hostlist: more hosts than MaxExpand")

// maxDigits bounds a number inside brackets so values fit in uint64 with
// room to spare.
const maxDigits = 18

// Pattern is a parsed hostlist. The zero value is the empty list.
type Pattern struct {
	terms []term
}

// term is one top-level, comma-separated host expression.
type term struct {
	segs []segment
}

// segment is either literal text or a bracketed set of numbers.
type segment struct {
	lit    string
	ranges []numRange // nil for a literal
}

// numRange is lo..hi inclusive, printed zero-padded to width digits.
type numRange struct {
	lo, hi uint64
	width  int
}

// Parse reads a hostlist expression. Surrounding spaces are ignored; an
// empty string, "None assigned" and "(null)" give the empty Pattern.
func Parse(s string) (Pattern, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "None assigned" || s == "(null)" {
		return Pattern{}, nil
	}
	var p Pattern
	start, depth := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '[':
				depth++
				continue
			case ']':
				depth--
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		t, err := parseTerm(s[start:i])
		if err != nil {
			return Pattern{}, fmt.Errorf("hostlist %q: %w", s, err)
		}
		p.terms = append(p.terms, t)
		start = i + 1
	}
	return p, nil
}

// parseTerm reads one host expression: literal text and bracketed sets.
func parseTerm(s string) (term, error) {
	if s == "" {
		return term{}, errors.New("empty host name")
	}
	var t term
	lit := 0 // start of the current literal run
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '[':
			if i > lit {
				t.segs = append(t.segs, segment{lit: s[lit:i]})
			}
			end := strings.IndexByte(s[i+1:], ']')
			if end < 0 {
				return term{}, fmt.Errorf("unclosed '[' at offset %d", i)
			}
			body := s[i+1 : i+1+end]
			if strings.IndexByte(body, '[') >= 0 {
				return term{}, fmt.Errorf("nested '[' at offset %d", i)
			}
			rs, err := parseSet(body)
			if err != nil {
				return term{}, fmt.Errorf("set [%s]: %w", body, err)
			}
			t.segs = append(t.segs, segment{ranges: rs})
			i += end + 1
			lit = i + 1
		case c == ']':
			return term{}, fmt.Errorf("unmatched ']' at offset %d", i)
		case c <= ' ' || c == 0x7f:
			return term{}, fmt.Errorf("invalid character %q at offset %d", c, i)
		}
	}
	if lit < len(s) {
		t.segs = append(t.segs, segment{lit: s[lit:]})
	}
	return t, nil
}

// parseSet reads the inside of a bracket: "01-04,07".
func parseSet(body string) ([]numRange, error) {
	if body == "" {
		return nil, errors.New("empty set")
	}
	var rs []numRange
	for _, el := range strings.Split(body, ",") {
		loS, hiS, isRange := strings.Cut(el, "-")
		lo, err := parseNum(loS)
		if err != nil {
			return nil, err
		}
		hi := lo
		if isRange {
			if hi, err = parseNum(hiS); err != nil {
				return nil, err
			}
			if hi < lo {
				return nil, fmt.Errorf("range %s is backwards", el)
			}
		}
		rs = append(rs, numRange{lo: lo, hi: hi, width: len(loS)})
	}
	return rs, nil
}

// parseNum reads an unsigned decimal of at most maxDigits digits.
func parseNum(s string) (uint64, error) {
	if s == "" {
		return 0, errors.New("missing number")
	}
	if len(s) > maxDigits {
		return 0, fmt.Errorf("number %s has more than %d digits", s, maxDigits)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	return strconv.ParseUint(s, 10, 64)
}

// Empty reports whether the list names no host.
func (p Pattern) Empty() bool { return len(p.terms) == 0 }

// Count returns how many host names the list spells, counting a name
// listed twice twice. It saturates at MaxExpand+1, which is all a caller
// needs to know to refuse the list.
func (p Pattern) Count() int {
	total := 0
	for _, t := range p.terms {
		n := 1
		for _, sg := range t.segs {
			if sg.ranges == nil {
				continue
			}
			k := 0
			for _, r := range sg.ranges {
				k = satAdd(k, r.hi-r.lo+1)
			}
			n = satMul(n, k)
		}
		total = satAdd(total, uint64(n))
	}
	return total
}

func satAdd(a int, b uint64) int {
	if b > MaxExpand || a+int(b) > MaxExpand {
		return MaxExpand + 1
	}
	return a + int(b)
}

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > (MaxExpand+1)/b {
		return MaxExpand + 1
	}
	return min(a*b, MaxExpand+1)
}

// Expand parses s and returns every host name it spells, in order. It
// returns ErrTooLarge rather than build a list of more than MaxExpand names.
func Expand(s string) ([]string, error) {
	p, err := Parse(s)
	if err != nil {
		return nil, err
	}
	n := p.Count()
	if n > MaxExpand {
		return nil, fmt.Errorf("hostlist %q: %w", s, ErrTooLarge)
	}
	hosts := make([]string, 0, n)
	p.Each(func(h string) bool {
		hosts = append(hosts, h)
		return true
	})
	return hosts, nil
}

// Each calls fn with every host name of the list in order until fn returns
// false, and reports whether it went through the whole list. It does not
// guard against huge lists: check Count first when the input is untrusted.
func (p Pattern) Each(fn func(host string) bool) bool {
	var buf []byte
	for _, t := range p.terms {
		if !eachSeg(t.segs, buf[:0], fn) {
			return false
		}
	}
	return true
}

func eachSeg(segs []segment, prefix []byte, fn func(string) bool) bool {
	if len(segs) == 0 {
		return fn(string(prefix))
	}
	sg := segs[0]
	if sg.ranges == nil {
		return eachSeg(segs[1:], append(prefix, sg.lit...), fn)
	}
	for _, r := range sg.ranges {
		for v := r.lo; ; v++ {
			if !eachSeg(segs[1:], appendPadded(prefix, v, r.width), fn) {
				return false
			}
			if v == r.hi {
				break
			}
		}
	}
	return true
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// Contains reports whether host is one of the names the list spells. It
// matches the host against each expression directly, so its cost does not
// depend on how large the ranges are.
func (p Pattern) Contains(host string) bool {
	for _, t := range p.terms {
		if matchSegs(t.segs, host) {
			return true
		}
	}
	return false
}

// matchSegs reports whether s is spelled by segs. A number set may be
// followed by literal digits ("n[1-2]0"), so a set can consume digit runs of
// several lengths; tracking the set of reachable offsets segment by segment
// keeps the cost linear in the number of segments instead of exponential.
func matchSegs(segs []segment, s string) bool {
	if len(s) < 64 {
		return matchShort(segs, s)
	}
	reach := make([]bool, len(s)+1)
	next := make([]bool, len(s)+1)
	reach[0] = true
	for _, sg := range segs {
		clear(next)
		found := false
		for pos, ok := range reach {
			if !ok {
				continue
			}
			for _, end := range segEnds(sg, s, pos) {
				next[end], found = true, true
			}
		}
		if !found {
			return false
		}
		reach, next = next, reach
	}
	return reach[len(s)]
}

// matchShort is matchSegs for hosts shorter than 64 bytes, with the
// reachable offsets in a bit mask so the common case allocates nothing.
func matchShort(segs []segment, s string) bool {
	reach := uint64(1)
	for _, sg := range segs {
		var next uint64
		for pos := 0; pos <= len(s); pos++ {
			if reach&(1<<pos) == 0 {
				continue
			}
			if sg.ranges == nil {
				if strings.HasPrefix(s[pos:], sg.lit) {
					next |= 1 << (pos + len(sg.lit))
				}
				continue
			}
			for l := 1; pos+l <= len(s) && l <= maxDigits && isDigit(s[pos+l-1]); l++ {
				if inSet(sg.ranges, s[pos:pos+l]) {
					next |= 1 << (pos + l)
				}
			}
		}
		if next == 0 {
			return false
		}
		reach = next
	}
	return reach&(1<<len(s)) != 0
}

// segEnds returns the offsets at which segment sg can end when it starts at
// pos in s.
func segEnds(sg segment, s string, pos int) []int {
	if sg.ranges == nil {
		if strings.HasPrefix(s[pos:], sg.lit) {
			return []int{pos + len(sg.lit)}
		}
		return nil
	}
	var ends []int
	for l := 1; pos+l <= len(s) && l <= maxDigits && isDigit(s[pos+l-1]); l++ {
		if inSet(sg.ranges, s[pos:pos+l]) {
			ends = append(ends, pos+l)
		}
	}
	return ends
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// inSet reports whether the digit string d is one of the set's numbers as
// Slurm prints them: same value and the same zero padding.
func inSet(rs []numRange, d string) bool {
	v, err := strconv.ParseUint(d, 10, 64)
	if err != nil {
		return false
	}
	nd := 1
	for x := v; x >= 10; x /= 10 {
		nd++
	}
	for _, r := range rs {
		if v >= r.lo && v <= r.hi && len(d) == max(r.width, nd) {
			return true
		}
	}
	return false
}

// ContainsAll reports whether every host of q is in p. It enumerates q (a
// job's own node list, normally short) and answers false when q names more
// than MaxExpand hosts. An empty q is trivially contained; callers that
// need at least one node must check q.Empty themselves.
func (p Pattern) ContainsAll(q Pattern) bool {
	if q.Count() > MaxExpand {
		return false
	}
	return q.Each(p.Contains)
}

// String returns the list in Slurm syntax. Parsing it again gives the same
// hosts in the same order.
func (p Pattern) String() string {
	var b strings.Builder
	for i, t := range p.terms {
		if i > 0 {
			b.WriteByte(',')
		}
		for _, sg := range t.segs {
			if sg.ranges == nil {
				b.WriteString(sg.lit)
				continue
			}
			b.WriteByte('[')
			for j, r := range sg.ranges {
				if j > 0 {
					b.WriteByte(',')
				}
				b.Write(appendPadded(nil, r.lo, r.width))
				if r.hi != r.lo {
					b.WriteByte('-')
					b.Write(appendPadded(nil, r.hi, r.width))
				}
			}
			b.WriteByte(']')
		}
	}
	return b.String()
}
