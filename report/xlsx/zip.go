package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"slices"

	"github.com/xuri/excelize/v2"
)

// contentTypes is the package part that lists the workbook's content types.
const contentTypes = "[Content_Types].xml"

// canonicalZip is the zip writer the workbook is saved through. It puts
// the <Default> entries of [Content_Types].xml in a fixed order: excelize
// adds the image types that come with a chart by ranging over a map, so the
// same data would otherwise give a different file on every run.
type canonicalZip struct {
	*zip.Writer
	pending io.Writer // the archive entry of [Content_Types].xml, until flushed
	buf     bytes.Buffer
}

// deflateLevel trades size for time: compressing is most of the cost of a
// large Jobs sheet. klauspost/compress's level 2 compresses its XML three
// times as fast as the standard library's level 2, for a file 5% larger
// (200 MB of a million-job sheet: 0.6 s for 38 MB, against 2.0 s for 36 MB).
const deflateLevel = 2

// newCanonicalZip is an excelize ZipWriter that writes to w, compressing
// each entry on all cores.
func newCanonicalZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newParallelDeflate(out), nil
	})
	return &canonicalZip{Writer: zw}
}

// Create starts an archive entry; the content types are held back until
// the next entry starts, so they can be rewritten whole.
func (z *canonicalZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	w, err := z.Writer.Create(name)
	if err != nil || name != contentTypes {
		return w, err
	}
	z.pending = w
	return &z.buf, nil
}

// Close writes what is held back and ends the archive.
func (z *canonicalZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	return z.Writer.Close()
}

// flush writes the held-back content types with their defaults sorted.
func (z *canonicalZip) flush() error {
	if z.pending == nil {
		return nil
	}
	_, err := z.pending.Write(sortDefaults(z.buf.Bytes()))
	z.pending = nil
	z.buf.Reset()
	return err
}

// defaultElem matches one <Default …> element of the content types.
var defaultElem = regexp.MustCompile(`<Default [^>]*?(?:/>|></Default>)`)

// sortDefaults returns xml with its <Default> elements, which are
// independent of one another, in sorted order, each in the place of one
// of the originals.
func sortDefaults(xml []byte) []byte {
	found := defaultElem.FindAll(xml, -1)
	sorted := slices.Clone(found)
	slices.SortFunc(sorted, bytes.Compare)
	i := 0
	return defaultElem.ReplaceAllFunc(xml, func([]byte) []byte {
		i++
		return sorted[i-1]
	})
}
