package pdf

import (
	"bytes"
	"strings"
	"sync"
	"unicode"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// Font families registered with gofpdf. The core PDF fonts only know
// Latin-1, so names like Jiří or Łukasz need an embedded TrueType font.
// The Go fonts set the report; DejaVu Sans, which also draws Vietnamese
// (Ngọc Anh Trần), Greek and Cyrillic, stands in for text the Go fonts
// cannot draw.
const (
	sans     = "go"
	mono     = "gomono"
	fallback = "dejavu"
)

// addFonts embeds the Go fonts; gofpdf subsets them to the glyphs used.
// Each gets a copy of the font bytes: gofpdf 1.16.2 writes into the slice
// it is given while it subsets, which would corrupt the shared gofont
// variables and make the next document in the process differ.
func addFonts(f *gofpdf.Fpdf) {
	f.AddUTF8FontFromBytes(sans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(sans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(sans, "I", bytes.Clone(goitalic.TTF))
	f.AddUTF8FontFromBytes(mono, "", bytes.Clone(gomono.TTF))
}

// addFallback embeds DejaVu Sans, the first time a document needs it.
func addFallback(f *gofpdf.Fpdf) {
	f.AddUTF8FontFromBytes(fallback, "", bytes.Clone(dejavusans.TTF))
	f.AddUTF8FontFromBytes(fallback, "B", bytes.Clone(dejavusansbold.TTF))
	f.AddUTF8FontFromBytes(fallback, "I", bytes.Clone(dejavusansoblique.TTF))
}

// charset is the set of runes of the Basic Multilingual Plane a font
// draws, as a bitset.
type charset []uint64

func newCharset(ttf []byte) charset {
	set := make(charset, 0x10000/64)
	font, err := sfnt.Parse(ttf)
	if err != nil {
		// The font is compiled in; if it does not parse, it draws nothing
		// and every rune falls back, but the document still renders.
		return set
	}
	var buf sfnt.Buffer
	for r := rune(0x20); r < 0x10000; r++ {
		if i, err := font.GlyphIndex(&buf, r); err == nil && i != 0 {
			set[r/64] |= 1 << (r % 64)
		}
	}
	return set
}

func (c charset) has(r rune) bool { return r >= 0 && r < 0x10000 && c[r/64]&(1<<(r%64)) != 0 }

// All the Go fonts share one character set, and so do the DejaVu Sans
// styles.
var (
	goGlyphs     = sync.OnceValue(func() charset { return newCharset(goregular.TTF) })
	dejavuGlyphs = sync.OnceValue(func() charset { return newCharset(dejavusans.TTF) })
)

// drawable reports whether the Go fonts have a glyph for r.
func drawable(r rune) bool { return goGlyphs().has(r) }

// needsFallback reports whether s has a rune the Go fonts cannot draw and
// DejaVu Sans draws every rune of s, so that s is printed in DejaVu Sans.
func needsFallback(s string) bool {
	if strings.IndexFunc(s, func(r rune) bool { return !drawable(r) }) < 0 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !dejavuGlyphs().has(r) && !unicode.IsControl(r) && !unicode.IsSpace(r)
	}) < 0
}

// printable returns s with every rune the Go fonts cannot draw replaced by
// the nearest one they can: control characters become spaces, a letter
// with a diacritic the font lacks (Vietnamese ọ) loses the diacritic, and
// anything else becomes '?'. gofpdf would otherwise print an empty box, or
// index past its width table and panic, for a rune outside the font.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !drawable(r) }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case drawable(r):
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(nearest(r))
		}
	}
	return b.String()
}

// nearest is the base letter of r's canonical decomposition if the font
// draws it, and '?' otherwise.
func nearest(r rune) rune {
	for _, base := range norm.NFD.String(string(r)) {
		if drawable(base) && !unicode.Is(unicode.Mn, base) {
			return base
		}
	}
	return '?'
}
