// Package report turns stored results into what people read: it aggregates
// the jobs of a period into one Data value (totals, breakdowns, factors,
// exclusions) that every renderer below it prints.
//
// Renderers live in sub-packages and only print: pdf/ (gofpdf), xlsx/
// (excelize), export/ (CSV and JSON).
package report
